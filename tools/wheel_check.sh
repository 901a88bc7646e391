#!/usr/bin/env bash
# The package as users get it: build the wheel, install it (not editable) into a fresh venv, and
# from another folder index a real WG report and export it. Every recommendation must come out
# themed and clustered, which needs the shipped data (States, word list, theme keywords, models).
# Run: bash tools/wheel_check.sh   (make test runs it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d -t uprdex-wheel-XXXXXX)
trap 'rm -rf "$work"' EXIT

"$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" "$root" 2>&1 \
  | { grep -v "^WARNING: Location" || true; }
"$python" -m venv "$work/venv"
# (the grep drops pip's notes about this machine's extra package index)
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "$work"/dist/uprdex-*.whl 2>&1 \
  | { grep -v "^WARNING: Location" || true; }

cd "$work"  # nothing of the checkout is importable from here
cp "$root/data/samples/slovenia2014_A-HRC-28-15.pdf" report.pdf
export PREFECT_HOME="$work/prefect" DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
"$work/venv/bin/uprdex" --help >/dev/null
"$work/venv/bin/uprdex" ingest report.pdf --index index.sqlite
for what in recommendations evidence clusters documents; do
  "$work/venv/bin/uprdex" export --what "$what" --format jsonl --index index.sqlite > "$what.jsonl"
done
"$work/venv/bin/uprdex" export --what recommendations --format xlsx --out recs.xlsx --index index.sqlite
"$work/venv/bin/python" - <<'PY'
import json
import uprdex

rows = [json.loads(line) for line in open("recommendations.jsonl", encoding="utf-8")]
where = uprdex.__file__
assert "site-packages" in where, f"uprdex imported from {where}, not the installed wheel"
assert len(rows) == 163, f"expected the report's 163 recommendations, got {len(rows)}"
unthemed = [row["id"] for row in rows if not row["themes"]]
unclustered = [row["id"] for row in rows if not row["cluster_id"]]
assert not unthemed, f"{len(unthemed)} recommendations without themes: {unthemed[:3]}"
assert not unclustered, f"{len(unclustered)} recommendations without a cluster: {unclustered[:3]}"
with uprdex.open_index("index.sqlite") as index:
    assert len(index.recommendations()) == len(rows)
print(f"wheel check passed: installed at {where}; {len(rows)} recommendations, all themed and clustered")
PY
