"""A trained model folder (model.npz and metadata.json): written, each file replaced whole, and
read with one clear error for each way it can be wrong.

A reader (`ThemeModel.load`, `SemanticModel.load`) never sees half a file: each is written to a
temporary file in the same folder, then renamed over the old one. `read_npz_model` names the
file, what is wrong (missing, unreadable metadata, another format, not an archive, unreadable
arrays) and how to rebuild it; `read_metadata` reads metadata.json alone, with the same checks
and without numpy (`model_versions`: what `uprdex status` compares).

Example:
    write_arrays(out_dir / "model.npz", {"idf": idf, "vocab": blob})
    write_metadata(out_dir / "metadata.json", {"version": "1.2+data.5fd264e60188.seed0"})
    model = read_npz_model(out_dir, "pair model", 1, "rebuild it with ...", PairModelError,
                           PairModel)  # PairModel(arrays, metadata)
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from uprdex.pipeline.files import write_whole

__all__ = [
    "METADATA_FILE",
    "MODEL_FILE",
    "read_metadata",
    "read_npz_model",
    "write_arrays",
    "write_metadata",
]

MODEL_FILE = "model.npz"
METADATA_FILE = "metadata.json"

M = TypeVar("M")


def write_arrays(path: Path, arrays: dict[str, Any]) -> None:
    """Compressed .npz of `arrays` at `path` (no pickles), replacing any old file at once."""
    import numpy as np  # here, not at the top: see read_metadata

    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    write_whole(path, buffer.getvalue())


def write_metadata(path: Path, metadata: dict[str, Any]) -> None:
    """`metadata` as indented UTF-8 JSON at `path`, replacing any old file at once."""
    write_whole(path, (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def read_metadata(
    directory: Path, kind: str, model_format: int, rebuild: str, error: type[Exception]
) -> dict[str, Any]:
    """The metadata.json of the model in `directory`, of `model_format`, beside its model.npz;
    `error` names the file, what is wrong and `rebuild` when anything is. Read without numpy:
    `uprdex status` reads the models' versions here (`model_versions`), and loads none."""
    model_path, metadata_path = directory / MODEL_FILE, directory / METADATA_FILE
    if not model_path.is_file() or not metadata_path.is_file():
        raise error(
            f"no {kind} in {directory} (expected {MODEL_FILE} and {METADATA_FILE}); {rebuild}"
        )
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise error(f"{metadata_path}: unreadable metadata ({exc}); {rebuild}") from exc
    found = metadata.get("format") if isinstance(metadata, dict) else None
    if found != model_format:
        raise error(f"{metadata_path}: {kind} format {found!r}, not {model_format}; {rebuild}")
    return dict(metadata)


def read_npz_model(
    directory: Path,
    kind: str,
    model_format: int,
    rebuild: str,
    error: type[Exception],
    build: Callable[[dict[str, Any], dict[str, Any]], M],
) -> M:
    """`build(arrays, metadata)` of the model in `directory`; `error` names the file, what is
    wrong and `rebuild` (how to make it again) when anything is."""
    import numpy as np  # here, not at the top: see read_metadata

    metadata = read_metadata(directory, kind, model_format, rebuild, error)
    model_path = directory / MODEL_FILE
    if not zipfile.is_zipfile(model_path):  # numpy would suggest unpickling it
        raise error(f"{model_path}: not a model archive (.npz); {rebuild}")
    try:
        with np.load(model_path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        return build(arrays, metadata)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise error(f"{directory}: unreadable model ({exc!r}); {rebuild}") from exc
