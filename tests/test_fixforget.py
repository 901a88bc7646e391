"""fixforget: review23's finding 3 beyond the review's own tests. A correction cut off from its
clustering is remembered with it."""

from __future__ import annotations

from pathlib import Path

from uprdex.pipeline.store import Store

from helpers import cli, fixture

A, B = "A/HRC/28/15#115.1", "A/HRC/28/15#115.2"


def test_status_names_the_states_a_forget_cut_short_left_and_an_ingest_clusters_them(
    tmp_path: Path,
) -> None:
    index = tmp_path / "index.sqlite"
    assert cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", index).exit_code == 0
    assert cli("cluster", "link", A, B, "--index", index).exit_code == 0
    with Store(index) as store:
        store.forget_correction(A, B)  # forget cut short before its clustering
    status = cli("status", "--index", index)
    assert "clusters of Slovenia made before a correction changed" in status.output, status.output
    assert cli("ingest", fixture("addendum_matrix_svn2014.pdf"), "--index", index).exit_code == 0
    with Store(index) as store:
        after = store.cluster_ids([A, B])
        assert store.clusters_current()
    assert after[A] != after[B], after
