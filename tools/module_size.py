"""Fail when a module of the package or its tools is longer than the house limit.

A module over MAX_LINES lines has outgrown its one job: split it by what its parts do. Tests and
bench trials are left out (a test file holds one subject's cases; a trial is frozen as it was
pre-registered).

Run: python tools/module_size.py   (exit 1 naming each module over the limit)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("pipeline", "extractors", "flows", "uprdex", "tools")
MAX_LINES = 600


def too_long(root: Path = ROOT) -> list[str]:
    """'flows/nightly.py: 605 lines (limit 600)' for each module over MAX_LINES."""
    found = []
    for folder in FOLDERS:
        for module in sorted((root / folder).rglob("*.py")):
            lines = len(module.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                found.append(f"{module.relative_to(root)}: {lines} lines (limit {MAX_LINES})")
    return found


def main() -> int:
    found = too_long()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
