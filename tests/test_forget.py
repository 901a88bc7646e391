"""`uprdex cluster forget` of corrections recorded under UPR Info import ids, once the imports'
WG report is indexed and several imports name one ask: it drops what the researcher recorded by
the ids typed, or every correction of a line `cluster links` lists by that line's ids, and
nothing else; it says what it dropped and what still holds."""

from __future__ import annotations

import csv
from pathlib import Path

from uprdex.pipeline.store import Store

from helpers import cli, fixture

ASKS = ("A/HRC/28/15#115.1", "A/HRC/28/15#115.2")


def _variant(row: list[str], old: str, new: str) -> list[str]:
    assert old in row[3]
    return [*row[:3], row[3].replace(old, new), *row[4:]]


def _index(tmp_path: Path) -> tuple[Path, list[str], list[str]]:
    """UPR Info rows of Slovenia 2014 (three matching A/HRC/28/15#115.1, two 115.2, as UPR
    Info lists one ask once per recommending State), imported before the report; the ids of
    the imports of 115.1 and of 115.2."""
    from uprdex.flows.ingest import import_file

    with fixture("upr_info_slovenia_s20.csv").open(newline="") as handle:
        header, first, second = list(csv.reader(handle))[:3]
    rows = [
        header,
        first,
        _variant(first, "Take further steps", "Take steps"),
        _variant(first, "since the first UPR cycle", "since the first cycle"),
        second,
        _variant(second, "Expedite the process of ratification", "Expedite the ratification"),
    ]
    source = tmp_path / "rows.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(source, "upr-info", store)
        ids = [found for (found,) in store.db.execute("SELECT import_id FROM imports ORDER BY row")]
    return path, ids[:3], ids[3:]


def _stored(path: Path) -> set[tuple[str, str]]:
    with Store(path) as store:
        return {c.pair for c in store.corrections()}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (min(a, b), max(a, b))


def test_forget_of_one_recorded_link_keeps_the_other_and_says_the_asks_are_still_linked(
    tmp_path: Path,
) -> None:
    # Two links recorded under import ids before the report, which both link 115.1 and 115.2
    # once it is indexed. `forget` of ids that name the two asks but were never recorded
    # together (b1, c2) dropped both links (exit 0); forget of one recorded link said the asks
    # were no longer linked ("forgot that ... were linked"), while the other link still held.
    path, (b1, b2, _), (c1, c2) = _index(tmp_path)
    cli("cluster", "link", b1, c1, "--note", "first", "--index", path)
    cli("cluster", "link", b2, c2, "--note", "second", "--index", path)
    cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", path)
    both = {_pair(b1, c1), _pair(b2, c2)}
    assert _stored(path) == both
    mixed = cli("cluster", "forget", b1, c2, "--index", path)
    assert mixed.exit_code == 2, mixed.output
    assert _stored(path) == both, "forget dropped links recorded under other ids"
    said = " ".join(mixed.output.split())
    assert f"{_pair(b1, c1)[0]} = {_pair(b1, c1)[1]}" in said, said  # what is recorded
    one = cli("cluster", "forget", b1, c1, "--index", path)
    assert one.exit_code == 0, one.output
    assert _stored(path) == {_pair(b2, c2)}
    said = " ".join(one.output.split())
    assert f"{ASKS[0]} and {ASKS[1]} are still linked" in said, said


def test_forget_by_the_ids_cluster_links_lists_drops_that_line_and_only_it(
    tmp_path: Path,
) -> None:
    # `cluster links` lists one line for 115.1 = 115.2, recorded as two links under import
    # ids; a link of two imports of 115.1 (one ask now, ignored) is listed on its own line.
    # Forgetting the line by the asks' ids drops its two links, says both, and keeps the other.
    path, (b1, b2, b3), (c1, c2) = _index(tmp_path)
    cli("cluster", "link", b1, c1, "--index", path)
    cli("cluster", "link", b2, c2, "--index", path)
    cli("cluster", "link", b1, b3, "--index", path)
    cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", path)
    listed = cli("cluster", "links", "--index", path).output
    assert f"{ASKS[0]} {ASKS[1]}" in listed and "one ask now" in listed, listed
    forgot = cli("cluster", "forget", *ASKS, "--index", path)
    assert forgot.exit_code == 0, forgot.output
    said = " ".join(forgot.output.split())
    assert "forgot 2 corrections" in said and b1 in said and c2 in said, said
    assert _stored(path) == {_pair(b1, b3)}


def test_forget_of_imports_of_one_ask_drops_only_the_link_recorded_with_those_ids(
    tmp_path: Path,
) -> None:
    # Two links of imports that are all one ask now (b1 = b2, b2 = b3): `forget b1 b3`, never
    # recorded, dropped both (every correction read as 115.1 to itself).
    path, (b1, b2, b3), _ = _index(tmp_path)
    cli("cluster", "link", b1, b2, "--index", path)
    cli("cluster", "link", b2, b3, "--index", path)
    cli("ingest", fixture("slovenia2014_recs.pdf"), "--index", path)
    never = cli("cluster", "forget", b1, b3, "--index", path)
    assert never.exit_code == 2, never.output
    assert _stored(path) == {_pair(b1, b2), _pair(b2, b3)}
    assert cli("cluster", "forget", b2, b1, "--index", path).exit_code == 0
    assert _stored(path) == {_pair(b2, b3)}
