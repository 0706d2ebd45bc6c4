"""Names, limits and defaults of the engine: the one place to change them.

Each concept the user picks from (activation, optimizer, dataset, input feature) is one
table of frozen records here; everything else (checks, the PyTorch export, weight init, the
tuples of names, the app's labels: catalogue keys derived from the names) reads these tables.
"""
from dataclasses import dataclass

import numpy as np

LEAKY_SLOPE = 0.01          # negative-side slope of leaky ReLU (PyTorch's default)
MOMENTUM = 0.9              # mu of SGD with momentum: v <- mu v + g
ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPS = 1e-8
BN_EPS = 1e-5               # batch normalization's epsilon in 1/sqrt(var + eps) (PyTorch's)
BN_MOMENTUM = 0.1           # running <- (1 - m) running + m batch statistic (PyTorch's)
MAX_DROPOUT = 0.9           # a hidden layer drops each unit with probability 0 to this


@dataclass(frozen=True)
class Activation:
    """A hidden-layer activation phi. Its position in ACTIVATION_TABLE is the id the numba
    kernels branch on; ``init`` is "he" (variance 2 / fan_in, for the ReLU family) or
    "xavier" (2 / (fan_in + fan_out)). Its shown name is the app's catalogue entry
    ``activation.<name>`` (nnsim/lessons/locale/en.po), as for optimizers and datasets."""
    name: str
    torch: str                # the PyTorch module that computes phi
    init: str


@dataclass(frozen=True)
class Init:
    """A weight initialization: W^l ~ N(0, std(fan_in, fan_out)^2) from the seed's generator
    (the same draws whatever the init, so a reset with another init is a fair comparison);
    biases start at 0. "auto" (no ``std``) takes each layer's activation's ``init`` and
    Xavier for the output layer."""
    name: str
    std: object = None


@dataclass(frozen=True)
class Optimizer:
    """An optimizer; its position in OPTIMIZER_TABLE is the id the kernels branch on."""
    name: str


@dataclass(frozen=True)
class Dataset:
    """A toy dataset; its points come from ``datasets.GENERATORS[name]``. Its ``kind`` is
    the problem it poses: "classification" (``n_classes`` classes) or "regression" (a target
    value in [-1, 1] per point; ``n_classes`` is then 1, the network's one output).
    ``formula``, if any, is the formula it draws its points by unless the settings give
    another (see ``core.formula``); ``panel`` says whether the app's panel offers it."""
    name: str
    n_classes: int
    kind: str = "classification"
    formula: str = ""
    panel: bool = True


@dataclass(frozen=True)
class Loss:
    """A classification loss of the softmax output y_hat and the one-hot label y; its
    position in LOSS_TABLE is the code the kernels branch on. (Regression always takes
    1/2 (y_hat - t)^2.)"""
    name: str


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: how eta changes from epoch to epoch (``core.schedule``)."""
    name: str


@dataclass(frozen=True)
class Feature:
    """An input column of the network: ``map(x1, x2)`` of the points' coordinates."""
    name: str
    label: str
    map: object


#: Hidden-layer activations, in the order the app cycles through them.
ACTIVATION_TABLE = (
    Activation("relu", "torch.nn.ReLU()", "he"),
    Activation("leaky_relu", f"torch.nn.LeakyReLU({LEAKY_SLOPE!r})", "he"),
    Activation("tanh", "torch.nn.Tanh()", "xavier"),
    Activation("sigmoid", "torch.nn.Sigmoid()", "xavier"),
    Activation("gelu", "torch.nn.GELU()", "he"),
    Activation("linear", "torch.nn.Identity()", "xavier"),
)
INIT_TABLE = (
    Init("auto"),
    Init("he", lambda fan_in, fan_out: np.sqrt(2.0 / fan_in)),
    Init("xavier", lambda fan_in, fan_out: np.sqrt(2.0 / (fan_in + fan_out))),
    Init("zeros", lambda fan_in, fan_out: 0.0),     # every neuron of a layer stays identical
    Init("large", lambda fan_in, fan_out: 1.0),     # whatever the fan-in
)
OPTIMIZER_TABLE = (
    Optimizer("sgd"),
    Optimizer("momentum"),
    Optimizer("adam"),
)
DATASET_TABLE = (
    Dataset("spiral", 2),
    Dataset("xor", 2),
    Dataset("circle", 2),
    Dataset("moons", 2),
    Dataset("gaussian", 2),
    Dataset("blobs3", 3),
    Dataset("plane", 1, "regression"),
    Dataset("multi-gaussian", 1, "regression"),
    Dataset("checkerboard", 2),
    Dataset("rings3", 3),
    Dataset("heart", 2),
    Dataset("formula", 2, formula="x1*x2 > 0", panel=False),
    Dataset("value-formula", 1, "regression", formula="sin(x1)*cos(x2)", panel=False),
)
LOSS_TABLE = (
    Loss("cross-entropy"),      # -log y_hat[label]
    Loss("squared"),            # 1/2 sum_c (y_hat_c - y_c)^2 on the softmax: TF Playground's
)
SCHEDULE_TABLE = (
    Schedule("constant"),
    Schedule("step"),
    Schedule("cosine"),
)
FEATURE_TABLE = (
    Feature("x1", "x₁", lambda x1, x2: x1),
    Feature("x2", "x₂", lambda x1, x2: x2),
    Feature("x1^2", "x₁²", lambda x1, x2: x1 * x1),
    Feature("x2^2", "x₂²", lambda x1, x2: x2 * x2),
    Feature("x1*x2", "x₁x₂", lambda x1, x2: x1 * x2),
    Feature("sin x1", "sin x₁", lambda x1, x2: np.sin(x1)),
    Feature("sin x2", "sin x₂", lambda x1, x2: np.sin(x2)),
)

ACTIVATIONS = tuple(record.name for record in ACTIVATION_TABLE)
OPTIMIZERS = tuple(record.name for record in OPTIMIZER_TABLE)
INITS = tuple(record.name for record in INIT_TABLE)
DATASETS = tuple(record.name for record in DATASET_TABLE)
PROBLEMS = ("classification", "regression")
#: Every dataset of each problem, in table order.
ALL_DATASETS_OF = {p: tuple(d.name for d in DATASET_TABLE if d.kind == p) for p in PROBLEMS}
#: The datasets of each problem that the app's panel offers as buttons (keys 1-6: the first six).
DATASETS_OF = {p: tuple(d.name for d in DATASET_TABLE if d.kind == p and d.panel) for p in PROBLEMS}
#: The formula dataset of each problem: the one that ``--formula`` picks.
FORMULA_DATASET_OF = {p: next(d.name for d in DATASET_TABLE if d.kind == p and d.formula)
                      for p in PROBLEMS}
FEATURES = tuple(record.name for record in FEATURE_TABLE)
SCHEDULES = tuple(record.name for record in SCHEDULE_TABLE)
LOSSES = tuple(record.name for record in LOSS_TABLE)


def choose(value, table, what):
    """The record of ``table`` named ``value``, or ValueError naming the choices."""
    for record in table:
        if record.name == value:
            return record
    raise ValueError(f"unknown {what} {value!r} (choose from {', '.join(r.name for r in table)})")


#: Training speeds; the paced ones run this many epochs per second, "max" trains for
#: whatever time a frame leaves. At Normal the default spiral passes 90% training accuracy
#: within 20 s for seeds 0-9 (it needs 117-275 epochs; tests/test_defaults.py).
SPEEDS = ("slow", "normal", "fast", "max")
EPOCHS_PER_SECOND = {"slow": 4, "normal": 30, "fast": 300}

MAX_HIDDEN_LAYERS = 16
MAX_WIDTH = 64
MAX_INPUTS = 16             # input columns of a Network (the app's features give at most 7 + 4)
MAX_EXTRA_FEATURES = 4      # typed formula features beside the fixed ones
MIN_CLASSES, MAX_CLASSES = 2, 3
CLASS_NAMES = ("A", "B", "C")  # what the screen and the captions call the classes
ETA_RANGE = (1e-5, 10.0)
MAX_BATCH = 256             # a batch of 0 means "full batch"
STEP_FACTOR = 0.5           # step decay multiplies eta by this every schedule_epochs epochs
COSINE_FLOOR = 0.01         # cosine anneals eta to this share of itself in schedule_epochs
MAX_EPOCHS = 10_000_000     # epochs of a run, a schedule's period, a warm-up, a stop
STOP_LOSS_MAX = 100.0       # a loss target above any loss a run starts from
NOISE_RANGE = (0.0, 0.5)
CHECKER_SIZE = 3.0          # the checkerboard's squares' side (a 4 x 4 board on the plane)...
CHECKER_RANGE = (1.0, 6.0)  # ...from 12 x 12 squares to 2 x 2
MAX_POINTS = 10_000        # per dataset or file; drawing and training stay smooth up to here
#: A weight this large means training has blown up (with a softmax and cross-entropy a
#: healthy run never gets near it); the run is then reported as diverged.
DIVERGED_WEIGHT = 1e6
PLANE = 6.0                 # points live in [-PLANE, PLANE]^2
MAX_SEED = 2 ** 32 - 1      # seeds are 0 to MAX_SEED
WINDOW_MIN, WINDOW_MAX = (640, 400), (7680, 4320)    # the app window's size limits in pixels
