"""What an extraction's result depends on besides the file: the code and data, and settings.

`CODE_VERSION` is the uprdex version plus a hash of the code, tables and models that shape an
extraction, so that a cached result never outlives a change to them (even one made without a
new version), and a Dask worker running other code is refused at the start of a run.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from uprdex.pipeline.settings import LoaderSettings

__all__ = ["CODE_VERSION", "settings_key"]

# Settings that change how many documents run at once, not what one of them gives.
_NOT_IN_RESULT = ("workers",)


def _fingerprint() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(version("uprdex").encode())
    files = [
        *sorted((root / "pipeline").rglob("*.py")),
        *sorted((root / "extractors").rglob("*.py")),
        *sorted(p for p in (root / "data").glob("*") if p.suffix in {".csv", ".yaml", ".txt"}),
        *sorted((root / "data" / "models").glob("*/*")),
    ]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{version('uprdex')}-{digest.hexdigest()[:16]}"


CODE_VERSION = _fingerprint()


def settings_key(settings: LoaderSettings) -> str:
    """A short hash of every loader setting that can change a document's result (OCR, the
    budgets, the reading thresholds), and of whether ocrmypdf is there when OCR is asked."""
    values = {k: v for k, v in asdict(settings).items() if k not in _NOT_IN_RESULT}
    if settings.ocr:
        values["ocrmypdf"] = shutil.which("ocrmypdf") is not None
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:12]
