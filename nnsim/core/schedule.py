"""Learning-rate schedules: the eta of each epoch, from the settings' eta, schedule, warm-up
and schedule_epochs T. Epochs count from 0 (the first epoch trained).

* warm-up: for the first W epochs eta rises in a line, eta (e + 1) / W, reaching eta at
  epoch W - 1; the schedule then runs from epoch W as if that were its epoch 0;
* constant: eta;
* step decay: eta * STEP_FACTOR^floor(e / T), halving every T epochs;
* cosine: eta (f + (1 - f) (1 + cos(pi min(e, T) / T)) / 2) with f = COSINE_FLOOR: half a
  cosine wave from eta down to f eta over T epochs, then f eta from there on.

The kernels train at one eta per call, so a scheduled run trains in pieces of epochs of equal
eta: ``steady_epochs`` says how long each is.
"""
import math

from .config import COSINE_FLOOR, STEP_FACTOR


def eta_at(settings, epoch):
    """The learning rate of epoch ``epoch`` (from 0) under ``settings``."""
    eta, warmup, T = settings.eta, settings.warmup, settings.schedule_epochs
    if epoch < warmup:
        return eta * (epoch + 1) / warmup
    e = epoch - warmup
    if settings.schedule == "step":
        return eta * STEP_FACTOR ** (e // T)
    if settings.schedule == "cosine":
        return eta * (COSINE_FLOOR + (1 - COSINE_FLOOR) * (1 + math.cos(math.pi * min(e, T) / T)) / 2)
    return eta


def steady_epochs(settings, epoch):
    """How many epochs from ``epoch`` on train at ``eta_at(settings, epoch)`` (math.inf when
    eta stays so for good)."""
    if epoch < settings.warmup:
        return 1
    e, T = epoch - settings.warmup, settings.schedule_epochs
    if settings.schedule == "step":
        return T - e % T
    if settings.schedule == "cosine" and e < T:
        return 1
    return math.inf
