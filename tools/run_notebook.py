"""Run docs/explore.ipynb top to bottom on an index (nbclient); the test suite runs it on the
bundled samples.

Run: python tools/run_notebook.py                  (indexes data/samples into a temporary
                                                    index and rewrites the notebook's outputs)
     python tools/run_notebook.py --index FILE --out RUN.ipynb
Exit 1, with the failing cell's error, when a cell fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "explore.ipynb"


def run(index: Path, out: Path) -> None:
    """Execute the notebook with UPRDEX_INDEX=index and write the executed copy to `out`."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["UPRDEX_INDEX"] = str(index)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an index (default: the samples, indexed)")
    parser.add_argument("--out", type=Path, default=NOTEBOOK, help="the executed notebook")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        index = args.index
        if index is None:
            index = Path(work) / "index.sqlite"
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from uprdex.flows.cli import main; main()",
                    "ingest",
                    str(ROOT / "data" / "samples"),
                    "--index",
                    str(index),
                ],
                check=True,
                capture_output=True,
            )
        try:
            run(index, args.out)
        except CellExecutionError as error:
            print(error)
            return 1
    print(f"ran {NOTEBOOK.name} on {index}: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
