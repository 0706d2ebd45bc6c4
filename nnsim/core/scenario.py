"""Scenario files (JSON) and point files (CSV): validated reading, atomic writing.

A scenario holds everything that makes a screen: the settings, every point with its
train/test flag, and optionally the training state (weights, optimizer moments, shuffle
state, epoch and loss history), so reopening it shows the same boundary and training goes
on exactly as it would have. The loss history is saved as the History holds it (at most
MOST blocks of min and max), so a file stays a few MB however long the run; version 1
files, which list every epoch's row, are converted on reading. Nothing read from a file is ever executed or unpickled; every
field is checked, and a bad file raises ``FileError`` with a one-line message.
"""
import csv
import io
import json
import math
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from .config import MAX_POINTS, PLANE
from .history import History, block_size
from .session import Session, Settings

FORMAT = "nnsim-scenario"
VERSION = 2
MAX_FILE_BYTES = 64 * 1024 * 1024


class FileError(ValueError):
    """A file that cannot be read or written; the message is one line for the user."""


# -- writing ------------------------------------------------------------------------------
def write_atomic(path, text):
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename, so a
    failed write leaves any old file intact."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise FileError(f"cannot write in {path.parent}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as error:
        os.unlink(tmp)
        raise FileError(f"cannot write {path}: {error.strerror}") from None


def _finite_or_none(values):
    return [float(v) if math.isfinite(v) else None for v in values]


def scenario_dict(session, weights=True):
    """The scenario of ``session`` as plain JSON-able data; the training state is left out
    when asked, or when it is not finite (a diverged run)."""
    data = {"format": FORMAT, "version": VERSION,
            "settings": {k: list(v) if isinstance(v, tuple) else v
                         for k, v in asdict(session.settings).items()},
            "points": {"x1": session.X[:, 0].tolist(), "x2": session.X[:, 1].tolist(),
                       "label": session.y.tolist(), "test": session.test.tolist()}}
    state = session.net.state()
    if weights and all(np.isfinite(state[key]).all() for key in ("theta", "m", "v")):
        data["training"] = {
            "theta": state["theta"].tolist(), "m": state["m"].tolist(), "v": state["v"].tolist(),
            "steps": state["steps"], "optimizer_steps": state["optimizer_steps"],
            "rng": state["rng"], "resets": session.resets, "diverged": state["diverged"],
            "history": _history_dict(session.history)}
    return data


def _history_dict(history):
    _, lo, hi = history.blocks()
    return {"epochs": len(history), "min": [_finite_or_none(row) for row in lo],
            "max": [_finite_or_none(row) for row in hi], "last": _finite_or_none(history.last)}


def dumps(data):
    """Canonical JSON text of a scenario (save -> load -> save gives the same bytes)."""
    return json.dumps(data, indent=1, allow_nan=False) + "\n"


def save(session, path, weights=True):
    write_atomic(path, dumps(scenario_dict(session, weights)))


# -- reading ------------------------------------------------------------------------------
def read_text(path, what="file"):
    """The text of a user's file, or FileError saying plainly why not."""
    path = Path(path)
    try:
        if path.is_dir():
            raise FileError(f"{path} is a folder, not a {what}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileError(f"{path.name} is too large ({size / 2**20:.0f} MB; the limit is "
                            f"{MAX_FILE_BYTES // 2**20} MB)")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileError(f"{path} does not exist") from None
    except PermissionError:
        raise FileError(f"no permission to read {path}") from None
    except UnicodeDecodeError:
        raise FileError(f"{path.name} is not a text file") from None
    except OSError as error:
        raise FileError(f"cannot read {path}: {error.strerror}") from None


def _no_constants(name):
    raise FileError(f"{name} is not a number this file may hold")


def _get(data, key, kind, where):
    if not isinstance(data, dict) or key not in data:
        raise FileError(f"missing field '{where}{key}'")
    value = data[key]
    ok = (isinstance(value, kind) and not isinstance(value, bool)) if kind in (int, float, (int, float)) \
        else isinstance(value, kind)
    if not ok:
        names = {list: "a list", dict: "an object", str: "text", bool: "true or false",
                 int: "a whole number", (int, float): "a number"}
        raise FileError(f"field '{where}{key}' must be {names[kind]}")
    return value


def _numbers(values, where, lo=-math.inf, hi=math.inf, integer=False, allow_none=False):
    if not isinstance(values, list):
        raise FileError(f"field '{where}' must be a list")
    kind = int if integer else (int, float)
    for v in values:
        if v is None and allow_none:
            continue
        if isinstance(v, bool) or not isinstance(v, kind) or not lo <= v <= hi:
            raise FileError(f"field '{where}' holds {v!r}; expected "
                            f"{'whole numbers' if integer else 'numbers'} from {lo:g} to {hi:g}")
    return values


def _settings(data):
    raw = _get(data, "settings", dict, "")
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise FileError(f"unknown setting '{unknown[0]}'")
    values = {}
    for name in known:
        default = getattr(Settings(), name)
        kind = list if isinstance(default, tuple) else (int, float) if isinstance(default, float) \
            else type(default)
        value = _get(raw, name, kind, "settings.")
        values[name] = tuple(value) if kind is list else value
    try:
        return Settings(**values).checked()
    except (ValueError, TypeError) as error:
        raise FileError(f"bad settings: {error}") from None


def _points(data, n_classes):
    p = _get(data, "points", dict, "")
    n = len(_get(p, "label", list, "points."))
    if n > MAX_POINTS:
        raise FileError(f"too many points ({n:,}; the limit is {MAX_POINTS:,})")
    x1 = _numbers(_get(p, "x1", list, "points."), "points.x1", -PLANE, PLANE)
    x2 = _numbers(_get(p, "x2", list, "points."), "points.x2", -PLANE, PLANE)
    label = _numbers(p["label"], "points.label", 0, n_classes - 1, integer=True)
    test = _get(p, "test", list, "points.")
    if not all(isinstance(t, bool) for t in test):
        raise FileError("field 'points.test' must hold true or false")
    if not len(x1) == len(x2) == len(test) == n:
        raise FileError("points.x1, x2, label and test must have the same length")
    return np.c_[np.array(x1, float), np.array(x2, float)].reshape(-1, 2), \
        np.array(label, dtype=np.int64), np.array(test, dtype=bool)


def _training(data):
    """The network's training state (see ``Network.state``), the number of resets and the
    loss history, as read from the file."""
    training = _get(data, "training", dict, "")
    state = {}
    for key in ("theta", "m", "v"):
        values = _get(training, key, list, "training.")
        state[key] = np.array(_numbers(values, f"training.{key}", -1e300, 1e300), dtype=float)
    for key in ("steps", "optimizer_steps", "rng"):
        state[key] = _get(training, key, int, "training.")
    state["diverged"] = _get(training, "diverged", bool, "training.")
    resets = _get(training, "resets", int, "training.")
    if not 0 <= resets < 2 ** 31:
        raise FileError(f"training.resets is out of range ({resets})")
    return state, resets


def _rows(rows, where):
    """(n, 4) floats from a list of rows of 4 numbers or nulls (NaN)."""
    for row in rows:
        if not isinstance(row, list) or len(row) != 4:
            raise FileError(f"each row of {where} must hold 4 numbers")
        _numbers(row, where, -1e300, 1e300, allow_none=True)
    return np.array([[np.nan if v is None else v for v in row] for row in rows],
                    dtype=float).reshape(-1, 4)


def _history(t, version):
    """The History in ``training``: version 1 lists every epoch's row, version 2 the
    History's blocks."""
    if version == 1:
        return History().extended(_rows(_get(t, "history", list, "training."), "training.history"))
    h = _get(t, "history", dict, "training.")
    epochs = _get(h, "epochs", int, "training.history.")
    if not 0 <= epochs < 2 ** 62:
        raise FileError("training.history.epochs is out of range")
    lo = _rows(_get(h, "min", list, "training.history."), "training.history.min")
    hi = _rows(_get(h, "max", list, "training.history."), "training.history.max")
    last = _rows([_get(h, "last", list, "training.history.")], "training.history.last")
    blocks = -(-epochs // block_size(epochs))
    if not len(lo) == len(hi) == blocks:
        raise FileError(f"training.history.min and max must hold {blocks} rows for "
                        f"{epochs} epochs")
    return History.restored(epochs, lo, hi, last)


def loads(text, name="scenario"):
    """A Session restored from scenario JSON ``text``, or FileError."""
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise FileError(f"{name} is not valid JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileError(f"{name} is not an nnsim scenario (no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if type(version) is not int or version not in (1, VERSION):
        raise FileError(f"{name} has format version {version!r}; this nnsim reads versions 1 "
                        f"to {VERSION}")
    settings = _settings(data)
    X, y, test = _points(data, settings.n_classes)
    session = Session(settings)
    session.set_points(X, y, test)
    if "training" in data:
        state, resets = _training(data)
        try:
            session.net.load_state(state)
        except ValueError as error:
            raise FileError(f"bad training state: {error}") from None
        session.resets = resets
        session.set_history(_history(data["training"], version))
    return session


def load(path):
    """The Session saved in scenario file ``path``, or FileError."""
    return loads(read_text(path, "scenario file"), Path(path).name)


# -- points as CSV ------------------------------------------------------------------------
def write_csv(path, X, y):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["x", "y", "label"])
    w.writerows([repr(float(a)), repr(float(b)), int(c)] for (a, b), c in zip(X, y))
    write_atomic(path, out.getvalue())


def read_csv(path, n_classes):
    """Points (X, y) from a CSV of x,y,label rows (a header row is optional), or FileError
    naming the first bad line."""
    text = read_text(path, "CSV file")
    rows = list(csv.reader(io.StringIO(text)))
    if rows and rows[0] and rows[0][0].strip().lower() in ("x", "x1"):
        rows = rows[1:]
        first = 2
    else:
        first = 1
    rows = [(i, r) for i, r in enumerate(rows, start=first) if any(c.strip() for c in r)]
    if len(rows) > MAX_POINTS:
        raise FileError(f"too many points ({len(rows):,}; the limit is {MAX_POINTS:,})")
    X, y = np.empty((len(rows), 2)), np.empty(len(rows), dtype=np.int64)
    for k, (line, row) in enumerate(rows):
        if len(row) != 3:
            raise FileError(f"{Path(path).name} line {line}: expected x,y,label, found {len(row)} values")
        try:
            a, b, c = float(row[0]), float(row[1]), int(row[2])
        except ValueError:
            raise FileError(f"{Path(path).name} line {line}: {','.join(row)!r} is not two numbers "
                            "and a class label") from None
        if not (abs(a) <= PLANE and abs(b) <= PLANE):
            raise FileError(f"{Path(path).name} line {line}: x and y must lie in "
                            f"[-{PLANE:g}, {PLANE:g}]")
        if not 0 <= c < n_classes:
            raise FileError(f"{Path(path).name} line {line}: label {c} is not a class of this "
                            f"dataset (0 to {n_classes - 1})")
        X[k], y[k] = (a, b), c
    return X, y
