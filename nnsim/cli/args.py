"""What the subcommands share: the one-line-error ``Parser``, ``--lang``, the options that
define a run (the app's and ``train``'s and ``explain``'s), their validation, and
``--compare``'s changes. Messages come from the catalogue, in ``--lang``'s language; option
names, JSON keys and ``--help`` stay English."""
import argparse
from dataclasses import replace

from ..core import scenario
from ..core.config import (ACTIVATIONS, ALL_DATASETS_OF, CHECKER_RANGE, DATASETS_OF, FEATURES,
                           FORMULA_DATASET_OF, INITS, LOSSES, MAX_DROPOUT, MAX_EXTRA_FEATURES,
                           MAX_HIDDEN_LAYERS, MAX_WIDTH, NOISE_RANGE, OPTIMIZERS, PROBLEMS,
                           SCHEDULES)
from ..core.files import FileError
from ..core.pair import SHARED_FIELDS
from ..core.session import Settings
from ..lessons import text
from ..lessons.text import _


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2, and an option is
    never guessed from an abbreviation (``--se 4`` is an error, not ``--seed 4``)."""

    def __init__(self, **kwargs):
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message):
        self.exit(2, _("cli.error", prog=self.prog, message=message) + "\n")


def add_language(parser):
    """``--lang``, which every command accepts."""
    parser.add_argument("--lang", metavar="CODE",
                        help=f"language of the texts: {', '.join(text.languages())} "
                             "(default: the one chosen in the app last, else the system's)")


def choose_language(argv, prog):
    """Show the texts of ``--lang`` (wherever it is in ``argv``), else of the system locale,
    before any message is made; returns the code given, or None. An unknown code is a
    one-line usage error naming the choices."""
    text.set_language(text.system_language())
    early = Parser(prog=prog, add_help=False)
    add_language(early)
    given = early.parse_known_args(argv)[0].lang
    if given is not None:
        if given not in text.languages():
            early.error(_("cli.lang", code=repr(given), choices=", ".join(text.languages())))
        text.set_language(given)
    return given


def _hidden(text):
    if text.strip() in ("", "0", "none"):
        return ()
    try:
        return tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.hidden", value=repr(text)))


def _features(text):
    return tuple(f.strip() for f in text.split(","))


def _per_layer(read, what):
    """An option's reader of one value (every hidden layer) or of one per hidden layer,
    comma-separated, each read by ``read``."""
    def per_layer(text):
        try:
            values = tuple(read(v.strip()) for v in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, or one per hidden layer "
                                              f"separated by commas, not {text!r}")
        return values[0] if len(values) == 1 else values
    return per_layer


def _flag(text):
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


_names = _per_layer(str, "an activation name")
_flags = _per_layer(_flag, "1 or 0")
_rates = _per_layer(float, "a dropout rate")


def _batch(text):
    if text == "full":
        return 0
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.batch", value=repr(text)))


#: How --compare reads a value, per setting B may change (the others are text).
COMPARE_TYPES = {"hidden": _hidden, "activation": _names, "batch_norm": _flags,
                 "dropout": _rates, "residual": _flags, "features": _features,
                 "extra_features": _features,
                 "eta": float, "batch": _batch, "l1": float, "l2": float, "warmup": int,
                 "schedule_epochs": int, "stop_epochs": int, "stop_loss": float, "early_stop": int}
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
            raise ValueError(_("cli.compare.shape", value=repr(text)))
    changes = {}
    fields = Settings.__dataclass_fields__
    for key, value in pairs:
        if key in SHARED_FIELDS:
            raise ValueError(_("cli.compare.shared", setting=key))
        if key not in fields:
            choices = ", ".join(f for f in fields if f not in SHARED_FIELDS)
            raise ValueError(_("cli.compare.unknown", setting=repr(key), choices=choices))
        try:
            changes[key] = COMPARE_TYPES.get(key, str)(value)
        except (ValueError, argparse.ArgumentTypeError) as error:
            raise ValueError(f"--compare {key}: {error}")
    replace(settings, **changes).checked()
    return changes


def add_settings(parser, dataset_flag):
    """The options that define a run, shared by the app and ``train``; returns each
    setting's option (the dataset's is ``dataset_flag``, "--dataset" or "--preset", and the
    other spelling works too). An option not given is absent from the parsed arguments (so a
    run from a file or an experiment can tell it was given)."""
    d = Settings()
    options = {}

    def option(name, flag, *aliases, **kwargs):
        parser.add_argument(flag, *aliases, dest=name, default=argparse.SUPPRESS, **kwargs)
        options[name] = flag

    option("problem", "--problem", choices=PROBLEMS,
           help="classification (default) or regression; picks the problem's first dataset "
                "unless one is named")
    option("dataset", dataset_flag, *{"--dataset", "--preset"} - {dataset_flag}, metavar="NAME",
           help=f"dataset: {', '.join(ALL_DATASETS_OF['classification'])} (default {d.dataset}); "
                f"regression: {', '.join(ALL_DATASETS_OF['regression'])}")
    option("formula", "--formula", metavar="TEXT",
           help="a formula dataset's formula over x1, x2: class 1 where a rule like 'x1*x2 > 0' "
                "holds; with --problem regression a value like 'sin(x1)*cos(x2)'")
    option("checker_size", "--checker-size", type=float,
           help=f"side of the checkerboard's squares, {CHECKER_RANGE[0]:g} to {CHECKER_RANGE[1]:g} "
                f"({d.checker_size:g})")
    option("points", "--points", type=int, help=f"number of points ({d.points})")
    option("noise", "--noise", type=float, help=f"noise {NOISE_RANGE[0]:g} to {NOISE_RANGE[1]:g} ({d.noise})")
    option("test_ratio", "--test-ratio", type=float,
           help=f"share of points held out for testing ({d.test_ratio})")
    option("seed", "--seed", type=int, help=f"seed of data, weights and shuffling ({d.seed})")
    option("hidden", "--hidden", type=_hidden, metavar="W,W,...",
           help=f"hidden layer widths, e.g. 8,8 (up to {MAX_HIDDEN_LAYERS} layers of 1 to "
                f"{MAX_WIDTH}); 0 for no hidden layer (8,8)")
    option("activation", "--activation", type=_names, metavar="NAME[,NAME...]",
           help=f"hidden activation: {', '.join(ACTIVATIONS)} ({d.activation}); one for every "
                "layer or one per layer")
    option("batch_norm", "--batch-norm", type=_flags, nargs="?", const=True, metavar="1,0,...",
           help="batch normalization in every hidden layer, or per layer (1 or 0 each)")
    option("dropout", "--dropout", type=_rates, metavar="P[,P...]",
           help=f"dropout rate 0 to {MAX_DROPOUT:g} while training, for every hidden layer or "
                "one per layer (0)")
    option("residual", "--residual", type=_flags, nargs="?", const=True, metavar="0,1,...",
           help="residual links a = phi(z) + a_prev into every hidden layer whose width matches "
                "the hidden layer before, or per layer (1 or 0 each)")
    option("init", "--init", metavar="NAME",
           help=f"weight init: {', '.join(INITS)} ({d.init}: He for the ReLU family, Xavier "
                "for the others); zeros shows the symmetry problem, large is N(0, 1)")
    option("features", "--features", type=_features, metavar="F,F,...",
           help=f"input features from: {', '.join(FEATURES)} (x1,x2)")
    option("extra_features", "--extra-feature", action="append", metavar="FORMULA",
           help=f"an input feature typed as a formula, e.g. 'x1*x2^2' (up to {MAX_EXTRA_FEATURES}; "
                "repeat the option for more)")
    option("eta", "--lr", type=float, help=f"learning rate eta ({d.eta})")
    option("batch", "--batch", type=_batch, help=f"batch size or 'full' ({d.batch})")
    option("optimizer", "--optimizer", metavar="NAME", help=f"{', '.join(OPTIMIZERS)} ({d.optimizer})")
    option("l1", "--l1", type=float, help="L1 regularization rate (0)")
    option("l2", "--l2", type=float, help="L2 regularization rate (0)")
    option("loss", "--loss", metavar="NAME",
           help=f"classification loss: {', '.join(LOSSES)} ({d.loss}); squared is "
                "1/2 sum (y_hat - onehot)^2 on the softmax, as TF Playground trains")
    option("schedule", "--schedule", metavar="NAME",
           help=f"learning-rate schedule: {', '.join(SCHEDULES)} ({d.schedule}); step halves eta "
                "every --schedule-epochs, cosine anneals it to 1%% over them")
    option("schedule_epochs", "--schedule-epochs", type=int, metavar="T",
           help=f"the schedule's period in epochs ({d.schedule_epochs})")
    option("warmup", "--warmup", type=int, metavar="EPOCHS",
           help="raise eta linearly over the first EPOCHS epochs (0)")
    option("stop_epochs", "--stop-epochs", type=int, metavar="N", help="stop at epoch N")
    option("stop_loss", "--stop-loss", type=float, metavar="X",
           help="stop once the training loss is below X")
    option("early_stop", "--early-stop", type=int, metavar="K",
           help="stop when the test loss has not improved for K epochs, back at the best epoch's weights")
    return options


def settings_from(args, parser):
    """The validated Settings of parsed options (the defaults for those not given); a bad
    value is a one-line usage error."""
    given = {name: getattr(args, name) for name in Settings.__dataclass_fields__ if hasattr(args, name)}
    problem = getattr(args, "problem", None)
    if "formula" in given:
        given.setdefault("dataset", FORMULA_DATASET_OF[problem or "classification"])
    if problem is not None:
        given.setdefault("dataset", DATASETS_OF[problem][0])
    try:
        settings = Settings(**given).checked()
        if problem is not None and settings.problem != problem:
            raise ValueError(_("cli.problem", dataset=settings.dataset, problem=settings.problem,
                               wanted=problem, choices=", ".join(ALL_DATASETS_OF[problem])))
        return settings
    except ValueError as error:
        parser.error(str(error))


def refuse_settings(args, parser, options, source, allowed=()):
    """A usage error if a settings option other than ``allowed`` was given where ``source``
    (a scenario file, an experiment) decides the settings: it would be ignored."""
    for name, flag in options.items():
        if name not in allowed and hasattr(args, name):
            parser.error(_("cli.refused", flag=flag, source=source))


def load(args, parser, options):
    """The session saved in ``--load``'s scenario; settings options beside it, or a bad
    file, are a usage error."""
    refuse_settings(args, parser, options, "--load")
    try:
        return scenario.load(args.load)
    except FileError as error:
        parser.error(str(error))
