"""Write the README's schema section from data/schema.yaml (the column descriptions
`uprdex browse` shows too), between its two marker lines.

Run: python tools/schema_doc.py           (rewrites README.md)
     python tools/schema_doc.py --check   (exit 1 when README.md is not the generated text)
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "data" / "schema.yaml"
README = ROOT / "README.md"
START = "<!-- schema:start: generated from data/schema.yaml by tools/schema_doc.py -->"
END = "<!-- schema:end -->"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def section() -> str:
    """The markdown of every visible table and view, folded one per table."""
    lines = [START]
    for name, entry in yaml.safe_load(SCHEMA.read_text(encoding="utf-8")).items():
        if entry.get("hidden"):
            continue
        lines += [
            "<details>",
            f"<summary><code>{name}</code> ({entry['kind']}): {_cell(entry['description'])}"
            "</summary>",
            "",
            "| column | what it holds |",
            "|---|---|",
            *(f"| `{column}` | {_cell(text)} |" for column, text in entry["columns"].items()),
            "",
            "</details>",
            "",
        ]
    return "\n".join([*lines[:-1], END])


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{README}: no schema section (the lines {START} and {END})")
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    wanted = head + section() + tail
    if "--check" in sys.argv[1:]:
        if wanted != text:
            print(f"{README}: the schema section is stale; run python tools/schema_doc.py")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
