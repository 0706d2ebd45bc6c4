"""Soak the playground: thousands of random real pygame events through the headless loop.

Clicks and drags anywhere (off-window too), every hotkey, the wheel, resizes from tiny to
huge, fullscreen toggles, bad files typed into the Open prompt, and bursts of preset,
experiment, step and reset presses inside one frame. Used by the test suite (20,000
events); run it longer by hand:  python tools/soak.py 200000
"""
import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

KEYS = [pygame.K_SPACE, pygame.K_RIGHT, pygame.K_s, pygame.K_r, pygame.K_1, pygame.K_2,
        pygame.K_3, pygame.K_4, pygame.K_5, pygame.K_6, pygame.K_F1, pygame.K_F2, pygame.K_F3,
        pygame.K_F4, pygame.K_F5, pygame.K_F6, pygame.K_RETURN, pygame.K_LEFTBRACKET,
        pygame.K_RIGHTBRACKET, pygame.K_COMMA, pygame.K_PERIOD, pygame.K_a, pygame.K_l,
        pygame.K_c, pygame.K_n, pygame.K_d, pygame.K_v, pygame.K_t, pygame.K_TAB, pygame.K_h,
        pygame.K_p, pygame.K_e, pygame.K_o, pygame.K_F11, pygame.K_f, pygame.K_ESCAPE,
        pygame.K_BACKSPACE, pygame.K_x]
MODS = [0, 0, 0, pygame.KMOD_SHIFT, pygame.KMOD_CTRL, pygame.KMOD_ALT]
#: Keys that replace or retrain the session, pressed several at a time within one frame.
BURST = [(pygame.K_1, 0), (pygame.K_6, 0), (pygame.K_3, pygame.KMOD_SHIFT), (pygame.K_RIGHT, 0),
         (pygame.K_r, 0), (pygame.K_F2, 0), (pygame.K_s, 0), (pygame.K_4, 0), (pygame.K_c, 0)]
SIZES = [(1, 1), (320, 200), (1024, 640), (1280, 800), (1920, 1080), (3840, 2160), (9000, 9000)]


def random_event(rng, size, bad_file):
    w, h = size
    pos = (rng.randint(-200, w + 200), rng.randint(-200, h + 200))
    kind = rng.random()
    if kind < 0.35:
        buttons = (rng.random() < 0.5, False, False)
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=buttons)
    if kind < 0.55:
        return pygame.event.Event(rng.choice([pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP]),
                                  pos=pos, button=rng.choice([1, 1, 1, 2, 3]))
    if kind < 0.62:
        return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]),
                                  flipped=False, precise_x=0.0, precise_y=1.0)
    if kind < 0.90:
        return pygame.event.Event(pygame.KEYDOWN, key=rng.choice(KEYS), mod=rng.choice(MODS),
                                  unicode="", scancode=0)
    if kind < 0.93:
        k, mod = rng.choice(BURST)
        return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)
    if kind < 0.97:
        text = rng.choice([str(bad_file), "x", "/", "missing.json", "../", "é"])
        return pygame.event.Event(pygame.TEXTINPUT, text=text)
    size = rng.choice(SIZES)
    return pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])


def rss_mb():
    """Resident memory of this process in MB (Linux), else 0."""
    try:
        line = next(l for l in open("/proc/self/status") if l.startswith("VmRSS"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return 0.0


def soak(app, events, seed=0, per_frame=50, folder="."):
    """Drive ``app`` with ``events`` random events; returns (frames, quits, rss samples)."""
    rng = random.Random(seed)
    bad = Path(folder).resolve() / "bad.json"
    bad.write_text('{"format": "nnsim-scenario", "version": 1, "settings": [')
    frames = quits = 0
    samples = []
    for start in range(0, events, per_frame):
        for _ in range(min(per_frame, events - start)):
            pygame.event.post(random_event(rng, app.screen.get_size(), bad))
        if rng.random() < 0.2:      # a burst: several session-replacing keys in one frame
            for k, mod in rng.sample(BURST, 4):
                pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="",
                                                     scancode=0))
        if not app.frame():
            quits += 1              # Ctrl+Q answered twice: start again
            app.running = True
        prompt = app.ui.prompt      # random clicks on ".." must not wander off to save
        if prompt and not prompt.folder.is_relative_to(Path(folder).resolve()):
            prompt.folder = Path(folder).resolve()
        frames += 1
        if frames % 50 == 0:
            samples.append(rss_mb())
    return frames, quits, samples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("events", type=int, nargs="?", default=20000,
                        help="how many random events (20000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random events (0)")
    args = parser.parse_args(argv)
    from nnsim.app.options import LaunchOptions
    from nnsim.app.shell.loop import App
    folder = tempfile.mkdtemp(prefix="nnsim-soak-")
    os.chdir(folder)            # screenshots, exports and saved files land here
    app = App(LaunchOptions(headless=True))
    t = time.perf_counter()
    n = args.events
    frames, quits, samples = soak(app, n, args.seed, folder=folder)
    print(f"{n} events, {frames} frames, {quits} quits in {time.perf_counter() - t:.1f} s; "
          f"RSS MB every 50 frames: {[round(s) for s in samples]}")
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
