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
