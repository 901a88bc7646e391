"""`uprdex browse`'s startup on an index it cannot bring up to date, whose views an older uprdex
made: the baseline (uprdex at --base, which learns this release's view columns from a new empty
index it makes in a temporary folder) against ours (SQLite's reading of the views in memory),
side by side in one run.

The index: the Slovenia set ingested by ours, then its recommendation_details view made as an
older uprdex made it (without response_detail, response_conflict: schema 7's) and its views'
digest set to another's. Each side, in its own process (UPRDEX_WARM=0), --runs times, the sides
alternated, least time printed:
- `views_behind` (the one line browse says: this release's view columns against the index's)
  and `build_datasette` (the index's view columns, the canned queries, Datasette), timed apart
  after Datasette and the store are imported (as the command has them by then);
- the whole command, `uprdex browse --port P` while this bench holds a write on the index (so
  browse cannot update it: it waits 0.5 s for the writer, then serves as it is), from its
  start to the first page served.

Run: .venv/bin/python bench/bench_browse_startup.py [--base COMMIT] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_browse import ROOT, SHARED, _baseline_tree, _env

_CLI = [sys.executable, "-c", "from uprdex.flows.cli import run; run()"]
_ANSWER = re.compile(r"\s*r\.response_(?:detail|conflict),")

# Datasette and the store imported first, as the command has them when it calls these (its
# `open_index` imports the store): the same on both sides, and most of the time.
_STEPS = """
import pathlib, sys, time
start = time.perf_counter()
import datasette.app
import uprdex.pipeline.store
from uprdex.pipeline.browse import build_datasette, views_behind
index = pathlib.Path(sys.argv[1])
imported = time.perf_counter()
said = views_behind(index)
behind = time.perf_counter()
build_datasette(index)
print(imported - start, behind - imported, time.perf_counter() - behind, repr(said))
"""


def _older(index: Path) -> None:
    """The Slovenia set, ingested by ours, with an older uprdex's recommendation_details."""
    subprocess.run(
        [*_CLI, "ingest", str(SHARED / "slovenia"), "--index", str(index)],
        env=_env(None),
        cwd=index.parent,
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(index) as db:
        (made,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'recommendation_details'"
        ).fetchone()
        db.execute("DROP VIEW recommendation_details")
        db.execute(_ANSWER.sub("", made))
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'views_sha256'")
    db.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _first_page(index: Path, env: dict[str, str]) -> float:
    """Seconds from `uprdex browse`'s start to its first page, the index being written."""
    port = _free_port()
    with sqlite3.connect(index, isolation_level=None) as writer:
        writer.execute("BEGIN IMMEDIATE")
        start = time.perf_counter()
        served = subprocess.Popen(
            [*_CLI, "browse", "--port", str(port), "--index", str(index)],
            env=env,
            cwd=index.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            while True:
                if served.poll() is not None:
                    raise SystemExit(f"browse exited {served.returncode}: {served.stderr.read()}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                        if page.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    time.sleep(0.02)
        finally:
            served.terminate()
            served.wait(10)
            writer.execute("ROLLBACK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the baseline commit (default: main)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        (scratch / "run").mkdir()
        index = scratch / "run" / "index.sqlite"
        _older(index)
        sides = {"baseline": _env(_baseline_tree(args.base, scratch / "base")), "ours": _env(None)}
        steps: dict[str, list[tuple[float, float, float]]] = {side: [] for side in sides}
        pages: dict[str, list[float]] = {side: [] for side in sides}
        said: dict[str, str] = {}
        for _ in range(args.runs):
            for side, env in sides.items():
                done = subprocess.run(
                    [sys.executable, "-c", _STEPS, str(index)],
                    env=env,
                    cwd=index.parent,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                *times, said[side] = done.stdout.strip().split(" ", 3)
                imported, behind, built = (float(t) for t in times)
                steps[side].append((imported, behind, built))
                pages[side].append(_first_page(index, env))
    print(f"uprdex browse on an older index it cannot update; {args.runs} runs, least time")
    print(f"load average {os.getloadavg()[0]:.2f}; baseline {args.base}, ours {ROOT.name}")
    print(f"{'':44}{'baseline':>10}{'ours':>10}{'ratio':>8}")
    rows = (
        ("import Datasette, the store, browse", [min(s[0] for s in steps[k]) for k in sides]),
        ("views_behind (the one line)", [min(s[1] for s in steps[k]) for k in sides]),
        ("build_datasette (columns, queries)", [min(s[2] for s in steps[k]) for k in sides]),
        ("uprdex browse: start to first page", [min(pages[k]) for k in sides]),
    )
    for label, (base, ours) in rows:
        print(f"{label:44}{base:9.3f}s{ours:9.3f}s{base / ours:7.1f}x")
    for side, line in said.items():
        print(f"{side} says: {line}")


if __name__ == "__main__":
    main()
