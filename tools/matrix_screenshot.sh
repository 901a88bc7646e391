#!/usr/bin/env bash
# docs/matrix.png: the UPR matrix as LibreOffice renders it, from an index of the test fixtures.
# Needs LibreOffice Calc and poppler (apt-get install -y libreoffice-calc poppler-utils).
# Run: bash tools/matrix_screenshot.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
uprdex="$root/.venv/bin/uprdex"
work=$(mktemp -d -t uprdex-matrix-XXXXXX)
trap 'rm -rf "$work"' EXIT
fixtures="$root/tests/fixtures"
"$uprdex" ingest "$fixtures/slovenia2014_recs.pdf" "$fixtures/svn2014_addendum.pdf" \
  "$fixtures/slovenia2010_recs.pdf" "$fixtures/svn2019_compilation_p1.pdf" \
  --index "$work/index.sqlite" >/dev/null
"$uprdex" export --what matrix --format xlsx --out "$work/matrix.xlsx" --index "$work/index.sqlite"
(cd "$work" && soffice --headless --convert-to pdf matrix.xlsx >/dev/null)
# The top of the first page (Slovenia's sheet), at 130 dpi.
pdftoppm -r 130 -png -singlefile -f 1 -l 1 -x 90 -y 70 -W 1360 -H 620 "$work/matrix.pdf" \
  "$root/docs/matrix"
echo "wrote $root/docs/matrix.png"
