"""``nnsim`` with no subcommand: the playground, in a window or headless."""
import argparse
import os
import sys
from pathlib import Path

from .. import __version__
from ..app.draw.theme import THEMES
from ..app.options import LaunchOptions
from ..core.config import SPEEDS, WINDOW_MAX, WINDOW_MIN, choose
from ..core.files import FileError, check_writable, shown
from ..lessons.experiments import ALL_EXPERIMENTS
from ..lessons.library import names as lesson_names
from ..lessons.library import open_lesson
from ..lessons.text import _
from .args import (Parser, add_language, add_settings, compare_changes, load, refuse_settings,
                   settings_from)


def _size(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.size", value=repr(text)))
    (w_min, h_min), (w_max, h_max) = WINDOW_MIN, WINDOW_MAX
    if not (w_min <= w <= w_max and h_min <= h <= h_max):
        raise argparse.ArgumentTypeError(_("cli.size_range", size=f"{w}x{h}",
                                           low=f"{w_min}x{h_min}", high=f"{w_max}x{h_max}"))
    return w, h


def _display_available():
    """False on Linux with no X11 or Wayland display (and no SDL driver chosen by hand):
    SDL would otherwise fall back to an invisible window."""
    if not sys.platform.startswith("linux") or os.environ.get("SDL_VIDEODRIVER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _check_outputs(args, parser):
    """Usage errors for output paths that could not be written, found before the run
    rather than after it."""
    from ..app.shell.recorder import check_gif_path
    from ..app.shell.screenshot import check_screenshot_path
    try:
        if args.save is not None:
            if Path(args.save).suffix.lower() != ".json":
                raise FileError(_("cli.save_json", path=shown(args.save)))
            check_writable(args.save)
        if args.screenshot is not None:
            check_screenshot_path(args.screenshot)
        if args.record is not None:
            check_gif_path(args.record)
    except FileError as error:
        parser.error(str(error))


#: The subcommands, each with an example, at the end of ``nnsim --help``.
SUBCOMMANDS = """subcommands (nnsim SUBCOMMAND --help for their options):
  train         train headless, one JSON line per epoch
                  nnsim train --dataset spiral --hidden 8,8 --epochs 200
  explain       one training point's forward pass, loss, backward pass and update, as JSON
                  nnsim explain --dataset xor --point 2.5,-1.5 --label 1
  export-torch  a PyTorch script of a saved scenario that reproduces its predictions
                  nnsim export-torch lesson.json net.py
  bench         speed of the engine and of the app's frames, as one JSON document
                  nnsim bench --quick

examples:
  nnsim --dataset xor --play                 open the XOR dataset and start training
  nnsim --lesson overfitting                 open a shipped lesson
  nnsim --headless --frames 120 --play --screenshot shot.png   no display needed
"""


def _parser():
    """The app's parser, and the option of each setting."""
    parser = Parser(prog="nnsim", description="The neural network playground: nnsim [options] "
                    "opens it in a window.", epilog=SUBCOMMANDS,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nnsim {__version__}")
    add_language(parser)
    options = add_settings(parser, "--preset")
    parser.add_argument("--fullscreen", action="store_true", help="start fullscreen")
    parser.add_argument("--theme", choices=THEMES, type=str.lower,
                        help="colours: light, high-contrast (projectors) or dark (default: the "
                             "one chosen last with M, else light)")
    parser.add_argument("--touch", action="store_true",
                        help="show the class picker from the start (a touch shows it anyway)")
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
                        help="with --frames: save the scenario after the last frame (.json)")
    parser.add_argument("--compare", metavar="KEY=VALUE,...",
                        help="compare mode: side B is A with these settings changed, e.g. "
                             "activation=relu or eta=0.1,batch=8")
    parser.add_argument("--experiment", metavar="NAME",
                        help="open a 'Try this' experiment: "
                             f"{', '.join(e.name for e in ALL_EXPERIMENTS)}")
    parser.add_argument("--restore", action=argparse.BooleanOptionalAction, default=None,
                        help="restore the newest recovery file (headless too), then run as "
                             "asked; --no-restore: never offer it (default: offered in a window)")
    parser.add_argument("--autosave", action=argparse.BooleanOptionalAction, default=None,
                        help="keep a recovery file of unsaved work (default: in a window, "
                             "not headless)")
    return parser, options


def launch_options(argv):
    """The checked ``LaunchOptions`` of the app's command line; a bad one is a usage error."""
    parser, options = _parser()
    args = parser.parse_args(argv)
    for option in ("load", "save", "screenshot", "record"):
        if getattr(args, option) == "":
            parser.error(_("cli.file_name", option=f"--{option}"))
    settings = settings_from(args, parser)
    if args.save is not None and args.frames is None:
        parser.error(_("cli.save_frames"))
    if args.frames is not None and args.frames < 1:
        parser.error(_("cli.frames", n=args.frames))
    if args.headless and args.frames is None:
        parser.error(_("cli.headless"))
    _check_outputs(args, parser)
    session = experiment = compare = None
    if args.load is not None and args.lesson is not None:
        parser.error(_("cli.load_lesson"))
    if args.load is not None:
        session = load(args, parser, options)
    if args.lesson is not None:
        refuse_settings(args, parser, options, "--lesson")
        try:
            session = open_lesson(args.lesson)
        except ValueError as error:
            parser.error(str(error))
    if args.experiment is not None:
        if args.load is not None or args.lesson is not None or args.compare is not None:
            parser.error(_("cli.experiment"))
        refuse_settings(args, parser, options, "--experiment", allowed=("seed",))
        try:
            experiment = ALL_EXPERIMENTS.index(choose(args.experiment, ALL_EXPERIMENTS, "experiment"))
        except ValueError as error:
            parser.error(str(error))
    if args.compare is not None:
        try:
            compare = compare_changes(args.compare, session.settings if session else settings)
        except ValueError as error:
            parser.error(str(error))
    return LaunchOptions(
        settings=settings, session=session, size=args.size, fullscreen=args.fullscreen,
        playing=args.play, speed=args.speed, headless=args.headless, frames=args.frames,
        screenshot=args.screenshot, save=args.save, record=args.record, intro=args.intro,
        compare=compare, experiment=experiment, experiment_seed=getattr(args, "seed", None),
        restore=args.restore, autosave=args.autosave, theme=args.theme, touch=args.touch,
        language=args.lang)


def main(argv):
    options = launch_options(argv)
    if not options.headless and not _display_available():
        print(_("cli.no_display"), file=sys.stderr)
        return 1
    import pygame

    from ..app.shell.main import run
    try:
        return run(options)
    except pygame.error as error:
        if "video" in str(error).lower() or "display" in str(error).lower():
            print(_("cli.no_display"), file=sys.stderr)
        else:
            print(f"nnsim: {error}", file=sys.stderr)
        return 1
    except (OSError, FileError) as error:
        print(f"nnsim: {error}", file=sys.stderr)
        return 1
