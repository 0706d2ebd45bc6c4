"""Headless test setup: SDL's dummy drivers are chosen before anything imports pygame."""
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
