"""What the screen shows besides the session, in one record the views and actions share."""
from dataclasses import dataclass, field


@dataclass
class UiState:
    """What the screen shows besides the session: run state, toggles, overlays."""
    playing: bool = False
    speed: str = "normal"             # one of config.SPEEDS
    show_test: bool = False
    discretize: bool = False
    panel_visible: bool = True
    help_visible: bool = False
    intro_visible: bool = False       # the "What am I looking at?" card
    theory_visible: bool = False
    selected_node: tuple = None       # (layer, unit) shown large in the boundary view
    hidden_space: bool = False        # the network card shows the hidden-space view
    hidden_layer: int = 1
    hidden_axes: list = field(default_factory=lambda: [0, 1])
    experiment: object = None         # the Experiment whose caption is shown
    pace: float = None                # an experiment's own epochs/s, until a speed is chosen
    lesson_caption: bool = True       # the open lesson's caption is shown
    reg_rate: float = 0.001           # the regularization rate, kept while it is off
    message: str = ""
    message_until: float = 0.0
    prompt: object = None             # an open prompt (widgets.prompt) takes every event
    quit_asked: bool = False          # quitting with unsaved changes was asked once
    picker: bool = False              # the class picker shows (a finger touched, or --touch)
    pick: object = 0                  # what a tap adds: class 0, 1, 2, or intents.ERASE
    remote: bool = False              # the last key was a presenter remote's Page key
    blank: bool = False               # the screen is blanked (a remote's blank key)
