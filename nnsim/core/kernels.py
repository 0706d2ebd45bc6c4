"""numba kernels: batched forward pass, backward pass and optimizer step of the MLP.

Memory layout (the same in every kernel):

* All parameters live in one flat float64 vector ``theta``. Weight layer ``l`` (1-based in
  the math, ``l - 1`` in the offset arrays) holds ``W^l`` of shape (out, in) at
  ``theta[w_off[l-1] : w_off[l-1] + out*in]`` (row-major, so ``z = W a + b``) and ``b^l`` at
  ``theta[b_off[l-1] : b_off[l-1] + out]``. Gradients and optimizer moments use the same
  layout, so an optimizer step is one loop over a vector.
* Per-layer values ``z^l``, ``a^l`` and ``delta^l`` of a batch of ``B`` points live in flat
  buffers, neuron-major and batch-minor: unit ``i`` of layer ``l`` for point ``j`` is at
  ``u_off[l]*B + i*B + j``. The batch is the contiguous innermost axis, so the inner loops
  run over points and LLVM vectorizes them; a batch of one point runs its loops over the
  units instead (then those are the contiguous axis).
* Inputs come transposed: ``Xt`` has shape (features, n).
* The number of output units C chooses the problem: C >= 2 classifies (softmax output,
  cross-entropy loss, ``y`` holds class labels as whole floats), C = 1 regresses (one linear
  output y_hat = z^L, loss L = mean of 1/2 (y_hat - t)^2, ``y`` holds the targets t).

``fastmath`` is on without the no-NaN/no-Inf flags, so divergence checks still work, and
without approximate reciprocals, so 3 / 5 is exactly 0.6 (hot loops multiply by 1 / x).
"""
import math

import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.core.extending import intrinsic

from .config import (ACTIVATIONS, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, DIVERGED_WEIGHT, LEAKY_SLOPE,
                     MOMENTUM, OPTIMIZERS)

FAST = {"nsz", "contract", "afn", "reassoc"}

RELU, LEAKY_RELU, TANH, SIGMOID, GELU, LINEAR = (ACTIVATIONS.index(name) for name in (
    "relu", "leaky_relu", "tanh", "sigmoid", "gelu", "linear"))
SGD, MOMENTUM_SGD, ADAM = (OPTIMIZERS.index(name) for name in ("sgd", "momentum", "adam"))

# 0 as an int64, not the literal 0: numba compiles a kernel called with a literal argument
# once more just for that literal (a second ``predict`` cost ~0.7 s of every cold start)
ZERO = np.int64(0)
_SQRT1_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_LOG2E = 1.4426950408889634
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10   # ln 2 = HI + LO
_EXP_TAYLOR = tuple(1.0 / math.factorial(n) for n in range(13, -1, -1))       # 1/13! ... 1/0!
_TANH_TAYLOR = (21844 / 6081075, -1382 / 155925, 62 / 2835, -17 / 315, 2 / 15, -1 / 3, 1.0)


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE-754 bit pattern is the int64 ``bits`` (an LLVM bitcast)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True, fastmath=FAST, inline="always")
def fast_exp(x):
    """e^x for x clamped to [-708, 709], relative error below 3e-14; unlike libm's exp it
    vectorizes. e^x = 2^k e^r with k = round(x / ln 2), |r| <= ln(2)/2, e^r by its Taylor
    series to r^13, and 2^k built from its exponent bits."""
    x = min(max(x, -708.0), 709.0)
    k = math.floor(x * _LOG2E + 0.5)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    p = 0.0
    for c in _EXP_TAYLOR:
        p = p * r + c
    return p * _float_from_bits((np.int64(k) + 1023) << 52)


@njit(cache=True, fastmath=FAST, inline="always")
def tanh_from_exp(x, e):
    """tanh x given e = exp(-2|x|): sign(x) (1 - e) / (1 + e), or, for |x| < 1/16 where that
    loses digits to cancellation, the odd Taylor series x (1 - x^2/3 + 2x^4/15 - ...)."""
    ax = abs(x)
    x2 = x * x
    p = 0.0
    for c in _TANH_TAYLOR:
        p = p * x2 + c
    tanh_ax = (1.0 - e) / (1.0 + e)
    if ax < 0.0625:
        tanh_ax = ax * p
    return math.copysign(tanh_ax, x)


@njit(cache=True, fastmath=FAST)
def activate(act, z, a):
    """a = phi(z), elementwise."""
    if act == RELU:
        for k in range(z.shape[0]):
            a[k] = max(z[k], 0.0)
    elif act == LEAKY_RELU:
        for k in range(z.shape[0]):
            a[k] = z[k] if z[k] > 0.0 else LEAKY_SLOPE * z[k]
    elif act == TANH:          # two simple loops vectorize; one fused loop does not
        for k in range(z.shape[0]):
            a[k] = fast_exp(-2.0 * abs(z[k]))
        for k in range(z.shape[0]):
            a[k] = tanh_from_exp(z[k], a[k])
    elif act == SIGMOID:
        for k in range(z.shape[0]):
            a[k] = fast_exp(-z[k])
        for k in range(z.shape[0]):
            a[k] = 1.0 / (1.0 + a[k])
    elif act == GELU:
        for k in range(z.shape[0]):
            a[k] = 0.5 * z[k] * (1.0 + math.erf(z[k] * _SQRT1_2))
    else:
        for k in range(z.shape[0]):
            a[k] = z[k]


@njit(cache=True, fastmath=FAST)
def scale_by_activation_grad(act, z, a, delta):
    """delta = delta * phi'(z), elementwise (phi' written with a = phi(z) where cheaper)."""
    if act == RELU:
        for k in range(z.shape[0]):
            delta[k] = delta[k] if z[k] > 0.0 else 0.0
    elif act == LEAKY_RELU:
        for k in range(z.shape[0]):
            delta[k] = delta[k] if z[k] > 0.0 else LEAKY_SLOPE * delta[k]
    elif act == TANH:
        for k in range(z.shape[0]):
            delta[k] *= 1.0 - a[k] * a[k]
    elif act == SIGMOID:
        for k in range(z.shape[0]):
            delta[k] *= a[k] * (1.0 - a[k])
    elif act == GELU:
        for k in range(z.shape[0]):
            cdf = 0.5 * (1.0 + math.erf(z[k] * _SQRT1_2))
            pdf = _INV_SQRT_2PI * math.exp(-0.5 * z[k] * z[k])
            delta[k] *= cdf + z[k] * pdf


@njit(cache=True)
def units(buf, u_off, B, l):
    """The block of layer l in a per-unit buffer (z, a or delta): n_l * B values.

    Kernels index these per-layer views from 0, so LLVM can prove every index is
    non-negative; an offset added inside a hot loop would make numba check each index for
    wraparound and stop the loop from vectorizing (measured: 5x slower).
    """
    return buf[u_off[l] * B:u_off[l + 1] * B]


@njit(cache=True, fastmath=FAST)
def layer_forward(theta, sizes, w_off, b_off, u_off, act, B, z, a, l):
    """Layer l of the forward pass for B points: z^l = W^l a^(l-1) + b^l, and a^l = phi(z^l)
    for a hidden layer (the output layer keeps only its logits z^L)."""
    n_in, n_out = sizes[l - 1], sizes[l]
    W = theta[w_off[l - 1]:w_off[l - 1] + n_out * n_in]
    b = theta[b_off[l - 1]:b_off[l - 1] + n_out]
    a_in, z_out = units(a, u_off, B, l - 1), units(z, u_off, B, l)
    if B == 1:                 # one point: the inputs are the contiguous axis
        for o in range(n_out):
            s = b[o]
            for i in range(n_in):
                s += W[o * n_in + i] * a_in[i]
            z_out[o] = s
    else:                      # a batch: the points are the contiguous axis
        for o in range(n_out):
            for j in range(B):
                z_out[o * B + j] = b[o]
            for i in range(n_in):
                w = W[o * n_in + i]
                for j in range(B):
                    z_out[o * B + j] += w * a_in[i * B + j]
    if l < sizes.shape[0] - 1:
        activate(act, z_out, units(a, u_off, B, l))


@njit(cache=True, fastmath=FAST)
def forward(theta, sizes, w_off, b_off, u_off, act, B, z, a):
    """Forward pass of B points whose inputs are already in layer 0 of ``a``: every layer
    in turn (see ``layer_forward``); the softmax of z^L is taken by the caller."""
    for l in range(1, sizes.shape[0]):
        layer_forward(theta, sizes, w_off, b_off, u_off, act, B, z, a, l)


@njit(cache=True, fastmath=FAST)
def softmax(z_out, a_out, C, B, j):
    """y_hat = softmax(z^L) of point j into ``a_out``; returns log(sum exp(z^L)) (stable)."""
    m = z_out[j]
    for c in range(1, C):
        m = max(m, z_out[c * B + j])
    s = 0.0
    for c in range(C):
        e = math.exp(z_out[c * B + j] - m)
        a_out[c * B + j] = e
        s += e
    inv = 1.0 / s
    for c in range(C):
        a_out[c * B + j] *= inv
    return m + math.log(s)


@njit(cache=True, fastmath=FAST)
def output_delta(z, a, delta, u_off, L, C, B, labels, exact):
    """Regression (C = 1): y_hat = z^L, delta^L = (y_hat - t) / B with the targets t in
    ``labels``; returns the summed squared error sum_j 1/2 (y_hat_j - t_j)^2.

    Classification: y_hat = softmax(z^L), delta^L = (y_hat - onehot(labels)) / B; returns
    the summed cross-entropy -sum_j log y_hat[labels_j]
    = sum_j (m_j + log sum_c exp(z^L_cj - m_j) - z^L_(labels_j)j), m_j the largest logit, so
    it never takes log 0. Not ``exact``: the log term (>= 0) is left out,
    which keeps what training needs of the loss, that it is finite, at a fraction of the cost.

    Each loop runs over the points, so it vectorizes; delta^L's own block holds m_j and the
    sum s_j of exp(z - m_j) until the deltas overwrite them.
    """
    z_out, a_out, d_out = units(z, u_off, B, L), units(a, u_off, B, L), units(delta, u_off, B, L)
    inv_B = 1.0 / B
    if C == 1:
        loss = 0.0
        for j in range(B):
            a_out[j] = z_out[j]
            d_out[j] = (z_out[j] - labels[j]) * inv_B
            loss += 0.5 * (z_out[j] - labels[j]) * (z_out[j] - labels[j])
        return loss
    if B == 1:                                    # one point: no loops over points to speed up
        loss = softmax(z_out, a_out, C, B, ZERO) - z_out[np.int64(labels[0])]
        for c in range(C):
            d_out[c] = a_out[c] - (1.0 if labels[0] == c else 0.0)
        return loss
    m, s = d_out[:B], d_out[B:2 * B]              # C >= 2, so both fit
    for j in range(B):        # a loop, not m[:] = z_out[:B]: that slice copy's shape check
        m[j] = z_out[j]       # compiles numba's string formatting, seconds of a cold start
    for c in range(1, C):
        for j in range(B):
            m[j] = max(m[j], z_out[c * B + j])
    s[:] = 0.0
    for c in range(C):
        for j in range(B):
            e = fast_exp(z_out[c * B + j] - m[j])
            a_out[c * B + j] = e
            s[j] += e
    loss = 0.0
    for j in range(B):
        loss += m[j] - z_out[np.int64(labels[j]) * B + j]
        if exact:
            loss += math.log(s[j])
        s[j] = 1.0 / s[j]
    for c in range(C):
        for j in range(B):
            a_out[c * B + j] *= s[j]
    for c in range(C):
        for j in range(B):
            d_out[c * B + j] = (a_out[c * B + j] - (1.0 if labels[j] == c else 0.0)) * inv_B
    return loss


@njit(cache=True, fastmath=FAST)
def backward(theta, grad, sizes, w_off, b_off, u_off, act, B, z, a, delta, l1, l2, grad_norms):
    """Backward pass from delta^L (already in ``delta``), writing all gradients.

    For l = L..1:  dL/dW^l = delta^l (a^(l-1))^T + l2 W^l + l1 sign(W^l),
                   dL/db^l = sum over the batch of delta^l,
                   delta^(l-1) = (W^l)^T delta^l * phi'(z^(l-1)).
    grad_norms[l-1] += mean |dL/dW^l| (summed over steps for the gradient meter; the
    caller zeroes it and divides by the number of steps).
    """
    L = sizes.shape[0] - 1
    for l in range(L, 0, -1):
        n_in, n_out = sizes[l - 1], sizes[l]
        W = theta[w_off[l - 1]:w_off[l - 1] + n_out * n_in]
        gW = grad[w_off[l - 1]:w_off[l - 1] + n_out * n_in]
        gb = grad[b_off[l - 1]:b_off[l - 1] + n_out]
        a_in, d_out = units(a, u_off, B, l - 1), units(delta, u_off, B, l)
        for o in range(n_out):
            s = 0.0
            for j in range(B):
                s += d_out[o * B + j]
            gb[o] = s
        if B == 1:
            for o in range(n_out):
                for i in range(n_in):
                    gW[o * n_in + i] = d_out[o] * a_in[i]
        else:
            for o in range(n_out):
                for i in range(n_in):
                    s = 0.0
                    for j in range(B):
                        s += d_out[o * B + j] * a_in[i * B + j]
                    gW[o * n_in + i] = s
        total = 0.0
        for k in range(n_out * n_in):
            gW[k] += l2 * W[k] + l1 * np.sign(W[k])
            total += abs(gW[k])
        grad_norms[l - 1] += total / (n_in * n_out)
        if l > 1:
            d_in = units(delta, u_off, B, l - 1)
            d_in[:] = 0.0
            if B == 1:
                for o in range(n_out):
                    d = d_out[o]
                    for i in range(n_in):
                        d_in[i] += W[o * n_in + i] * d
            else:
                for o in range(n_out):
                    for i in range(n_in):
                        w = W[o * n_in + i]
                        for j in range(B):
                            d_in[i * B + j] += w * d_out[o * B + j]
            scale_by_activation_grad(act, units(z, u_off, B, l - 1), a_in, d_in)


@njit(cache=True, fastmath=FAST)
def update(theta, grad, m, v, adam_t, optimizer, eta):
    """One optimizer step (PyTorch's conventions); adam_t = 1, 2, ... counts Adam's steps
    since its state was reset:

    sgd:      W <- W - eta g
    momentum: v <- mu v + g;  W <- W - eta v
    adam:     m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
              W <- W - eta (m / (1-b1^adam_t)) / (sqrt(v / (1-b2^adam_t)) + eps)
    """
    if optimizer == SGD:
        for k in range(theta.shape[0]):
            theta[k] -= eta * grad[k]
    elif optimizer == MOMENTUM_SGD:
        for k in range(theta.shape[0]):
            v[k] = MOMENTUM * v[k] + grad[k]
            theta[k] -= eta * v[k]
    else:
        eta_bc1 = eta / (1.0 - ADAM_BETA1 ** adam_t)
        root_bc2 = math.sqrt(1.0 - ADAM_BETA2 ** adam_t)
        for k in range(theta.shape[0]):
            g = grad[k]
            m[k] = ADAM_BETA1 * m[k] + (1.0 - ADAM_BETA1) * g
            v[k] = ADAM_BETA2 * v[k] + (1.0 - ADAM_BETA2) * g * g
            theta[k] -= eta_bc1 * m[k] / (math.sqrt(v[k]) / root_bc2 + ADAM_EPS)


@njit(cache=True)
def next_random(rng):
    """splitmix64: advance the 1-element uint64 state and return a 64-bit random number."""
    rng[0] += np.uint64(0x9E3779B97F4A7C15)
    x = rng[0]
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def shuffle(order, rng):
    """order = a random permutation of 0..n-1 (Fisher-Yates), driven by the network's own
    seeded state; it starts from 0..n-1, so the result depends on the state alone."""
    for i in range(order.shape[0]):
        order[i] = i
    for i in range(order.shape[0] - 1, 0, -1):
        k = np.int64(next_random(rng) % np.uint64(i + 1))
        order[i], order[k] = order[k], order[i]


@njit(cache=True)
def gather(Xt, y, order, start, B, a, labels):
    """Copy the inputs of points order[start:start+B] into layer 0 and their labels into
    ``labels``."""
    for j in range(B):
        p = order[start + j]
        labels[j] = y[p]
        for f in range(Xt.shape[0]):
            a[f * B + j] = Xt[f, p]


@njit(cache=True, fastmath=FAST)
def train_batches(theta, grad, m, v, step_counts, sizes, w_off, b_off, u_off, act, optimizer,
                  eta, l1, l2, Xt, y, order, batch, z, a, delta, labels, grad_norms):
    """Mini-batch steps over all points in ``order``, the last short batch included.

    Returns False (and stops) when a batch's loss is not finite: the run has diverged.
    """
    n = order.shape[0]
    L = sizes.shape[0] - 1
    for start in range(0, n, batch):
        B = min(batch, n - start)
        gather(Xt, y, order, start, B, a, labels)
        forward(theta, sizes, w_off, b_off, u_off, act, B, z, a)
        loss = output_delta(z, a, delta, u_off, L, sizes[L], B, labels, False)
        if not math.isfinite(loss):
            return False
        backward(theta, grad, sizes, w_off, b_off, u_off, act, B, z, a, delta, l1, l2, grad_norms)
        step_counts[0] += 1     # steps since the weights were reset
        step_counts[1] += 1     # steps since the optimizer's state was reset: adam_t
        update(theta, grad, m, v, step_counts[1], optimizer, eta)
    return True


@njit(cache=True, fastmath=FAST)
def loss_and_grads(theta, grad, sizes, w_off, b_off, u_off, act, l1, l2, Xt, y, z, a, delta,
                   labels, grad_norms):
    """Mean loss (cross-entropy, or 1/2 squared error) of all points (without the
    regularization term) and its gradient (with the regularization gradient) in ``grad``:
    one batch of all n points."""
    n = Xt.shape[1]
    L = sizes.shape[0] - 1
    order = np.arange(n)
    gather(Xt, y, order, 0, n, a, labels)
    forward(theta, sizes, w_off, b_off, u_off, act, n, z, a)
    loss = output_delta(z, a, delta, u_off, L, sizes[L], n, labels, True)
    backward(theta, grad, sizes, w_off, b_off, u_off, act, n, z, a, delta, l1, l2, grad_norms)
    return loss / n


@njit(cache=True, fastmath=FAST, nogil=True)   # drawing, beside the training thread
def predict(theta, sizes, w_off, b_off, u_off, act, Xt, y, proba, z, a, chunk, lo, hi):
    """Forward passes over points lo..hi-1 in chunks of ``chunk`` points.

    Writes y_hat into ``proba`` when it has a row per point (pass 0 rows to skip) and, when
    ``y`` has a label per point, returns the summed cross-entropy and the number of correct
    argmax predictions, or for regression (C = 1) the summed 1/2 (y_hat - t)^2 and the
    summed absolute error |y_hat - t| (else 0, 0).
    """
    n = Xt.shape[1]
    L = sizes.shape[0] - 1
    C = sizes[L]
    labelled = y.shape[0] == n
    keep = proba.shape[0] == n
    loss = 0.0
    score = 0.0
    for start in range(lo, hi, chunk):
        B = min(chunk, hi - start)
        for f in range(Xt.shape[0]):
            for j in range(B):
                a[f * B + j] = Xt[f, start + j]
        forward(theta, sizes, w_off, b_off, u_off, act, B, z, a)
        z_out, a_out = units(z, u_off, B, L), units(a, u_off, B, L)
        if C == 1:
            for j in range(B):
                if keep:
                    proba[start + j, 0] = z_out[j]
                if labelled:
                    e = z_out[j] - y[start + j]
                    loss += 0.5 * e * e
                    score += abs(e)
            continue
        for j in range(B):
            log_sum = softmax(z_out, a_out, C, B, j)
            best = 0
            for c in range(C):
                if keep:
                    proba[start + j, c] = a_out[c * B + j]
                if a_out[c * B + j] > a_out[best * B + j]:
                    best = c
            if labelled:
                loss += log_sum - z_out[np.int64(y[start + j]) * B + j]
                score += best == y[start + j]
    return loss, score


@njit(cache=True, fastmath=FAST, parallel=True)
def predict_parallel(theta, sizes, w_off, b_off, u_off, act, Xt, proba, z, a, chunk):
    """``predict`` of all points into ``proba``, split evenly over the threads: thread k
    takes the k-th share of the points and works in its own buffers z[k], a[k]."""
    n = Xt.shape[1]
    threads = z.shape[0]
    share = (n + threads - 1) // threads
    no_labels = np.empty(0)
    for thread in prange(threads):
        predict(theta, sizes, w_off, b_off, u_off, act, Xt, no_labels, proba, z[thread],
                a[thread], chunk, min(thread * share, n), min((thread + 1) * share, n))


@njit(cache=True, fastmath=FAST, nogil=True)   # drawing, beside the training thread
def activations(theta, sizes, w_off, b_off, u_off, act, Xt, last, z, a):
    """All activations a^0 .. a^last of n points in one pass (a^L as class probabilities),
    (or the regression output y_hat = z^L) into ``a`` in the batch-minor layout with B = n:
    unit i of layer l for point j is
    a[u_off[l]*n + i*n + j]."""
    n = Xt.shape[1]
    for f in range(Xt.shape[0]):
        for j in range(n):
            a[f * n + j] = Xt[f, j]
    for l in range(1, last + 1):
        layer_forward(theta, sizes, w_off, b_off, u_off, act, n, z, a, l)
    L = sizes.shape[0] - 1
    if last == L:
        z_out, a_out = units(z, u_off, n, L), units(a, u_off, n, L)
        for j in range(n):
            if sizes[L] == 1:
                a_out[j] = z_out[j]
            else:
                softmax(z_out, a_out, sizes[L], n, j)


@njit(cache=True, fastmath=FAST)
def regularization(theta, sizes, w_off, l1, l2):
    """l1 sum|W| + l2/2 sum W^2 over all weight matrices (biases are not regularized)."""
    total = 0.0
    if l1 == 0.0 and l2 == 0.0:
        return total
    for l in range(sizes.shape[0] - 1):
        for k in range(w_off[l], w_off[l] + sizes[l] * sizes[l + 1]):
            total += l1 * abs(theta[k]) + 0.5 * l2 * theta[k] * theta[k]
    return total


@njit(cache=True, fastmath=FAST)
def evaluate(theta, sizes, w_off, b_off, u_off, act, l1, l2, Xt, y, z, a, chunk):
    """(mean loss + regularization, accuracy) over labelled points, for regression (mean
    1/2 squared error + regularization, mean absolute error); NaN for none."""
    n = Xt.shape[1]
    if n == 0:
        return np.nan, np.nan
    loss, score = predict(theta, sizes, w_off, b_off, u_off, act, Xt, y,
                            np.empty((0, sizes[-1])), z, a, chunk, ZERO, n)
    return loss / n + regularization(theta, sizes, w_off, l1, l2), score / n


@njit(cache=True, fastmath=FAST, nogil=True)   # the app trains on a second thread
def train_epochs(theta, grad, m, v, step_counts, sizes, w_off, b_off, u_off, act, optimizer,
                 eta, l1, l2, Xt, y, order, rng, batch, epochs, z, a, delta, labels, grad_norms,
                 Xt_test, y_test, history, z_eval, a_eval, chunk):
    """Run ``epochs`` epochs, each a fresh permutation in ``order`` then ``train_batches``.

    When ``history`` has a row per epoch, row e receives (train loss, train accuracy, test
    loss, test accuracy; for regression mean absolute errors in place of accuracies) after epoch e (see ``evaluate``; NaN for an empty test set).
    Returns the number of epochs completed; fewer than asked means the run diverged (a
    non-finite loss, or a weight beyond DIVERGED_WEIGHT).
    """
    record = history.shape[0] >= epochs
    for e in range(epochs):
        shuffle(order, rng)
        if not train_batches(theta, grad, m, v, step_counts, sizes, w_off, b_off, u_off, act,
                             optimizer, eta, l1, l2, Xt, y, order, batch, z, a, delta, labels,
                             grad_norms):
            return e
        for k in range(theta.shape[0]):
            if not abs(theta[k]) <= DIVERGED_WEIGHT:   # also true for NaN
                return e
        if record:
            history[e, 0], history[e, 1] = evaluate(theta, sizes, w_off, b_off, u_off, act,
                                                    l1, l2, Xt, y, z_eval, a_eval, chunk)
            history[e, 2], history[e, 3] = evaluate(theta, sizes, w_off, b_off, u_off, act,
                                                    l1, l2, Xt_test, y_test, z_eval, a_eval,
                                                    chunk)
    return epochs
