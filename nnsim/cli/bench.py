"""``nnsim bench``: the options of the benchmark in ``nnsim.bench``."""
import json

from .. import bench
from .args import Parser, add_language


def main(argv):
    parser = Parser(prog="nnsim bench", description=bench.__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small, fast version (a few seconds)")
    add_language(parser)
    args = parser.parse_args(argv)
    print(json.dumps(bench.run(args.quick), indent=2))
    return 0
