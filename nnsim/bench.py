"""``nnsim bench``: how fast the engine trains, draws and starts; one JSON document.

Timings on shared machines are noisy, so every speed is reported beside a baseline measured
in the same run (the NumPy reference, and PyTorch eager when it is installed) as a ratio.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from .core import Network, Session, Settings, make_dataset, reference
from .core.features import feature_matrix_t

DEEP = {"batch_norm": True, "residual": True}
NETS = [  # (name, sizes, activation, deep layers' settings)
    ("[2,8,8,2] tanh", [2, 8, 8, 2], "tanh", {}),
    ("[2,8x6,2] relu", [2, 8, 8, 8, 8, 8, 8, 2], "relu", {}),
    ("[2,16,16,16,2] sigmoid", [2, 16, 16, 16, 2], "sigmoid", {}),
    ("[2,32x8,2] relu (largest plain)", [2] + [32] * 8 + [2], "relu", {}),
    ("[2,64x16,2] relu", [2] + [64] * 16 + [2], "relu", {}),
    ("[2,64x16,2] relu BN residual (largest)", [2] + [64] * 16 + [2], "relu", DEEP),
]
POINTS = 512
#: The frame loop's networks at Max: (name, settings)
FRAME_LOOPS = [
    ("16x64 relu, BN, residual, 1000 points",
     Settings(hidden=(64,) * 16, activation="relu", points=1000, **DEEP)),
    ("8x32 relu, 1000 points", Settings(hidden=(32,) * 8, activation="relu", points=1000)),
    ("spiral 8,8 (default), 500 points", Settings(dataset="spiral", points=500, hidden=(8, 8))),
]


def _rate(step, seconds):
    """Calls of ``step`` per second, timed over at least ``seconds`` (after one warm call)."""
    step()
    calls, start = 0, time.perf_counter()
    while True:
        step()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return calls / elapsed


def _macs(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def _torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


def _torch_model(torch, net):
    """``net`` as a float64 torch.nn.Sequential: per hidden layer Linear, BatchNorm1d where
    it normalizes (training mode: batch statistics), the activation, and the residual add."""
    class Hidden(torch.nn.Module):
        def __init__(self, linear, norm, act, residual):
            super().__init__()
            self.linear, self.norm, self.act, self.residual = linear, norm, act, residual

        def forward(self, a_prev):
            a = self.act(self.norm(self.linear(a_prev)))
            return a + a_prev if self.residual else a

    acts = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}
    layers = []
    for l, (W, b) in enumerate(net.params, start=1):
        linear = torch.nn.Linear(W.shape[1], W.shape[0]).double()
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        if l == len(net.params):
            layers.append(linear)
        else:
            norm = torch.nn.BatchNorm1d(W.shape[0]).double() if net.arch.bn[l - 1] \
                else torch.nn.Identity()
            layers.append(Hidden(linear, norm, acts[net.arch.act[l - 1]](), net.arch.res[l - 1]))
    return torch.nn.Sequential(*layers)


def training(seconds, torch):
    """Steps/s at batch 1 and 32 for each net: numba engine, NumPy reference, PyTorch
    (not for batch normalization on one point: BatchNorm1d refuses to train on one)."""
    X, y = make_dataset("spiral", POINTS, 0.1, 0)
    rows = []
    for name, sizes, activation, deep in NETS:
        for batch in (1, 32):
            steps_per_epoch = math.ceil(POINTS / batch)
            net = Network(sizes, activation, seed=0, **deep)
            epochs = max(1, int(2e5 / (_macs(sizes) * POINTS)))   # a call of ~ms
            numba_rate = _rate(lambda: net.train_epochs(X, y, 1e-3, batch, epochs), seconds)
            numba_steps = numba_rate * epochs * steps_per_epoch
            ref = Network(sizes, activation, seed=0, **deep)   # trained by the reference
            params = ref.layers_of(ref.theta)
            state = reference.optimizer_state(params)
            numpy_steps = _rate(lambda: reference.step(
                params, reference.loss_and_grads(params, ref.arch, X[:batch], y[:batch],
                                                 running=ref.running)[1],
                state, "sgd", 1e-3), seconds)
            row = {"net": name, "batch": batch, "numba_steps_per_s": round(numba_steps),
                   "numpy_steps_per_s": round(numpy_steps),
                   "numba_over_numpy": round(numba_steps / numpy_steps, 1),
                   "numba_gflops": round(numba_steps * 6 * _macs(sizes) * batch / 1e9, 2)}
            if torch and not (batch == 1 and any(net.arch.bn)):
                model = _torch_model(torch, net)
                opt = torch.optim.SGD(model.parameters(), lr=1e-3)
                Xt, yt = torch.from_numpy(X[:batch]), torch.from_numpy(y[:batch])

                def torch_step():
                    opt.zero_grad()
                    torch.nn.functional.cross_entropy(model(Xt), yt).backward()
                    opt.step()
                torch_steps = _rate(torch_step, seconds)
                row |= {"torch_steps_per_s": round(torch_steps),
                        "numba_over_torch": round(numba_steps / torch_steps, 1)}
            rows.append(row)
    return rows


def grids(seconds, torch, app_resolution):
    """Milliseconds per boundary grid (class probabilities of every cell) for each net, in
    float64 and in float32 (what the app draws)."""
    rows = []
    for n in (app_resolution, 200):
        side = (np.arange(n) + 0.5) / n * 12 - 6
        G = np.ascontiguousarray(feature_matrix_t(np.c_[np.repeat(side, n), np.tile(side, n)],
                                                  ("x1", "x2")).T)
        for name, sizes, activation, deep in NETS:
            net = Network(sizes, activation, seed=0, **deep)
            out = np.empty((n * n, 2))
            numba_ms = 1e3 / _rate(lambda: net.predict_proba(G, out), seconds)
            single = np.empty((n * n, 2), np.float32)
            single_ms = 1e3 / _rate(lambda: net.predict_proba(G, single, single=True), seconds)
            numpy_ms = 1e3 / _rate(lambda: reference.forward(net.layers_of(net.theta), net.arch, G,
                                                             net.running), seconds)
            row = {"net": name, "grid": f"{n}x{n}", "numba_ms": round(numba_ms, 3),
                   "numba_float32_ms": round(single_ms, 3),
                   "numpy_ms": round(numpy_ms, 3), "numpy_over_numba": round(numpy_ms / numba_ms, 1)}
            if torch:
                model = _torch_model(torch, net).eval()
                Gt = torch.from_numpy(G)

                def torch_grid():
                    with torch.no_grad():
                        torch.softmax(model(Gt), dim=1)
                torch_ms = 1e3 / _rate(torch_grid, seconds)
                row |= {"torch_ms": round(torch_ms, 3), "torch_over_numba": round(torch_ms / numba_ms, 1)}
            rows.append(row)
    return rows


def frame_loop(name, frames, size, settings, seconds_standalone):
    """The real app loop, headless, at Max speed: frame intervals, epochs/s on screen,
    training steps/s while rendering against the same training with no rendering (on the
    same worker thread, ``_standalone``), and how often the boundary's heatmap is
    recomputed from a new snapshot of the weights (and the network card redrawn)."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    import pygame

    from .app.options import LaunchOptions
    from .app.shell.loop import App
    app = App(LaunchOptions(settings, size=size, playing=True, speed="max", headless=True))
    for _ in range(30):                        # let the scheduler learn the epoch time
        app.frame()
    app.finish()
    session = app.session
    heatmap, card = app.trainer.sides[0].view.heatmap, app.painter.network_view
    stamps, epoch0, steps0 = [], session.epoch, session.net.steps
    grids0, cards0 = heatmap.completed, card.redraws
    start = time.perf_counter()
    for _ in range(frames):
        app.frame()
        stamps.append(time.perf_counter())
    app.finish()
    elapsed = time.perf_counter() - start
    epochs, steps = session.epoch - epoch0, session.net.steps - steps0
    grids, cards = heatmap.completed - grids0, card.redraws - cards0
    intervals = np.diff(np.r_[start, stamps]) * 1e3
    pygame.quit()
    solo_steps = _standalone(Session(settings), seconds_standalone)
    return {
        "run": name, "size": f"{size[0]}x{size[1]}", "net": list(session.net.sizes),
        "points": settings.points,
        "frames": frames, "frame_ms_p50": round(float(np.percentile(intervals, 50)), 2),
        "frame_ms_p95": round(float(np.percentile(intervals, 95)), 2),
        "frame_ms_p99": round(float(np.percentile(intervals, 99)), 2),
        "fps": round(frames / elapsed, 1), "epochs_per_s": round(epochs / elapsed, 1),
        "train_steps_per_s": round(steps / elapsed), "standalone_steps_per_s": round(solo_steps),
        "training_kept": round(steps / elapsed / solo_steps, 3),
        "boundary_redraws_per_s": round(grids / elapsed, 1),
        "network_redraws_per_s": round(cards / elapsed, 1),
    }


def _standalone(session, seconds):
    """Training steps/s of ``session`` trained as the app trains it at Max, on the worker
    thread (at its priority, in chunks of a frame), with no frames drawn."""
    from .app.state.training import FRAME_S, TRAIN_MARGIN_S
    from .app.state.worker import TrainingWorker
    worker = TrainingWorker()
    worker.start([session], 1, repeat=True, chunk_s=FRAME_S - TRAIN_MARGIN_S)
    time.sleep(min(seconds, 0.5))                  # chunks grow to their size
    steps, start = session.net.steps, time.perf_counter()
    time.sleep(seconds)
    rate = (session.net.steps - steps) / (time.perf_counter() - start)
    worker.close()
    return rate


STARTUP = """
import os, sys, time
os.environ["SDL_VIDEODRIVER"] = "dummy"; os.environ["SDL_AUDIODRIVER"] = "dummy"
launched = float(sys.argv[1])
from nnsim.app.shell import compile
compile.launch_early()           # as the nnsim command does, before it imports the app
from nnsim.app.shell.loop import App
from nnsim.app.options import LaunchOptions
app = App(LaunchOptions(size=(1280, 800), playing=True))
app.frame()
window = time.time() - launched
while app.session.epoch < 1:
    app.frame()
first_epoch = time.time() - launched
while not app.fast.in_use:
    app.frame()
numba_ready = time.time() - launched
for _ in range(120):
    app.frame()
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]
print(window, first_epoch, numba_ready, peak)
"""


DISPLAY_RUN = """
import json, os, sys, threading, time
import numpy as np
import pygame
from nnsim.app.shell.loop import App
from nnsim.app.options import LaunchOptions
from nnsim.core import Settings
seconds = float(sys.argv[1])

def cpu():
    return sum(os.times()[:2])

def measure(app):
    \"\"\"CPU % of this process (all threads) and frame intervals over ``seconds`` of the real loop.\"\"\"
    stamps, frame = [], App.frame
    App.frame = lambda self, *args: (frame(self, *args), stamps.append(time.perf_counter()))[0]
    def stop():                # app.quit, not a QUIT event: that only asks while the run is unsaved
        app.quit()
        pygame.event.post(pygame.event.Event(pygame.USEREVENT))   # wakes an idle loop
    threading.Timer(seconds, stop).start()
    heatmap = app.trainer.sides[0].view.heatmap
    start, used, grids = time.perf_counter(), cpu(), heatmap.completed
    app.run()
    elapsed = time.perf_counter() - start
    App.frame = frame
    ms = np.diff(np.r_[start, stamps]) * 1e3 if stamps else np.zeros(1)
    return {"cpu_percent": round(100 * (cpu() - used) / elapsed), "fps": round(len(stamps) / elapsed, 1),
            "frame_ms_p50": round(float(np.percentile(ms, 50)), 2),
            "frame_ms_p99": round(float(np.percentile(ms, 99)), 2),
            "boundary_redraws_per_s": round((heatmap.completed - grids) / elapsed, 1)}

rows = {}
for name, settings, playing in [("paused", Settings(), False),
                                ("max, default net", Settings(), True),
                                ("max, 8x32", Settings(hidden=(32,) * 8, activation="relu",
                                                       points=1000), True),
                                ("max, 16x64 BN residual", Settings(
                                    hidden=(64,) * 16, activation="relu", points=1000,
                                    batch_norm=True, residual=True), True)]:
    app = App(LaunchOptions(settings, fullscreen=True, playing=playing, speed="max"))
    stage = "deep" if settings.batch_norm else "rest"   # the kernels this network runs on
    while not app.fast.loaded[stage].is_set():          # in use from the next frame on
        app.frame()
    for _ in range(30):
        app.frame()
    while not playing and app.clock() < app.ui.message_until:   # a still screen, its
        app.frame()                                             # messages gone
    rows[name] = measure(app)
    app.finish()
    rows[name]["size"] = "%dx%d" % app.screen.get_size()
    app.close()
    pygame.quit()
print(json.dumps(rows))
"""


def display(seconds):
    """The app's real loop in a full-screen window on $DISPLAY (a fresh process, since the
    other sections use SDL's dummy driver): CPU % of the app while paused and at Max, fps and
    frame intervals. None without a display."""
    if not os.environ.get("DISPLAY"):
        return None
    env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"} | {"SDL_AUDIODRIVER": "dummy"}
    out = subprocess.run([sys.executable, "-c", DISPLAY_RUN, str(seconds)], env=env,
                         capture_output=True, text=True, timeout=600, check=True).stdout
    return json.loads(out.splitlines()[-1])


def startup(cold):
    """Seconds from launch to the first frame (window up), to the end of the first epoch
    trained (the app plays from the start) and to the first frame on the numba kernels
    (which compile in a helper process on a cold cache), and the peak RSS of the app after
    two seconds of frames (VmHWM: ru_maxrss would carry this process's over the exec), of
    a fresh app process; cold = with an empty numba cache."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        if cold:
            env["NUMBA_CACHE_DIR"] = cache
        out = subprocess.run([sys.executable, "-c", STARTUP, repr(time.time())], env=env,
                             capture_output=True, text=True, timeout=600, check=True).stdout
    *seconds, rss_kb = out.split()[-4:]
    names = ("window_s", "first_epoch_s", "numba_ready_s")
    return {name: round(float(s), 2) for name, s in zip(names, seconds, strict=True)} | {
        "peak_rss_mb": round(int(rss_kb) / 1024, 1)}


def run(quick=False):
    torch = _torch()
    seconds = 0.02 if quick else 0.4
    from .app.draw import heatmap
    shown = display(1.0 if quick else 5.0)   # first: frame_loop sets the dummy driver
    result = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "torch": torch.__version__ if torch else None, "quick": quick},
        "training": training(seconds, torch),
        "grid": grids(seconds, torch, heatmap.RESOLUTION),
        "frame_loop": [frame_loop(name, 60 if quick else 600, (1920, 1080), settings,
                                  0.2 if quick else 2) for name, settings in FRAME_LOOPS],
        "display": shown,
        "startup": {"warm": startup(cold=False), "cold": None if quick else startup(cold=True)},
    }
    return result
