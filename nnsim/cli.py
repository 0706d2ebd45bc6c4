"""The ``nnsim`` command: the playground app, ``nnsim train`` and ``nnsim bench``."""
import argparse
import json
import math
import os
import sys
from pathlib import Path

from . import __version__
from .app.controls import SPEEDS
from .core.config import ACTIVATIONS, DATASETS, FEATURES, OPTIMIZERS
from .core import scenario
from .core.export import torch_script
from .core.session import Session, Settings
from .lessons.experiments import BY_NAME



class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

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


def _add_settings(parser, dataset_flag):
    """The options that define a run, shared by the app and ``train``."""
    d = Settings()
    parser.add_argument(dataset_flag, dest="dataset", default=d.dataset, metavar="NAME",
                        help=f"dataset: {', '.join(DATASETS)} (default {d.dataset})")
    parser.add_argument("--points", type=int, default=d.points, help=f"number of points ({d.points})")
    parser.add_argument("--noise", type=float, default=d.noise, help=f"noise 0 to 0.5 ({d.noise})")
    parser.add_argument("--test-ratio", type=float, default=d.test_ratio,
                        help=f"share of points held out for testing ({d.test_ratio})")
    parser.add_argument("--seed", type=int, default=d.seed, help="seed of data, weights and shuffling")
    parser.add_argument("--hidden", type=_hidden, default=d.hidden, metavar="W,W,...",
                        help="hidden layer widths, e.g. 8,8; 0 for no hidden layer (8,8)")
    parser.add_argument("--activation", default=d.activation, metavar="NAME",
                        help=f"hidden activation: {', '.join(ACTIVATIONS)} ({d.activation})")
    parser.add_argument("--features", type=_features, default=d.features, metavar="F,F,...",
                        help=f"input features from: {', '.join(FEATURES)} (x1,x2)")
    parser.add_argument("--lr", dest="eta", type=float, default=d.eta,
                        help=f"learning rate eta ({d.eta})")
    parser.add_argument("--batch", type=_batch, default=d.batch, help=f"batch size or 'full' ({d.batch})")
    parser.add_argument("--optimizer", default=d.optimizer, metavar="NAME",
                        help=f"{', '.join(OPTIMIZERS)} ({d.optimizer})")
    parser.add_argument("--l1", type=float, default=d.l1, help="L1 regularization rate (0)")
    parser.add_argument("--l2", type=float, default=d.l2, help="L2 regularization rate (0)")


def settings_from(args, parser):
    """The validated Settings of parsed options; a bad value is a one-line usage error."""
    try:
        return Settings(**{name: getattr(args, name) for name in Settings.__dataclass_fields__}).checked()
    except ValueError as error:
        parser.error(str(error))


def _json_number(x):
    return float(x) if math.isfinite(x) else None


def train_main(argv):
    parser = Parser(prog="nnsim train", description="Train headless; one JSON object per epoch.")
    _add_settings(parser, "--dataset")
    parser.add_argument("--epochs", type=int, help="epochs to train (100, or the experiment's)")
    parser.add_argument("--experiment", metavar="NAME",
                        help=f"run a 'Try this' experiment with its own settings: {', '.join(BY_NAME)}")
    parser.add_argument("--part", type=int, choices=(1, 2), help="the experiment's part (1)")
    args = parser.parse_args(argv)
    if args.experiment:
        experiment = BY_NAME.get(args.experiment)
        if experiment is None:
            parser.error(f"unknown experiment {args.experiment!r} (choose from {', '.join(BY_NAME)})")
        seed = args.seed if "--seed" in argv else None
        try:
            session = experiment.session(args.part or 1, seed)
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
    keys = ("loss", "accuracy", "test_loss", "test_accuracy")
    for epoch in range(1, epochs + 1):
        if not session.train(1):
            print(f"nnsim train: diverged at epoch {epoch} (try a smaller --lr)", file=sys.stderr)
            return 1
        row = {"epoch": epoch} | {k: _json_number(v) for k, v in zip(keys, session.history[-1])}
        print(json.dumps(row), flush=True)
    return 0


def _size(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT like 1280x800, not {text!r}")
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"window size {w}x{h} is outside 320x240 to 7680x4320")
    return w, h


NO_DISPLAY = ("nnsim: no display found. Run it headless, e.g. `nnsim --headless --frames 120 "
              "--screenshot shot.png`, or under a virtual display: `xvfb-run nnsim`")


def _display_available():
    """False on Linux with no X11 or Wayland display (and no SDL driver chosen by hand):
    SDL would otherwise fall back to an invisible window."""
    if not sys.platform.startswith("linux") or os.environ.get("SDL_VIDEODRIVER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def app_main(argv):
    parser = Parser(prog="nnsim", description="The neural network playground. Subcommands: "
                    "`nnsim train ...` (headless training), `nnsim bench` (benchmark).")
    parser.add_argument("--version", action="version", version=f"nnsim {__version__}")
    _add_settings(parser, "--preset")
    parser.add_argument("--fullscreen", action="store_true", help="start fullscreen")
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH",
                        help="window size (1280x800)")
    parser.add_argument("--play", action="store_true", help="start training right away")
    parser.add_argument("--speed", choices=SPEEDS, default="normal", type=str.lower,
                        help="training speed (normal)")
    parser.add_argument("--headless", action="store_true",
                        help="no window (SDL dummy driver); use with --frames")
    parser.add_argument("--frames", type=int, metavar="N", help="quit after N frames")
    parser.add_argument("--screenshot", metavar="PNG", help="save the last frame as PNG")
    parser.add_argument("--load", metavar="FILE", help="start from a saved scenario (.json)")
    parser.add_argument("--save", metavar="FILE",
                        help="with --headless: save the scenario after the last frame")
    args = parser.parse_args(argv)
    settings = settings_from(args, parser)
    if args.save and not args.headless:
        parser.error("--save goes with --headless (in the app, press Ctrl+S)")
    session = None
    if args.load:
        try:
            session = scenario.load(args.load)
        except scenario.FileError as error:
            parser.error(str(error))
    if args.frames is not None and args.frames < 1:
        parser.error(f"--frames must be at least 1, not {args.frames}")
    if args.headless and args.frames is None:
        parser.error("--headless needs --frames N (it has no window to close)")
    if not args.headless and not _display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    from .app.main import run
    import pygame
    try:
        return run(settings, args.size, args.fullscreen, args.play, args.speed, args.headless,
                   args.frames, args.screenshot, args.seed if "--seed" in argv else None,
                   session, args.save)
    except pygame.error as error:
        if "video" in str(error).lower() or "display" in str(error).lower():
            print(NO_DISPLAY, file=sys.stderr)
        else:
            print(f"nnsim: {error}", file=sys.stderr)
        return 1
    except (OSError, scenario.FileError) as error:
        print(f"nnsim: {error}", file=sys.stderr)
        return 1


def export_main(argv):
    parser = Parser(prog="nnsim export-torch",
                    description="Write a standalone PyTorch script of a saved scenario's network.")
    parser.add_argument("scenario", help="a scenario file saved by nnsim (.json)")
    parser.add_argument("out", help="the script to write (.py)")
    args = parser.parse_args(argv)
    try:
        session = scenario.load(args.scenario)
        scenario.write_atomic(args.out, torch_script(session, Path(args.out).name))
    except scenario.FileError as error:
        parser.error(str(error))
    print(f"wrote {args.out}")
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] == "train":
            return train_main(argv[1:])
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
