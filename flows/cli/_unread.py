"""The files the index could not read, as `status` lists them and `evidence` names them when
one may be the report an ask is of."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

if TYPE_CHECKING:
    from uprdex.pipeline.store.rows import StoredDocument

__all__ = ["SHOWN_UNREAD", "may_be", "unread_lines", "why_unread"]

SHOWN_UNREAD = 5


def may_be(documents: list[StoredDocument]) -> str:
    """'may be the file that could not be read', 'may be one of the 3 files ...'."""
    which = "the file" if len(documents) == 1 else f"one of the {len(documents)} files"
    return f"may be {which} that could not be read"


def unread_lines(documents: list[StoredDocument]) -> list[str]:
    """The files the index could not read, as `evidence` names them (`status` lists each in
    `why_unread`'s line alone), each with its copy and its error in the quarantine when `uprdex
    run` put them there (beside its inbox, or the workspace's); the first SHOWN_UNREAD of them."""
    from uprdex.pipeline.config import load_config
    from uprdex.pipeline.inbox import quarantined_as

    lines = []
    for document in documents[:SHOWN_UNREAD]:
        path = Path(document.path)
        # The quarantine beside the inbox holding the file, at any depth (inbox/2019/x.pdf:
        # data/quarantine), then the one this folder's workspace sets.
        beside = [folder.parent / "quarantine" for folder in path.parents[:-1]]
        folders = dict.fromkeys([*beside, load_config().quarantine])
        copies = [quarantined_as(path, document.sha256 or None, f) for f in folders]
        # The copy itself, not only its .error.json: a release wrote the error of a file gone
        # before its copy, and this line said "copied to" a copy that is not there.
        kept = [c for c in copies if c.is_file() and c.with_name(c.name + ".error.json").is_file()]
        line = f"  {why_unread(document)}"
        if kept:
            copy = escape(str(kept[0]))
            line += f" (copied to {copy}; its error: {escape(kept[0].name)}.error.json)"
        lines.append(line)
    if len(documents) > SHOWN_UNREAD:
        lines.append(f"  and {len(documents) - SHOWN_UNREAD} more: `uprdex status` lists them")
    return lines


def why_unread(document: StoredDocument) -> str:
    """A file the index could not read and why, for `status` and `evidence`."""
    return f"[red]{document.status}[/] {escape(document.path)}: {escape(str(document.error))}"
