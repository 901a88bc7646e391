"""The reference data shipped with uprdex (the `data/` folder, installed as `uprdex.data`).

Read through `importlib.resources`, so the same code finds the States table, the word list, the
theme keywords and the models in a checkout, in an editable install and in an installed wheel.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["data_path"]


def data_path(*parts: str) -> Path:
    """A file or folder of the shipped data, as a path on disk ("models", "themes")."""
    root = files("uprdex.data")
    # A wheel installs as files on disk, so the data are a real folder; the models are read
    # with numpy and written back by `train-*`, which need paths.
    return Path(str(root.joinpath(*parts)))
