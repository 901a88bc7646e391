"""What every command shares: the consoles, options, and opening the index.

Only the CLI turns errors into exit codes and one-line messages.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.markup import escape
from rich.segment import Segment

from uprdex.flows.cli._meant import did_you_mean as did_you_mean  # tests import it from here
from uprdex.flows.cli._meant import search_notes, state_meant, theme_meant
from uprdex.flows.exit_codes import EXIT_CLOSED_PIPE, EXIT_USAGE
from uprdex.pipeline.config import Config, ConfigError, load_config
from uprdex.pipeline.errors import BadIndexError, OutputError
from uprdex.pipeline.model import Position
from uprdex.pipeline.settings import default_index_path
from uprdex.pipeline.text import visible_controls

if TYPE_CHECKING:
    from uprdex.pipeline.store import Named, RecFilter, Store

T = TypeVar("T")
Command = TypeVar("Command", bound=Callable[..., Any])

# Prefect: no analytics, no network; its temporary server can take ~30 s to start here.
for _name, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_name, _value)


class _Visible:
    """A renderable whose text shows control characters as their pictures: a PDF's text may
    hold terminal escape sequences (ESC [ 2 J clears the screen, OSC 52 writes the clipboard),
    and a console must show them, never run them."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control:  # rich's own cursor moves (the progress bar)
                yield segment
            else:
                yield Segment(visible_controls(segment.text), segment.style)


class _ShowControls(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Visible(renderable) for renderable in renderables]


def closed_pipe() -> int:
    """Standard output's reader went away: later writes (and the flush at the end) go to
    /dev/null, quietly; EXIT_CLOSED_PIPE to end with (Python's own recipe, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_CLOSED_PIPE


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """rich's own ends with 1, which says that files failed: end as `main` ends a closed
        pipe (EXIT_CLOSED_PIPE)."""
        self.quiet = True
        raise BrokenPipeError


def _console(stderr: bool) -> Console:
    console = _Console(stderr=stderr, highlight=False, soft_wrap=True)
    console.push_render_hook(_ShowControls())
    return console


out = _console(stderr=False)
err = _console(stderr=True)

index_option = click.option(
    "--index",
    "index",
    type=click.Path(path_type=Path),
    default=None,
    help="Index file (default: $UPRDEX_INDEX or data/index.sqlite).",
)


inbox_option = click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Inbox folder (default: uprdex.toml's, else data/inbox).",
)
dask_options = (
    click.option(
        "--dask-address",
        default=None,
        help="Run per-document tasks on this Dask scheduler (tcp://host:8786).",
    ),
    click.option(
        "--dask-workers",
        type=int,
        default=0,
        help="Run per-document tasks on a local Dask cluster of N worker processes.",
    ),
)


FILTER_OPTIONS = (
    click.option(
        "--state-under-review",
        "--state",
        help="State under review, any known spelling or its ISO code (SLV).",
    ),
    click.option(
        "--recommending-state", help="Recommending State, any known spelling or its ISO code (USA)."
    ),
    click.option("--cycle", type=click.IntRange(min=1), help="UPR cycle (1, 2, 3, 4)."),
    click.option(
        "--response",
        type=click.Choice([position.value for position in Position]),
        help="The State's latest known position: supported, noted, pending (will be examined, "
        "no answer yet) or unknown.",
    ),
    click.option(
        "--theme",
        help="Theme, as the exports' `themes` name it (UPR Info's issues: \"Death penalty\", "
        '"Women\'s rights"), any case.',
    ),
    click.option(
        "--recurring",
        is_flag=True,
        help="Only asks made in two reviews of the same State: an ask that repeats one of an "
        "earlier review (its `repeats` give that ask and the State's response then) or that a "
        "later review asks again (its `repeated_by`: the asks that came back); with clusters, "
        "the clusters asked again in a later cycle, with their earlier asks.",
    ),
)
NO_RECURRING = (
    "[yellow]note[/] no ask here repeats an ask of an earlier review of its State, nor was asked "
    "again in a later one. With one review of a State indexed there is none: index an earlier "
    "or a later review too, and cluster them with --scope state (the default) or all "
    "(`uprdex cluster`)"
)
"""What `--recurring` says when it finds nothing."""
SEARCH_OPTION = click.option(
    "--search",
    help="Words that must all appear in the recommendation's text or its footnotes (the ask "
    "as read in the interactive dialogue); words in double quotes, together and in that order, "
    "and never by a treaty's or body's other names ('\"death penalty\"'); a word in capitals "
    "(WHO, AIDS) only where it is printed in capitals. With --recommending-state, "
    "an item that bundles several asks, each with its own States (Japan 2008's 60.1: OP-CAT "
    "(United Kingdom, ...), the Hague Convention (Canada, ...)), is kept only when the words "
    "are in the parts that State asked for, or in a footnote on it that gives that State's ask "
    "as made in the dialogue.",
)


def filters(function: Any) -> Any:
    """The filters shared by recs, export and clusters."""
    for option in reversed((*FILTER_OPTIONS, SEARCH_OPTION)):
        function = option(function)
    return function


def state_filters(function: Any) -> Any:
    """The filters without --search (for `search`, whose argument is the words)."""
    for option in reversed(FILTER_OPTIONS):
        function = option(function)
    return function


@contextmanager
def locked(config: Config) -> Iterator[None]:
    """The index lock (a second writer waits up to workspace.lock_timeout seconds); an
    IndexBusyError past that, which the CLI ends with EXIT_BUSY."""
    from uprdex.pipeline.inbox import index_lock

    with ExitStack() as stack:
        with writing(config.index):  # the lock sits beside the index
            stack.enter_context(index_lock(config.index, config.lock_timeout))
        yield


def ready_to_run(config: Config) -> None:
    """Before a flow starts (Prefect logs a traceback for an error inside it): the folders it
    writes made, or an OutputError naming the one that cannot be; the index free, or an
    IndexBusyError once workspace.lock_timeout has passed; on Windows, one line saying it is not
    supported."""
    from uprdex.pipeline.sandbox import check_platform

    check_platform()
    flow_paths(config)
    for folder in (config.index.parent, config.quarantine, config.reports):
        with writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
    with locked(config):
        pass


def flow_paths(config: Config) -> dict[str, str]:
    """The workspace's paths as the nightly flow's parameters; a ConfigError naming one that is
    not UTF-8 text (a folder unzipped from a Windows archive: b"d\xe9p"), which Prefect's API,
    JSON, refuses."""
    from uprdex.pipeline.names import path_text, utf8_name

    paths = {name: getattr(config, name) for name in ("inbox", "index", "quarantine", "reports")}
    for name, path in paths.items():
        if not utf8_name(path):
            raise ConfigError(
                f"{path_text(path)}: the {name} path is not UTF-8 text, which the nightly flow "
                "(Prefect) cannot carry; rename it (e.g. `convmv -f cp1252 -t utf-8`), or use "
                "`uprdex ingest`"
            )
    return {name: str(path) for name, path in paths.items()}


@contextmanager
def writing(target: Path | None) -> Iterator[None]:
    """An OutputError of one line when an output file or folder cannot be written."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the command ends as `main` ends it, quietly
    except OSError as error:
        raise OutputError(cannot_write(error, target)) from error


def cannot_write(error: OSError, target: Path | None = None) -> str:
    """What an OSError means to a researcher: "cannot write out/x.csv: out is a file, not a
    folder"."""
    where = str(error.filename or target or "")
    blocking = (
        _file_on_the_way(Path(error.filename))
        if isinstance(error, FileExistsError | NotADirectoryError) and error.filename
        else None
    )
    if blocking is not None:
        # A folder on the way is a file: "File exists" would mislead.
        return f"cannot write {target or where}: {blocking} is a file, not a folder"
    return f"cannot write {where}: {error.strerror or error}"


def made_folders(folder: Path) -> str:
    """What the line saying what a command wrote adds when the folder it writes in, `folder`,
    does not exist yet (asked before writing, which makes it): " (made the folder out)",
    " (made the folders /tmp/a, /tmp/a/b)"; "" when it exists."""
    missing = [place for place in (folder, *folder.parents) if not place.exists()]
    if not missing:
        return ""
    named = ", ".join(str(place) for place in reversed(missing))
    return f" (made the folder{'s' * (len(missing) > 1)} {named})"


def _file_on_the_way(path: Path) -> Path | None:
    """`path` or its nearest existing ancestor, when that is a file, not a folder."""
    for place in (path, *path.parents):
        if place.exists():
            return None if place.is_dir() else place
    return None


_SQLITE_MAGIC = b"SQLite format 3\x00"


def existing(index: Path | None) -> Path:
    """The index path; a BadIndexError when there is no index there or the file is not a
    database (before anything is written beside it, such as the lock)."""
    path = index or default_index_path()
    if path.is_dir():
        from uprdex.pipeline.inbox import not_a_folder

        not_a_folder(path)
    if not path.exists():
        raise BadIndexError(
            f"no index at {path}: run `uprdex ingest PATH...` first, or pass --index FILE"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as error:
        raise BadIndexError(f"{path}: cannot read the index ({error.strerror})") from error
    if head and head != _SQLITE_MAGIC:
        raise BadIndexError(f"{path}: not an uprdex index (not a database)")
    return path


def open_index(
    index: Path | None, create: bool = False, busy_timeout: float | None = None
) -> Store:
    """The index (created when `create`); a BadIndexError when it is missing or bad, an
    OutputError when it cannot be created there. A writer holding it is waited for up to
    `busy_timeout` seconds (default: workspace.lock_timeout), then an IndexBusyError."""
    from uprdex.pipeline.store import Store

    config = load_config()
    path = index or config.index
    if not create:
        existing(path)
    with writing(path):
        return Store(
            path,
            evidence=config.evidence,
            busy_timeout=config.lock_timeout if busy_timeout is None else busy_timeout,
            clusters=config.clusters,
        )


def rec_filter(
    options: dict[str, Any], store: Store | None = None, documents: bool = False
) -> RecFilter:
    """The filters a command was given, with a warning for a State name uprdex does not know,
    for a theme the index `store` gives no recommendation and for a cycle or State none of its
    recommendations (of its `documents`, for `export --what documents`) holds ("no cycle 7 in
    this index: it holds cycles 1, 2"), and the notes on what its --search searched
    (`search_notes`)."""
    from uprdex.pipeline.states import load_states
    from uprdex.pipeline.store import RecFilter

    states = load_states()
    for option in ("state_under_review", "recommending_state"):
        name = options.get(option)
        state = states.given(name) if name else None
        if name and state is None:  # as the filter reads it (`store.filters.state_name`)
            meant = state_meant(name, states)
            err.print(
                f"[yellow]warning[/] --{option.replace('_', '-')} {escape(name)!r} is not a "
                f"State name uprdex knows{escape(meant)}; matching it as printed"
            )
        elif state and store is not None:
            _say_not_held(_held(store, option, documents), option, str(name), state.name)
    if options.get("cycle") is not None and store is not None:
        cycle = str(options["cycle"])
        _say_not_held(_held(store, "cycle", documents), "cycle", cycle, cycle)
    theme = options.get("theme")
    if theme and store is not None:
        from uprdex.pipeline.store.folding import fold_apostrophes

        themes = store.themes()
        # as the filter reads it (`filter_sql`): any case, any apostrophe or none
        named = {(fold_apostrophes(known) or known).casefold() for known in themes}
        typed = theme.strip()  # as the filter reads it: "Migrants " copied from a report
        if (fold_apostrophes(typed) or typed).casefold() not in named:
            err.print(
                f"[yellow]warning[/] --theme {escape(theme)!r} is not a theme of this index"
                + (
                    f"{escape(theme_meant(theme, themes))}, whose themes are: "
                    f"{escape('; '.join(themes))} (`uprdex themes` counts their asks)"
                    if themes
                    else ": none of its recommendations has a theme yet"
                )
            )
    given = {key: options[key] for key in RecFilter.__dataclass_fields__ if key in options}
    where = RecFilter(**given)
    if store is not None:
        for line in search_notes(store, where):
            err.print(line)
    return where


_NOT_HELD = {
    "cycle": ("no cycle {}", "cycle"),
    "state_under_review": ("no review of {}", "reviews of"),
    "recommending_state": ("no ask by {}", "asks by"),
}
"""What `_say_not_held` says is missing, and what the index holds instead."""
_LISTED = 8
"""How many States `_say_not_held` names; past that, the first three and how many more."""


def _held(store: Store, option: str, documents: bool) -> list[str]:
    """The values of a filter the index's recommendations hold (`Store.held`), or its
    documents' (an addendum's cycle is its review's: `Store.documents`)."""
    if not documents:
        return store.held(option)
    return sorted(
        {str(value) for d in store.documents() if (value := getattr(d, option)) is not None}
    )


def _say_not_held(held: list[str], option: str, given: str, value: str) -> None:
    """One warning on stderr when the values the index `held` for this filter lack `value`
    (`given` as typed): "--cycle 7: no cycle 7 in this index: it holds cycles 1, 2", "asks by
    97 States: Afghanistan, Albania, Algeria and 94 more"; an empty list, not a silent one."""
    if value in held:
        return
    none, holds = _NOT_HELD[option]
    holds += "s" * (option == "cycle" and len(held) > 1)
    listed = (
        "none yet"
        if not held
        else f"{holds} {', '.join(held)}"
        if len(held) <= _LISTED or option == "cycle"
        else f"{holds} {len(held)} States: {', '.join(held[:3])} and {len(held) - 3} more"
    )
    err.print(
        f"[yellow]warning[/] --{option.replace('_', '-')} {escape(given)}: "
        f"{escape(none.format(value))} in this index: it holds {escape(listed)}"
    )


def pending_note(store: Store, where: RecFilter, words: str | None = None) -> str | None:
    """Of a list filtered on an answer (--response supported or noted), the line to say on the
    asks the other filters match that no indexed answer of the State's has decided yet: "0
    noted" of a review whose addendum is not indexed is no "nothing refused". Of `search`'s
    `words`, counted as it finds them: in an ask's text or in evidence about it. None when there
    are none, or the filter is on no answer."""
    from uprdex.pipeline.unanswered import unanswered

    if where.response not in (Position.SUPPORTED, Position.NOTED):
        return None
    open_ones = replace(where, response=Position.PENDING.value)
    asks = (
        store.recommendations(open_ones)
        if words is None
        else [hit.recommendation for hit in store.search(words, open_ones, 0).hits]
    )
    if not asks:
        return None
    pending = len(asks)
    them = "it" if pending == 1 else "them"
    # The addenda not indexed, named as the HTML report names them (`report.unanswered`).
    missing = [
        review.addendum
        for review in unanswered([asdict(ask) for ask in asks], map(asdict, store.documents()))
        if review.addendum and not review.addenda
    ]
    addendum = ", ".join(["their addenda" if len(missing) > 1 else "its addendum", *missing])
    return (
        f"[yellow]note[/] {count(pending, 'ask')} that the other filters match "
        f"{'is' if pending == 1 else 'are'} pending: no answer of the State's to {them} is "
        f"indexed; {escape(addendum)} (`uprdex ingest FILE.pdf`) or a UPR Info export (`uprdex "
        f"import upr-info FILE.csv`) would answer {them} (`--response pending` lists {them})"
    )


GIVE_AN_ID = "give the report symbol and the paragraph: A/HRC/28/15 115.8 (or A/HRC/28/15#115.8)"


def rec_id(symbol: str, paragraph: str | None) -> tuple[str, str]:
    """(symbol, paragraph) from "A/HRC/28/15 115.8" or "A/HRC/28/15#115.8", any case."""
    if paragraph is None:
        if "#" not in symbol:
            raise click.UsageError(GIVE_AN_ID)
        symbol, paragraph = symbol.rsplit("#", 1)
    return "".join(symbol.split()).upper(), "".join(paragraph.split())


def named(store: Store, given: str) -> Named:
    """What an id typed names (`Store.named`); an imported ask's id kept from before its WG
    report was indexed ('upr-info:SVN:20:99836fe488b3') said in one line on stderr to lead to
    the report's ask now (`show`'s JSON stays JSON)."""
    found = store.named(given)
    if found.via is not None:
        err.print(escape(found.said))
    return found


def unknown_id(found: Named) -> NoReturn:
    """End the command with the line every command says of an id that names no ask
    (`Named.said`: 'no recommendation X in the index; did you mean Y?')."""
    err.print(f"[red]error[/] {escape(found.said)}")
    sys.exit(EXIT_USAGE)


def say_conflicts(conflicts: Iterable[str]) -> None:
    """One line on stderr on each pair two corrections now disagree on and on each
    contradiction, read with imported ids as the report's asks (which one holds): every
    command that writes clusters says them with this (`Resolved.conflicts`; a write of
    documents, imports or a file of corrections only those it made,
    `Resolved.conflicts_since`)."""
    for line in conflicts:
        err.print(f"[yellow]contradiction[/] {escape(line)}")


def ask_named_by(store: Store, symbol: str, paragraph: str | None) -> Named:
    """What `show` and `evidence` were given names: a report symbol and paragraph
    ('A/HRC/28/15 115.8', 'A/HRC/28/15#115.8'), an imported ask's id
    ('upr-info:BHR:1:3ce925f24158', README) or a mistyped id ('A/HRC/28/15:115.22'). One
    argument with no '#' that names no ask ends the command: 'no recommendation X in the
    index; did you mean Y?', or a UsageError saying what an id is like when it is close to none
    and has no ':' ('A/HRC/28/15' alone)."""
    found = named(store, symbol if paragraph is None else f"{symbol}#{paragraph}")
    if found.ask is None and paragraph is None and "#" not in symbol:
        if found.nearest is None and ":" not in symbol:
            raise click.UsageError(GIVE_AN_ID)
        unknown_id(found)
    return found


def workspace(inbox: Path | None, index: Path | None) -> Config:
    """The workspace's configuration with the inbox and index given on the command line."""
    return load_config().with_paths(inbox=inbox, index=index)


def count(number: int, noun: str, plural: str = "") -> str:
    """'1 file', '2 files' ('1 copy', '2 copies' with `plural`)."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


def limit_option(default: int, rows: str) -> Callable[[Command], Command]:
    """--limit N, one meaning for recs, search and clusters: show at most N `rows`, 0 all;
    each command then says how many of how many it shows (`shown_of`)."""
    return click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=default,
        show_default=bool(default),
        help=f"Show at most N {rows} (0: all).",
    )


def limited(rows: list[T], limit: int) -> list[T]:
    """The first `limit` rows, all of them for 0 (`limit_option`)."""
    return rows[:limit] if limit else rows


def shown_of(shown: int, matched: int, noun: str) -> str:
    """'3 of 136 recommendations' when a --limit cut the list, else '136 recommendations'."""
    return f"{shown} of {count(matched, noun)}" if shown < matched else count(matched, noun)
