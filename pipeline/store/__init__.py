"""The consolidated evidence index: one SQLite file, WAL, versioned schema.

Only this package writes the index. `Store` is its one door; behind it each module has one
job:

- `schema`: the tables, their migrations and the rows every writer shares;
- `connection`: the open file, its transactions and its identity;
- `writes`: a document with what was read from it, or an imported database;
- `linking`: imports to the PDFs' recommendations, citations and paraphrases to paragraphs;
- `rematch`: which rule and threshold matched the paraphrases, and matching them again;
- `responses`: the final position of each recommendation (the response policy);
- `queries`: documents, recommendations, evidence, search and counts, as the typed records
  of `rows`;
- `filters`: which recommendations a query reads (`RecFilter`, its WHERE clause);
- `ids`: what an id a researcher gives names (an imported ask's, once linked; a mistyped one);
- `clustering`: making the clusters, and the researchers' corrections;
- `cluster_state`: what the index records of its clusters (settings in force, current or not,
  corrections, each ask's cluster), read without the clustering code;
- `stale`: what a cut-short `cluster forget` or `links --import` left to cluster again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uprdex.pipeline.locations import (
    IN_INDEX_FOLDER,
    holds,
    located,
    older_path,
    shown,
    stored_path,
)
from uprdex.pipeline.model import (
    Addendum,
    Citation,
    DocumentRow,
    ImportedRec,
    ThemeHit,
    WgReport,
)
from uprdex.pipeline.names import path_text, text_path
from uprdex.pipeline.settings import ClusterSettings, EvidenceSettings
from uprdex.pipeline.store import cluster_state, ids, linking, queries, rematch, stale, writes
from uprdex.pipeline.store.connection import Connection
from uprdex.pipeline.store.filters import RecFilter, filter_sql
from uprdex.pipeline.store.ids import ImportedAs, Named, Resolved
from uprdex.pipeline.store.linking import ImportLinks
from uprdex.pipeline.store.queries import matching_parts
from uprdex.pipeline.store.rows import (
    AddendumAnswer,
    ClusterMember,
    ImportedLabel,
    LinkedEvidence,
    RepeatedAsk,
    SearchHit,
    SearchResults,
    StoredCluster,
    StoredDocument,
    StoredEvidence,
    StoredRecommendation,
    StoredThemeHit,
)
from uprdex.pipeline.store.schema import SCHEMA_VERSION, STATE_COMMENT

if TYPE_CHECKING:
    from uprdex.pipeline.corrections import Correction
    from uprdex.pipeline.store import clustering as _clustering

__all__ = [
    "SCHEMA_VERSION",
    "STATE_COMMENT",
    "AddendumAnswer",
    "ClusterMember",
    "ImportLinks",
    "ImportedAs",
    "ImportedLabel",
    "LinkedEvidence",
    "Named",
    "RecFilter",
    "RepeatedAsk",
    "Resolved",
    "SearchHit",
    "SearchResults",
    "Store",
    "StoredCluster",
    "StoredDocument",
    "StoredEvidence",
    "StoredRecommendation",
    "StoredThemeHit",
    "matching_parts",
]


class _OnUse:
    """A module imported on the first use of one of its names, not before."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(import_module(self._name), attr)


if not TYPE_CHECKING:  # mypy reads the module itself, imported above
    # clustering.py is imported by the first `Store` method that needs it, not here: reading
    # the index (`uprdex recs`, `show`, `status`) needs none of it, and it brings the
    # clustering code, numpy and scipy (~0.4 s of each of those commands).
    _clustering = _OnUse(f"{__name__}.clustering")


_MATRIX_STATE = "coalesce(nullif(r.state_under_review, ''), 'Unknown')"
"""The UPR matrix's name of a recommendation's State under review (its sheet's)."""


class Store(Connection):
    """Reads and writes one index file."""

    def __init__(
        self,
        path: Path,
        evidence: EvidenceSettings | None = None,
        busy_timeout: float = 60.0,
        clusters: ClusterSettings | None = None,
    ) -> None:
        """Open (or create) the index; wait up to `busy_timeout` seconds for another program
        writing it, then raise IndexBusyError.

        `evidence` and `clusters` are the configuration's settings (`Config.evidence`,
        `Config.clusters`); the cluster settings a `uprdex cluster` run set are remembered in
        the index and apply over `clusters`.
        """
        self.evidence_settings = evidence or EvidenceSettings()
        self.cluster_base = clusters or ClusterSettings()
        self._paths_restated = False
        super().__init__(path, busy_timeout)

    # --- writing (writes.py) ---------------------------------------------------------------

    def write_document(
        self,
        document: DocumentRow,
        report: WgReport | None = None,
        addendum: Addendum | None = None,
        themes: Mapping[str, Sequence[ThemeHit]] | None = None,
        citations: Sequence[Citation] = (),
        sentences: Sequence[tuple[int, str]] = (),
    ) -> list[str]:
        """Replace everything known about this file (and an older version at the same path).

        Then bring the final responses of the WG reports it touches up to date, whichever of
        the report and its addendum came first. Returns the warnings recorded. Its path is
        stored as `locations.stored_path` says.
        """
        with self._writing_documents() as db:
            return writes.write_document(
                db,
                self._stored(document, db),
                report,
                addendum,
                themes,
                citations,
                sentences,
                self.evidence_settings.paraphrase_threshold,
            )

    def write_import(self, document: DocumentRow, records: Sequence[ImportedRec]) -> list[str]:
        """Store an imported database (UPR Info export, OHCHR thematic list) in one
        transaction, linked to the PDF-extracted recommendations it matches."""
        with self._writing_documents() as db:
            return writes.write_import(db, self._stored(document, db), records)

    def move_document(self, sha256: str, path: str, warnings: Sequence[str]) -> None:
        """Record that the file with these bytes is at `path` now (moved or renamed since it
        was read), with `warnings` in place of its old ones."""
        with self._writing_documents() as db:
            writes.move_document(db, sha256, stored_path(path, self.path), warnings)

    def write_theme_hits(self, hits: Mapping[str, Sequence[ThemeHit]]) -> None:
        """Store theme hits (keywords and classifier labels) of recommendations by id."""
        with self.transaction() as db:
            writes.write_theme_hits(db, hits)

    def paraphrases_made_otherwise(self) -> str | None:
        """How the stored paraphrase evidence was matched, when not by this uprdex's rule at
        the configured `paraphrase_threshold` ("typical+object at 0.50"); else None."""
        return rematch.paraphrases_made_otherwise(
            self.db, self.evidence_settings.paraphrase_threshold
        )

    def rematch_paraphrases(self) -> int:
        """Match every stored sentence again by this uprdex's rule and threshold, in one
        transaction (no PDF is read); returns the paraphrase rows now held."""
        with self.transaction() as db:
            return rematch.rematch(db, self.evidence_settings.paraphrase_threshold)

    # --- paths (locations.py) -------------------------------------------------------------

    def _stored(self, document: DocumentRow, db: sqlite3.Connection) -> DocumentRow:
        """The document with its path as the index stores it. These bytes indexed at another
        place that still holds them (not another file saved there since) keep that place: a
        copy read again (by a new release) does not move the index's links."""
        path = stored_path(document.path, self.path)
        earlier = queries.document(db, document.sha256)
        if (
            earlier
            and earlier.path != path
            and holds(located(earlier.path, self.path, earlier.sha256), document.sha256)
        ):
            path = stored_path(earlier.path, self.path)
        return replace(document, path=path)

    @contextmanager
    def _writing_documents(self) -> Iterator[sqlite3.Connection]:
        """A write transaction of document rows, the first of this opening storing an earlier
        uprdex's paths as this release does (`_restate_older_paths`: once is enough, every
        path written after is in this release's form)."""
        with self.transaction() as db:
            if not self._paths_restated:
                self._restate_older_paths(db)
            yield db
        self._paths_restated = True  # committed: a rolled-back one is done again next time

    def _restate_older_paths(self, db: sqlite3.Connection) -> None:
        """Store the paths an earlier uprdex wrote (relative to the folder its ingest ran in)
        as this release stores them, for those whose file is found (`locations.older_path`:
        from the index's folder or above, or from the working folder, the file inside the
        index's folder that holds the document's bytes, else the one inside it whatever it
        holds, else one outside that holds them). Then every "the same place?" the writes ask
        (an older version at this path, a failed file read again, a moved file) compares one
        form: a new version of `data/inbox/x.pdf` replaces the row an older index holds as
        that, rather than sitting beside it. A file inside with other bytes that the index
        records as another document's place (an absolute path an earlier uprdex stored) is
        that document's, not this one's (`taken`): that document's next version would
        "replace" this one too, deleting its asks."""
        rows = db.execute("SELECT sha256, path FROM documents").fetchall()
        taken = {
            stored_path(path, self.path)
            for _, path in rows
            if path.startswith(IN_INDEX_FOLDER) or text_path(path).is_absolute()
        }
        places = (
            (sha256, older_path(text_path(path), self.path, sha256, taken))
            for sha256, path in rows
            if not path.startswith(IN_INDEX_FOLDER) and not text_path(path).is_absolute()
        )
        db.executemany(
            "UPDATE documents SET path = ? WHERE sha256 = ?",
            [
                (stored_path(path_text(place), self.path), sha256)
                for sha256, place in places
                if place.is_absolute()  # found (`locations.older_path`)
            ],
        )

    def _located(self, document: StoredDocument | None) -> StoredDocument | None:
        """The document with a path that opens from any folder (`locations.shown`)."""
        return document and replace(document, path=shown(document.path, self.path, document.sha256))

    def _documents_located(self, rows: list[LinkedEvidence]) -> list[LinkedEvidence]:
        return [
            replace(row, document_path=shown(row.document_path, self.path, row.document_sha256))
            for row in rows
        ]

    # --- reading (queries.py) --------------------------------------------------------------

    def unthemed_imports(self) -> dict[str, str]:
        """id -> text of the imported recommendations no theme method has tagged yet."""
        return queries.unthemed_imports(self.db)

    def document(self, sha256: str) -> StoredDocument | None:
        """The document row of the file with these bytes, or None."""
        return self._located(queries.document(self.db, sha256))

    def find_document(self, paths: Sequence[str], sha256: str | None) -> StoredDocument | None:
        """The document ingested from one of `paths`, or with these bytes."""
        stored = [*paths, *(stored_path(path, self.path) for path in paths)]
        return self._located(queries.find_document(self.db, stored, sha256))

    def citations_by(self, sha256: str) -> list[StoredEvidence]:
        """Every evidence row of one document, in page order (linked or waiting)."""
        return queries.citations_by(self.db, sha256)

    def documents(self, where: RecFilter | None = None) -> list[StoredDocument]:
        """Every document row, newest first (an addendum or a decision with its review's
        session and cycle); with a filter, those of its State under review and cycle."""
        return [
            replace(document, path=shown(document.path, self.path, document.sha256))
            for document in queries.documents(self.db, where)
        ]

    def recommendations(self, where: RecFilter | None = None) -> list[StoredRecommendation]:
        """Recommendations matching the filter, in report and paragraph order."""
        return list(queries.recommendations(self.db, where, queries.REPORT_ORDER))

    def each_recommendation(self, where: RecFilter | None = None) -> Iterator[StoredRecommendation]:
        """`recommendations` one at a time, read from the index a batch at a time; the
        statement, open until the last is read, keeps one read of the index throughout."""
        return queries.recommendations(self.db, where, queries.REPORT_ORDER)

    def matrix_recommendations(
        self, where: RecFilter | None = None
    ) -> Iterator[StoredRecommendation]:
        """Recommendations matching the filter as the UPR matrix lists them, one at a time:
        by State under review (none: "Unknown"), the latest cycle first, report order within
        a review."""
        order = f"{_MATRIX_STATE}, -coalesce(r.cycle, 0), {queries.REPORT_ORDER}"
        return queries.recommendations(self.db, where, order)

    def matrix_states(self, where: RecFilter | None = None) -> dict[str, int]:
        """How many recommendations match the filter for each State under review (none:
        "Unknown"), as `matrix_recommendations` names them."""
        sql, params = filter_sql(where or RecFilter())
        rows = self.db.execute(
            f"SELECT {_MATRIX_STATE} AS state, count(*) FROM recommendations r {sql} "
            "GROUP BY state",
            params,
        )
        return {state: count for state, count in rows}

    def matching(self, where: RecFilter) -> int:
        """How many recommendations the filter matches."""
        return queries.matching(self.db, where)

    def recommendation(self, symbol: str, paragraph: str | None) -> StoredRecommendation | None:
        """One recommendation by the symbol of its report and its paragraph number, or, with
        no paragraph, by its whole id (an imported one's)."""
        return queries.recommendation(self.db, symbol, paragraph)

    def named(self, given: str) -> Named:
        """What an id a researcher typed names: the index's ask (an imported id's, the report's
        it leads to now), the line to say of it, the id it most likely means."""
        return ids.named(self.db, given)

    def evidence(
        self, where: RecFilter | None = None, recommendation_id: str | None = None
    ) -> list[LinkedEvidence]:
        """Evidence linked to the recommendations matching the filter (or to one), newest
        document first."""
        return self._documents_located(queries.evidence(self.db, where, recommendation_id))

    def waiting_evidence(self, symbol: str, paragraph: str) -> list[LinkedEvidence]:
        """The places that cite a paragraph of a WG report not indexed yet, newest first."""
        return self._documents_located(queries.waiting_evidence(self.db, symbol, paragraph))

    def waiting_answers(self, symbol: str, paragraph: str) -> list[AddendumAnswer]:
        """The State's answers to a paragraph of a WG report not indexed yet, in its indexed
        addenda (by full number or bare index), the last one the one that counts."""
        return queries.waiting_answers(self.db, symbol, paragraph)

    def search(self, text: str, where: RecFilter | None = None, limit: int = 20) -> SearchResults:
        """Recommendations whose text, or the context of evidence about them, holds all the
        words; the best `limit` (0: all) first, each with a snippet of where the words were
        found, and how many match in all."""
        return queries.search(
            self.db, text, where, limit, lambda path, sha256: shown(path, self.path, sha256)
        )

    def search_count(self, text: str, where: RecFilter | None = None) -> int:
        """How many recommendations `search` finds for the words (its `matched`), none read:
        what the CLI's notes on a search compare."""
        return queries.search_count(self.db, text, where)

    def states_under_review(self, ids: Sequence[str]) -> dict[str, str | None]:
        """The State under review of each of these recommendations that is indexed."""
        return queries.states_under_review(self.db, ids)

    def evidence_summary(self) -> dict[str, tuple[int, str | None]]:
        """Per recommendation: how many documents cite or echo it and the date of the latest."""
        return queries.evidence_summary(self.db)

    def last_change(self) -> str | None:
        """When the index last changed, as it records it: its newest ingest or cluster
        correction ("2026-12-07T16:30:00+00:00"); None when it records neither."""
        return queries.last_change(self.db)

    def themes(self) -> dict[str, int]:
        """The themes the index gives its recommendations, by name, each with how many have
        it."""
        return queries.themes(self.db)

    def held(self, option: str) -> list[str]:
        """The values of a filter (cycle, state_under_review, recommending_state) that the
        index's recommendations hold, in order."""
        return queries.held(self.db, option)

    def unclustered_states(self) -> set[str]:
        """States under review with recommendations not yet in a cluster."""
        return queries.unclustered_states(self.db)

    def summary(self) -> dict[str, int]:
        """Counts a newcomer wants to see after a run."""
        return queries.summary(self.db)

    def import_links(self, sha256: str) -> ImportLinks:
        """How the recommendations of the imported file with these bytes are linked: how many
        match asks read from PDFs, and how many asks."""
        return linking.import_links(self.db, sha256)

    # --- clusters and corrections (clustering.py, cluster_state.py) ------------------------
    # What these methods read of the clusters (the settings, whether they are current, the
    # corrections) is cluster_state's; those that make or list clusters call clustering.py,
    # imported on their first use (`_clustering`).

    def cluster_settings(self) -> ClusterSettings:
        """The cluster settings in force: what the last `uprdex cluster` run set, over the
        base the store was opened with (the configuration's [clusters], else the defaults)."""
        return cluster_state.cluster_settings(self.db, self.cluster_base)

    def clusters_current(self) -> bool:
        """Whether the stored clusters are made as the settings in force and the installed
        models would make them (`update_clusters` makes stale ones again, every State)."""
        return cluster_state.clusters_current(self.db, self.cluster_base)

    def stale_cluster_states(self) -> set[str]:
        """States whose clusters a change of the corrections made stale and no clustering has
        made again (a `cluster forget` or `links --import` cut short); `update_clusters` makes
        them again first, whatever States it is asked for."""
        return set(stale.stale_states(self.db))

    def forgotten_pairs(self) -> set[tuple[str, str]]:
        """The pairs (sorted) a `cluster forget` cut short with `stale_cluster_states` was
        given, and those of the corrections it dropped: a run again of it exits 0."""
        return stale.forgotten_pairs(self.db)

    def remembered_cluster_settings(self) -> dict[str, Any]:
        """The cluster settings the last `uprdex cluster` run set (`uprdex config` shows
        them), by name."""
        return cluster_state.remembered_settings(self.db)

    def update_clusters(
        self,
        settings: ClusterSettings | None = None,
        states: set[str] | None = None,
        fresh: bool = False,
    ) -> int:
        """(Re)compute duplicate clusters (only those of `states`, or all from scratch when
        `fresh`) with `settings` (a `uprdex cluster` run's, remembered) or those in force;
        returns how many recommendations were clustered."""
        return _clustering.update_clusters(self, self.cluster_base, settings, states, fresh)

    def clusters(self, where: RecFilter | None = None, min_size: int = 1) -> list[StoredCluster]:
        """Clusters of the recommendations matching the filter, largest first, with members."""
        return _clustering.clusters(self.db, where, min_size)

    def cluster_ids(self, ids: Sequence[str] | None = None) -> dict[str, str | None]:
        """The cluster of each recommendation (None: not clustered): of all, or of these."""
        return cluster_state.cluster_ids(self.db, ids)

    def cluster_curation(self) -> dict[str, list[Correction]]:
        """The corrections that shape each cluster, by cluster id."""
        return _clustering.cluster_curation(self.db)

    def corrections(self) -> list[Correction]:
        """The researchers' links and unlinks (`uprdex cluster link/unlink`), by pair."""
        return cluster_state.corrections_of(self.db)

    def named_now(self, given: Sequence[str]) -> dict[str, str]:
        """The report's ask each imported ask's id of `given` names now its WG report is
        indexed (ids that name no such import are left out)."""
        return ids.named_now(self.db, given)

    def applied_corrections(self) -> Resolved:
        """The corrections as they apply: imported asks' ids read as the report's asks they
        name now, with a line on any that disagree or contradict once so read."""
        return ids.resolved(self.db, cluster_state.corrections_of(self.db, as_recorded=True))

    def record_corrections(self, incoming: Sequence[Correction]) -> list[Correction]:
        """Record links and unlinks; returns those that changed something (nothing is
        recorded when the result would contradict itself: `CorrectionError`)."""
        return _clustering.record_corrections(self, incoming)

    def forget_correction(self, a: str, b: str) -> list[Correction]:
        """Drop the corrections two ids name (the one recorded with them, or every one listed
        under two asks' ids); returns those dropped."""
        return _clustering.forget_correction(self, a, b)
