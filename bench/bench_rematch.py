"""Matching an index's paraphrases again costs a fraction of building it again.

Indexes the whole Slovenia set (/work/shared/data/slovenia: its PDFs, three cycles) at another
paraphrase threshold (0.50, as an index built before `paraphrase_threshold` changed), then, at
the default: the baseline builds a fresh index of the same PDFs (every PDF read again); ours is
`Store.rematch_paraphrases` on the stale index (`uprdex rematch`: its stored sentences matched
again in one transaction, no PDF read). Prints both times and their ratio, and checks that both
give the same paraphrase rows.
Run: .venv/bin/python bench/bench_rematch.py
Measured (pararefresh, 2 shared cores): 14.83 s vs 0.96 s (15.4x), again 10.04 s vs 0.75 s
(13.4x); both indexes hold the same 59 paraphrase rows, the stale one 16 before.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
OLD = 0.50


def _paraphrases(index: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(index)) as db:
        return sorted(
            db.execute(
                "SELECT recommendation_id, document_sha256, page, as_printed, context, score "
                "FROM evidence WHERE kind = 'paraphrase'"
            ).fetchall()
        )


def main() -> int:
    pdfs = sorted((SHARED / "slovenia").rglob("*.pdf"))
    if not pdfs:
        print(f"skipped: no PDF under {SHARED / 'slovenia'}")
        return 0
    from uprdex.flows.ingest import ingest_paths
    from uprdex.pipeline.settings import EvidenceSettings, LoaderSettings
    from uprdex.pipeline.store import Store

    loader = LoaderSettings(workers=1)  # one core: others share the machine
    folder = Path(tempfile.mkdtemp(prefix="uprdex-bench-rematch-"))
    stale, fresh = folder / "stale.sqlite", folder / "fresh.sqlite"
    with Store(stale, EvidenceSettings(paraphrase_threshold=OLD)) as store:
        ingest_paths(pdfs, store, loader)
    before = len(_paraphrases(stale))

    start = time.perf_counter()
    with Store(fresh) as store:
        ingest_paths(pdfs, store, loader)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    with Store(stale) as store:
        said = store.paraphrases_made_otherwise()
        rows = store.rematch_paraphrases()
    ours = time.perf_counter() - start

    same = _paraphrases(stale) == _paraphrases(fresh)
    print(f"Slovenia set: {len(pdfs)} PDFs; stale index matched by {said}: {before} paraphrases")
    print(f"{'':28}{'seconds':>9}  paraphrases")
    print(f"{'baseline: fresh re-ingest':28}{baseline:9.2f}  {len(_paraphrases(fresh))}")
    print(f"{'ours: uprdex rematch':28}{ours:9.2f}  {rows}")
    print(f"ratio baseline/ours: {baseline / ours:.1f}x; same rows as the fresh index: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
