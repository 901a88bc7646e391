"""`uprdex status` tells clusters made with other models without loading any
(pipeline/model_versions.py): it reads each model's version from its files, the same string the
clustering records from the model it loaded, so a retrained model is still seen as changed."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.pipeline import model_versions
from uprdex.pipeline.model_versions import RECURRENCE_DIR, SIMILARITY
from uprdex.pipeline.settings import ClusterSettings
from uprdex.pipeline.store.cluster_state import models_of

OTHER_MODELS = "clusters made with other models or settings than this uprdex's"


def _recorded(index: Path) -> str:
    db = sqlite3.connect(index)
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'cluster_settings'").fetchone()
    db.close()
    return str(json.loads(value)["similarity_model"])


def _status(index: Path) -> str:
    result = CliRunner().invoke(main, ["status", "--index", str(index)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_versions_read_from_the_files_are_those_the_clustering_recorded(index: Path) -> None:
    # The index was clustered by an ingest with the shipped models, loaded: its record names
    # the similarity, pair and recurrence models' versions, as read here from their files.
    assert models_of(ClusterSettings()) == _recorded(index)


def test_status_notices_a_retrained_similarity_model(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `uprdex train-similarity FILE --out models/mine`, [clusters] similarity_model, a
    # clustering; then a training on other data into the same folder writes another version.
    mine = shutil.copytree(SIMILARITY.shipped, tmp_path / "mine")
    monkeypatch.setenv("UPRDEX_CLUSTERS_SIMILARITY_MODEL", str(mine))
    clustered = CliRunner().invoke(main, ["cluster", "--index", str(index)])
    assert clustered.exit_code == 0, clustered.output
    assert OTHER_MODELS not in _status(index)
    metadata = json.loads((mine / "metadata.json").read_text(encoding="utf-8"))
    metadata.update(version="1.8+norm.11.data.0123456789ab.seed0", data_sha256="0123456789ab")
    (mine / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    assert OTHER_MODELS in _status(index)


def test_status_notices_a_retrained_recurrence_model(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The recurrence model's version is a fingerprint of its weights and threshold, read here
    # from its model.json: its notes may change, a weight may not.
    retrained = shutil.copytree(RECURRENCE_DIR, tmp_path / "recurrence")
    monkeypatch.setattr(model_versions, "RECURRENCE_DIR", retrained)
    model = json.loads((retrained / "model.json").read_text(encoding="utf-8"))
    model["metadata"] = {**model.get("metadata", {}), "note": "notes only"}
    (retrained / "model.json").write_text(json.dumps(model, indent=1), encoding="utf-8")
    assert OTHER_MODELS not in _status(index)
    model["coefficients"][0] += 0.01
    (retrained / "model.json").write_text(json.dumps(model, indent=1), encoding="utf-8")
    assert OTHER_MODELS in _status(index)


def test_status_says_a_model_file_that_is_no_archive_cannot_be_read(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # codereview2: a similarity model folder whose model.npz is no archive (a Git LFS pointer
    # of a clone made without LFS, a download cut short) beside a good metadata.json: status
    # read the version from metadata.json alone and said nothing, or that the next run would
    # cluster again, while every clustering ends in "not a model archive". Status loaded the
    # model before, and said it.
    mine = shutil.copytree(SIMILARITY.shipped, tmp_path / "mine")
    monkeypatch.setenv("UPRDEX_CLUSTERS_SIMILARITY_MODEL", str(mine))
    clustered = CliRunner().invoke(main, ["cluster", "--index", str(index)])
    assert clustered.exit_code == 0, clustered.output
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:0123\nsize 4096\n"
    (mine / "model.npz").write_text(pointer, encoding="utf-8")
    said = " ".join(_status(index).split())
    assert "cannot tell what the clusters were made with:" in said
    assert "model.npz: not a model archive (.npz)" in said


@pytest.mark.parametrize("broken", ["coefficients", "features"])
def test_a_recurrence_model_without_its_weights_or_features_is_named_by_status_and_loader(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    # smalls37: a model.json without its coefficients made `RecurrenceModel.load` raise a bare
    # KeyError, and status say "the recurrence model: unreadable (KeyError('coefficients'))",
    # naming no file; one of other features status took, where every clustering refuses it.
    from uprdex.pipeline.clusters.recurrence_model import RecurrenceModel, RecurrenceModelError

    mine = shutil.copytree(RECURRENCE_DIR, tmp_path / "recurrence")
    monkeypatch.setattr(model_versions, "RECURRENCE_DIR", mine)
    model = json.loads((mine / "model.json").read_text(encoding="utf-8"))
    if broken == "coefficients":
        del model["coefficients"]
    else:
        model["features"] = model["features"][:-1]
    (mine / "model.json").write_text(json.dumps(model, indent=1), encoding="utf-8")
    with pytest.raises(RecurrenceModelError) as raised:
        RecurrenceModel.load(mine)
    loaded = str(raised.value)
    assert str(mine / "model.json") in loaded and "\n" not in loaded
    said = " ".join(_status(index).split())
    assert f"cannot tell what the clusters were made with: {loaded}" in said
    if broken == "coefficients":
        count = len(model["features"])
        assert f"no coefficients ({count} numbers, one per feature); retrain it" in loaded
