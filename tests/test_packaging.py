"""The package as it installs: every subpackage is listed, the layers hold, the data ship."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_subpackage_is_in_the_wheel() -> None:
    # A folder with an __init__.py that pyproject does not list is left out of the wheel, and
    # the installed `uprdex` fails with ModuleNotFoundError (the editable install still works).
    setuptools = PYPROJECT["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    folders = {folder: name for name, folder in setuptools["package-dir"].items()}
    found = set()
    for folder, name in folders.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *relative.parts]))
    assert found - listed == set()
    data_only = listed - found  # listed for their data files: folders without Python
    assert all(_folder(name).is_dir() for name in data_only)
    assert {name for name in data_only if any(_folder(name).glob("*.py"))} == set()


def _folder(package: str) -> Path:
    """Where a listed package's files are in the checkout."""
    dirs = PYPROJECT["tool"]["setuptools"]["package-dir"]
    top = max((name for name in dirs if package.startswith(name)), key=len)
    return ROOT / dirs[top] / Path(*package[len(top) :].split(".")[1:])


def test_every_folder_of_package_data_is_listed() -> None:
    # setuptools ships a data folder that is not a listed package, but warns about it at every
    # install (about 190 lines of "Package would be ignored" under `make demo`).
    setuptools = PYPROJECT["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    for package, globs in setuptools["package-data"].items():
        for glob in globs:
            for file in _folder(package).glob(glob):
                folder = file.parent.relative_to(_folder(package))
                assert ".".join([package, *folder.parts]) in listed, file


def test_the_shipped_data_are_package_data() -> None:
    from uprdex.pipeline.resources import data_path

    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["uprdex.data"]
    for name in ("states.csv", "treaties.csv", "search_aliases.csv", "themes.yaml", "words.txt"):
        assert data_path(name).is_file()
        assert any(Path(name).match(glob) for glob in globs), name
    for model in ("themes", "similarity"):
        for file in data_path("models", model).iterdir():
            assert any(Path("models", model, file.name).match(glob) for glob in globs), file


def test_every_table_the_code_reads_is_in_the_reader_fingerprint() -> None:
    # A table left out would let a fixed table never reach the documents an earlier release
    # read (they are read again only when the reader's fingerprint changes).
    from uprdex.flows.fingerprint import TABLES

    read = {
        match.group(1)
        for folder in ("pipeline", "extractors", "flows")
        for source in (ROOT / folder).rglob("*.py")
        for match in re.finditer(
            r'data_path\("([\w.]+\.(?:csv|yaml|txt))"', source.read_text(encoding="utf-8")
        )
    }
    assert read - {"schema.yaml"} == set(TABLES)  # schema.yaml: column help for Datasette


# What raw SQL looks like in Python source: a statement's opening words, or a call that runs one.
_SQL = re.compile(
    r"\bSELECT\s|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\bPRAGMA\s|\.execute(many|script)?\(|\.db\.",
)


def test_the_cli_and_the_flows_run_no_sql() -> None:
    # Only the store reads and writes the index (pipeline/store/): the CLI, the flows and the
    # Python API ask it, so that a schema change never breaks a command.
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("flows", "uprdex")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _SQL.search(line)
    ]
    assert found == []
