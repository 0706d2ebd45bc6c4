"""`nnsim --version`: the installed package's version, written once in nnsim/__init__.py."""
from importlib import metadata

import pytest

import nnsim
from nnsim.cli import main


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"nnsim {nnsim.__version__}\n"
    assert metadata.version("nnsim") == nnsim.__version__     # pyproject reads the same string


def test_help_lists_every_subcommand_with_an_example(capsys):
    from nnsim.cli import SUBCOMMANDS
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    for name in SUBCOMMANDS:
        assert f"\n  {name} " in out and f"nnsim {name} " in out


def test_the_app_takes_dataset_as_well_as_preset(monkeypatch):
    started = []
    monkeypatch.setattr("nnsim.app.shell.main.run", lambda options: started.append(options) or 0)
    assert main(["--dataset", "xor"]) == 0 and main(["--preset", "moons"]) == 0
    assert [o.settings.dataset for o in started] == ["xor", "moons"]
