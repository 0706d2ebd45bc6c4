"""Names, limits and defaults of the engine: the one place to change them."""

#: Hidden-layer activations, in the order the app cycles through them. The index of a
#: name is the id the numba kernels branch on.
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "linear")
OPTIMIZERS = ("sgd", "momentum", "adam")
#: Input feature maps from a point (x1, x2) to the network's input columns.
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2")
DATASETS = ("spiral", "xor", "circle", "moons", "gaussian", "blobs3")

LEAKY_SLOPE = 0.01          # negative-side slope of leaky ReLU (PyTorch's default)
MOMENTUM = 0.9              # mu of SGD with momentum: v <- mu v + g
ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPS = 1e-8

MAX_HIDDEN_LAYERS = 8
MAX_WIDTH = 32
MIN_CLASSES, MAX_CLASSES = 2, 3
ETA_RANGE = (1e-5, 10.0)
MAX_BATCH = 256             # a batch of 0 means "full batch"
NOISE_RANGE = (0.0, 0.5)
MAX_POINTS = 10_000        # per dataset or file; drawing and training stay smooth up to here
#: A weight this large means training has blown up (with a softmax and cross-entropy a
#: healthy run never gets near it); the run is then reported as diverged.
DIVERGED_WEIGHT = 1e6
PLANE = 6.0                 # points live in [-PLANE, PLANE]^2
WINDOW_MIN, WINDOW_MAX = (640, 400), (7680, 4320)   # window sizes the app accepts
