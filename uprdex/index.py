"""An index opened from Python: the export contract's records, or pandas DataFrames."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from uprdex.pipeline.errors import UnknownIdError, UprdexError
from uprdex.pipeline.extras import require
from uprdex.pipeline.model import ExportKind

if TYPE_CHECKING:
    import pandas

    from uprdex.pipeline.store import Store

__all__ = ["Index", "UnknownIdError", "open_index"]

Record = dict[str, Any]


def open_index(path: str | Path | None = None) -> Index:
    """Open an index built by `uprdex ingest` (default: the workspace's, as the CLI finds it).

    Example:
        with open_index("data/index.sqlite") as index:
            rows = index.recommendations(state_under_review="Slovenia", cycle=3)
    """
    from uprdex.pipeline.settings import default_index_path

    target = Path(path) if path is not None else default_index_path()
    if not target.is_file():
        raise UprdexError(f"no index at {target}: run `uprdex ingest PATH...` first")
    return Index(target)


class Index:
    """An uprdex index; every method returns the records `uprdex export` writes."""

    def __init__(self, path: Path) -> None:
        from uprdex.pipeline.store import Store

        self.path = path
        self._store: Store = Store(path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the index file."""
        self._store.close()

    def recommendations(
        self,
        state_under_review: str | None = None,
        recommending_state: str | None = None,
        cycle: int | None = None,
        response: str | None = None,
        search: str | None = None,
        recurring: bool = False,
        theme: str | None = None,
    ) -> list[Record]:
        """Recommendations, filtered like `uprdex recs` (any known spelling of a State);
        `recurring`: only the asks made in two reviews of the same State, either end: an ask
        that repeats one of an earlier review (its `repeats`) or that a later review asks again
        (its `repeated_by`; every record has both fields); `theme`: only those whose `themes`
        hold it ("Death penalty", any case)."""
        return self._records(
            ExportKind.RECOMMENDATIONS,
            state_under_review=state_under_review,
            recommending_state=recommending_state,
            cycle=cycle,
            response=response,
            search=search,
            recurring=recurring,
            theme=theme,
        )

    def evidence(self, recommendation_id: str | None = None, **filters: Any) -> list[Record]:
        """Evidence records: of one recommendation ("A/HRC/28/15#115.22", any case, as `uprdex
        evidence` takes it; an imported ask's id kept from before its WG report was indexed,
        "upr-info:SVN:20:99836fe488b3", gives its report's ask's, whose id the records carry),
        or of all the recommendations the filters select. An id that names no recommendation
        of the index raises UnknownIdError, with the id it most likely means ("did you mean
        A/HRC/28/15#115.22?" of "A/HRC/28/15:115.22"), as `uprdex evidence` says it."""
        wanted = None
        if recommendation_id is not None:
            found = self._store.named(recommendation_id)
            if found.ask is None:
                raise UnknownIdError(found.said, found.given, found.nearest)
            wanted = found.ask
        rows = self._records(ExportKind.EVIDENCE, **filters)
        return (
            rows if wanted is None else [row for row in rows if row["recommendation_id"] == wanted]
        )

    def clusters(self, min_size: int = 1, **filters: Any) -> list[Record]:
        """Duplicate clusters (singletons are clusters of size 1), largest first."""
        return [
            row for row in self._records(ExportKind.CLUSTERS, **filters) if row["size"] >= min_size
        ]

    def documents(self) -> list[Record]:
        """Every ingested document, with its status and, if it failed, why."""
        return self._records(ExportKind.DOCUMENTS)

    def dataframe(self, kind: str, **filters: Any) -> pandas.DataFrame:
        """The records of one kind as a pandas DataFrame (needs the `pandas` extra)."""
        pandas = require("pandas", "pandas", "Index.dataframe")
        if kind == ExportKind.EVIDENCE:
            return pandas.json_normalize(self.evidence(**filters))
        return pandas.DataFrame(self._records(ExportKind(kind), **filters))

    def _records(self, kind: ExportKind, **filters: Any) -> list[Record]:
        from uprdex.pipeline.exports import records
        from uprdex.pipeline.store import RecFilter

        where = RecFilter(**{key: value for key, value in filters.items() if value is not None})
        return records(self._store, kind.value, where)
