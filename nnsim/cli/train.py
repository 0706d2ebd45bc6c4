"""``nnsim train``: headless training, one JSON object per epoch."""
import json
import math
import sys

from ..core.config import choose
from ..core.session import Session
from ..lessons.experiments import EXPERIMENTS
from ..lessons.text import _
from .args import Parser, add_language, add_settings, refuse_settings, settings_from


def _json_number(x):
    return float(x) if math.isfinite(x) else None


def main(argv):
    parser = Parser(prog="nnsim train", description="Train headless; one JSON object per epoch.")
    options = add_settings(parser, "--dataset")
    add_language(parser)
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
            parser.error(_("cli.train.part"))
        session = Session(settings_from(args, parser))
        epochs = 100 if args.epochs is None else args.epochs
    if not 1 <= epochs <= 10_000_000:
        parser.error(_("cli.train.epochs", n=epochs))
    if not len(session.y_train):
        parser.error(_("cli.train.no_points"))
    keys = (("loss", "mae", "test_loss", "test_mae") if session.settings.regression
            else ("loss", "accuracy", "test_loss", "test_accuracy"))
    for epoch in range(1, epochs + 1):
        if not session.train(1):
            print(_("cli.train.diverged", epoch=epoch), file=sys.stderr)
            return 1
        row = {"epoch": epoch} | {k: _json_number(v) for k, v in zip(keys, session.history.last)}
        print(json.dumps(row), flush=True)
    return 0
