"""nnsim's command line in a child process, for the tests that signal or kill it: one JSON
line on stdout after the first frame ({"running": true}), when the loop first goes idle
({"idle": true}) and after every autosave ({"autosaved": path, "epoch": n}), so a test waits
for a state instead of a time. $AUTOSAVE_S, if set, replaces recovery.AUTOSAVE_S."""
import json
import os
import sys

from nnsim.app.shell import loop, pacing, recovery
from nnsim.cli import main

_write, _idle, _frame = recovery.Autosave._write, pacing.FramePacer.idle, loop.App.frame


def say_once(key):
    if not getattr(say_once, key, False):
        setattr(say_once, key, True)
        print(json.dumps({key: True}), flush=True)


def write(self, data):
    path = _write(self, data)
    epoch = data["sides"][0]["training"]["history"]["epochs"]
    print(json.dumps({"autosaved": str(path), "epoch": epoch}), flush=True)
    return path


def idle(self, *args):
    say_once("idle")
    return _idle(self, *args)


def frame(self, *args):
    running = _frame(self, *args)
    say_once("running")
    return running


recovery.AUTOSAVE_S = float(os.environ.get("AUTOSAVE_S", recovery.AUTOSAVE_S))
recovery.Autosave._write = write
pacing.FramePacer.idle = idle
loop.App.frame = frame
sys.exit(main(sys.argv[1:]))
