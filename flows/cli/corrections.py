"""`uprdex cluster link`, `unlink`, `forget` and `links`: a researcher's corrections to the
duplicate clusters, recorded in the index and kept by every later clustering."""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from uprdex.flows.cli._common import (
    count,
    err,
    existing,
    index_option,
    locked,
    named,
    open_index,
    out,
    rec_id,
    say_conflicts,
    unknown_id,
    workspace,
    writing,
)

if TYPE_CHECKING:
    from uprdex.pipeline.corrections import Correction
    from uprdex.pipeline.store import Named, Resolved, Store

_ARGUMENTS = (
    click.argument("first", metavar="REC_ID"),
    click.argument("second", metavar="REC_ID"),
)


def _pair(function: click.decorators.FC) -> click.decorators.FC:
    for argument in reversed(_ARGUMENTS):
        function = argument(function)
    return function


note_option = click.option("--note", default="", help="Why (shown with the correction).")


@click.command()
@_pair
@note_option
@index_option
@click.pass_context
def link(ctx: click.Context, first: str, second: str, note: str, index: Path | None) -> None:
    """Record that two recommendations are one commitment: every clustering puts them (and the
    clusters around them) together. REC_ID is like A/HRC/28/15#115.8 (`uprdex recs` shows
    them)."""
    _correct(ctx, first, second, "link", note, index)


@click.command()
@_pair
@note_option
@index_option
@click.pass_context
def unlink(ctx: click.Context, first: str, second: str, note: str, index: Path | None) -> None:
    """Record that two recommendations are different commitments: no clustering puts them in
    one cluster. REC_ID is like A/HRC/28/15#115.8."""
    _correct(ctx, first, second, "unlink", note, index)


@click.command()
@_pair
@index_option
@click.pass_context
def forget(ctx: click.Context, first: str, second: str, index: Path | None) -> None:
    """Drop the link or unlink recorded with two recommendation ids (two asks' ids as `uprdex
    cluster links` lists them: every correction listed under them); their States are clustered
    again from scratch."""
    index = _index(ctx, index)
    existing(index)
    with locked(workspace(None, index)), open_index(index) as store:
        found = [named(store, rec) for rec in (first, second)]
        # As the index spells them: an imported id as imported, whatever it names now.
        a, b = (_spelled(f, rec) for f, rec in zip(found, (first, second), strict=True))
        left = store.stale_cluster_states()  # by a forget or an import cut short, maybe this
        forgot = store.forgotten_pairs()  # the pairs a forget cut short was given
        gone = store.forget_correction(a, b)
        names = store.named_now([a, b, *(rec for c in gone for rec in c.pair)])
        asks = sorted({names.get(rec, rec) for rec in (gone[0].pair if gone else (a, b))})
        # What still holds for these asks (another correction recorded under other ids).
        applied = store.applied_corrections()
        line = {c.pair: c for c in applied.held}.get((asks[0], asks[-1]))
        still = applied.recorded[line.pair] if line is not None else ()
        if not gone:
            # Nothing recorded under an id that names no ask: that id is what is wrong.
            for unknown in (f for f in found if f.ask is None):
                unknown_id(unknown)
            if left:  # run again after a forget cut short: its clustering is what is left
                store.update_clusters(states=set(), fresh=True)
                err.print(escape(_finished(left)))
                if line is None and forgot & {(min(a, b), max(a, b)), (asks[0], asks[-1])}:
                    where = _where(store, *asks) if len(asks) == 2 else ""
                    out.print(escape(f"no link or unlink of {a} and {b} is recorded; " + where))
                    return
            listed = (
                f"; {line.first} and {line.second} are {line.kind.value}ed as recorded: "
                f"{', '.join(c.describe() for c in still)} (forget one by its two ids, or every "
                "one by the two asks' ids)"
                if line is not None
                else ""
            )
            raise click.UsageError(f"no link or unlink of {a} and {b} is recorded{listed}")
        states = _states(store, asks)
        if states or left:
            store.update_clusters(states=states, fresh=True)
        where = _where(store, *asks) if len(asks) == 2 else ""
    out.print(_forgot(gone, asks, line, still, where))


def _finished(left: set[str]) -> str:
    """What a command run again after one cut short did."""
    return (
        f"clustered {', '.join(sorted(left))} again: a correction changed since its clusters "
        "were made (a `cluster forget` or `links --import` cut short)"
    )


def _spelled(found: Named, typed: str) -> str:
    """A typed id as the index spells it: an imported id's own, a report's ask, or as typed
    when it names nothing here (a correction may name an ask no longer indexed)."""
    if found.via is not None:
        return found.via.import_id
    return found.ask or _id(typed)


def _forgot(
    gone: Sequence[Correction],
    asks: Sequence[str],
    line: Correction | None,
    still: Sequence[Correction],
    where: str,
) -> str:
    """What `forget` dropped, then where the asks are, or that another correction still
    links (or unlinks) them."""
    from uprdex.pipeline.corrections import CorrectionKind

    if len(gone) == 1:
        verb = "linked" if gone[0].kind == CorrectionKind.LINK else "unlinked"
        said = f"forgot that {gone[0].first} and {gone[0].second} were {verb}"
    else:
        each = ", ".join(f"{c.describe()} ({c.at})" for c in gone)
        said = f"forgot {count(len(gone), 'correction')} of {' and '.join(asks)}: {each}"
    if line is not None:
        held = ", ".join(f"{c.describe()} recorded {c.at}" for c in still)
        said += (
            f"; {line.first} and {line.second} are still {line.kind.value}ed by {held} "
            "(`uprdex cluster links` lists it)"
        )
    elif where:
        said += f"; {where}"
    return escape(said)


@click.command()
@index_option
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the corrections to a CSV file (to share them with another index).",
)
@click.option(
    "--import",
    "import_from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Add the corrections of a CSV file that --export wrote; on a pair both have, the "
    "later one holds. Nothing is imported when the result would contradict itself.",
)
@click.pass_context
def links(
    ctx: click.Context, index: Path | None, export_to: Path | None, import_from: Path | None
) -> None:
    """List the researchers' links and unlinks: who recorded each ($USER), when, and why."""
    from uprdex.pipeline.corrections import read_csv, write_csv

    if export_to is not None and import_from is not None:
        raise click.UsageError("give --export or --import, not both")
    index = _index(ctx, index)
    existing(index)
    if import_from is not None:
        incoming = read_csv(import_from)
        with locked(workspace(None, index)), open_index(index) as store:
            before = store.applied_corrections()
            left = store.stale_cluster_states()
            changed = store.record_corrections(incoming)
            applied = store.applied_corrections()
            names = store.named_now([rec for c in changed for rec in c.pair])
            states = _states(store, [names.get(rec, rec) for c in changed for rec in c.pair])
            if states or left:
                store.update_clusters(states=states, fresh=True)
        out.print(
            f"{count(len(incoming), 'correction')} in {escape(str(import_from))}: "
            f"{len(changed)} new or changed, {len(incoming) - len(changed)} already here"
        )
        if left - states:
            err.print(escape(_finished(left - states)))
        moved = sum(any(rec in names for rec in c.pair) for c in changed)
        if moved:
            out.print(
                f"{count(moved, 'correction')} named an imported ask by its id: it holds for "
                "the report's ask that import is linked to here"
            )
        say_conflicts(applied.conflicts_since(before))  # those its corrections made
        return
    with open_index(index) as store:
        recorded = store.corrections()
        applied = store.applied_corrections()
        clusters = store.cluster_ids([rec for c in applied.held for rec in c.pair])
    if export_to is not None:  # as recorded: another index may hold other reports
        with writing(export_to):
            written = write_csv(recorded, export_to)
        err.print(f"wrote {count(written, 'correction')} to {escape(str(export_to))}")
        return
    for c in applied.held:
        now = [clusters.get(rec) for rec in c.pair]
        if now[0] and now[0] == now[1]:
            where = f"both in {now[0]}"
        else:
            where = " and ".join(cid or "not in this index" for cid in now)
        typed = [r.describe() for r in applied.recorded[c.pair] if r.pair != c.pair]
        if typed:  # under imported asks' ids, typed before their WG report was indexed
            where = f"recorded as {', '.join(typed)}; {where}"
        _listed(c, where)
    for c in applied.to_itself:
        _listed(c, "one ask now: its two imports match one paragraph; ignored")
    out.print(f"{count(len(recorded), 'correction')}")
    say_conflicts(applied.conflicts)


def report_corrections(applied: Resolved) -> None:
    """One line on the corrections a clustering kept, and one on each that contradicts
    another (`say_conflicts`)."""
    from uprdex.pipeline.corrections import CorrectionKind

    held = applied.held
    if not held and not applied.to_itself:
        return
    linked = sum(1 for c in held if c.kind == CorrectionKind.LINK)
    out.print(
        f"Researchers' corrections kept: {count(linked, 'link')}, "
        f"{count(len(held) - linked, 'unlink')} (`uprdex cluster links`)."
    )
    say_conflicts(applied.conflicts)


def _listed(c: Correction, where: str) -> None:
    note = f" {escape(repr(c.note))}" if c.note else ""
    out.print(
        f"{c.kind.value:6} {escape(c.first)} {escape(c.second)}  by {escape(c.who)} "
        f"{c.at}{note}  ({escape(where)})"
    )


def _correct(
    ctx: click.Context, first: str, second: str, kind: str, note: str, index: Path | None
) -> None:
    from uprdex.pipeline.corrections import Correction

    index = _index(ctx, index)
    existing(index)
    with locked(workspace(None, index)), open_index(index) as store:
        a, b = (_indexed(found) for found in [named(store, first), named(store, second)])
        correction = Correction.of(a, b, kind, note.strip(), _who(), _now())
        states = _states(store, [a, b])
        # As it applies: recorded under imported ids that name these asks now, maybe.
        before = {c.pair: c for c in store.applied_corrections().held}.get(correction.pair)
        changed = store.record_corrections([correction])
        store.update_clusters(states=states)
        where = _where(store, a, b)
    if not changed:
        out.print(f"already {kind}ed: {escape(a)} and {escape(b)}; {where}")
        return
    replaced = (
        f" (replaces the {before.kind.value} {escape(before.who)} recorded {before.at})"
        if before is not None and before.kind != correction.kind
        else ""
    )
    out.print(f"{kind}ed {escape(a)} and {escape(b)}{replaced}; {where}")


def _where(store: Store, a: str, b: str) -> str:
    """'both are in cluster c-…' or 'they are in clusters c-… and c-…'."""
    found = store.cluster_ids([a, b])
    if found.get(a) and found.get(a) == found.get(b):
        return f"both are in cluster {found[a]}"
    return f"they are in clusters {found.get(a) or '-'} and {found.get(b) or '-'}"


def _indexed(found: Named) -> str:
    """The ask an id names; of none, the command ends with the line `show` says of it."""
    if found.ask is None:
        unknown_id(found)
    return found.ask


def _states(store: Store, ids: Sequence[str]) -> set[str]:
    """States under review of these recommendations."""
    return {state for state in store.states_under_review(ids).values() if state is not None}


def _id(text: str) -> str:
    """'A/HRC/28/15#115.8' in any case and spacing; an imported recommendation's id
    ('upr-info:AFG:18:1af3ec5b5ffe') as given."""
    if "#" not in text:
        return text.strip()
    symbol, paragraph = rec_id(text, None)
    return f"{symbol}#{paragraph}"


def _index(ctx: click.Context, index: Path | None) -> Path | None:
    """The subcommand's --index, else the one given to `uprdex cluster`."""
    if index is None and isinstance(ctx.obj, dict):
        given = ctx.obj.get("index")
        return given if isinstance(given, Path) else None
    return index


def _who() -> str:
    """The login recording a correction: $USER, else the system's user name."""
    user = os.environ.get("USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
