"""Peak memory of `uprdex run` over an inbox of large real PDFs, and of the nightly build (the
exports and the report) on the index they make: the baseline (uprdex at BASE) against ours,
side by side in one run.

1. The run: each release runs `uprdex run` on its own copy of an inbox of the --files largest
   PDFs of ../shared/data/wg_reports and ../shared/data/slovenia (copies: never the
   originals' paths), in a fresh index and a Prefect home of its own (no cached extraction is
   shared). A third run, "naive", is ours with every inbox file's bytes read before the first
   is extracted (the flow's reader made a list): what holding every file's bytes at once costs.
2. The build: the index ours made (or --index FILE's, 1. skipped) is copied, its reports folder
   left out, and each release's `uprdex run` on an empty inbox rewrites every export and the
   whole report from it: the nightly build alone. Both releases' outputs are then compared
   byte for byte.

3. With --xlsx, this step alone: `uprdex export --what recommendations --format xlsx` of a big
   index (--index FILE, or one built by `uprdex import upr-info` of the shared UPR Info export:
   32,080 asks), by each release (the baseline: main at XLSX_BASE, the workbook of every cell
   in memory; ours written row by row). The two workbooks are then compared cell by cell (every
   sheet's values and types, frozen panes, filter, widths, extent), and ours is exported a
   second time: the two files must be the same bytes.

4. With --exports, every export of a big index (as 3. makes it): recommendations as xlsx,
   csv, json and jsonl, and the UPR matrix, by each release (the baseline: main at
   EXPORTS_BASE, every record made before the first was written; ours reading them from the
   index a batch at a time, written as they come). Each pair of files must be the same bytes.

Memory is the resident set (RSS) sampled every 20 ms: of the `uprdex run` process ("run"), and
of it with its sandbox workers at once ("with workers"); Prefect's temporary server, a child
too, is left out. The machine may be shared: the load average is printed beside each step.

The baseline is BASE's tree (`git archive`), laid out as the installed package in a temporary
folder and put first on PYTHONPATH (bench_browse's `_baseline_tree`).

Run: .venv/bin/python bench/bench_memory.py [--base COMMIT] [--files N] [--index FILE]
     .venv/bin/python bench/bench_memory.py --xlsx [--index FILE] [--base COMMIT]
     .venv/bin/python bench/bench_memory.py --exports [--index FILE] [--base COMMIT]
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from bench_browse import _baseline_tree, _env

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BASE = "4ab0f5c"  # main when memory measured the nightly run
XLSX_BASE = "c3f22f4"  # main when xlsxstream streamed the xlsx export
EXPORTS_BASE = "80ee299"  # main when xlsxrows read the exports' records as they are written
UPR_INFO = SHARED / "upr_info" / "upr_info_sessions_1-20.csv"
CLI = "from uprdex.flows.cli import run; run()"
# Ours, with the flow's reader of the inbox made a list: every file's bytes read up front.
NAIVE = """
import sys
import uprdex.flows.nightly as nightly
reader = nightly._to_read
nightly._to_read = lambda *args: iter(list(reader(*args)))
from uprdex.flows.cli import run
run()
"""
MB = 1024 * 1024
STAMP = ".built-from"


@dataclass
class Peak:
    """A subprocess's wall time and peak RSS (MB): its own, and with its sandbox workers."""

    wall: float
    run: float
    with_workers: float
    load: float


def _is_server(process: psutil.Process) -> bool:
    """Prefect's temporary server (and what it starts): not the run's memory."""
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return True
    return "prefect" in line and ("server" in line or "uvicorn" in line)


def _peak(command: list[str], env: dict[str, str], cwd: Path) -> Peak:
    """Run `command`, sampling its RSS and its workers' every 20 ms."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    top = psutil.Process(child.pid)
    peaks = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                own = top.memory_info().rss
                servers = {p.pid for p in top.children() if _is_server(p)}
                total = own
                for process in top.children(recursive=True):
                    if process.pid in servers or any(
                        parent.pid in servers for parent in process.parents()
                    ):
                        continue
                    total += process.memory_info().rss
            except psutil.Error:
                continue
            peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = child.communicate()
    done.set()
    sampler.join()
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}: {err.decode()[-3000:]}")
    wall = time.perf_counter() - start
    return Peak(wall, peaks[0] / MB, peaks[1] / MB, os.getloadavg()[0])


def _run(code: str, workspace: Path, path: Path | None) -> Peak:
    """`uprdex run` (`code`) on the workspace's inbox and index, with a Prefect home of its own."""
    env = {**_env(path), "PREFECT_HOME": str(workspace / "prefect")}
    index = workspace / "index.sqlite"
    command = [sys.executable, "-c", code, "run", "--inbox", str(workspace / "inbox")]
    return _peak([*command, "--index", str(index)], env, workspace)


def _largest(count: int) -> list[Path]:
    pdfs = [*(SHARED / "wg_reports").glob("*.pdf"), *(SHARED / "slovenia").rglob("*.pdf")]
    return sorted(pdfs, key=lambda path: (-path.stat().st_size, path))[:count]


def _line(side: str, peak: Peak) -> str:
    return (
        f"  {side:<9} run {peak.run:6.0f} MB, with workers {peak.with_workers:6.0f} MB, "
        f"{peak.wall:5.0f} s (load {peak.load:.1f})"
    )


def _ratio(baseline: Peak, ours: Peak) -> str:
    return (
        f"  ratio baseline/ours: run {baseline.run / ours.run:.2f}x, with workers "
        f"{baseline.with_workers / ours.with_workers:.2f}x, time {baseline.wall / ours.wall:.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--files", type=int, default=300, help="the N largest PDFs (all: 300)")
    parser.add_argument("--index", type=Path, help="skip 1.: the build alone, from this index")
    parser.add_argument("--xlsx", action="store_true", help="3. alone: the xlsx export")
    parser.add_argument("--exports", action="store_true", help="4. alone: every export")
    args = parser.parse_args()
    if args.xlsx:
        return _xlsx(args.index, args.base if args.base != BASE else XLSX_BASE)
    if args.exports:
        return _exports(args.index, args.base if args.base != BASE else EXPORTS_BASE)
    chosen = _largest(args.files)
    if len(chosen) < 245:
        print(f"skipped: {SHARED} not found or too small")
        return 0
    megabytes = sum(path.stat().st_size for path in chosen) / MB
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-memory-") as tmp:
        root = Path(tmp)
        sides = {"baseline": _baseline_tree(args.base, root / "base"), "ours": None}
        print(
            "1. skipped (--index)"
            if args.index
            else f"1. uprdex run: {len(chosen)} PDFs, {megabytes:.1f} MB, largest {chosen[0].name}"
        )
        peaks = {}
        for side, code in (
            () if args.index else (("baseline", CLI), ("ours", CLI), ("naive", NAIVE))
        ):
            workspace = root / f"run-{side}"
            (workspace / "inbox").mkdir(parents=True)
            for path in chosen:
                shutil.copy(path, workspace / "inbox" / f"{path.parent.name}-{path.name}")
            peaks[side] = _run(code, workspace, sides.get(side))
            print(_line(side, peaks[side]), flush=True)
        if peaks:
            print(_ratio(peaks["baseline"], peaks["ours"]))
            print(
                f"  naive/ours: run {peaks['naive'].run / peaks['ours'].run:.2f}x (+"
                f"{peaks['naive'].run - peaks['ours'].run:.0f} MB for {megabytes:.0f} MB of PDFs)"
            )
        print("2. the build alone: every export and the whole report, from the index of 1.")
        index = args.index or root / "run-ours" / "index.sqlite"
        built = {}
        # Both in one folder, in turn: a document inside the index's folder is stored relative
        # to it, and the outputs name it from there.
        workspace = root / "build"
        (workspace / "inbox").mkdir(parents=True)
        for side, path in sides.items():
            shutil.copy(index, workspace / "index.sqlite")
            built[side] = _run(CLI, workspace, path)
            (workspace / "reports").rename(root / f"reports-{side}")
            print(_line(side, built[side]), flush=True)
        print(_ratio(built["baseline"], built["ours"]))
        differ = _differences(root / "reports-baseline", root / "reports-ours")
        if differ:
            print(f"  outputs differ: {', '.join(differ[:10])}")
            return 1
        count = len(list((root / "reports-ours").rglob("*.*")))
        print(f"  {count} output files, byte for byte the same in both releases")
    return 0


def _big_index(index: Path | None, root: Path) -> Path:
    """`index`, or one `uprdex import upr-info` of the shared UPR Info export makes in `root`."""
    if index is not None:
        return index
    index = root / "index.sqlite"
    start = time.perf_counter()
    command = [sys.executable, "-c", CLI, "import", "upr-info", str(UPR_INFO)]
    subprocess.run([*command, "--index", str(index)], env=_env(None), cwd=root, check=True)
    print(f"index: import upr-info, {time.perf_counter() - start:.0f} s")
    return index


def _exports(index: Path | None, base: str) -> int:
    """4.: every export of a big index, baseline against ours, and the files compared."""
    if index is None and not UPR_INFO.is_file():
        print(f"skipped: {UPR_INFO} not found")
        return 0
    differ = []
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-exports-") as tmp:
        root = Path(tmp)
        index = _big_index(index, root)
        sides = {"baseline": _baseline_tree(base, root / "base"), "ours": None}
        print(f"4. uprdex export, each format and the matrix (baseline {base})")
        jobs = [("recommendations", fmt) for fmt in ("xlsx", "csv", "json", "jsonl")]
        for what, fmt in [*jobs, ("matrix", "xlsx")]:
            print(f"  --what {what} --format {fmt}")
            peaks, outs = {}, {}
            for side, path in sides.items():
                outs[side] = root / f"{side}-{what}.{fmt}"
                command = [sys.executable, "-c", CLI, "export", "--what", what, "--index"]
                command += [str(index), "--format", fmt, "--out", str(outs[side])]
                peaks[side] = _peak(command, _env(path), root)
                size = outs[side].stat().st_size / MB
                print(f"  {_line(side, peaks[side])}, {size:.1f} MB file", flush=True)
            print(f"  {_ratio(peaks['baseline'], peaks['ours'])}")
            same = filecmp.cmp(outs["baseline"], outs["ours"], shallow=False)
            print(f"    both releases: {'the same bytes' if same else 'BYTES DIFFER'}")
            differ += [] if same else [f"{what}.{fmt}"]
            for out in outs.values():
                out.unlink()
    if differ:
        print(f"  outputs differ: {', '.join(differ)}")
    return 1 if differ else 0


def _xlsx(index: Path | None, base: str) -> int:
    """3.: the xlsx export of a big index, baseline against ours, and the workbooks compared."""
    if index is None and not UPR_INFO.is_file():
        print(f"skipped: {UPR_INFO} not found")
        return 0
    with tempfile.TemporaryDirectory(prefix="uprdex-bench-xlsx-") as tmp:
        root = Path(tmp)
        index = _big_index(index, root)
        sides = {"baseline": _baseline_tree(base, root / "base"), "ours": None}
        print(f"3. uprdex export --what recommendations --format xlsx (baseline {base})")
        export = [sys.executable, "-c", CLI, "export", "--what", "recommendations"]
        export += ["--index", str(index), "--format"]
        peaks, outs = {}, {}
        for side, path in sides.items():
            outs[side] = root / f"{side}.xlsx"
            peaks[side] = _peak([*export, "xlsx", "--out", str(outs[side])], _env(path), root)
            print(f"{_line(side, peaks[side])}, {outs[side].stat().st_size / MB:.1f} MB file")
        print(_ratio(peaks["baseline"], peaks["ours"]))
        # Beside it: the same records as CSV, written line by line.
        floor = _peak([*export, "csv", "--out", str(root / "ours.csv")], _env(None), root)
        print(f"  (ours as csv, written line by line: run {floor.run:.0f} MB)")
        again = root / "again.xlsx"
        _peak([*export, "xlsx", "--out", str(again)], _env(None), root)
        same_bytes = filecmp.cmp(outs["ours"], again, shallow=False)
        print(f"  ours exported twice: {'the same bytes' if same_bytes else 'BYTES DIFFER'}")
        differ = _sheet_differences(outs["baseline"], outs["ours"])
        if differ:
            print(f"  workbooks differ: {'; '.join(differ[:10])}")
        else:
            print(
                "  workbooks: every sheet, cell (value, type), frozen pane, filter, width the same"
            )
    return 1 if differ or not same_bytes else 0


def _sheet_differences(left: Path, right: Path) -> list[str]:
    """What a spreadsheet user would see differ between two workbooks, sheet by sheet."""
    from openpyxl import load_workbook

    books = [load_workbook(path) for path in (left, right)]
    if books[0].sheetnames != books[1].sheetnames:
        return [f"sheets {books[0].sheetnames} != {books[1].sheetnames}"]
    found = []
    for name in books[0].sheetnames:
        one, other = (book[name] for book in books)
        for number, (row, row_then) in enumerate(
            itertools.zip_longest(one.iter_rows(), other.iter_rows(), fillvalue=()), start=1
        ):
            cells = [(cell.value, cell.data_type) for cell in row]
            if cells != [(cell.value, cell.data_type) for cell in row_then]:
                found.append(f"{name} row {number}")
        for what in ("freeze_panes", "dimensions"):
            if getattr(one, what) != getattr(other, what):
                found.append(f"{name} {what}")
        if one.auto_filter.ref != other.auto_filter.ref:
            found.append(f"{name} filter")
        widths = [
            {k: d.width for k, d in sheet.column_dimensions.items()} for sheet in (one, other)
        ]
        if widths[0] != widths[1]:
            found.append(f"{name} widths")
    return found


def _differences(left: Path, right: Path) -> list[str]:
    """The outputs (relative paths) that are not the same bytes in both folders, or in one."""
    names = {
        path.relative_to(folder)
        for folder in (left, right)
        for path in folder.rglob("*")
        if path.is_file() and path.name != STAMP  # names the release that built them
    }
    return sorted(
        str(name)
        for name in names
        if not ((left / name).is_file() and (right / name).is_file())
        or not filecmp.cmp(left / name, right / name, shallow=False)
    )


if __name__ == "__main__":
    sys.exit(main())
