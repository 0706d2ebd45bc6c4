"""The multi-layer perceptron: parameters, optimizer state and the calls into the kernels
(or, while the engine is NumPy, into their twins: see ``engine``)."""
import numba
import numpy as np

from . import engine, kernels, twins
from .config import (ACTIVATION_TABLE, INIT_TABLE, LOSS_TABLE, LOSSES, MAX_BATCH, MAX_CLASSES,
                     MAX_DROPOUT, MAX_HIDDEN_LAYERS, MAX_INPUTS, MAX_WIDTH, MIN_CLASSES,
                     OPTIMIZER_TABLE, choose)
from .reference import Arch

EVAL_CHUNK = 256         # points per forward pass when predicting
PARALLEL_POINTS = 2048   # predictions for at least this many points use every core
#: Batch sizes whose buffers are kept: a training batch, the evaluation chunk, and a couple
#: more; full-batch training on a growing set of points would otherwise keep one per size.
CACHED_BATCH_SIZES = 4


def check_sizes(sizes):
    """Layer sizes as a tuple of ints, or ValueError naming the limit that is broken."""
    sizes = tuple(int(s) for s in sizes)
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    hidden = sizes[1:-1]
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(hidden)}")
    if any(not 1 <= w <= MAX_WIDTH for w in hidden):
        raise ValueError(f"hidden layers have 1 to {MAX_WIDTH} neurons, not {list(hidden)}")
    if not 1 <= sizes[0] <= MAX_INPUTS:
        raise ValueError(f"1 to {MAX_INPUTS} input features, not {sizes[0]}")
    if sizes[-1] != 1 and not MIN_CLASSES <= sizes[-1] <= MAX_CLASSES:
        raise ValueError(f"1 output (regression) or {MIN_CLASSES} to {MAX_CLASSES} classes, "
                         f"not {sizes[-1]}")
    return sizes


def per_layer(value, sizes, what, check):
    """One value per hidden layer of a network of layer sizes ``sizes``, each passed
    through ``check``: ``value`` is one value for every layer, or a tuple (list) of one per
    layer; ValueError for a tuple of another length."""
    hidden = len(sizes) - 2
    if not isinstance(value, (tuple, list)):
        return (check(value),) * hidden
    if len(value) != hidden:
        raise ValueError(f"{what}: one per hidden layer ({hidden}), not {len(value)}")
    return tuple(check(v) for v in value)


def compact(value, values):
    """The shortest form of a per-layer setting given as ``value`` and read as ``values``
    (``per_layer``): one value where ``value`` is one or all of ``values`` agree, else
    ``values``."""
    if not values:
        return tuple(value) if isinstance(value, list) else value
    return values[0] if len(set(values)) == 1 else values


def _flag(value):
    if isinstance(value, (bool, np.bool_)) or value in (0, 1) and isinstance(value, (int, np.integer)):
        return bool(value)
    raise ValueError(f"expected true or false (1 or 0), not {value!r}")


def _rate(value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)) \
            or not 0.0 <= value <= MAX_DROPOUT:
        raise ValueError(f"a dropout rate is 0 to {MAX_DROPOUT:g}, not {value!r}")
    return float(value)


def residual_fits(sizes):
    """Per hidden layer, whether it can have a residual link: it is not the first and has
    the width of the hidden layer before it."""
    return tuple(l >= 2 and sizes[l] == sizes[l - 1] for l in range(1, len(sizes) - 1))


def architecture(sizes, activation, batch_norm=False, dropout=0.0, residual=False):
    """The ``reference.Arch`` (per hidden layer: activation, batch normalization, dropout
    rate, residual link) of a network of layer sizes ``sizes``, or ValueError with one line.
    Each setting is one value for every hidden layer or a tuple of one per layer; a single
    ``residual`` true links every layer that can have a link (``residual_fits``)."""
    fits = residual_fits(sizes)
    if isinstance(residual, (tuple, list)):
        res = per_layer(residual, sizes, "residual", _flag)
        bad = [l for l, (r, f) in enumerate(zip(res, fits), start=1) if r and not f]
        if bad:
            raise ValueError(f"hidden layer {bad[0]} cannot have a residual link: it needs a "
                             "hidden layer of its own width before it")
    else:
        flag = _flag(residual)
        res = tuple(flag and f for f in fits)
    return Arch(per_layer(activation, sizes, "activation",
                          lambda name: choose(name, ACTIVATION_TABLE, "activation").name),
                per_layer(batch_norm, sizes, "batch norm", _flag),
                per_layer(dropout, sizes, "dropout", _rate), res)


#: The keys of ``Network.state()``.
STATE_KEYS = ("theta", "m", "v", "steps", "optimizer_steps", "rng", "diverged")


def _whole(state, key, end):
    value = state[key]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 0 <= value < end:
        raise ValueError(f"{key} is out of range ({value!r}; a whole number from 0 to {end - 1})")
    return int(value)


class Network:
    """A multi-layer perceptron: z^l = W^l a^(l-1) + b^l, a^l = phi(z^l), softmax output,
    mean cross-entropy loss (or, ``loss`` "squared", mean 1/2 sum_c (y_hat_c - y_c)^2),
    trained by mini-batch SGD, momentum or Adam. With one output unit it regresses instead:
    y_hat = z^L, loss mean 1/2 (y_hat - t)^2.

    ``sizes`` counts every layer, input features first and classes last: [2, 8, 8, 2] has
    two hidden layers of 8; [2, 8, 1] is a regression network. ``l1`` and ``l2`` add l1 sum|W| + l2/2 sum W^2 to the loss.
    ``activation``, ``batch_norm``, ``dropout`` and ``residual`` are one value for every
    hidden layer or one per layer (see ``architecture`` and the kernels' module docstring);
    ``init`` is a weight initialization of config.INIT_TABLE.
    Training state (weights, optimizer moments, shuffle order, dropout masks) is seeded by
    ``seed``.
    """

    def __init__(self, sizes, activation="tanh", seed=0, optimizer="sgd", l1=0.0, l2=0.0,
                 loss="cross-entropy", batch_norm=False, dropout=0.0, residual=False,
                 init="auto"):
        self.sizes = check_sizes(sizes)
        #: per hidden layer: activation, batch normalization, dropout rate, residual link
        self.arch = architecture(self.sizes, activation, batch_norm, dropout, residual)
        #: the hidden layers' activation: a name when they agree, else one per layer
        self.activation = compact(activation, self.arch.act)
        self.init = choose(init, INIT_TABLE, "init").name
        self.optimizer = choose(optimizer, OPTIMIZER_TABLE, "optimizer").name
        self.l1, self.l2 = float(l1), float(l2)
        self._layout = kernels.make_layout(self.sizes, self.arch,
                                           choose(loss, LOSS_TABLE, "loss").name)
        self.theta = np.zeros(kernels.parameter_count(self._layout))
        self.grad = np.zeros_like(self.theta)
        self._m = np.zeros_like(self.theta)
        self._v = np.zeros_like(self.theta)
        #: [0] optimizer steps since the weights were reset, [1] since the optimizer's own
        #: state was (adam_t in Adam's bias correction)
        self._step_counts = np.zeros(2, dtype=np.int64)
        self._rng = np.zeros(1, dtype=np.uint64)
        #: mean |dL/dW^l| per weight layer, averaged over the steps of the last training call
        #: (or of the last ``loss_and_grads``): the gradient meter
        self.grad_norms = np.zeros(len(self.sizes) - 1)
        #: the same arrays as one record, for the kernels
        self._state = kernels.State(self.theta, self.grad, self._m, self._v, self._step_counts,
                                    self._rng, self.grad_norms)
        self._buffers = {}          # batch size -> work buffers, least recently used first
        self._thread_buffers = {}   # (number of threads, dtype) -> prediction buffers
        self.reset(seed)

    @property
    def n_classes(self):
        return self.sizes[-1]

    @property
    def plain(self):
        """Whether no hidden layer has batch normalization, dropout or a residual link."""
        return kernels.is_plain(self._layout)

    def _kernels(self):
        """The kernels, or their NumPy twins (the same signatures), as the engine says for
        a network like this one (plain or with deep layers)."""
        return engine.pick(kernels, twins, deep=not self.plain)

    @property
    def loss(self):
        """A classifier's loss: "cross-entropy" or "squared" (1/2 sum_c (y_hat_c - y_c)^2,
        on the softmax); setting it keeps the weights."""
        return LOSSES[self._layout.loss]

    @loss.setter
    def loss(self, name):
        self._layout = self._layout._replace(loss=kernels.LOSS_CODE[choose(name, LOSS_TABLE, "loss").name])

    @property
    def regression(self):
        """Whether this network regresses (one linear output, squared error)."""
        return self.sizes[-1] == 1

    def copy(self):
        """A new network with the same architecture and weights, batch normalization's running
        statistics included (and no training state)."""
        twin = Network(self.sizes, self.arch.act, 0, self.optimizer, self.l1, self.l2, self.loss,
                       self.arch.bn, self.arch.drop, self.arch.res, self.init)
        twin.theta[:] = self.theta
        return twin

    @property
    def params(self):
        """[(W, b), ...] per layer: views into the flat parameter vector, W of shape (out, in)."""
        return self.views_of(self.theta)

    def views_of(self, flat):
        """[(W, b), ...] views into ``flat``, a vector laid out like ``theta`` (the gradient,
        the optimizer's moments)."""
        return [(flat[w:w + o * i].reshape(o, i), flat[b:b + o])
                for w, b, o, i in zip(self._layout.w_off, self._layout.b_off, self.sizes[1:],
                                      self.sizes[:-1])]

    def layers_of(self, flat):
        """Per layer (W, b), or (W, b, gamma, beta) where it normalizes: views into ``flat``
        laid out like ``theta``, as ``reference`` takes parameters."""
        return [(W, b, *self.normalization(flat, l)[:2]) if self.normalizes(l) else (W, b)
                for l, (W, b) in enumerate(self.views_of(flat), start=1)]

    def normalizes(self, l):
        """Whether layer l (0: the inputs) has batch normalization."""
        return kernels.extras_of(self._layout)[kernels.NORM, l] >= 0

    def normalization(self, flat, l):
        """Views of layer l's gamma, beta, running mean and running variance in ``flat``
        (laid out like theta; see the kernels' module docstring), if it ``normalizes``."""
        g, n = int(kernels.extras_of(self._layout)[kernels.NORM, l]), self.sizes[l]
        return [flat[g + k * n:g + (k + 1) * n] for k in range(4)]

    @property
    def running(self):
        """Per layer [running mean, running variance] (views into theta) where it normalizes,
        else None: the statistics that evaluation normalizes with."""
        return [self.normalization(self.theta, l)[2:] if self.normalizes(l) else None
                for l in range(len(self.sizes))]

    def reset(self, seed):
        """New random weights for ``seed`` by the network's ``init`` (see config.Init; "auto":
        He for a layer of the ReLU family, Xavier/Glorot for tanh, sigmoid, linear and the
        output layer); zero biases, gamma 1, beta 0, running mean 0 and variance 1; a fresh
        optimizer state."""
        self.seed = seed
        rng = np.random.default_rng(seed)
        inits = [choose(name, ACTIVATION_TABLE, "activation").init for name in self.arch.act]
        inits = [self.init if self.init != "auto" else rule for rule in inits + ["xavier"]]
        for (W, b, *norm), rule in zip(self.layers_of(self.theta), inits):
            fan_out, fan_in = W.shape
            W[:] = rng.normal(0.0, choose(rule, INIT_TABLE, "init").std(fan_in, fan_out), W.shape)
            b[:] = 0.0
            if norm:
                norm[0][:], norm[1][:] = 1.0, 0.0
        for stats in filter(None, self.running):
            stats[0][:], stats[1][:] = 0.0, 1.0
        self.reset_optimizer()
        self._step_counts[0] = 0
        self._rng[0] = np.random.SeedSequence(seed).generate_state(1, np.uint64)[0]
        self.grad_norms[:] = 0.0
        self.diverged = False

    def reset_optimizer(self):
        """Forget the optimizer's moments (momentum's velocity, Adam's m and v and its bias
        correction), e.g. when switching optimizers: one's state means nothing to another."""
        self._m[:] = 0.0
        self._v[:] = 0.0
        self._step_counts[1] = 0

    @property
    def steps(self):
        """Optimizer steps taken since the last reset."""
        return int(self._step_counts[0])

    def state(self):
        """The training state as a plain dict of copies: the weights ``theta``, the
        optimizer's moments ``m`` and ``v`` (momentum keeps its velocity in ``v``), the
        optimizer ``steps`` since the weights were reset and ``optimizer_steps`` since the
        optimizer's state was reset (adam_t), the shuffle generator's state ``rng`` and whether
        the run ``diverged``. ``load_state`` of it continues training bit for bit."""
        return {"theta": self.theta.copy(), "m": self._m.copy(), "v": self._v.copy(),
                "steps": int(self._step_counts[0]),
                "optimizer_steps": int(self._step_counts[1]),
                "rng": int(self._rng[0]), "diverged": bool(self.diverged)}

    def load_state(self, state):
        """Set the training state to ``state`` (a dict as ``state`` returns), or raise
        ValueError with one line, changing nothing, when it does not fit this network or
        holds what training never produces (a non-finite number, a negative Adam v)."""
        missing = [key for key in STATE_KEYS if key not in state]
        if missing:
            raise ValueError(f"the training state has no {missing[0]!r}")
        arrays = {}
        for key in ("theta", "m", "v"):
            values = np.asarray(state[key])
            if values.dtype.kind not in "iuf":
                raise ValueError(f"{key} must hold numbers")
            if values.shape != self.theta.shape:
                raise ValueError(f"{key} has {values.size} numbers; this network has "
                                 f"{len(self.theta)}")
            if not np.isfinite(values).all():
                raise ValueError(f"{key} holds a number that is not finite")
            arrays[key] = values
        if self.optimizer == "adam" and (arrays["v"] < 0).any():
            raise ValueError("v holds a negative number: no second moment of Adam's is negative")
        if any((self.normalization(arrays["theta"], l)[3] < 0).any()
               for l in range(len(self.sizes)) if self.normalizes(l)):
            raise ValueError("theta holds a negative running variance")
        steps, optimizer_steps = (_whole(state, key, 2 ** 62) for key in ("steps", "optimizer_steps"))
        if optimizer_steps > steps:
            raise ValueError(f"optimizer_steps ({optimizer_steps}) exceeds steps ({steps})")
        rng = _whole(state, "rng", 2 ** 64)
        if not isinstance(state["diverged"], (bool, np.bool_)):
            raise ValueError(f"diverged must be true or false, not {state['diverged']!r}")
        self.theta[:], self._m[:], self._v[:] = arrays["theta"], arrays["m"], arrays["v"]
        self._step_counts[:] = steps, optimizer_steps
        self._rng[0] = np.uint64(rng)
        self.diverged = bool(state["diverged"])

    @property
    def buffer_sets(self):
        """How many sets of work buffers are kept for reuse (at most CACHED_BATCH_SIZES)."""
        return len(self._buffers)

    def _work(self, B, keep=True):
        """``kernels.Work`` buffers for batches of B points; kept for reuse (training
        batches, prediction chunks) unless not ``keep`` (one-off sizes). Only the last
        CACHED_BATCH_SIZES sizes used are kept."""
        buffers = self._buffers.pop(B, None)
        if buffers is None:
            buffers = kernels.make_work(self._layout, B)
        if keep:
            self._buffers[B] = buffers              # now the most recently used
            if len(self._buffers) > CACHED_BATCH_SIZES:
                del self._buffers[next(iter(self._buffers))]
        return buffers

    def _inputs(self, X, y=None):
        """X and y (labels, targets or None) checked, as ``kernels.Data``."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}), not {X.shape}")
        Xt = np.ascontiguousarray(X.T)
        if y is None:
            return kernels.Data(Xt, np.empty(0))
        y = np.asarray(y, dtype=np.float64)        # the kernels take labels as whole floats
        if self.regression:
            if y.shape != (X.shape[0],) or not np.isfinite(y).all():
                raise ValueError(f"y must hold {X.shape[0]} finite targets")
        elif y.shape != (X.shape[0],) or (y.size and not (
                0 <= y.min() <= y.max() < self.n_classes and (y == np.round(y)).all())):
            raise ValueError(f"y must hold {X.shape[0]} labels in 0..{self.n_classes - 1}")
        return kernels.Data(Xt, y)

    def regularization(self):
        """l1 sum|W| + l2/2 sum W^2 over the weights (the loss term of regularization)."""
        return self._kernels().regularization(self.theta, self._layout, self.l1, self.l2)

    def loss_and_grads(self, X, y, keep=None):
        """Mean loss (plus regularization) over all of X as one training batch (batch
        normalization's statistics of X, which move the running ones), and gradients shaped
        like ``layers_of`` (copies). Dropout keeps the units that ``keep`` says, per layer
        (None for a layer without dropout) a (units, n) array of true/false, or else masks
        drawn from the network's generator."""
        data = self._inputs(X, y)
        n = len(data.y)
        work = self._work(n, keep=False)
        if keep is not None:
            u_off = self._layout.u_off
            for l, p in enumerate(self.arch.drop, start=1):
                if p > 0:
                    work.extras[kernels.KEEP, u_off[l] * n:u_off[l + 1] * n] = \
                        np.where(keep[l], 1 / (1 - p), 0.0).ravel()
        self.grad_norms[:] = 0.0
        loss = self._kernels().loss_and_grads(self._state, self._layout, self._layout.extras,
                                              self.l1, self.l2, data, work, keep is None)
        return loss + self.regularization(), [tuple(p.copy() for p in layer) for layer in
                                              self.layers_of(self.grad)]

    def activations(self, X, last=None):
        """[a^0, a^1, ..., a^last] for points X: each (units, n), a^0 the inputs and a^L the
        class probabilities; one forward pass (``last`` defaults to the output layer)."""
        L = len(self.sizes) - 1
        last = L if last is None else last
        Xt = self._inputs(X).Xt
        n = Xt.shape[1]
        u_off = self._layout.u_off
        z, a = np.empty(u_off[last + 1] * n), np.empty(u_off[last + 1] * n)
        self._kernels().activations(self.theta, self._layout, Xt, last, z, a)
        return [a[u_off[l] * n:u_off[l + 1] * n].reshape(self.sizes[l], n)
                for l in range(last + 1)]

    def dead_layers(self, X):
        """Hidden layers (1-based) in which every neuron outputs 0 for every point of X:
        with ReLU no gradient gets through them, so the network cannot learn until reset."""
        if len(self.sizes) < 3 or not len(X):
            return []
        acts = self.activations(X, last=len(self.sizes) - 2)
        return [l for l in range(1, len(self.sizes) - 1) if not acts[l].any()]

    def predict_proba(self, X, out=None, parallel=True, single=False):
        """Class probabilities (n, n_classes), rows summing to 1 (for regression the
        predictions y_hat, shape (n, 1)), into ``out`` if given.
        Many points (a heatmap grid) are shared out over all cores unless not ``parallel``.
        ``single``: computed in float32 (about twice as fast for a wide network, to about
        1e-6; what the screen draws), into a float32 array."""
        data = self._inputs(X)
        dtype = np.float32 if single else np.float64
        theta = self.theta
        if single:         # a diverged network's weights beyond float32 become infinite
            with np.errstate(over="ignore"):
                data, theta = kernels.Data(data.Xt.astype(dtype), data.y.astype(dtype)), \
                    theta.astype(dtype)
        n = data.Xt.shape[1]
        proba = np.empty((n, self.n_classes), dtype) if out is None else out
        if parallel and n >= PARALLEL_POINTS:
            z, a = self._thread_work(dtype)
            self._kernels().predict_parallel(theta, self._layout, data, proba, z, a, EVAL_CHUNK)
        else:
            z, a = self._thread_work(dtype, 1)
            self._kernels().predict(theta, self._layout, data, proba, z[0], a[0], EVAL_CHUNK, 0, n)
        return proba

    def _thread_work(self, dtype, threads=None):
        """z and a buffers of EVAL_CHUNK points of ``dtype`` for each of ``threads`` (default:
        numba's threads)."""
        threads = threads or numba.get_num_threads()
        if (threads, dtype) not in self._thread_buffers:
            units = int(self._layout.u_off[-1])
            self._thread_buffers[threads, dtype] = (np.empty((threads, units * EVAL_CHUNK), dtype),
                                                    np.empty((threads, units * EVAL_CHUNK), dtype))
        return self._thread_buffers[threads, dtype]

    def evaluate(self, X, y):
        """(mean loss + regularization, accuracy; for regression mean absolute error) over X;
        (nan, nan) for no points.
        A non-finite loss marks the network as diverged."""
        data = self._inputs(X, y)
        evaluate = self._kernels().evaluate     # the kernel's body runs as Python (see there)
        loss, accuracy = getattr(evaluate, "py_func", evaluate)(
            self.theta, self._layout, self.l1, self.l2, data, self._work(EVAL_CHUNK))
        if len(data.y) and not np.isfinite(loss):
            self.diverged = True
        return loss, accuracy

    def train_epoch(self, X, y, eta, batch=32):
        """One epoch: shuffle, then a step of the optimizer for every mini-batch of ``batch``
        points (0 or None: the full set), the last short batch included. Returns 1, or 0 if
        the run diverged."""
        return self.train_epochs(X, y, eta, batch, 1)

    def train_epochs(self, X, y, eta, batch, epochs, X_test=None, y_test=None, history=None):
        """Run ``epochs`` epochs in one kernel call; returns the number completed.

        With ``history``, an array of at least (epochs, 4), row e receives the train loss,
        train accuracy, test loss and test accuracy after epoch e. A non-finite loss or an
        exploding weight stops training and sets ``diverged``.
        """
        if self.diverged or len(X) == 0:
            return 0
        if not eta > 0:
            raise ValueError(f"learning rate must be positive, not {eta}")
        if batch and not 1 <= batch <= MAX_BATCH:
            raise ValueError(f"batch size must be 1 to {MAX_BATCH} (or 0 for full), not {batch}")
        train = self._inputs(X, y)
        test = self._inputs(np.empty((0, self.sizes[0])) if X_test is None else X_test,
                            () if y_test is None else y_test)
        if history is None:
            history = np.empty((0, 4))
        n = len(train.y)
        batch = min(int(batch), n) if batch else n
        hyper = kernels.Hyper(kernels.OPTIMIZER_CODE[self.optimizer], float(eta), float(self.l1),
                              float(self.l2), batch)
        steps = self.steps
        self.grad_norms[:] = 0.0
        done = self._kernels().train_epochs(self._state, self._layout, self._layout.extras, hyper,
                                            train, test, int(epochs), self._work(batch),
                                            self._work(EVAL_CHUNK), history,
                                            np.empty(n, np.int64))    # the shuffled order
        if self.steps > steps:
            self.grad_norms /= self.steps - steps
        if done < epochs:
            self.diverged = True
        return done
