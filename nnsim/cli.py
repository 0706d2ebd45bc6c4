"""The ``nnsim`` command: the playground app, ``nnsim train``, ``nnsim explain`` and ``nnsim bench``."""
import argparse
import json
import math
import os
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__
from .core.config import (ACTIVATIONS, DATASETS, DATASETS_OF, FEATURES, NOISE_RANGE, OPTIMIZERS,
                          PROBLEMS, SPEEDS, WINDOW_MAX, WINDOW_MIN, choose)
from .core import scenario
from .core.explain import explain
from .core.export import torch_script
from .core.features import feature_matrix_t
from .core.files import FileError, check_writable, shown, write_atomic
from .core.pair import SHARED_FIELDS
from .core.session import Session, Settings
from .lessons.experiments import EXPERIMENTS
from .lessons.library import names as lesson_names, open_lesson


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2, and an option is
    never guessed from an abbreviation (``--se 4`` is an error, not ``--seed 4``)."""

    def __init__(self, **kwargs):
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _hidden(text):
    if text.strip() in ("", "0", "none"):
        return ()
    try:
        return tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected widths like 8,8 (or 0 for none), not {text!r}")


def _features(text):
    return tuple(f.strip() for f in text.split(","))


def _batch(text):
    if text == "full":
        return 0
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number or 'full', not {text!r}")


#: How --compare reads a value, per setting B may change (the others are text).
COMPARE_TYPES = {"hidden": _hidden, "features": _features, "eta": float, "batch": _batch,
                 "l1": float, "l2": float}
COMPARE_ALIASES = {"lr": "eta"}       # the option's name for a setting


def compare_changes(text, settings):
    """--compare's ``KEY=VALUE[,KEY=VALUE]`` as setting changes for side B, checked by
    Settings like any setting; ValueError with one line if one is wrong. A piece without
    ``=`` continues the value before it (``hidden=8,8``)."""
    pairs = []
    for piece in text.split(","):
        if "=" in piece:
            key, value = (part.strip() for part in piece.split("=", 1))
            pairs.append([COMPARE_ALIASES.get(key, key), value])
        elif pairs:
            pairs[-1][1] += "," + piece.strip()
        else:
            raise ValueError(f"--compare expects KEY=VALUE[,KEY=VALUE], not {text!r}")
    changes = {}
    fields = Settings.__dataclass_fields__
    for key, value in pairs:
        if key in SHARED_FIELDS:
            raise ValueError(f"--compare cannot change {key}: both sides share the points")
        if key not in fields:
            choices = ", ".join(f for f in fields if f not in SHARED_FIELDS)
            raise ValueError(f"--compare: unknown setting {key!r} (choose from {choices})")
        try:
            changes[key] = COMPARE_TYPES.get(key, str)(value)
        except (ValueError, argparse.ArgumentTypeError) as error:
            raise ValueError(f"--compare {key}: {error}")
    replace(settings, **changes).checked()
    return changes


def _add_settings(parser, dataset_flag):
    """The options that define a run, shared by the app and ``train``; returns each
    setting's option. An option not given is absent from the parsed arguments (so a run
    from a file or an experiment can tell it was given)."""
    d = Settings()
    options = {}

    def option(name, flag, **kwargs):
        parser.add_argument(flag, dest=name, default=argparse.SUPPRESS, **kwargs)
        options[name] = flag

    option("problem", "--problem", choices=PROBLEMS,
           help="classification (default) or regression; picks the problem's first dataset "
                "unless one is named")
    option("dataset", dataset_flag, metavar="NAME",
           help=f"dataset: {', '.join(DATASETS)} (default {d.dataset}); regression: "
                f"{', '.join(DATASETS_OF['regression'])}")
    option("points", "--points", type=int, help=f"number of points ({d.points})")
    option("noise", "--noise", type=float, help=f"noise {NOISE_RANGE[0]:g} to {NOISE_RANGE[1]:g} ({d.noise})")
    option("test_ratio", "--test-ratio", type=float,
           help=f"share of points held out for testing ({d.test_ratio})")
    option("seed", "--seed", type=int, help=f"seed of data, weights and shuffling ({d.seed})")
    option("hidden", "--hidden", type=_hidden, metavar="W,W,...",
           help="hidden layer widths, e.g. 8,8; 0 for no hidden layer (8,8)")
    option("activation", "--activation", metavar="NAME",
           help=f"hidden activation: {', '.join(ACTIVATIONS)} ({d.activation})")
    option("features", "--features", type=_features, metavar="F,F,...",
           help=f"input features from: {', '.join(FEATURES)} (x1,x2)")
    option("eta", "--lr", type=float, help=f"learning rate eta ({d.eta})")
    option("batch", "--batch", type=_batch, help=f"batch size or 'full' ({d.batch})")
    option("optimizer", "--optimizer", metavar="NAME", help=f"{', '.join(OPTIMIZERS)} ({d.optimizer})")
    option("l1", "--l1", type=float, help="L1 regularization rate (0)")
    option("l2", "--l2", type=float, help="L2 regularization rate (0)")
    return options


def settings_from(args, parser):
    """The validated Settings of parsed options (the defaults for those not given); a bad
    value is a one-line usage error."""
    given = {name: getattr(args, name) for name in Settings.__dataclass_fields__ if hasattr(args, name)}
    problem = getattr(args, "problem", None)
    if problem is not None:
        given.setdefault("dataset", DATASETS_OF[problem][0])
    try:
        settings = Settings(**given).checked()
        if problem is not None and settings.problem != problem:
            raise ValueError(f"{settings.dataset} is a {settings.problem} dataset, not "
                             f"{problem} (choose from {', '.join(DATASETS_OF[problem])})")
        return settings
    except ValueError as error:
        parser.error(str(error))


def refuse_settings(args, parser, options, source, allowed=()):
    """A usage error if a settings option other than ``allowed`` was given where ``source``
    (a scenario file, an experiment) decides the settings: it would be ignored."""
    for name, flag in options.items():
        if name not in allowed and hasattr(args, name):
            parser.error(f"{flag} cannot be used with {source}, which sets its own settings")


def _json_number(x):
    return float(x) if math.isfinite(x) else None


def train_main(argv):
    parser = Parser(prog="nnsim train", description="Train headless; one JSON object per epoch.")
    options = _add_settings(parser, "--dataset")
    parser.add_argument("--epochs", type=int, help="epochs to train (100, or the experiment's)")
    parser.add_argument("--experiment", metavar="NAME",
                        help="run a 'Try this' experiment with its own settings: "
                             f"{', '.join(e.name for e in EXPERIMENTS)}")
    parser.add_argument("--part", type=int, choices=(1, 2),
                        help="the experiment's part: 1 (side A, default) or 2 (side B), from scratch")
    args = parser.parse_args(argv)
    if args.experiment is not None:
        refuse_settings(args, parser, options, "--experiment", allowed=("seed",))
        try:
            experiment = choose(args.experiment, EXPERIMENTS, "experiment")
            session = experiment.session(args.part or 1, getattr(args, "seed", None))
        except ValueError as error:
            parser.error(str(error))
        epochs = experiment.epochs if args.epochs is None else args.epochs
    else:
        if args.part:
            parser.error("--part needs --experiment")
        session = Session(settings_from(args, parser))
        epochs = 100 if args.epochs is None else args.epochs
    if not 1 <= epochs <= 10_000_000:
        parser.error(f"epochs must be 1 to 10000000, not {epochs}")
    if not len(session.y_train):
        parser.error("no training points: lower --test-ratio or raise --points")
    keys = (("loss", "mae", "test_loss", "test_mae") if session.settings.regression
            else ("loss", "accuracy", "test_loss", "test_accuracy"))
    for epoch in range(1, epochs + 1):
        if not session.train(1):
            print(f"nnsim train: diverged at epoch {epoch} (try a smaller --lr)", file=sys.stderr)
            return 1
        row = {"epoch": epoch} | {k: _json_number(v) for k, v in zip(keys, session.history.last)}
        print(json.dumps(row), flush=True)
    return 0


def _point(text):
    try:
        x1, x2 = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a point like 0.5,-1.2, not {text!r}")
    if not (math.isfinite(x1) and math.isfinite(x2)):
        raise argparse.ArgumentTypeError(f"the point's coordinates must be finite, not {text!r}")
    return x1, x2


def _load(args, parser, options):
    """The session saved in ``--load``'s scenario; settings options beside it, or a bad
    file, are a usage error."""
    refuse_settings(args, parser, options, "--load")
    try:
        return scenario.load(args.load)
    except FileError as error:
        parser.error(str(error))


def explain_main(argv):
    parser = Parser(prog="nnsim explain",
                    description="Backprop on one point: every layer's z, a, delta and gradients "
                                "as one JSON document.")
    options = _add_settings(parser, "--dataset")
    parser.add_argument("--load", metavar="FILE", help="the network of a saved scenario (.json); "
                        "without it, a fresh network of the settings given")
    parser.add_argument("--point", type=_point, required=True, metavar="X1,X2",
                        help="the point's coordinates in the plane")
    parser.add_argument("--label", type=int, required=True, metavar="K", help="its class (0, 1 or 2)")
    args = parser.parse_args(argv)
    if args.load is not None:
        session = _load(args, parser, options)
    else:
        session = Session(settings_from(args, parser))
    x = feature_matrix_t([args.point], session.settings.features)[:, 0]
    try:
        explained = explain(session.net, x, args.label)
    except ValueError as error:
        parser.error(str(error))
    print(json.dumps(explained))
    return 0


def _size(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT like 1280x800, not {text!r}")
    (w_min, h_min), (w_max, h_max) = WINDOW_MIN, WINDOW_MAX
    if not (w_min <= w <= w_max and h_min <= h <= h_max):
        raise argparse.ArgumentTypeError(f"window size {w}x{h} is outside {w_min}x{h_min} to "
                                         f"{w_max}x{h_max}")
    return w, h


NO_DISPLAY = ("nnsim: no display found. Run it headless, e.g. `nnsim --headless --frames 120 "
              "--screenshot shot.png`, or under a virtual display: `xvfb-run nnsim`")


def _display_available():
    """False on Linux with no X11 or Wayland display (and no SDL driver chosen by hand):
    SDL would otherwise fall back to an invisible window."""
    if not sys.platform.startswith("linux") or os.environ.get("SDL_VIDEODRIVER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _check_outputs(args, parser):
    """Usage errors for output paths that could not be written, found before the run
    rather than after it."""
    from .app.shell.recorder import check_gif_path
    from .app.shell.screenshot import check_screenshot_path
    try:
        if args.save is not None:
            if Path(args.save).suffix.lower() != ".json":
                raise FileError(f"{shown(args.save)}: a scenario is saved as a .json file")
            check_writable(args.save)
        if args.screenshot is not None:
            check_screenshot_path(args.screenshot)
        if args.record is not None:
            check_gif_path(args.record)
    except FileError as error:
        parser.error(str(error))


def app_main(argv):
    parser = Parser(prog="nnsim", description="The neural network playground. Subcommands: "
                    "`nnsim train ...` (headless training), `nnsim explain ...` (backprop on one point), "
                    "`nnsim bench` (benchmark).")
    parser.add_argument("--version", action="version", version=f"nnsim {__version__}")
    options = _add_settings(parser, "--preset")
    parser.add_argument("--fullscreen", action="store_true", help="start fullscreen")
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH",
                        help="window size (1280x800)")
    parser.add_argument("--play", action="store_true", help="start training right away")
    parser.add_argument("--speed", choices=SPEEDS, default="normal", type=str.lower,
                        help="training speed (normal)")
    parser.add_argument("--headless", action="store_true",
                        help="no window (SDL dummy driver); use with --frames")
    parser.add_argument("--frames", type=int, metavar="N", help="quit after N frames")
    parser.add_argument("--screenshot", metavar="PNG", help="save the last frame as PNG (or .jpg)")
    parser.add_argument("--record", metavar="GIF",
                        help="record the window as an animated GIF until the app quits")
    parser.add_argument("--intro", action=argparse.BooleanOptionalAction, default=None,
                        help='show the "What am I looking at?" card (default: on the first start '
                             "in a window only)")
    parser.add_argument("--load", metavar="FILE", help="start from a saved scenario (.json)")
    parser.add_argument("--lesson", metavar="NAME",
                        help=f"open a shipped lesson: {', '.join(lesson_names())}")
    parser.add_argument("--save", metavar="FILE",
                        help="with --headless: save the scenario after the last frame (.json)")
    parser.add_argument("--compare", metavar="KEY=VALUE,...",
                        help="compare mode: side B is A with these settings changed, e.g. "
                             "activation=relu or eta=0.1,batch=8")
    parser.add_argument("--experiment", metavar="NAME",
                        help="open a 'Try this' experiment: "
                             f"{', '.join(e.name for e in EXPERIMENTS)}")
    args = parser.parse_args(argv)
    for option in ("load", "save", "screenshot", "record"):
        if getattr(args, option) == "":
            parser.error(f"--{option} needs a file name")
    settings = settings_from(args, parser)
    if args.save is not None and not args.headless:
        parser.error("--save goes with --headless (in the app, press Ctrl+S)")
    if args.frames is not None and args.frames < 1:
        parser.error(f"--frames must be at least 1, not {args.frames}")
    if args.headless and args.frames is None:
        parser.error("--headless needs --frames N (it has no window to close)")
    _check_outputs(args, parser)
    session = experiment = compare = None
    if args.load is not None and args.lesson is not None:
        parser.error("--load and --lesson both open a scenario; give one")
    if args.load is not None:
        session = _load(args, parser, options)
    if args.lesson is not None:
        refuse_settings(args, parser, options, "--lesson")
        try:
            session = open_lesson(args.lesson)
        except ValueError as error:
            parser.error(str(error))
    if args.experiment is not None:
        if args.load is not None or args.lesson is not None or args.compare is not None:
            parser.error("--experiment cannot be used with --load, --lesson or --compare")
        refuse_settings(args, parser, options, "--experiment", allowed=("seed",))
        try:
            experiment = EXPERIMENTS.index(choose(args.experiment, EXPERIMENTS, "experiment"))
        except ValueError as error:
            parser.error(str(error))
    if args.compare is not None:
        try:
            compare = compare_changes(args.compare, session.settings if session else settings)
        except ValueError as error:
            parser.error(str(error))
    if not args.headless and not _display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from .app.shell.main import run
    import pygame
    try:
        return run(settings, args.size, args.fullscreen, args.play, args.speed, args.headless,
                   args.frames, args.screenshot, getattr(args, "seed", None), session, args.save,
                   args.record, args.intro, compare, experiment)
    except pygame.error as error:
        if "video" in str(error).lower() or "display" in str(error).lower():
            print(NO_DISPLAY, file=sys.stderr)
        else:
            print(f"nnsim: {error}", file=sys.stderr)
        return 1
    except (OSError, FileError) as error:
        print(f"nnsim: {error}", file=sys.stderr)
        return 1


def export_main(argv):
    parser = Parser(prog="nnsim export-torch",
                    description="Write a standalone PyTorch script of a saved scenario's network.")
    parser.add_argument("scenario", help="a scenario file saved by nnsim (.json)")
    parser.add_argument("out", help="the script to write (.py)")
    args = parser.parse_args(argv)
    try:
        check_writable(args.out)
        if Path(args.out).suffix.lower() != ".py":
            raise FileError(f"{shown(args.out)}: a Python script is a .py file")
        session = scenario.load(args.scenario)
        write_atomic(args.out, torch_script(session, Path(args.out).name))
    except FileError as error:
        parser.error(str(error))
    print(f"wrote {shown(args.out)}")
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] == "train":
            return train_main(argv[1:])
        if argv and argv[0] == "explain":
            return explain_main(argv[1:])
        if argv and argv[0] == "export-torch":
            return export_main(argv[1:])
        if argv and argv[0] == "bench":
            from .bench import main as bench_main
            return bench_main(argv[1:])
        return app_main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:        # e.g. `nnsim train | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
