"""``nnsim train``: headless training, one JSON object per epoch; the last one also carries
the metrics of ``core.metrics`` (train and ``test_``) and, when a stop condition ended the
run, why (``"stopped"``) and, with early stopping, the best epoch, whose weights the metrics
are of."""
import json
import math
import sys

from ..core.config import MAX_EPOCHS, choose
from ..core.session import Session
from ..lessons.experiments import ALL_EXPERIMENTS
from ..lessons.text import _
from .args import Parser, add_language, add_settings, refuse_settings, settings_from


def _json(value):
    """``value`` (a number, or lists of them) for JSON: NaN and infinities become null."""
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, int):
        return value
    return float(value) if math.isfinite(value) else None


def main(argv):
    parser = Parser(prog="nnsim train", description="Train headless; one JSON object per epoch.")
    options = add_settings(parser, "--dataset")
    add_language(parser)
    parser.add_argument("--epochs", type=int,
                        help="the most epochs to train (100, or --stop-epochs, or the experiment's)")
    parser.add_argument("--experiment", metavar="NAME",
                        help="run a 'Try this' experiment with its own settings: "
                             f"{', '.join(e.name for e in ALL_EXPERIMENTS)}")
    parser.add_argument("--part", type=int, choices=(1, 2),
                        help="the experiment's part: 1 (side A, default) or 2 (side B), from scratch")
    args = parser.parse_args(argv)
    if args.experiment is not None:
        refuse_settings(args, parser, options, "--experiment", allowed=("seed",))
        try:
            experiment = choose(args.experiment, ALL_EXPERIMENTS, "experiment")
            session = experiment.session(args.part or 1, getattr(args, "seed", None))
        except ValueError as error:
            parser.error(str(error))
        epochs = experiment.epochs if args.epochs is None else args.epochs
    else:
        if args.part:
            parser.error(_("cli.train.part"))
        session = Session(settings_from(args, parser))
        epochs = session.settings.stop_epochs or 100 if args.epochs is None else args.epochs
    if not 1 <= epochs <= MAX_EPOCHS:
        parser.error(_("cli.train.epochs", max=MAX_EPOCHS, n=epochs))
    if not len(session.y_train):
        parser.error(_("cli.train.no_points"))
    keys = (("loss", "mae", "test_loss", "test_mae") if session.settings.regression
            else ("loss", "accuracy", "test_loss", "test_accuracy"))
    for epoch in range(1, epochs + 1):
        if not session.train(1):
            print(_("cli.train.diverged", epoch=epoch), file=sys.stderr)
            return 1
        row = {"epoch": epoch} | {k: _json(float(v)) for k, v in zip(keys, session.history.last)}
        if epoch == epochs or session.stopped:      # the last line: the metrics beyond the loss
            row |= {k: _json(v) for k, v in session.metrics().items()}
            if session.stopped:
                row["stopped"] = session.stopped
            if session.best:
                row["best_epoch"] = session.best[0]
        print(json.dumps(row), flush=True)
        if session.stopped:
            break
    return 0
