"""The ``nnsim`` command: the playground app, and the subcommands ``train``, ``explain``,
``export-torch`` and ``bench``, one module each (``args`` holds what they share)."""
import sys

from . import app, bench, explain, export_torch, train
from .args import choose_language

SUBCOMMANDS = {"train": train.main, "explain": explain.main, "export-torch": export_torch.main,
               "bench": bench.main}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            choose_language(argv[1:], f"nnsim {argv[0]}")
            return SUBCOMMANDS[argv[0]](argv[1:])
        choose_language(argv, "nnsim")
        return app.main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:        # e.g. `nnsim train | head`
        sys.stderr.close()
        return 0
