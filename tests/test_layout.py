"""The layout's rules hold: apps depend one way, no import loops, the latest update needs no file format.

The rules are import-linter contracts in pyproject.toml; this runs them as part of the suite.
"""

from importlinter.cli import lint_imports


def test_import_contracts_are_kept(capsys):
    assert lint_imports(no_cache=True, no_logo=True) == 0, capsys.readouterr().out
