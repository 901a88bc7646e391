"""The trials' shared final check (bench/feature_trials.py `print_later`): each later group's
figures, then the pooled ones against the final bar."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from cluster_protocol import Review, Score
from feature_trials import print_later


def test_the_final_check_splits_the_pooled_scores_by_group_and_judges_the_pool(
    capsys: pytest.CaptureFixture[str],
) -> None:
    groups = {
        "fresh": [Review(f"Fresh {n}", (), {}) for n in range(20)],
        "final": [Review(f"Final {n}", (), {}) for n in range(25)],
    }
    # Better by 0.02 on the fresh reviews only: 20 of 45 better, short of the bar's 24.
    today = [Score(0.7, 0.6, 0.6, 1, 1, 1)] * 45
    ours = [Score(0.7, 0.6, 0.62, 1, 1, 1)] * 20 + today[20:]
    assert not print_later(groups, {"today": today, "B": ours}, "B")
    printed = capsys.readouterr().out
    assert "-- FRESH (20)" in printed and "-- FINAL (25)" in printed and "-- pooled (45)" in printed
    assert "B vs today: mean F1 +0.0200, precision +0.0000; better on 20 of 20" in printed
    assert "B vs today: mean F1 +0.0000, precision +0.0000; better on 0 of 25" in printed
    assert "final bar" in printed and "better on 20, worse on 0" in printed
