"""The ``nnsim`` command: the playground app, and the subcommands ``train``, ``explain``,
``export-torch`` and ``bench``, one module each (``args`` holds what they share).

``main`` imports only what it runs. For the playground's window, on a cold numba cache, it
first starts the helper that compiles the kernels (``app.shell.compile``, which imports
nothing heavy): the helper's start then overlaps the app's imports, about half a second
of them."""
import importlib
import sys

from ..app.shell import compile

#: subcommand -> its module here
SUBCOMMANDS = {"train": "train", "explain": "explain", "export-torch": "export_torch",
               "bench": "bench"}
#: options of ``nnsim`` that open no window
NO_WINDOW = {"--headless", "-h", "--help", "--version"}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    subcommand = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    if subcommand is None and not NO_WINDOW & set(argv):
        compile.launch_early()        # the app takes it over; else it ends below
    from .args import choose_language
    try:
        if subcommand:
            choose_language(argv[1:], f"nnsim {subcommand}")
            return importlib.import_module(f".{SUBCOMMANDS[subcommand]}", __name__).main(argv[1:])
        choose_language(argv, "nnsim")
        from . import app
        return app.main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:        # e.g. `nnsim train | head`
        sys.stderr.close()
        return 0
    finally:
        compile.drop_early()
