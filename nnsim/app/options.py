"""What the app is asked to do at launch: one frozen record, built by the command line (or a
test) and read by ``run`` and ``App``."""
from dataclasses import dataclass

from ..core import Session, Settings


@dataclass(frozen=True)
class LaunchOptions:
    """The app's launch options; the defaults are a plain start in a window."""

    settings: Settings = Settings()       # of the first session (unless ``session`` is given)
    session: Session | None = None        # a scenario opened by --load or --lesson
    size: tuple[int, int] = (1280, 800)   # the window's, or a headless screen's
    fullscreen: bool = False
    touch: bool = False                   # show the class picker from the start (else: at a touch)
    theme: str | None = None              # draw.theme.THEMES; None: the remembered one (light headless)
    playing: bool = False                 # training from the first frame
    speed: str = "normal"
    headless: bool = False                # SDL's dummy driver; the kernels compile before frame 1
    frames: int | None = None             # quit after this many frames (None: when closed)
    screenshot: str | None = None         # the last frame's PNG or JPEG
    save: str | None = None               # the scenario after the last frame (.json)
    record: str | None = None             # a GIF of every frame
    intro: bool | None = None             # the "What am I looking at?" card; None: first start
    compare: dict | None = None           # side B's setting changes: starts compare mode
    experiment: int | None = None         # the index of a "Try this" experiment to open
    experiment_seed: int | None = None    # --seed: the experiments' data and weights use it
    restore: bool | None = None           # the newest recovery file: True restores it, False
                                          # never offers it, None offers it in a window
    autosave: bool | None = None          # keep a recovery file; None: in a window, not headless
    language: str | None = None           # --lang; None: the one last chosen in the app, else
                                          # the system's
