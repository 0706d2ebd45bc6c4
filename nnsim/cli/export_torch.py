"""``nnsim export-torch``: a saved scenario's network as a standalone PyTorch script."""
from pathlib import Path

from ..core import scenario
from ..core.export import torch_script
from ..core.files import FileError, check_writable, shown, write_atomic
from ..lessons.text import _
from .args import Parser, add_language


def main(argv):
    parser = Parser(prog="nnsim export-torch",
                    description="Write a standalone PyTorch script of a saved scenario's network.")
    parser.add_argument("scenario", help="a scenario file saved by nnsim (.json)")
    parser.add_argument("out", help="the script to write (.py)")
    add_language(parser)
    args = parser.parse_args(argv)
    try:
        check_writable(args.out)
        if Path(args.out).suffix.lower() != ".py":
            raise FileError(_("cli.export.py", path=shown(args.out)))
        session = scenario.load(args.scenario)
        write_atomic(args.out, torch_script(session, Path(args.out).name))
    except FileError as error:
        parser.error(str(error))
    print(_("cli.export.wrote", path=shown(args.out)))
    return 0
