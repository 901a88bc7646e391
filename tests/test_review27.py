"""review27: code review of the session's second half (fixerrs, fixitems, fixr26a, fixr26b and
the lead's quarantine_failed, tools/module_size.py), each finding pinned as an xfail(strict)
test that fails on today's code for the reason it gives."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNREADABLE = Path("/proc/self/mem")  # a file whose every read at offset 0 fails: EIO


def test_a_failed_file_gone_before_its_copy_is_quarantined_from_the_bytes_read(
    tmp_path: Path,
) -> None:
    # review27 finding 1: quarantine() skipped the copy of a file gone (path.is_file() False)
    # but wrote its .error.json, and quarantine_failed returned "" (copied): `uprdex run` said
    # "copied to data/quarantine" of a copy that did not exist. It then said "gone since it
    # was read", nothing copied. Since the quarantine writes the bytes the run read (stale),
    # the file gone meanwhile is copied as it failed, its .error.json beside the copy.
    import hashlib

    from uprdex.pipeline.inbox import quarantine_failed, quarantined_as

    gone = tmp_path / "inbox" / "2019" / "x.pdf"  # moved away by the user after its reading
    data = b"%PDF-1.4 the bytes that failed"
    sha256 = hashlib.sha256(data).hexdigest()
    folder = tmp_path / "quarantine"
    why = quarantine_failed(gone, data, sha256, "no text layer", "load", folder)
    copy = quarantined_as(gone, sha256, folder)
    assert why == "" and copy.read_bytes() == data, why
    assert copy.with_name(copy.name + ".error.json").is_file()


def test_a_quarantine_error_without_its_copy_is_not_said_copied(tmp_path: Path) -> None:
    # review27 finding 1: `evidence` and `status` said "(copied to .../abababababab-x.pdf; ...)"
    # when only the .error.json was there (written by a release for a file gone before its copy).
    from types import SimpleNamespace

    from uprdex.flows.cli._unread import unread_lines
    from uprdex.pipeline.inbox import quarantined_as

    path = tmp_path / "data" / "inbox" / "x.pdf"
    copy = quarantined_as(path, "ab" * 32, tmp_path / "data" / "quarantine")
    copy.parent.mkdir(parents=True)
    copy.with_name(copy.name + ".error.json").write_text("{}", encoding="utf-8")
    document = SimpleNamespace(path=str(path), sha256="ab" * 32, status="failed", error="broken")
    (alone,) = unread_lines([document])  # type: ignore[list-item]
    assert "copied to" not in alone, alone
    copy.write_bytes(b"%PDF-1.4")
    (both,) = unread_lines([document])  # type: ignore[list-item]
    assert f"copied to {copy}" in both, both


def test_the_quarantine_does_not_read_the_failed_file_again(tmp_path: Path) -> None:
    # review27 finding 3: the why-not said "cannot read /proc/self/mem: Input/output error",
    # naming the file the run's line had named, in a wording of its own. Since the quarantine
    # writes the bytes the run read (stale), it reads no file: one whose every read fails now
    # is copied as it was read.
    import hashlib

    from uprdex.pipeline.inbox import quarantine_failed, quarantined_as

    data = b"%PDF-1.4 read before its disk failed"
    sha256 = hashlib.sha256(data).hexdigest()
    folder = tmp_path / "quarantine"
    why = quarantine_failed(UNREADABLE, data, sha256, "no text layer", "load", folder)
    assert why == "", why
    assert quarantined_as(UNREADABLE, sha256, folder).read_bytes() == data


def test_the_size_tool_checks_the_uprdex_package_too(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("module_size", ROOT / "tools" / "module_size.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    for folder in (*tool.FOLDERS, "uprdex"):
        (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / "uprdex" / "index.py").write_text("x = 1\n" * 601, encoding="utf-8")
    assert tool.too_long(tmp_path) == ["uprdex/index.py: 601 lines (limit 600)"]


@pytest.mark.parametrize("value", ['{"states": 5}', '{"states": [["Slovenia"]]}'])
def test_a_stale_value_of_another_shape_is_said_in_one_line(tmp_path: Path, value: str) -> None:
    # review27 finding 2: only a value that is not a dict was refused in one line; these ended
    # `uprdex status` in a traceback (TypeError, ValueError in stale_states).
    import sqlite3
    from contextlib import closing

    from uprdex.pipeline.store import Store

    from helpers import cli

    index = tmp_path / "index.sqlite"
    with Store(index):
        pass  # an index of this schema, empty
    with closing(sqlite3.connect(index)) as db, db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('clusters_stale', ?)", (value,))
    status = cli("status", "--index", index)
    assert status.exit_code == 2, (status.exit_code, status.output, status.exception)
    lines = status.output.strip().splitlines()
    assert len(lines) == 1 and "clusters_stale" in lines[0], lines


def test_the_stale_error_names_the_key_whose_value_is_broken(tmp_path: Path) -> None:
    # review27 finding 7: a valid schema-12 clusters_stale beside a clusters_stale_forgot that
    # is not JSON was said as "its meta value clusters_stale is '[[\"Slovenia\", true]]', in
    # no form uprdex writes": the key and the value quoted were the sound ones. Since the step
    # to schema 13 alone reads the two keys (stale), they are of an index of schema 12.
    import sqlite3
    from contextlib import closing

    from uprdex.pipeline.store import Store

    from helpers import cli

    index = tmp_path / "index.sqlite"
    with Store(index):
        pass  # an index of this schema, empty
    with closing(sqlite3.connect(index)) as db, db:
        sound, broken = '[["Slovenia", true]]', '[["A/HRC'  # schema 12's two keys
        db.execute("INSERT OR REPLACE INTO meta VALUES ('clusters_stale', ?)", (sound,))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('clusters_stale_forgot', ?)", (broken,))
        db.execute("UPDATE meta SET value = '12' WHERE key = 'schema_version'")
    status = cli("status", "--index", index)
    assert status.exit_code == 2, (status.exit_code, status.output, status.exception)
    lines = status.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert "meta value clusters_stale_forgot is '[[\"A/HRC'" in lines[0], lines
