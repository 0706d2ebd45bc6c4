"""Which implementation runs the engine's math: the numba kernels or their NumPy twins.

The twins (``twins`` for the MLP, the draw module's own for colouring) take the same
records and arguments as the kernels and agree with them to about 1e-12 per step (not bit
for bit: the kernels reassociate sums under fastmath). NumPy needs no compiling, so the app
trains and draws with it on a cold numba cache while the kernels compile in another
process, then switches. Callers ask ``pick(kernel, twin)`` at each call; importing a kernel
module compiles nothing (numba compiles, or loads from its cache, on the first call).

The choice is process-wide (``use``; the app changes it only while its training worker is
idle), with a per-thread override (``on_this_thread``) for the thread that loads the
kernels while the others still use NumPy.
"""
import threading
from contextlib import contextmanager

ENGINES = ("numba", "numpy")

_chosen = "numba"
_here = threading.local()     # .name: this thread's override, if any


def use(name):
    """Run every thread's calls on ``name`` (one of ENGINES) from now on."""
    global _chosen
    if name not in ENGINES:
        raise ValueError(f"the engine is one of {ENGINES}, not {name!r}")
    _chosen = name


def current():
    """The engine this thread's calls run on."""
    return getattr(_here, "name", None) or _chosen


@contextmanager
def on_this_thread(name):
    """Inside the block, this thread's calls run on ``name`` whatever the others use."""
    if name not in ENGINES:
        raise ValueError(f"the engine is one of {ENGINES}, not {name!r}")
    outer = getattr(_here, "name", None)
    _here.name = name
    try:
        yield
    finally:
        _here.name = outer


def pick(kernel, twin):
    """``kernel`` (numba) or ``twin`` (NumPy), whichever this thread's engine is."""
    return kernel if current() == "numba" else twin
