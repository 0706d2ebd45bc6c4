"""``nnsim bench``: the options of the benchmark in ``nnsim.bench``."""
import json

from .. import bench
from .args import Parser


def main(argv):
    parser = Parser(prog="nnsim bench", description=bench.__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small, fast version (a few seconds)")
    args = parser.parse_args(argv)
    print(json.dumps(bench.run(args.quick), indent=2))
    return 0
