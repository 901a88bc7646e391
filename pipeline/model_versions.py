"""The version of each model the clusters are made with, read from its files without loading
it: what the index records with its clusters, and what `uprdex status` compares with it.

Loading the similarity, pair and recurrence models imports numpy and scipy (~0.4 s of `uprdex
status`, which only asks whether the stored clusters are current). A version is the same string
either way, read by the same function:

- the similarity and pair models' (model.npz and metadata.json, `model_files`): the "version"
  their training command writes in metadata.json (`uprdex train-similarity`, `train-pairs`),
  which `SemanticModel.version` and `PairModel.version` give (`metadata_version`);
- the recurrence model's (model.json): a fingerprint of what it decides with, its weights and
  threshold (`recurrence_version`, which `RecurrenceModel.version` gives), so a retrained model
  that links otherwise has another.

Each folder's file is read with the loader's checks and messages (missing, unreadable, another
format, model.npz no archive), and its error class; the recurrence model's model.json with all
of its loader's (`recurrence_file`: its format, its features, each weight), so status and a
clustering take and refuse the same files.

Example:
    SIMILARITY.version(None)                 # "1.8+norm.11.data.5fd264e60188.seed0"
    recurrence_version(recurrence_file(None))  # "1dda70a7c8fc"
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from uprdex.pipeline.clusters.feature_names import RECURRENCE_FEATURES
from uprdex.pipeline.errors import UprdexError, cannot_read
from uprdex.pipeline.model_files import read_metadata, read_npz_model
from uprdex.pipeline.resources import data_path

__all__ = [
    "PAIRS",
    "RECURRENCE_DIR",
    "RECURRENCE_FILE",
    "RECURRENCE_FORMAT",
    "SIMILARITY",
    "ModelFolder",
    "PairModelError",
    "RecurrenceModelError",
    "SemanticModelError",
    "metadata_version",
    "recurrence_file",
    "recurrence_version",
]


class SemanticModelError(UprdexError, ValueError):
    """A similarity model directory that is missing, incomplete or of another format."""


class PairModelError(UprdexError, ValueError):
    """A pair model folder that is missing, unreadable or of another format."""


class RecurrenceModelError(UprdexError, ValueError):
    """A recurrence model file that is missing, unreadable or of another format."""


def metadata_version(metadata: dict[str, Any]) -> str:
    """The version a model.npz model's metadata.json records."""
    return str(metadata.get("version", "unknown"))


M = TypeVar("M")


@dataclass(frozen=True)
class ModelFolder:
    """A model kept as model.npz and metadata.json: what messages call it, its shipped
    folder, the format its loader reads, how to make it again, and its error."""

    kind: str
    shipped: Path
    format: int
    rebuild: str
    error: type[UprdexError]

    def metadata(self, directory: Path | None) -> dict[str, Any]:
        """The metadata.json of the model in `directory` (default: the shipped one), checked
        as its loader checks it."""
        return read_metadata(
            directory or self.shipped, self.kind, self.format, self.rebuild, self.error
        )

    def version(self, directory: Path | None) -> str:
        """The version of the model in `directory` (default: the shipped one), unloaded."""
        return metadata_version(self.metadata(directory))

    def read(self, directory: Path, build: Callable[[dict[str, Any], dict[str, Any]], M]) -> M:
        """`build(arrays, metadata)` of the model in `directory` (its loader's one reading:
        `read_npz_model`, with this folder's name, format, advice and error)."""
        return read_npz_model(directory, self.kind, self.format, self.rebuild, self.error, build)


SIMILARITY = ModelFolder(
    "similarity model",
    data_path("models", "similarity"),
    1,  # the layout of model.npz; bumped when the arrays or the analyzer change
    "reinstall uprdex, or rebuild it with `uprdex train-similarity FILE.csv`",
    SemanticModelError,
)
PAIRS = ModelFolder(
    "pair model",
    data_path("models", "pairs"),
    1,
    "rebuild it with `uprdex train-pairs FILE.csv`",
    PairModelError,
)

RECURRENCE_DIR = data_path("models", "recurrence")
RECURRENCE_FILE = "model.json"
RECURRENCE_FORMAT = 1
# What a recurrence model decides with, its version is of (not its metadata): its weights,
# each number rounded as its file keeps it, and what they read.
_WEIGHTS = ("coefficients", "mean", "scale")
_NUMBERS = ("intercept", "threshold")


_RETRAIN = "retrain it (bench/recurrence_learned.py --no-test --write DIR)"


def recurrence_file(directory: Path | None) -> dict[str, Any]:
    """The JSON of the recurrence model in `directory` (default: the shipped one), checked as
    its loader reads it (`uprdex status` loads none): of this format and `RECURRENCE_FEATURES`,
    with a number per feature in each weight, and an intercept and threshold."""
    path = (directory or RECURRENCE_DIR) / RECURRENCE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:  # its message names the file again: the reason alone
        raise RecurrenceModelError(f"the recurrence model {path}: {cannot_read(error)}") from error
    try:
        data = json.loads(text)
    except ValueError as error:
        raise RecurrenceModelError(f"the recurrence model {path}: not JSON ({error})") from error
    if (
        not isinstance(data, dict)
        or data.get("format") != RECURRENCE_FORMAT
        or data.get("features") != list(RECURRENCE_FEATURES)
    ):
        raise RecurrenceModelError(f"{path} is of another format or feature set: {_RETRAIN}")
    count = len(RECURRENCE_FEATURES)
    for name, size in {**dict.fromkeys(_WEIGHTS, count), **dict.fromkeys(_NUMBERS, 0)}.items():
        value = data.get(name)
        if not (_numbers(value, size) if size else _numbers([value], 1)):
            wanted = f"{size} numbers, one per feature" if size else "a number"
            raise RecurrenceModelError(
                f"the recurrence model {path}: no {name} ({wanted}); {_RETRAIN}"
            )
    return data


def _numbers(value: Any, count: int) -> bool:
    """Whether `value` is a list of `count` numbers (JSON's: no true or false)."""
    return (
        isinstance(value, list)
        and len(value) == count
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def recurrence_version(data: dict[str, Any]) -> str:
    """A fingerprint of what a recurrence model (`RecurrenceModel.to_json`, or its file)
    decides with: its weights and threshold, each rounded as its file keeps them."""
    try:
        decides = {
            "format": data["format"],
            "features": data["features"],
            **{name: [round(float(v), 10) for v in data[name]] for name in _WEIGHTS},
            **{name: round(float(data[name]), 10) for name in _NUMBERS},
        }
    except (KeyError, TypeError, ValueError) as error:
        raise RecurrenceModelError(f"the recurrence model: unreadable ({error!r})") from error
    blob = json.dumps(decides, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]
