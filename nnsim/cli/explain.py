"""``nnsim explain``: backprop on one point, as one JSON document."""
import argparse
import json
import math

from ..core.explain import explain
from ..core.features import feature_matrix_t
from ..core.session import Session
from ..lessons.text import _
from .args import Parser, add_language, add_settings, load, settings_from


def _point(text):
    try:
        x1, x2 = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.explain.point", value=repr(text)))
    if not (math.isfinite(x1) and math.isfinite(x2)):
        raise argparse.ArgumentTypeError(_("cli.explain.finite", value=repr(text)))
    return x1, x2


def main(argv):
    parser = Parser(prog="nnsim explain",
                    description="Backprop on one point: every layer's z, a, delta and gradients "
                                "as one JSON document.")
    options = add_settings(parser, "--dataset")
    add_language(parser)
    parser.add_argument("--load", metavar="FILE", help="the network of a saved scenario (.json); "
                        "without it, a fresh network of the settings given")
    parser.add_argument("--point", type=_point, required=True, metavar="X1,X2",
                        help="the point's coordinates in the plane")
    parser.add_argument("--label", type=int, required=True, metavar="K", help="its class (0, 1 or 2)")
    args = parser.parse_args(argv)
    if args.load is not None:
        session = load(args, parser, options)
    else:
        session = Session(settings_from(args, parser))
    x = feature_matrix_t([args.point], session.settings.features, session.settings.extra_features)[:, 0]
    try:
        explained = explain(session.net, x, args.label)
    except ValueError as error:
        parser.error(str(error))
    print(json.dumps(explained))
    return 0
