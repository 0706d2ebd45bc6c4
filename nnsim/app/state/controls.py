"""The app's discrete choices: presets, slider steps (speeds are in core.config)."""
from ...core.config import DATASETS_OF
from ...lessons.text import _

PRESETS = DATASETS_OF["classification"]          # keys 1-6, in this order

NOISE_STEPS = tuple(round(0.05 * i, 2) for i in range(11))
POINT_STEPS = (10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000)
TEST_RATIO_STEPS = tuple(round(0.1 * i, 1) for i in range(10))
ETA_STEPS = (0.0001, 0.0003, 0.001, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3,
             0.4, 0.5, 1.0)
BATCH_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 0)      # 0: the full training set
REG_STEPS = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BRUSH_SPACING = 0.35        # plane units between points painted by a drag
REMOVE_RADIUS = 1.0         # Ctrl+click removes the nearest point within this distance


def format_eta(v):
    return f"{v:g}"


def format_batch(v):
    return _("panel.batch_full") if v == 0 else str(v)


def step_through(steps, value, direction):
    """The next listed value above (direction 1) or below (-1) ``value``, or ``value``
    itself at the end of the list."""
    if direction > 0:
        bigger = [s for s in steps if s > value]
        return min(bigger) if bigger else value
    smaller = [s for s in steps if s < value]
    return max(smaller) if smaller else value

DROPOUT_STEPS = tuple(round(0.1 * i, 1) for i in range(10))   # a hidden layer's dropout rate
CHECKER_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)         # the checkerboard's square side
WARMUP_STEPS = (0, 5, 10, 20, 50, 100, 200, 500)      # epochs of linear warm-up
PERIOD_STEPS = (10, 20, 50, 100, 200, 500, 1000, 2000)  # a schedule's period T in epochs
#: The stop conditions the panel offers, after "none": each a Settings field, its steps
#: and the value it starts at when chosen.
STOPS = ("stop_epochs", "stop_loss", "early_stop")
STOP_STEPS = {"stop_epochs": (50, 100, 200, 300, 500, 1000, 2000, 5000, 10000),
              "stop_loss": (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3),
              "early_stop": (5, 10, 20, 50, 100, 200)}
STOP_START = {"stop_epochs": 500, "stop_loss": 0.1, "early_stop": 20}
