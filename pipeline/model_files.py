"""Writing a trained model folder: its arrays and its metadata, each replaced whole.

A reader (`ThemeModel.load`, `SemanticModel.load`) never sees half a file: each is written to a
temporary file in the same folder, then renamed over the old one.

Example:
    write_arrays(out_dir / "model.npz", {"idf": idf, "vocab": blob})
    write_metadata(out_dir / "metadata.json", {"version": "1.2+data.5fd264e60188.seed0"})
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["write_arrays", "write_metadata"]


def write_arrays(path: Path, arrays: dict[str, Any]) -> None:
    """Compressed .npz of `arrays` at `path` (no pickles), replacing any old file at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as handle:
        try:
            np.savez_compressed(handle, **arrays)
        except BaseException:
            os.unlink(handle.name)
            raise
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)


def write_metadata(path: Path, metadata: dict[str, Any]) -> None:
    """`metadata` as indented UTF-8 JSON at `path`, replacing any old file at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", "utf-8")
    os.replace(temporary, path)
