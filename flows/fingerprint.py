"""What an extraction's result depends on besides the file: the code and data, and settings.

`CODE_VERSION` is the uprdex version plus a hash of the code, tables and models that shape an
extraction, so that a cached result never outlives a change to them (even one made without a
new version), and a Dask worker running other code is refused at the start of a run.
`READER_VERSION`, the same but for the clustering models, is what the index records as having
read each document: a document an earlier one read is read again at its next ingest.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from uprdex.pipeline.settings import LoaderSettings

__all__ = ["CODE_VERSION", "READER_VERSION", "TABLES", "settings_key"]

# Settings that change how many documents run at once, not what one of them gives.
_NOT_IN_RESULT = ("workers",)


TABLES = ("states.csv", "treaties.csv", "search_aliases.csv", "themes.yaml", "words.txt")
"""The shipped tables under data/ that the code reads (not schema.yaml, the columns' help for
Datasette, nor a user's files saved there)."""


def _fingerprint(models: str = "*") -> str:
    """The uprdex version and a hash of the code that reads a file (pipeline/, extractors/,
    flows/extract.py), `TABLES` and the models matching `models`."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(version("uprdex").encode())
    files = [
        *sorted((root / "pipeline").rglob("*.py")),
        *sorted((root / "extractors").rglob("*.py")),
        root / "flows" / "extract.py",  # how one file is read (the rest of flows/ runs them)
        *(root / "data" / name for name in TABLES),
        *sorted((root / "data" / "models").glob(f"{models}/*")),
    ]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{version('uprdex')}-{digest.hexdigest()[:16]}"


CODE_VERSION = _fingerprint()
READER_VERSION = _fingerprint(models="themes")
"""What a document's reading depends on: as `CODE_VERSION`, but of the models only the theme
model (the clustering models are the clusters' business: a retrained one re-clusters, it does
not read the documents again). Recorded as `DocumentRow.reader`."""


def settings_key(settings: LoaderSettings) -> str:
    """A short hash of every loader setting that can change a document's result (OCR, the
    budgets, the reading thresholds), and of whether ocrmypdf is there when OCR is asked."""
    values = {k: v for k, v in asdict(settings).items() if k not in _NOT_IN_RESULT}
    if settings.ocr:
        values["ocrmypdf"] = shutil.which("ocrmypdf") is not None
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:12]
