"""``python -m nnsim.app.shell.compile STAGE``: compile the kernels of one stage of
``warmup.STAGES`` into numba's cache, printing "done total" after each group (whose kernels
are in the cache by then), unless the cache is warm with them already.

The app runs this beside itself on a cold cache (see ``fast_engine``) and trains with NumPy
meanwhile, loading each group as soon as it is printed. It holds the cache's lock
throughout, so a second app started meanwhile waits for it instead of compiling too."""
import os
import sys

from ...core import numba_cache
from .warmup import STAGES


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
    compile_into_cache(sys.argv[1], STAGES[sys.argv[1]])
