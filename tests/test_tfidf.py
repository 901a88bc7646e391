"""TF-IDF rows without scipy: the same rows, and products equal to scipy's to the last bit."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from uprdex.pipeline.tfidf import Rows, TfidfBlock


def _random_rows(seed: int, n_rows: int = 40, columns: int = 300) -> Rows:
    """Rows in the order TfidfBlock.transform stores them: unsorted columns, none twice in a
    row, some rows empty, float64 values."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, min(120, columns), n_rows)
    lengths[::7] = 0
    indices = np.concatenate([rng.choice(columns, size=n, replace=False) for n in lengths]).astype(
        np.int64
    )
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return Rows(rng.random(int(indptr[-1])), indices, indptr, columns)


def _csr(rows: Rows) -> object:
    sparse = pytest.importorskip("scipy.sparse")
    return sparse.csr_matrix((rows.data, rows.indices, rows.indptr), shape=rows.shape)


@pytest.mark.parametrize("seed", range(5))
def test_float32_products_are_scipys_to_the_last_bit(seed: int) -> None:
    # The theme margins and meaning vectors are float32 sums: another summation order (numpy's
    # pairwise sums, scipy's sorted columns ignored) changes their last bits and, near a
    # threshold, a theme or a cluster.
    rows = _random_rows(seed)
    matrix = np.random.default_rng(seed + 100).standard_normal((rows.columns, 54))
    matrix = matrix.astype(np.float32)
    theirs = _csr(rows).astype(np.float32) @ matrix  # type: ignore[attr-defined]
    ours = rows.astype(np.float32).dot(matrix)
    assert ours.dtype == theirs.dtype == np.float32
    assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))


def test_hstack_and_slice_store_what_scipy_stores() -> None:
    sparse = pytest.importorskip("scipy.sparse")
    left, right = _random_rows(1), _random_rows(2, columns=50)
    theirs = sparse.hstack([_csr(left), _csr(right)]).tocsr()
    ours = Rows.hstack([left, right])
    assert ours.shape == theirs.shape
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
    part, expected = ours.slice(5, 17), theirs[5:17]
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(part, name), getattr(expected, name)), name


def test_transform_rows_are_l2_normalized_sublinear_tfidf() -> None:
    block = TfidfBlock(str.split, {"ratify": 0, "opcat": 1, "death": 2}, np.array([1.0, 2.0, 3.0]))
    rows = block.transform(["ratify opcat opcat", "", "unknown words"])
    assert rows.shape == (3, 3)
    assert list(np.diff(rows.indptr)) == [2, 0, 0]
    weights = np.array([1.0, (1 + np.log(2)) * 2.0])
    assert np.allclose(rows.data, weights / np.linalg.norm(weights))


def test_the_ingest_path_does_not_import_scipy() -> None:
    # scipy.sparse took 0.12-0.16 s of every `uprdex ingest` before the rows were numpy's.
    code = (
        "import sys, uprdex.flows.ingest, uprdex.pipeline.theme_model, uprdex.pipeline.clusters;"
        "print('scipy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
