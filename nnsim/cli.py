"""The ``nnsim`` command: the playground app, ``nnsim train`` and ``nnsim bench``."""
import argparse
import json
import math
import sys

from .core.config import ACTIVATIONS, DATASETS, FEATURES, OPTIMIZERS
from .core.session import Session, Settings

SUBCOMMANDS = ("train", "bench")


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
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (100)")
    args = parser.parse_args(argv)
    settings = settings_from(args, parser)
    if not 1 <= args.epochs <= 10_000_000:
        parser.error(f"epochs must be 1 to 10000000, not {args.epochs}")
    session = Session(settings)
    if not len(session.y_train):
        parser.error("no training points: lower --test-ratio or raise --points")
    keys = ("loss", "accuracy", "test_loss", "test_accuracy")
    for epoch in range(1, args.epochs + 1):
        if not session.train(1):
            print(f"nnsim train: diverged at epoch {epoch} (try a smaller --lr)", file=sys.stderr)
            return 1
        row = {"epoch": epoch} | {k: _json_number(v) for k, v in zip(keys, session.history[-1])}
        print(json.dumps(row), flush=True)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] == "train":
            return train_main(argv[1:])
        if argv and argv[0] == "bench":
            from .bench import main as bench_main
            return bench_main(argv[1:])
        from .app.main import main as app_main
        return app_main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:        # e.g. `nnsim train | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
