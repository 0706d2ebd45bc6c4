"""nnsim's command line in a child process, for the tests that signal or kill it: one JSON
line on stdout when the loop first goes idle ({"idle": true}) and after every autosave
({"autosaved": path, "epoch": n}), so a test waits for a state instead of a time."""
import json
import sys

from nnsim.app.shell import pacing, recovery
from nnsim.cli import main

_write, _idle = recovery.Autosave._write, pacing.FramePacer.idle


def write(self, text):
    path = _write(self, text)
    epoch = json.loads(text)["sides"][0]["training"]["history"]["epochs"]
    print(json.dumps({"autosaved": str(path), "epoch": epoch}), flush=True)
    return path


def idle(self, *args):
    if not getattr(idle, "said", False):
        idle.said = True
        print(json.dumps({"idle": True}), flush=True)
    return _idle(self, *args)


recovery.Autosave._write = write
pacing.FramePacer.idle = idle
sys.exit(main(sys.argv[1:]))
