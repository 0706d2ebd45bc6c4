"""Files a classroom throws at nnsim: hostile JSON and CSV, devices, FIFOs, symlinks, full
disks, odd names and umasks. Each gives one line and loses nothing."""
import ast
import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest

from nnsim.app.shell.screenshot import save_screenshot
from nnsim.cli import main
from nnsim.core import Session, Settings, scenario
from nnsim.core.export import torch_script
from nnsim.core.files import FileError, read_user_file, write_atomic


def good_text(**settings):
    return json.dumps(scenario.scenario_dict(Session(Settings(points=20, **settings))))


HOSTILE_JSON = {
    "deep": "[" * 100_000 + "]" * 100_000,
    "long integer": good_text().replace(f'"version": {scenario.VERSION}', '"version": ' + "7" * 5000),
    "huge width": good_text().replace('"hidden": [8, 8]', '"hidden": [1e400]'),
    "fractional width": good_text().replace('"hidden": [8, 8]', '"hidden": [8.5]'),
    "width as text": good_text().replace('"hidden": [8, 8]', '"hidden": ["8"]'),
    "feature as list": good_text().replace('"features": ["x1", "x2"]', '"features": [["x1"]]'),
}


@pytest.mark.parametrize("text", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_json_is_one_file_error(text):
    with pytest.raises(FileError) as info:
        scenario.loads(text, "bad.json")
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


def load_exits_2_with_one_line(path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["--load", str(path)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and err.startswith("nnsim: error:")
    return err


@pytest.mark.parametrize("name", ["deep", "long integer", "huge width"])
def test_cli_load_of_hostile_json_is_one_line(tmp_path, capsys, name):
    path = tmp_path / "bad.json"
    path.write_text(HOSTILE_JSON[name])
    assert "bad.json" in load_exits_2_with_one_line(path, capsys)


def test_csv_field_over_the_csv_limit_is_one_line(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("x,y,label\n1,1,0\n" + "9" * 200_000 + ",1,0\n")
    with pytest.raises(FileError, match="long.csv line 3: field larger than field limit"):
        scenario.read_csv(path, 2)
    path.write_text("x,y,label\n1,1,0\n1,1," + "9" * 5000 + "\n")     # too many digits for int()
    with pytest.raises(FileError, match=r"line 3: '1,1,999.*\.\.\. is not two numbers") as info:
        scenario.read_csv(path, 2)
    assert len(str(info.value)) < 120


def test_devices_are_refused_before_reading(capsys):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(FileError, match="/dev/zero is not a regular file"):
        scenario.load("/dev/zero")
    assert "not a regular file" in load_exits_2_with_one_line("/dev/zero", capsys)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    # in a child process, so that a regression hangs the child and not the test run
    code = "import sys; from nnsim.cli import main; sys.exit(main(['--load', sys.argv[1]]))"
    result = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "pipe.json is not a regular file" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_size_cap_does_not_trust_st_size(monkeypatch):
    status = Path("/proc/self/status")      # a regular file whose st_size says 0
    if not status.exists() or status.stat().st_size:
        pytest.skip("no /proc")
    monkeypatch.setattr(scenario, "MAX_FILE_BYTES", 100)
    with pytest.raises(FileError, match="too large"):
        scenario.load(status)
    assert read_user_file(status, "file", 1 << 20).startswith("Name:")


def test_a_fifo_or_device_is_never_replaced_by_a_save(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(FileError, match="pipe.json is not a regular file; nnsim will not replace it"):
        scenario.save(Session(Settings(points=20)), fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["pipe.json"]


def test_a_save_through_a_symlink_writes_its_target(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    scenario.save(Session(Settings(points=20)), link)
    assert link.is_symlink() and scenario.load(real).settings.points == 20


@pytest.fixture
def umask():
    """Set the process umask for one test."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def every_writer(path):
    """Each kind of file nnsim writes, by its own writer, at ``path`` with its suffix."""
    session = Session(Settings(points=20))
    return {".json": lambda: scenario.save(session, path),
            ".csv": lambda: scenario.write_csv(path, session.X, session.y),
            ".py": lambda: write_atomic(path, torch_script(session, path.name)),
            ".png": lambda: save_screenshot(pygame.Surface((8, 8)), path)}[path.suffix]


@pytest.mark.parametrize("suffix", [".json", ".csv", ".py", ".png"])
def test_written_files_honour_the_umask_and_keep_an_existing_mode(tmp_path, umask, suffix):
    for mask, mode in ((0o022, 0o644), (0o002, 0o664), (0o077, 0o600)):
        path = tmp_path / f"new-{mask:o}{suffix}"
        umask(mask)
        every_writer(path)()
        assert stat.S_IMODE(path.stat().st_mode) == mode
    umask(0o077)
    path = tmp_path / f"shared{suffix}"
    path.write_text("old")
    path.chmod(0o664)
    every_writer(path)()
    assert stat.S_IMODE(path.stat().st_mode) == 0o664 and path.read_bytes() != b"old"


def full_disk(monkeypatch, after=10):
    """os.write writes ``after`` bytes, then fails as a full disk does."""
    real = os.write
    written = []

    def write(fd, data):
        if sum(written) >= after:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(real(fd, bytes(data)[:after]))
        return written[-1]
    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("suffix", [".json", ".csv", ".py", ".png"])
def test_a_full_disk_reports_the_users_path_and_keeps_the_old_file(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"keep{suffix}"
    path.write_bytes(b"the old file")
    with monkeypatch.context() as m:
        full_disk(m)
        with pytest.raises(FileError) as info:
            every_writer(path)()
    assert str(info.value) == f"cannot write {path}: No space left on device"
    assert path.read_bytes() == b"the old file" and os.listdir(tmp_path) == [path.name]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "a.json", "{}")
    assert os.listdir(tmp_path) == []


def test_screenshots_are_png_or_jpeg_by_suffix(tmp_path):
    surface = pygame.Surface((16, 8))
    surface.fill((200, 30, 30))
    assert save_screenshot(surface, tmp_path / "a.PNG").read_bytes().startswith(b"\x89PNG")
    for name in ("b.jpg", "c.jpeg"):
        assert (save_screenshot(surface, tmp_path / name).read_bytes()
                .startswith(b"\xff\xd8\xff"))
    assert pygame.image.load(tmp_path / "a.PNG").get_at((3, 3))[:3] == (200, 30, 30)
    with pytest.raises(FileError, match=r"shot.gif: a screenshot is a .png, .jpg or .jpeg file"):
        save_screenshot(surface, tmp_path / "shot.gif")
    assert sorted(os.listdir(tmp_path)) == ["a.PNG", "b.jpg", "c.jpeg"]


def test_the_export_name_cannot_become_code(tmp_path, capsys):
    src = tmp_path / "good.json"
    scenario.save(Session(Settings(points=20)), src)
    out = tmp_path / 'x"""+__import__("os").system("id")+""".py'
    assert main(["export-torch", str(src), str(out)]) == 0
    tree = ast.parse(out.read_text(encoding="utf-8"))
    assert not any(isinstance(n, ast.Name) and n.id == "__import__" for n in ast.walk(tree))
    assert ast.get_docstring(tree).startswith("An nnsim network as PyTorch")


def test_a_non_utf8_export_name_is_written_and_named_in_one_line(tmp_path, capsys):
    src = tmp_path / "good.json"
    scenario.save(Session(Settings(points=20)), src)
    out = os.fsdecode(os.fsencode(tmp_path) + b"/net\xff.py")   # as argv holds such a name
    assert main(["export-torch", str(src), out]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path}/net\\udcff.py\n"
    assert sorted(os.listdir(os.fsencode(tmp_path))) == [b"good.json", b"net\xff.py"]
    ast.parse(Path(out).read_text(encoding="utf-8"))


def run_headless(*args):
    return main(["--headless", "--frames", "2", *args])


@pytest.mark.parametrize("option, target, message", [
    ("--screenshot", "missing/shot.png", "the folder .*missing does not exist"),
    ("--screenshot", "shot.gif", "a screenshot is a .png, .jpg or .jpeg file"),
    ("--screenshot", "folder.png", "folder.png is a folder"),
    ("--save", "missing/out.json", "the folder .*missing does not exist"),
    ("--save", "out.txt", "a scenario is saved as a .json file"),
])
def test_output_paths_are_checked_before_the_run(tmp_path, monkeypatch, capsys, option, target, message):
    import nnsim.app.shell.main
    monkeypatch.setattr(nnsim.app.shell.main, "run", lambda *a, **k: pytest.fail("the run started"))
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(SystemExit) as info:
        run_headless(option, str(tmp_path / target))
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and str(tmp_path) in err
    assert ".tmp" not in err and __import__("re").search(message, err)


@pytest.mark.parametrize("args, message", [
    (["--load", ""], "--load needs a file name"),
    (["--headless", "--frames", "1", "--save", ""], "--save needs a file name"),
    (["--screenshot", ""], "--screenshot needs a file name"),
    (["--load", "x.json", "--noise", "0.3"], "--noise cannot be used with --load"),
    (["--load", "x.json", "--seed", "3"], "--seed cannot be used with --load"),
    (["train", "--experiment", "depth", "--hidden", "4"], "--hidden cannot be used with --experiment"),
    (["train", "--se", "4"], "unrecognized arguments: --se"),
    (["--pre", "xor"], "unrecognized arguments: --pre"),
    (["bench", "--bogus"], "unrecognized arguments: --bogus"),
    (["export-torch", "x.json", ""], "no file name given"),
    (["export-torch", "x.json", "net.txt"], "a Python script is a .py file"),
])
def test_usage_errors_are_one_line(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    scenario.save(Session(Settings(points=20)), tmp_path / "x.json")
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and message in err


def test_experiment_seed_from_argparse_alone(capsys):
    def run(*seed):
        assert main(["train", "--experiment", "high-lr", "--epochs", "2", *seed]) == 0
        return capsys.readouterr().out
    assert run("--seed=4") == run("--seed", "4") != run("--seed", "5")


def test_utf8_bom_is_accepted_and_an_empty_csv_refused(tmp_path):
    csv = tmp_path / "sheet.csv"
    csv.write_bytes(b"\xef\xbb\xbfx,y,label\r\n1,-1,0\r\n2,2,1\r\n")
    X, y = scenario.read_csv(csv, 2)
    np.testing.assert_array_equal(X, [[1, -1], [2, 2]])
    assert y.tolist() == [0, 1]
    scenario_path = tmp_path / "s.json"
    scenario_path.write_bytes(b"\xef\xbb\xbf" + good_text(dataset="xor").encode())
    assert scenario.load(scenario_path).settings.dataset == "xor"
    csv.write_text("x,y,label\n\n")
    with pytest.raises(FileError, match="sheet.csv holds no points"):
        scenario.read_csv(csv, 2)


def test_the_writer_flushes_the_file_and_then_its_folder(tmp_path, monkeypatch):
    real_fsync, flushed = os.fsync, []

    def fsync(fd):
        info = os.fstat(fd)
        flushed.append(("folder" if stat.S_ISDIR(info.st_mode) else "file",
                        (tmp_path / "a.json").exists()))
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(tmp_path / "a.json", "{}")
    # the file before the rename; its folder after it, so the rename itself is durable
    assert flushed == [("file", False), ("folder", True)]


@pytest.mark.parametrize("code, fails", [(errno.EINVAL, False), (errno.EIO, True)])
def test_a_folder_the_os_cannot_flush_is_skipped_a_failing_disk_reported(tmp_path, monkeypatch,
                                                                         code, fails):
    real_fsync = os.fsync

    def fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    if fails:
        with pytest.raises(FileError, match=f"a.json: {os.strerror(code)}"):
            write_atomic(tmp_path / "a.json", "{}")
    else:
        write_atomic(tmp_path / "a.json", "{}")
        assert (tmp_path / "a.json").read_text() == "{}"
