"""The frame budget: how much drawing fits in one frame on the machine at hand.

A frame always does the light work (clearing, blitting the cached pictures, text) and, while
training runs, at most one heavy job: a redraw of the network card or a share of the
heatmap grid. What each costs is measured as the app runs (moving averages), so a slower
machine gets smaller heatmap shares and fewer links instead of late frames.
"""
import time

FRAME_S = 1 / 60
DUTY = 0.6           # of a frame the drawing may use: the rest absorbs the jitter of the
                     # costs and leaves the display server and the training thread room
SMOOTHING = 0.2      # weight of the newest measurement in a moving average


class FrameBudget:
    """Measured seconds per piece of drawing (``cost``: job name -> moving average) and
    what they leave of a frame."""

    def __init__(self, frame_s=FRAME_S, clock=time.perf_counter):
        self.frame_s, self.clock = frame_s, clock
        self.cost = {}

    def note(self, job, seconds):
        """One more measurement of ``job``."""
        old = self.cost.get(job)
        self.cost[job] = seconds if old is None else old + SMOOTHING * (seconds - old)

    def spare(self):
        """Seconds of a frame left for its heavy job: the frame's DUTY share less the light
        work (``"base"``); never below zero."""
        return max(0.0, DUTY * self.frame_s - self.cost.get("base", 0.0))
