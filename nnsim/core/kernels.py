"""numba kernels: batched forward pass, backward pass and optimizer step of the MLP.

Memory layout (the same in every kernel):

* All parameters live in one flat float64 vector ``theta``. Weight layer ``l`` (1-based in
  the math, ``l - 1`` in the offset arrays) holds ``W^l`` of shape (out, in) at
  ``theta[w_off[l-1] : w_off[l-1] + out*in]`` (row-major, so ``z = W a + b``) and ``b^l`` at
  ``theta[b_off[l-1] : b_off[l-1] + out]``. Gradients and optimizer moments use the same
  layout, so an optimizer step is one loop over a vector. After b^L, each layer with batch
  normalization has a block of gamma^l, beta^l, running mean and running variance (n_l
  each), from ``extras[NORM, l]``: the optimizers update gamma and beta; the running
  statistics are state like the parameters (saved with them, copied with them to whatever
  draws), but no gradient reaches them (their entries of ``grad`` stay 0), so no optimizer
  moves them (Adam's step is 0 / (0 + eps) = 0).
* Per-layer values ``z^l``, ``a^l`` and ``delta^l`` of a batch of ``B`` points live in flat
  buffers, neuron-major and batch-minor: unit ``i`` of layer ``l`` for point ``j`` is at
  ``u_off[l]*B + i*B + j``. The batch is the contiguous innermost axis, so the inner loops
  run over points and LLVM vectorizes them; a batch of one point runs its loops over the
  units instead (then those are the contiguous axis).
* Inputs come transposed: ``Xt`` has shape (features, n).
* The number of output units C chooses the problem: C >= 2 classifies (softmax output,
  ``y`` holds class labels as whole floats; the loss is the layout's: cross-entropy
  -log y_hat[label], or the squared error 1/2 sum_c (y_hat_c - onehot_c)^2), C = 1 regresses
  (one linear output y_hat = z^L, loss L = mean of 1/2 (y_hat - t)^2, ``y`` holds the
  targets t).

A hidden layer l may add, in this order (rows of ``Layout.extras``; a network with none
of them, like every network before these existed, has None there and runs the plain loops):

* batch normalization (``extras[NORM, l]`` >= 0): z^l = W^l a^(l-1) + b^l becomes
  y^l = gamma^l zhat^l + beta^l, zhat^l = (z^l - mu) / sqrt(var + BN_EPS), with the batch's
  mean mu and (biased) variance var while training, which also move the running statistics
  r <- (1 - BN_MOMENTUM) r + BN_MOMENTUM stat (the variance's unbiased: var B / (B - 1)),
  and the running statistics when evaluating (predictions, losses, the boundary);
  the per-unit buffer ``z`` then holds y^l, the argument of phi;
* inverted dropout (``extras[DROP, l]`` = p > 0, only while training): h^l = phi(y^l) and
  a^l = keep^l * h^l, keep^l being 0 (probability p) or 1 / (1 - p) per unit and point,
  drawn from the network's own generator (``draw_keep``);
* a residual link (``extras[RES, l]`` = 1, widths n_l = n_(l-1)): a^l = ... + a^(l-1).

Those settings are rows of one array, and the buffers they need rows of one array of
``Work``, so the records stay a handful of arrays each.

A plain network's ``Layout.extras`` is None, and the kernels that branch on the extras take
them as an argument of their own (``extras``, the caller passes ``layout.extras``): numba
compiles a function for the types of its arguments and drops a branch on ``extras is None``
of an argument before it compiles anything, so a plain network's kernels hold none of the
deep layers' code (a record's field would not do: numba prunes only on arguments). They
compile in about half the time, and a deep network's kernels are another specialization,
compiled only when one is used.

The kernels take these as a few records (named tuples, which numba passes like arrays):
``Layout`` (the network's shape, built once by ``layout``), ``State`` (what training changes),
``Hyper`` (the training hyper-parameters), ``Data`` (points and labels) and ``Work`` (the
preallocated z, a, delta buffers of a batch, made by ``work``).

Every kernel that allocates no array compiles without numba's reference counting
(``_nrt=False``, numba's own option, not in its user guide): each array it touches belongs
to a caller that outlives the call, so the atomic increments and decrements numba would
wrap around every per-layer view (``units``, W^l, b^l) only cost time, and at batch 1 they
were most of a step (without them a [2, 8, 8, 2] step is 2.7x as fast). numba enforces the
rule: such a kernel cannot allocate, and returns no array it did not get (``units``
returns a view, so it is inlined into its callers). ``loss_and_grads`` allocates and
``predict_parallel`` runs threads: they keep it (tests/test_kernels.py checks that a
training run frees all it allocates). ``train_epochs`` gets its shuffle's buffer from its
caller for that: the whole training loop runs inside it.

numba links the whole code of every kernel a kernel calls into the caller's own module,
then optimizes and compiles that module again, so a kernel is compiled once for itself and
once more for every caller up its chain. So the steps that only ``train_epochs`` and
``loss_and_grads`` call (``output_delta``, ``backward``, ``update``, ``gather``,
``shuffle``, ``evaluate``) are inlined (``inline="always"``), and the mini-batch loop is
``train_epochs``' own rather than a kernel of its own: they compile as part of their
callers only, about a tenth less of a cold start's compile, and train as fast or faster.
numba's inliner copies a callee's IR block by block, each copy with the callee's whole
scope of variables, so inlining pays for small and middle-sized kernels only (the loop as
an inlined kernel compiled slower than as a kernel of its own). An inlined kernel's
branches on ``extras`` are pruned only for an argument of its caller, so its callers take
``extras`` too.

``fastmath`` is on without the no-NaN/no-Inf flags, so divergence checks still work, and
without approximate reciprocals, so 3 / 5 is exactly 0.6 (hot loops multiply by 1 / x).
"""
import math
from typing import NamedTuple

import numpy as np
from llvmlite import ir
from numba import njit, prange, types
from numba.core.extending import intrinsic

from .config import (ACTIVATIONS, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, BN_EPS, BN_MOMENTUM,
                     DIVERGED_WEIGHT, LEAKY_SLOPE, LOSSES, MOMENTUM, OPTIMIZERS)

FAST = {"nsz", "contract", "afn", "reassoc"}

#: The code the kernels branch on for each activation and optimizer: its position in
#: config's table (the only place names become codes).
ACTIVATION_CODE = {name: code for code, name in enumerate(ACTIVATIONS)}
OPTIMIZER_CODE = {name: code for code, name in enumerate(OPTIMIZERS)}
RELU, LEAKY_RELU, TANH, SIGMOID, GELU, LINEAR = (ACTIVATION_CODE[name] for name in (
    "relu", "leaky_relu", "tanh", "sigmoid", "gelu", "linear"))
SGD, MOMENTUM_SGD, ADAM = (OPTIMIZER_CODE[name] for name in ("sgd", "momentum", "adam"))
LOSS_CODE = {name: code for code, name in enumerate(LOSSES)}
SQUARED = LOSS_CODE["squared"]

#: Rows of ``Layout.extras``, per layer l: where its batch normalization block starts in
#: theta (-1: none; an offset held as a float, exactly), its dropout rate, 1.0 for a
#: residual link.
NORM, DROP, RES = 0, 1, 2
#: Rows of ``Work.extras`` (empty without deep layers), per-unit buffers in the batch-minor
#: layout: batch normalization's zhat, h = phi(y), dL/da of a residual layer, the dropout
#: scales; and 1 / sqrt(var + eps) per unit (at u_off[l] + i).
ZHAT, H, DA, KEEP, INV_STD = range(5)

# 0 as an int64, not the literal 0: numba compiles a kernel called with a literal argument
# once more just for that literal (a second ``predict`` cost ~0.7 s of every cold start)
ZERO = np.int64(0)
_SQRT1_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_LOG2E = 1.4426950408889634
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10   # ln 2 = HI + LO
_EXP_TAYLOR = tuple(1.0 / math.factorial(n) for n in range(13, -1, -1))       # 1/13! ... 1/0!
_TANH_TAYLOR = (21844 / 6081075, -1382 / 155925, 62 / 2835, -17 / 315, 2 / 15, -1 / 3, 1.0)


class Layout(NamedTuple):
    """Where a network's numbers live, as int64 arrays (see the module docstring); made by
    ``layout``. ``sizes[l]`` units in layer l = 0..L; ``w_off``, ``b_off`` the starts of W^l
    and b^l in theta at [l-1]; ``u_off`` the running count of units, so layer l's block of a
    per-unit buffer is [u_off[l]*B, u_off[l+1]*B); ``act[l]`` the activation code of layer l
    (LINEAR for the input and output layers: the output's z^L goes to the softmax, or is
    y_hat itself for regression); ``loss`` the code of a classifier's loss; ``extras`` the
    rows NORM, DROP and RES of every layer (none for the input and output layers), or None
    for a plain network (``is_plain``)."""
    sizes: np.ndarray
    w_off: np.ndarray
    b_off: np.ndarray
    u_off: np.ndarray
    act: np.ndarray
    loss: int
    extras: np.ndarray | None


class State(NamedTuple):
    """What training changes, in place: the parameters ``theta``, their gradient ``grad``,
    the optimizer's moments ``m`` and ``v`` (momentum keeps its velocity in ``v``),
    ``step_counts`` ([0] optimizer steps since the weights were reset, [1] since the
    optimizer's state was: Adam's adam_t), the generator ``rng`` (one uint64) of the shuffles
    and dropout masks, and ``grad_norms``, mean |dL/dW^l| per weight layer summed over steps
    (the gradient meter)."""
    theta: np.ndarray
    grad: np.ndarray
    m: np.ndarray
    v: np.ndarray
    step_counts: np.ndarray
    rng: np.ndarray
    grad_norms: np.ndarray


class Hyper(NamedTuple):
    """Training hyper-parameters: the optimizer's code, the learning rate ``eta``, the
    penalties ``l1`` and ``l2`` and the number of points of a mini-batch."""
    optimizer: int
    eta: float
    l1: float
    l2: float
    batch: int


class Data(NamedTuple):
    """Points, transposed (``Xt``: features x n), and their labels or targets ``y`` (n
    floats, or none for unlabelled points)."""
    Xt: np.ndarray
    y: np.ndarray


class Work(NamedTuple):
    """Preallocated buffers for batches of up to B = len(labels) points: z, a and delta of
    every layer (in the batch-minor layout), the batch's labels, and ``extras``, the rows
    ZHAT, H, DA, KEEP and INV_STD (with no columns for a network without deep layers)."""
    z: np.ndarray
    a: np.ndarray
    delta: np.ndarray
    labels: np.ndarray
    extras: np.ndarray


def make_layout(sizes, arch, loss="cross-entropy"):
    """The ``Layout`` of a network of layer sizes ``sizes`` trained on ``loss``
    (config.LOSSES) whose hidden layers are ``arch``: a name of config.ACTIVATIONS (every
    hidden layer applies it, nothing else) or a ``reference.Arch`` (per hidden layer
    activation, batch normalization, dropout rate, residual link)."""
    sizes = np.array(sizes, dtype=np.int64)
    weights = sizes[1:] * sizes[:-1]
    w_off = np.concatenate([[0], np.cumsum(weights + sizes[1:])[:-1]]).astype(np.int64)
    u_off = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    act = np.full(len(sizes), LINEAR, dtype=np.int64)
    extras = _no_extras(len(sizes))
    b_off = w_off + weights
    if isinstance(arch, str):
        act[1:-1] = ACTIVATION_CODE[arch]
    elif len(sizes) > 2:
        act[1:-1] = [ACTIVATION_CODE[name] for name in arch.act]
        blocks = 4 * sizes[1:-1] * np.array(arch.bn)       # gamma, beta, mean, var
        starts = b_off[-1] + sizes[-1] + np.concatenate([[0], np.cumsum(blocks)[:-1]])
        extras[NORM, 1:-1] = np.where(arch.bn, starts, -1)
        extras[DROP, 1:-1], extras[RES, 1:-1] = arch.drop, arch.res
    plain = (extras[NORM] < 0).all() and not extras[DROP:].any()
    return Layout(sizes, w_off, b_off, u_off, act, LOSS_CODE[loss], None if plain else extras)


def _no_extras(layers):
    """The rows NORM, DROP and RES of ``layers`` layers without any of them."""
    extras = np.zeros((3, layers))
    extras[NORM] = -1.0
    return extras


def extras_of(layout):
    """The rows NORM, DROP and RES of every layer, also for a plain network."""
    return _no_extras(len(layout.sizes)) if is_plain(layout) else layout.extras


def parameter_count(layout):
    """The length of theta: every W^l and b^l, then the batch normalization blocks."""
    return int(layout.b_off[-1] + layout.sizes[-1]
               + 4 * (layout.sizes * (extras_of(layout)[NORM] >= 0)).sum())


def is_plain(layout):
    """Whether no layer has batch normalization, dropout or a residual link: then the
    layout's ``extras`` is None, and the kernels compile without the deep layers' code."""
    return layout.extras is None


def make_work(layout, B):
    """Fresh ``Work`` buffers for batches of up to B points."""
    units = int(layout.u_off[-1])
    return Work(np.empty(units * B), np.empty(units * B), np.empty(units * B), np.empty(B),
                np.zeros((5, 0 if is_plain(layout) else units * B)))


@intrinsic
def _float_from_bits(typingctx, bits):
    """The float64 whose IEEE-754 bit pattern is the int64 ``bits`` (an LLVM bitcast)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True, fastmath=FAST, inline="always", _nrt=False)
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


@njit(cache=True, fastmath=FAST, inline="always", _nrt=False)
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


@njit(cache=True, fastmath=FAST, _nrt=False)
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


@njit(cache=True, fastmath=FAST, _nrt=False)
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


@njit(cache=True, inline="always", _nrt=False)
def units(buf, u_off, B, l):
    """The block of layer l in a per-unit buffer (z, a or delta): n_l * B values.

    Kernels index these per-layer views from 0, so LLVM can prove every index is
    non-negative; an offset added inside a hot loop would make numba check each index for
    wraparound and stop the loop from vectorizing (measured: 5x slower).
    """
    return buf[u_off[l] * B:u_off[l + 1] * B]


@njit(cache=True, fastmath=FAST, inline="always", _nrt=False)
def affine(theta, layout, B, z, a, l):
    """z^l = W^l a^(l-1) + b^l for B points."""
    sizes, w_off, b_off, u_off = layout.sizes, layout.w_off, layout.b_off, layout.u_off
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


@njit(cache=True, fastmath=FAST, _nrt=False)
def add_residual(layout, B, a, l):
    """a^l += a^(l-1) (layer l's residual link; the widths match)."""
    a_out, a_in = units(a, layout.u_off, B, l), units(a, layout.u_off, B, l - 1)
    for k in range(a_out.shape[0]):
        a_out[k] += a_in[k]


@njit(cache=True, fastmath=FAST, _nrt=False)
def normalize_running(theta, layout, B, z, l):
    """Batch normalization when evaluating: z^l <- gamma (z^l - r_mean) / sqrt(r_var + eps)
    + beta per unit, with the running statistics."""
    n, g = layout.sizes[l], np.int64(layout.extras[NORM, l])
    z_l = units(z, layout.u_off, B, l)
    for i in range(n):
        scale = theta[g + i] / math.sqrt(theta[g + 3 * n + i] + BN_EPS)
        shift = theta[g + n + i] - scale * theta[g + 2 * n + i]
        for j in range(B):
            z_l[i * B + j] = scale * z_l[i * B + j] + shift


# inlined: a call per layer cost small nets 10%
@njit(cache=True, fastmath=FAST, inline="always", _nrt=False)
def layer_forward(theta, layout, extras, B, z, a, l):
    """Layer l of the forward pass for B points when evaluating: z^l = W^l a^(l-1) + b^l
    (``affine``); for a hidden layer then batch normalization with the running statistics
    (``normalize_running``), a^l = phi(z^l) and the residual link a^l += a^(l-1) where the
    layer has them (no dropout). The output layer keeps only its logits z^L."""
    affine(theta, layout, B, z, a, l)
    if l < layout.sizes.shape[0] - 1:
        if extras is not None and extras[NORM, l] >= 0.0:
            normalize_running(theta, layout, B, z, l)
        activate(layout.act[l], units(z, layout.u_off, B, l), units(a, layout.u_off, B, l))
        if extras is not None and extras[RES, l]:
            add_residual(layout, B, a, l)


@njit(cache=True, fastmath=FAST, _nrt=False)
def forward(theta, layout, extras, B, z, a, last):
    """Forward pass of B points, evaluating, whose inputs are already in layer 0 of ``a``:
    ``layer_forward`` for l = 1..last; the softmax of z^L is taken by the caller."""
    for l in range(1, last + 1):
        layer_forward(theta, layout, extras, B, z, a, l)


@njit(cache=True, fastmath=FAST, _nrt=False)
def normalize_batch(state, layout, B, work, l):
    """Batch normalization while training, per unit i of layer l over the B points:
    mu = mean z, var = mean (z - mu)^2, inv_std = 1 / sqrt(var + eps) (kept in
    row INV_STD of ``work.extras``), zhat = (z - mu) inv_std (kept in row ZHAT), z <- y =
    gamma zhat + beta; the running mean and variance move towards mu and var B / (B - 1)
    (var for B = 1) by BN_MOMENTUM."""
    n, g = layout.sizes[l], np.int64(layout.extras[NORM, l])
    r = g + 2 * n
    theta = state.theta
    z_l, zhat = units(work.z, layout.u_off, B, l), units(work.extras[ZHAT], layout.u_off, B, l)
    inv_std = work.extras[INV_STD, layout.u_off[l]:layout.u_off[l + 1]]
    inv_B = 1.0 / B
    for i in range(n):
        mu = 0.0
        for j in range(B):
            mu += z_l[i * B + j]
        mu *= inv_B
        var = 0.0
        for j in range(B):
            var += (z_l[i * B + j] - mu) * (z_l[i * B + j] - mu)
        var *= inv_B
        inv_std[i] = 1.0 / math.sqrt(var + BN_EPS)
        for j in range(B):
            zhat[i * B + j] = (z_l[i * B + j] - mu) * inv_std[i]
            z_l[i * B + j] = theta[g + i] * zhat[i * B + j] + theta[g + n + i]
        theta[r + i] += BN_MOMENTUM * (mu - theta[r + i])
        unbiased = var * B / (B - 1) if B > 1 else var
        theta[r + n + i] += BN_MOMENTUM * (unbiased - theta[r + n + i])


@njit(cache=True, fastmath=FAST, _nrt=False)
def train_forward(state, layout, extras, B, work):
    """Forward pass of B points while training (inputs already in layer 0 of ``work.a``):
    a layer with batch normalization, dropout or a residual link computes z^l = W^l a^(l-1)
    + b^l, y^l = gamma zhat + beta with the batch's statistics (``normalize_batch``),
    h^l = phi(y^l), a^l = keep^l * h^l (dropout) + a^(l-1) (residual); any other layer is
    the same as when evaluating (``layer_forward``), and so is a plain network (``forward``:
    its one copy of the layers' code compiles once; ``train_epochs`` calls it itself, which
    spares compiling this function for a plain network)."""
    u_off, L = layout.u_off, layout.sizes.shape[0] - 1
    if extras is None:
        forward(state.theta, layout, extras, B, work.z, work.a, L)
        return
    for l in range(1, L + 1):
        if l == L or not (extras[NORM, l] >= 0.0 or extras[DROP, l] > 0.0 or extras[RES, l]):
            layer_forward(state.theta, layout, extras, B, work.z, work.a, l)
            continue
        normalized, dropped, linked = extras[NORM, l] >= 0.0, extras[DROP, l] > 0.0, extras[RES, l]
        affine(state.theta, layout, B, work.z, work.a, l)
        if normalized:
            normalize_batch(state, layout, B, work, l)
        a_l = units(work.a, u_off, B, l)
        if not (dropped or linked):
            activate(layout.act[l], units(work.z, u_off, B, l), a_l)
            continue
        h = units(work.extras[H], u_off, B, l)
        activate(layout.act[l], units(work.z, u_off, B, l), h)
        if dropped:
            keep = units(work.extras[KEEP], u_off, B, l)
            for k in range(h.shape[0]):
                a_l[k] = keep[k] * h[k]
        else:
            for k in range(h.shape[0]):
                a_l[k] = h[k]
        if linked:
            add_residual(layout, B, work.a, l)


@njit(cache=True, fastmath=FAST, _nrt=False)
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


@njit(cache=True, fastmath=FAST, inline="always", _nrt=False)
def squared_error(a_out, C, B, j, label):
    """1/2 sum_c (y_hat_c - onehot(label)_c)^2 of point j, y_hat in ``a_out``."""
    total = 0.0
    for c in range(C):
        e = a_out[c * B + j] - (1.0 if label == c else 0.0)
        total += 0.5 * e * e
    return total


@njit(cache=True, fastmath=FAST, _nrt=False, inline="always")
def output_delta(layout, work, B, exact):
    """Regression (C = 1): y_hat = z^L, delta^L = (y_hat - t) / B with the targets t in
    ``work.labels``; returns the summed squared error sum_j 1/2 (y_hat_j - t_j)^2.

    Classification: y_hat = softmax(z^L), delta^L = (y_hat - onehot(labels)) / B; returns
    the summed cross-entropy -sum_j log y_hat[labels_j]
    = sum_j (m_j + log sum_c exp(z^L_cj - m_j) - z^L_(labels_j)j), m_j the largest logit, so
    it never takes log 0. Not ``exact``: the log term (>= 0) is left out,
    which keeps what training needs of the loss, that it is finite, at a fraction of the cost.

    Each loop runs over the points, so it vectorizes; delta^L's own block holds m_j and the
    sum s_j of exp(z - m_j) until the deltas overwrite them. A classifier on the squared
    error (the layout's loss) then takes its deltas from the same y_hat
    (``squared_error_delta``).
    """
    L = layout.sizes.shape[0] - 1
    C = layout.sizes[L]
    labels = work.labels
    z_out, a_out = units(work.z, layout.u_off, B, L), units(work.a, layout.u_off, B, L)
    d_out = units(work.delta, layout.u_off, B, L)
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
        if layout.loss == SQUARED:
            return squared_error_delta(a_out, d_out, labels, C, B)
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
    if layout.loss == SQUARED:
        return squared_error_delta(a_out, d_out, labels, C, B)
    for c in range(C):
        for j in range(B):
            d_out[c * B + j] = (a_out[c * B + j] - (1.0 if labels[j] == c else 0.0)) * inv_B
    return loss


@njit(cache=True, fastmath=FAST, _nrt=False, inline="always")
def squared_error_delta(a_out, d_out, labels, C, B):
    """A classifier on the squared error, from y_hat = softmax(z^L) in ``a_out``:
    e = y_hat - onehot(label), L_j = 1/2 sum_c e_c^2; through the softmax's Jacobian
    diag(y_hat) - y_hat y_hat^T, delta^L_c = y_hat_c (e_c - sum_k y_hat_k e_k) / B: it
    fades as y_hat saturates, right or wrong. Returns the summed loss."""
    inv_B = 1.0 / B
    loss = 0.0
    for j in range(B):
        along = 0.0                                  # sum_k y_hat_k e_k
        for c in range(C):
            e = a_out[c * B + j] - (1.0 if labels[j] == c else 0.0)
            along += a_out[c * B + j] * e
            loss += 0.5 * e * e
        for c in range(C):
            e = a_out[c * B + j] - (1.0 if labels[j] == c else 0.0)
            d_out[c * B + j] = a_out[c * B + j] * (e - along) * inv_B
    return loss


@njit(cache=True, fastmath=FAST, _nrt=False)
def normalize_backward(state, layout, B, work, l):
    """Batch normalization's backward pass at layer l: from dy = dL/dy^l in layer l's block
    of ``work.delta``, per unit dL/dbeta = sum_j dy, dL/dgamma = sum_j dy zhat (into
    ``state.grad``), and delta^l = dL/dz^l = gamma inv_std (dy - dL/dbeta / B
    - zhat dL/dgamma / B) in its place."""
    n, g = layout.sizes[l], np.int64(layout.extras[NORM, l])
    d, zhat = units(work.delta, layout.u_off, B, l), units(work.extras[ZHAT], layout.u_off, B, l)
    inv_std = work.extras[INV_STD, layout.u_off[l]:layout.u_off[l + 1]]
    inv_B = 1.0 / B
    for i in range(n):
        d_beta, d_gamma = 0.0, 0.0
        for j in range(B):
            d_beta += d[i * B + j]
            d_gamma += d[i * B + j] * zhat[i * B + j]
        state.grad[g + i], state.grad[g + n + i] = d_gamma, d_beta
        scale = state.theta[g + i] * inv_std[i]
        for j in range(B):
            d[i * B + j] = scale * (d[i * B + j] - d_beta * inv_B - zhat[i * B + j] * d_gamma * inv_B)


@njit(cache=True, fastmath=FAST, _nrt=False)
def deep_backward(state, layout, B, work, l):
    """From dL/da^(l-1) = (W^l)^T delta^l in layer l-1's block of ``work.delta``, the rest
    of delta^(l-1) where layer l has a residual link or layer k = l-1 has any deep
    extra: + dL/da^l (residual link of l, saved in row DA), saved in row DA if k has a
    residual link, * keep^k (dropout), * phi'(y^k) (with h^k = phi(y^k) in row H where
    a^k is not phi(y^k)), then ``normalize_backward`` if k normalizes."""
    u_off, extras, k = layout.u_off, layout.extras, l - 1
    d_in = units(work.delta, u_off, B, k)
    if extras[RES, l]:
        da = units(work.extras[DA], u_off, B, l)
        for p in range(d_in.shape[0]):
            d_in[p] += da[p]
    if extras[RES, k]:
        da = units(work.extras[DA], u_off, B, k)
        for p in range(d_in.shape[0]):
            da[p] = d_in[p]
    dropped = extras[DROP, k] > 0.0
    if dropped:
        keep = units(work.extras[KEEP], u_off, B, k)
        for p in range(d_in.shape[0]):
            d_in[p] *= keep[p]
    h = units(work.extras[H], u_off, B, k) if dropped or extras[RES, k] else \
        units(work.a, u_off, B, k)
    scale_by_activation_grad(layout.act[k], units(work.z, u_off, B, k), h, d_in)
    if extras[NORM, k] >= 0.0:
        normalize_backward(state, layout, B, work, k)


@njit(cache=True, fastmath=FAST, _nrt=False, inline="always")
def backward(state, layout, extras, l1, l2, B, work):
    """Backward pass from delta^L (already in ``work.delta``), writing all gradients.

    For l = L..1:  dL/dW^l = delta^l (a^(l-1))^T + l2 W^l + l1 sign(W^l),
                   dL/db^l = sum over the batch of delta^l, or exactly 0 where layer l
                             normalizes (its batch mean cancels b^l; the sum would be
                             rounding noise, which Adam would blow up into eta-sized steps),
                   dL/da^(l-1) = (W^l)^T delta^l (+ dL/da^l if layer l has a residual link),
                   delta^(l-1) = dL/da^(l-1) (* keep^(l-1) with dropout) * phi'(y^(l-1)),
                   then through batch normalization (``normalize_backward``) if l-1 has it.
    grad_norms[l-1] += mean |dL/dW^l| (summed over steps for the gradient meter; the
    caller zeroes it and divides by the number of steps).
    """
    theta, grad, grad_norms = state.theta, state.grad, state.grad_norms
    sizes, w_off, b_off, u_off = layout.sizes, layout.w_off, layout.b_off, layout.u_off
    L = sizes.shape[0] - 1
    for l in range(L, 0, -1):
        n_in, n_out = sizes[l - 1], sizes[l]
        W = theta[w_off[l - 1]:w_off[l - 1] + n_out * n_in]
        gW = grad[w_off[l - 1]:w_off[l - 1] + n_out * n_in]
        gb = grad[b_off[l - 1]:b_off[l - 1] + n_out]
        a_in, d_out = units(work.a, u_off, B, l - 1), units(work.delta, u_off, B, l)
        normalized = extras is not None and extras[NORM, l] >= 0.0
        for o in range(n_out):
            s = 0.0
            for j in range(B):
                s += d_out[o * B + j]
            gb[o] = 0.0 if normalized else s
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
            d_in = units(work.delta, u_off, B, l - 1)
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
            k = l - 1
            if extras is not None and (extras[RES, l] or extras[NORM, k] >= 0.0
                                       or extras[DROP, k] > 0.0 or extras[RES, k]):
                deep_backward(state, layout, B, work, l)
            else:
                scale_by_activation_grad(layout.act[k], units(work.z, u_off, B, k), a_in, d_in)


@njit(cache=True, fastmath=FAST, _nrt=False, inline="always")
def update(state, optimizer, eta):
    """One optimizer step on ``state.theta`` from ``state.grad`` (PyTorch's conventions);
    adam_t = state.step_counts[1] = 1, 2, ... counts Adam's steps since its state was reset:

    sgd:      W <- W - eta g
    momentum: v <- mu v + g;  W <- W - eta v
    adam:     m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
              W <- W - eta (m / (1-b1^adam_t)) / (sqrt(v / (1-b2^adam_t)) + eps)
    """
    theta, grad, m, v = state.theta, state.grad, state.m, state.v
    if optimizer == SGD:
        for k in range(theta.shape[0]):
            theta[k] -= eta * grad[k]
    elif optimizer == MOMENTUM_SGD:
        for k in range(theta.shape[0]):
            v[k] = MOMENTUM * v[k] + grad[k]
            theta[k] -= eta * v[k]
    else:
        adam_t = state.step_counts[1]
        eta_bc1 = eta / (1.0 - ADAM_BETA1 ** adam_t)
        root_bc2 = math.sqrt(1.0 - ADAM_BETA2 ** adam_t)
        for k in range(theta.shape[0]):
            g = grad[k]
            m[k] = ADAM_BETA1 * m[k] + (1.0 - ADAM_BETA1) * g
            v[k] = ADAM_BETA2 * v[k] + (1.0 - ADAM_BETA2) * g * g
            theta[k] -= eta_bc1 * m[k] / (math.sqrt(v[k]) / root_bc2 + ADAM_EPS)


@njit(cache=True, _nrt=False)
def next_random(rng):
    """splitmix64: advance the 1-element uint64 state and return a 64-bit random number."""
    rng[0] += np.uint64(0x9E3779B97F4A7C15)
    x = rng[0]
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True, _nrt=False, inline="always")
def shuffle(order, rng):
    """order = a random permutation of 0..n-1 (Fisher-Yates: for i = n-1..1 swap order[i]
    with order[next_random() mod (i+1)]), driven by the network's own seeded state; it
    starts from 0..n-1, so the result depends on the state alone."""
    for i in range(order.shape[0]):
        order[i] = i
    for i in range(order.shape[0] - 1, 0, -1):
        k = np.int64(next_random(rng) % np.uint64(i + 1))
        order[i], order[k] = order[k], order[i]


@njit(cache=True, _nrt=False)
def draw_keep(layout, extras, B, work, rng):
    """Dropout masks of a batch of B points into row KEEP of ``work.extras``: for each
    layer l with a rate p > 0, unit by unit and point by point, 0 if u < p else
    1 / (1 - p), u = the top 53 bits of ``next_random`` as a fraction in [0, 1). Nothing
    for a plain network."""
    if extras is None:
        return
    for l in range(1, layout.sizes.shape[0] - 1):
        p = extras[DROP, l]
        if p > 0.0:
            keep = units(work.extras[KEEP], layout.u_off, B, l)
            scale = 1.0 / (1.0 - p)
            for k in range(keep.shape[0]):
                u = np.float64(next_random(rng) >> np.uint64(11)) * 2.0 ** -53
                keep[k] = 0.0 if u < p else scale


@njit(cache=True, _nrt=False, inline="always")
def gather(data, order, start, B, work):
    """a^0 = the inputs of points order[start:start+B] (layer 0 of ``work.a``), and their
    labels into ``work.labels``."""
    Xt, a = data.Xt, work.a
    for j in range(B):
        p = order[start + j]
        work.labels[j] = data.y[p]
        for f in range(Xt.shape[0]):
            a[f * B + j] = Xt[f, p]


@njit(cache=True, fastmath=FAST)
def loss_and_grads(state, layout, extras, l1, l2, data, work, draw):
    """Mean loss (cross-entropy, or 1/2 squared error) of all n points (without the
    regularization term) and its gradient (with the regularization gradient) in
    ``state.grad``: one training batch of all n points (``work`` holds n), with dropout
    masks drawn from ``state.rng`` if ``draw``, else those already in row KEEP of
    ``work.extras``."""
    n = data.Xt.shape[1]
    order = np.arange(n)
    gather(data, order, 0, n, work)
    if draw:
        draw_keep(layout, extras, n, work, state.rng)
    train_forward(state, layout, extras, n, work)
    loss = output_delta(layout, work, n, True)
    backward(state, layout, extras, l1, l2, n, work)
    return loss / n


@njit(cache=True, fastmath=FAST, nogil=True, _nrt=False)   # drawing, beside the training thread
def predict(theta, layout, data, proba, z, a, chunk, lo, hi):
    """Forward passes (evaluating) over points lo..hi-1 in chunks of ``chunk`` points:
    y_hat = softmax(z^L) (or y_hat = z^L for C = 1).

    Writes y_hat into ``proba`` when it has a row per point (pass 0 rows to skip) and, when
    ``data.y`` has a label per point, returns the summed loss (cross-entropy -sum log
    y_hat[label], or the layout's squared error) and the number of correct argmax predictions, or for regression (C = 1)
    the summed 1/2 (y_hat - t)^2 and the summed absolute error |y_hat - t| (else 0, 0).
    """
    Xt, y = data.Xt, data.y
    n = Xt.shape[1]
    L = layout.sizes.shape[0] - 1
    C = layout.sizes[L]
    labelled = y.shape[0] == n
    keep = proba.shape[0] == n
    loss = 0.0
    score = 0.0
    for start in range(lo, hi, chunk):
        B = min(chunk, hi - start)
        for f in range(Xt.shape[0]):
            for j in range(B):
                a[f * B + j] = Xt[f, start + j]
        forward(theta, layout, layout.extras, B, z, a, L)
        z_out, a_out = units(z, layout.u_off, B, L), units(a, layout.u_off, B, L)
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
                if layout.loss == SQUARED:
                    loss += squared_error(a_out, C, B, j, y[start + j])
                else:
                    loss += log_sum - z_out[np.int64(y[start + j]) * B + j]
                score += best == y[start + j]
    return loss, score


@njit(cache=True, fastmath=FAST, parallel=True)
def predict_parallel(theta, layout, data, proba, z, a, chunk):
    """``predict`` of all points (no labels) into ``proba``, split evenly over the threads:
    thread k takes the k-th share of the points and works in its own buffers z[k], a[k]."""
    n = data.Xt.shape[1]
    threads = z.shape[0]
    share = (n + threads - 1) // threads
    for thread in prange(threads):
        predict(theta, layout, data, proba, z[thread], a[thread], chunk,
                min(thread * share, n), min((thread + 1) * share, n))


@njit(cache=True, fastmath=FAST, nogil=True, _nrt=False)   # drawing, beside the training thread
def activations(theta, layout, Xt, last, z, a):
    """All activations a^0 .. a^last of n points in one pass, evaluating (a^0 = x, a^l =
    phi(W^l a^(l-1) + b^l) and the layer's normalization and residual link, a^L = softmax(z^L) as class probabilities, or the regression output y_hat =
    z^L) into ``a`` in the batch-minor layout with B = n: unit i of layer l for point j is
    a[u_off[l]*n + i*n + j]."""
    n = Xt.shape[1]
    for f in range(Xt.shape[0]):
        for j in range(n):
            a[f * n + j] = Xt[f, j]
    forward(theta, layout, layout.extras, n, z, a, last)
    L = layout.sizes.shape[0] - 1
    C = layout.sizes[L]
    if last == L:
        z_out, a_out = units(z, layout.u_off, n, L), units(a, layout.u_off, n, L)
        for j in range(n):
            if C == 1:
                a_out[j] = z_out[j]
            else:
                softmax(z_out, a_out, C, n, j)


@njit(cache=True, fastmath=FAST, _nrt=False)
def regularization(theta, layout, l1, l2):
    """l1 sum|W| + l2/2 sum W^2 over all weight matrices (biases are not regularized)."""
    total = 0.0
    if l1 == 0.0 and l2 == 0.0:
        return total
    sizes = layout.sizes
    for l in range(sizes.shape[0] - 1):
        for k in range(layout.w_off[l], layout.w_off[l] + sizes[l] * sizes[l + 1]):
            total += l1 * abs(theta[k]) + 0.5 * l2 * theta[k] * theta[k]
    return total


@njit(cache=True, fastmath=FAST, inline="always", _nrt=False)
def evaluate(theta, layout, l1, l2, data, work):
    """(mean loss + regularization, accuracy) over labelled points: (-1/n sum log
    y_hat[label] + regularization, fraction of argmax predictions equal to the label); for
    regression (1/n sum 1/2 (y_hat - t)^2 + regularization, 1/n sum |y_hat - t|); NaN for
    none. Forward passes in chunks of ``work``'s batch size.

    Inlined into ``train_epochs``. Called from Python (``Network.evaluate``), its body runs
    as Python around its two kernels (``evaluate.py_func``): compiled on its own it would
    be one more module holding all of ``predict``'s code, to compile on every cold start."""
    n = data.Xt.shape[1]
    if n == 0:
        return np.nan, np.nan
    # proba: a slice with no rows, so predict keeps no y_hat (and nothing is allocated)
    loss, score = predict(theta, layout, data, work.extras[:0], work.z, work.a,
                          work.labels.shape[0], ZERO, n)
    return loss / n + regularization(theta, layout, l1, l2), score / n


@njit(cache=True, fastmath=FAST, nogil=True, _nrt=False)   # the app trains on a second thread
def train_epochs(state, layout, extras, hyper, train, test, epochs, work, eval_work, history,
                 order):
    """Run ``epochs`` epochs of mini-batch steps. Each epoch takes a fresh permutation of the
    ``train`` points from ``shuffle`` (advancing ``state.rng``) into ``order``, then steps
    over them, the last short batch included: for each batch of B points (``work`` holds a
    batch), dropout masks where a layer has dropout (``draw_keep``), the training forward
    pass, delta^L = dL/dz^L (``output_delta``), ``backward``, then an ``update`` with
    learning rate eta.

    When ``history`` has a row per epoch, row e receives (train loss, train accuracy, test
    loss, test accuracy; for regression mean absolute errors in place of accuracies) after
    epoch e (see ``evaluate``, in chunks of ``eval_work``; NaN for an empty ``test`` set).
    Returns the number of epochs completed; fewer than asked means the run diverged (a
    batch's loss not finite, or a weight beyond DIVERGED_WEIGHT).
    """
    theta, n, L = state.theta, order.shape[0], layout.sizes.shape[0] - 1
    record = history.shape[0] >= epochs
    for e in range(epochs):
        shuffle(order, state.rng)
        for start in range(0, n, hyper.batch):
            B = min(hyper.batch, n - start)
            gather(train, order, start, B, work)
            if extras is None:      # a plain network trains as it evaluates (see train_forward)
                forward(theta, layout, extras, B, work.z, work.a, L)
            else:
                draw_keep(layout, extras, B, work, state.rng)
                train_forward(state, layout, extras, B, work)
            if not math.isfinite(output_delta(layout, work, B, False)):
                return e
            backward(state, layout, extras, hyper.l1, hyper.l2, B, work)
            state.step_counts[0] += 1     # steps since the weights were reset
            state.step_counts[1] += 1     # steps since the optimizer's state was reset: adam_t
            update(state, hyper.optimizer, hyper.eta)
        for k in range(theta.shape[0]):
            if not abs(theta[k]) <= DIVERGED_WEIGHT:   # also true for NaN
                return e
        if record:
            history[e, 0], history[e, 1] = evaluate(theta, layout, hyper.l1, hyper.l2, train,
                                                    eval_work)
            history[e, 2], history[e, 3] = evaluate(theta, layout, hyper.l1, hyper.l2, test,
                                                    eval_work)
    return epochs
