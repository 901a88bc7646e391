"""Shared fixtures: real PDFs under tests/fixtures, and the shared corpus when present."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Prefect, before anything imports it: own home, no analytics, no network, patience at start.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="uprdex-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.pop("PREFECT_API_URL", None)

import pytest

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.loader import load_pdf
from uprdex.pipeline.model import Recommendation, WgReport

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def fixture(name: str) -> Path:
    """Path of a committed fixture PDF."""
    return FIXTURES / name


def parsed(name: str) -> WgReport:
    """A fixture WG report, loaded and parsed."""
    return parse_wg_report(load_pdf(fixture(name)))


def by_paragraph(report: WgReport) -> dict[str, Recommendation]:
    """The report's recommendations keyed by paragraph number."""
    return {rec.paragraph: rec for rec in report.recommendations}


@pytest.fixture
def shared_data() -> Path:
    """The shared corpus, or a skip saying why."""
    if not SHARED.exists():
        pytest.skip(f"shared corpus not found at {SHARED}: corpus tests skipped")
    return SHARED
