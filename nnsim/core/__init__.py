"""nnsim's engine: datasets, the MLP and its numba kernels. Numbers only, no pygame."""
from .config import ACTIVATIONS, DATASETS, FEATURES, OPTIMIZERS
from .datasets import N_CLASSES, make_dataset
from .features import check_features, feature_matrix_t
from .network import Network, check_sizes
from .session import Session, Settings

__all__ = ["ACTIVATIONS", "DATASETS", "FEATURES", "OPTIMIZERS", "N_CLASSES", "Network", "Session", "Settings",
           "check_features", "check_sizes", "feature_matrix_t", "make_dataset"]
