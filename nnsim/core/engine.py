"""Which implementation runs the engine's math: the numba kernels or their NumPy twins.

The twins (``twins`` for the MLP, the draw module's own for colouring) take the same
records and arguments as the kernels and agree with them to about 1e-12 per step (not bit
for bit: the kernels reassociate sums under fastmath). NumPy needs no compiling, so the app
trains and draws with it on a cold numba cache while the kernels compile in another
process, then switches. Callers ask ``pick(kernel, twin)`` at each call; importing a kernel
module compiles nothing (numba compiles, or loads from its cache, on the first call).

A network with deep layers (batch normalization, dropout, residual links) runs other
kernels than a plain one (see ``kernels``), which compile later, so it has an engine of
its own: ``pick(kernel, twin, deep=True)``.

The choice is process-wide (``use``; the app changes it only while its training worker is
idle), with a per-thread override (``on_this_thread``, for plain and deep networks alike)
for the thread that loads the kernels while the others still use NumPy.
"""
import threading
from contextlib import contextmanager

ENGINES = ("numba", "numpy")

_chosen = {False: "numba", True: "numba"}     # deep -> engine
_here = threading.local()     # .name: this thread's override, if any


def _check(name):
    if name not in ENGINES:
        raise ValueError(f"the engine is one of {ENGINES}, not {name!r}")
    return name


def use(name, deep=None):
    """Run every thread's calls on ``name`` (one of ENGINES) from now on, and those of
    networks with deep layers on ``deep`` (by default ``name`` too)."""
    _chosen[False], _chosen[True] = _check(name), _check(name if deep is None else deep)


def current(deep=False):
    """The engine this thread's calls run on (for a network with deep layers if ``deep``)."""
    return getattr(_here, "name", None) or _chosen[bool(deep)]


@contextmanager
def on_this_thread(name):
    """Inside the block, this thread's calls run on ``name`` whatever the others use."""
    _check(name)
    outer = getattr(_here, "name", None)
    _here.name = name
    try:
        yield
    finally:
        _here.name = outer


def pick(kernel, twin, deep=False):
    """``kernel`` (numba) or ``twin`` (NumPy), whichever this thread's engine is (for a
    network with deep layers if ``deep``)."""
    return kernel if current(deep) == "numba" else twin
