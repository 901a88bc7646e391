"""uprdex: an evidence index of UN Universal Periodic Review recommendations.

The Python API, for notebooks and scripts, reads an index that `uprdex ingest` (or `uprdex run`)
built. Its records are the export contract's (the same fields as `uprdex export`):

    import uprdex

    with uprdex.open_index("data/index.sqlite") as index:
        noted = index.recommendations(state_under_review="Slovenia", response="noted")
        evidence = index.evidence(noted[0]["id"])
        frame = index.dataframe("recommendations", cycle=3)   # needs the pandas extra

Importing `uprdex` is cheap: the index code loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uprdex.index import Index, UnknownIdError, open_index

__all__ = ["Index", "UnknownIdError", "open_index"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from uprdex import index

        return getattr(index, name)
    raise AttributeError(f"module 'uprdex' has no attribute {name!r}")
