"""bench/protocol_report.py's fresh check prints the figures README.md quotes from it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from uprdex.pipeline.settings import ClusterSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import protocol_report
from cluster_protocol import Review, Score


def test_the_fresh_check_prints_the_granularities_mean_f1_to_three_decimals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # README's "Granularity": 0.680 at 0.5 against 0.675 at 0.6 and 0.664 at 0.4, which two
    # decimals print alike (0.68, 0.68, 0.66).
    f1 = {0.4: 0.664, 0.5: 0.680, 0.6: 0.675}

    def scored(settings: ClusterSettings, review: Review) -> Score:
        value = f1.get(settings.fineness, 0.5) if settings.learned else 0.5
        return Score(0.7, 0.6, value, 1, 1, 1)

    monkeypatch.setattr(protocol_report, "_scored", scored)
    # The recipe trained on the tuning reviews: no model is trained here.
    monkeypatch.setattr(protocol_report, "pair_model_folder", lambda train: Path("tuning"))
    protocol_report.fresh_check([Review("Cameroon 2013", (), {})], [])
    printed = capsys.readouterr().out
    for label, value in (("pairs, tuning", 0.680), ("0.6", 0.675), ("0.4", 0.664)):
        assert f"{label} 0.70/0.60/{value:.3f}" in printed
