"""The compile helper: ``python -m nnsim.app.shell.compile STAGE`` compiles the kernels of
one stage of ``warmup.STAGES`` into numba's cache, printing "done total" after each group
(whose kernels are in the cache by then), unless the cache is warm with them already.

The app runs it beside itself on a cold cache (see ``fast_engine``) and trains with NumPy
meanwhile, loading each group as soon as it is printed. It holds the cache's lock
throughout, so a second app started meanwhile waits for it instead of compiling too.

The command line starts the first stage's helper before it imports anything else
(``launch_early``: this module imports neither numba nor the rest of nnsim), so the
helper's own start, a Python process importing numba, overlaps the app's; the app then
takes it over (``first_helper``).
"""
import os
import subprocess
import sys

from . import numba_cache

_early = None      # the first stage's helper, launched by ``launch_early``, not yet taken


def launch(stage):
    """This module, compiling ``stage``, in a child process whose output is a pipe. It gets
    a session of its own: Linux shares the CPU between sessions (autogroups), so on a busy
    machine it gets a share of its own instead of half of the app's (which made it twice
    as slow)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, (str(numba_cache.PACKAGE.parent), os.environ.get("PYTHONPATH")))))
    return subprocess.Popen([sys.executable, "-m", __spec__.name, stage], env=env,
                            stdout=subprocess.PIPE, text=True, start_new_session=True)


def launch_early():
    """On a cold cache, launch the first stage's helper now, for the app to take."""
    global _early
    if _early is None and not numba_cache.warm("first"):
        _early = launch("first")


def first_helper():
    """The first stage's helper: the one launched early, else, on a cold cache, a new one;
    None on a warm cache."""
    global _early
    launch_early()
    helper, _early = _early, None
    return helper


def drop_early():
    """End the helper launched early if no app took it (the command line did not open
    one): it stops between two of numba's writes, each of a whole file."""
    global _early
    if _early is not None:
        _early.kill()
        _early.wait()
        _early = None


def compile_into_cache(stage, groups, out=sys.stdout):
    """Compile ``groups`` (the functions of ``stage``) into the cache under its lock, then
    mark it warm with ``stage``; nothing when another process did so while this one
    waited for the lock."""
    with numba_cache.lock():
        if numba_cache.warm(stage):
            return
        for done, group in enumerate(groups, start=1):
            group()
            try:
                print(done, len(groups), file=out, flush=True)
            except BrokenPipeError:          # the app quit: the cache fills for the next start
                out = open(os.devnull, "w")  # noqa: SIM115 (lives as long as this process)
                sys.stdout = out
        numba_cache.mark_warm(stage)


if __name__ == "__main__":
    from .warmup import STAGES
    compile_into_cache(sys.argv[1], STAGES[sys.argv[1]])
