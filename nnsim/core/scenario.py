"""Scenario files (JSON) and point files (CSV): validated reading, atomic writing.

A scenario holds everything that makes a screen: perhaps a lesson (``core.lesson``), the settings, every point with its
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
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from .config import MAX_POINTS, MAX_WIDTH, PLANE
from .files import FileError, read_user_file, shown, write_atomic
from .history import History, block_size
from .lesson import lesson_dict, lesson_from
from .session import Session, Settings

FORMAT = "nnsim-scenario"
VERSION = 4
#: Settings that files of an older version lack: reading one gives them their defaults.
SETTINGS_ADDED = dict.fromkeys(("checker_size", "formula", "extra_features", "loss", "schedule",
                                 "warmup", "schedule_epochs", "stop_epochs", "stop_loss",
                                 "early_stop"), 3) | dict.fromkeys(("batch_norm", "dropout",
                                                                     "residual", "init"), 4)
#: Settings that hold one value for every hidden layer or a list of one per layer.
PER_LAYER = ("activation", "batch_norm", "dropout", "residual")
MAX_FILE_BYTES = 64 * 1024 * 1024


def _finite_or_none(values):
    return [float(v) if math.isfinite(v) else None for v in values]


def scenario_dict(session, weights=True):
    """The scenario of ``session`` as plain JSON-able data; the training state is left out
    when asked, or when it is not finite (a diverged run)."""
    data = {"format": FORMAT, "version": VERSION}
    if session.lesson is not None:
        data["lesson"] = lesson_dict(session.lesson)
    data["settings"] = {k: list(v) if isinstance(v, tuple) else v
                        for k, v in asdict(session.settings).items()}
    data["points"] = {"x1": session.X[:, 0].tolist(), "x2": session.X[:, 1].tolist(),
                      "label": session.y.tolist(), "test": session.test.tolist()}
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
def _no_constants(name):
    raise FileError(f"{name} is not a number this file may hold")


def _whole_number(digits):
    """A JSON whole number. Every one a scenario holds fits in 20 digits; a longer one is
    refused here, before Python's own limit (4,300 digits) raises a ValueError."""
    n = len(digits.lstrip("-"))
    if n > 30:
        raise FileError(f"a number of {n:,} digits is not one a scenario holds")
    return int(digits)


def _show(value, limit=40):
    """``value`` for a one-line message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


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
            raise FileError(f"field '{where}' holds {_show(v)}; expected "
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
        if name not in raw and data["version"] < SETTINGS_ADDED.get(name, 1):
            continue            # a file from before this setting: its default
        default = getattr(Settings(), name)
        kind = list if isinstance(default, tuple) else (int, float) if isinstance(default, float) \
            else type(default)
        if name in PER_LAYER and isinstance(raw.get(name), list):
            value = [_get({name: v}, name, kind, "settings.") for v in raw[name]]
            kind = list
        else:
            value = _get(raw, name, kind, "settings.")
        if name in ("features", "extra_features") and not all(isinstance(v, str) for v in value):
            raise FileError(f"field 'settings.{name}' must hold text")
        if name == "hidden":    # whole numbers: 1e400 or 8.5 is no layer width
            _numbers(value, "settings.hidden", 1, MAX_WIDTH, integer=True)
        values[name] = tuple(value) if kind is list else value
    try:
        return Settings(**values).checked()
    except (ValueError, TypeError) as error:
        raise FileError(f"bad settings: {error}") from None


def _points(data, settings):
    p = _get(data, "points", dict, "")
    n = len(_get(p, "label", list, "points."))
    if n > MAX_POINTS:
        raise FileError(f"too many points ({n:,}; the limit is {MAX_POINTS:,})")
    x1 = _numbers(_get(p, "x1", list, "points."), "points.x1", -PLANE, PLANE)
    x2 = _numbers(_get(p, "x2", list, "points."), "points.x2", -PLANE, PLANE)
    if settings.regression:      # a label is the point's target value
        label = _numbers(p["label"], "points.label", -1.0, 1.0)
    else:
        label = _numbers(p["label"], "points.label", 0, settings.n_classes - 1, integer=True)
    test = _get(p, "test", list, "points.")
    if not all(isinstance(t, bool) for t in test):
        raise FileError("field 'points.test' must hold true or false")
    if not len(x1) == len(x2) == len(test) == n:
        raise FileError("points.x1, x2, label and test must have the same length")
    return np.c_[np.array(x1, float), np.array(x2, float)].reshape(-1, 2), \
        np.array(label, dtype=np.float64 if settings.regression else np.int64), \
        np.array(test, dtype=bool)


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
    """The History in ``training``: version 1 lists every epoch's row, later versions the
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


def parse(text):
    """The JSON data of ``text``, read as a scenario is (no NaN or Infinity, no numbers of
    absurd length), or FileError; for files that wrap scenarios (recovery files)."""
    try:
        return json.loads(text, parse_constant=_no_constants, parse_int=_whole_number)
    except json.JSONDecodeError as error:
        raise FileError(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise FileError("nested too deeply to be a scenario") from None


def _parsed(text):
    """The JSON data of a scenario's ``text``, its format and version checked."""
    return _checked(parse(text))


def _checked(data):
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileError(f"not an nnsim scenario (no \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise FileError(f"format version {_show(version)}; this nnsim reads versions 1 to "
                        f"{VERSION}")
    return data


def _session(data):
    settings = _settings(data)
    X, y, test = _points(data, settings)
    session = Session(settings)
    session.set_points(X, y, test)
    if "lesson" in data:
        session.lesson = lesson_from(data["lesson"])
    if "training" in data:
        state, resets = _training(data)
        try:
            session.net.load_state(state)
        except ValueError as error:
            raise FileError(f"bad training state: {error}") from None
        session.resets = resets
        session.set_history(_history(data["training"], data["version"]))
    return session


def from_data(data, name="scenario"):
    """A Session restored from scenario ``data`` as ``parse`` reads it (checked like a
    file), or FileError saying in one line what is wrong with ``name``."""
    try:
        return _session(_checked(data))
    except FileError as error:
        raise FileError(f"{name}: {error}") from None


def loads(text, name="scenario"):
    """A Session restored from scenario JSON ``text``, or FileError saying in one line what
    is wrong with the file ``name``."""
    try:
        return _session(_parsed(text))
    except FileError as error:
        raise FileError(f"{name}: {error}") from None


def load(path):
    """The Session saved in scenario file ``path``, or FileError."""
    return loads(read_user_file(path, "scenario file", MAX_FILE_BYTES), shown(Path(path).name))


# -- points as CSV ------------------------------------------------------------------------
def write_csv(path, X, y):
    """Points as CSV rows x,y,label, or x,y,value for regression targets (float ``y``)."""
    values = np.asarray(y).dtype.kind == "f"
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["x", "y", "value" if values else "label"])
    w.writerows([repr(float(a)), repr(float(b)), repr(float(c)) if values else int(c)]
                for (a, b), c in zip(X, y))
    write_atomic(path, out.getvalue())


def _csv_rows(text, name):
    """The rows of CSV ``text`` with their line numbers, or FileError naming the bad line."""
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:   # a field over the csv module's limit, a NUL byte, ...
        raise FileError(f"{name} line {reader.line_num}: {error}") from None
    return rows


def read_csv(path, n_classes):
    """Points (X, y) from a CSV of x,y,label rows (a header row is optional), or FileError
    naming the first bad line. ``n_classes`` 1 (a regression dataset) reads x,y,value rows,
    the values in [-1, 1]."""
    values = n_classes == 1
    name = shown(Path(path).name)
    rows = _csv_rows(read_user_file(path, "CSV file", MAX_FILE_BYTES), name)
    if rows and rows[0][1] and rows[0][1][0].strip().lower() in ("x", "x1"):
        rows = rows[1:]
    rows = [(line, r) for line, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise FileError(f"{name} holds no points")
    if len(rows) > MAX_POINTS:
        raise FileError(f"too many points ({len(rows):,}; the limit is {MAX_POINTS:,})")
    X, y = np.empty((len(rows), 2)), np.empty(len(rows), dtype=np.float64 if values else np.int64)
    what = "value" if values else "label"
    for k, (line, row) in enumerate(rows):
        if len(row) != 3:
            raise FileError(f"{name} line {line}: expected x,y,{what}, found {len(row)} values")
        try:
            a, b, c = float(row[0]), float(row[1]), (float if values else int)(row[2])
        except ValueError:
            raise FileError(f"{name} line {line}: {_show(','.join(row))} is not two numbers "
                            f"and a {'value' if values else 'class label'}") from None
        if not (abs(a) <= PLANE and abs(b) <= PLANE):
            raise FileError(f"{name} line {line}: x and y must lie in [-{PLANE:g}, {PLANE:g}]")
        if values and not -1.0 <= c <= 1.0:     # also refuses nan
            raise FileError(f"{name} line {line}: value {c!r} is not from -1 to 1")
        if not values and not 0 <= c < n_classes:
            raise FileError(f"{name} line {line}: label {c} is not a class of this "
                            f"dataset (0 to {n_classes - 1})")
        X[k], y[k] = (a, b), c
    return X, y
