"""Two sessions compared side by side (A and B): the same points, the same start.

A comparison is fair when the sides differ only in what their settings change: both train
on the same points, and B starts from A's initial weights wherever a layer has the same
shape in both networks, unless the weight init is what they compare: then each side keeps
its own, drawn from the same seed (the same draws, scaled by each side's init).
"""
from .session import DATA_FIELDS, Session

#: Settings both sides always share: they define the points.
SHARED_FIELDS = DATA_FIELDS


def twin(a):
    """A new session equal to ``a`` as it is now: settings, points, training state, history."""
    b = Session(a.settings)
    b.set_points(a.X, a.y, a.test)
    b.net.load_state(a.net.state())
    b.resets = a.resets
    b.weights_changed()
    b.set_history(a.history)
    return b


def start_together(a, b):
    """Give ``b`` the initial weights of ``a`` (both fresh) in every layer whose shape
    matches, so B's run starts where A's does; sides with different inits keep their own."""
    if a.settings.init != b.settings.init:
        return
    for (W_a, b_a), (W_b, b_b) in zip(a.net.params, b.net.params):
        if W_a.shape == W_b.shape:
            W_b[:] = W_a
            b_b[:] = b_a
    b.weights_changed()


def differing_settings(a, b):
    """The names of the settings in which session ``b`` differs from ``a``."""
    return tuple(name for name in a.settings.__dataclass_fields__
                 if getattr(a.settings, name) != getattr(b.settings, name))
