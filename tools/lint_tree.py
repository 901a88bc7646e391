"""Stage the `uprdex` package as it installs, for the static checks (mypy, import-linter).

The repository keeps `pipeline/`, `extractors/` and `flows/` at the top level and maps them to
`uprdex.pipeline`, `uprdex.extractors` and `uprdex.flows` (pyproject.toml's package-dir). Static
tools read folders, not that mapping, so this builds the installed layout out of hard links (a
copy where links cannot be made): the same files, under their import names.

Run: python tools/lint_tree.py [TARGET]   (default build/lint; prints the package folder)
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def stage(target: Path) -> Path:
    """Build target/uprdex from pyproject.toml's package-dir; return that folder."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(target, ignore_errors=True)
    for name, folder in sorted(package_dir.items()):
        if name == "uprdex.data":
            continue  # data, not code
        destination = target.joinpath(*name.split("."))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(
            ROOT / folder,
            destination,
            copy_function=_link,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "templates"),
            dirs_exist_ok=True,
        )
    return target / "uprdex"


if __name__ == "__main__":
    print(stage(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "lint"))
