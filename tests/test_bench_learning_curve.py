"""The learning curve's reading (bench/learning_curve.py `doubling`): the gain per doubling of
the training reviews, and where a straight line through the last two sizes reaches the target."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from learning_curve import TARGET, doubling


def test_a_line_gaining_a_tenth_per_doubling_reaches_the_target_one_doubling_later() -> None:
    slope, reach = doubling([0.5, 0.6, 0.7], [6, 12, 24])
    assert slope == pytest.approx(0.1)
    assert TARGET == 0.80 and reach == pytest.approx(48)


def test_the_line_reads_the_last_two_sizes_in_log_scale() -> None:
    # 24 -> 45 reviews is log2(45 / 24) = 0.907 doublings.
    slope, reach = doubling([0.1, 0.6, 0.65], [12, 24, 45])
    assert slope == pytest.approx(0.05 / 0.9069, rel=1e-3)
    assert reach is not None and reach == pytest.approx(45 * 2 ** (0.15 / slope), rel=1e-6)


def test_a_curve_that_does_not_rise_never_reaches_the_target() -> None:
    assert doubling([0.6, 0.62, 0.61], [6, 12, 24]) == (pytest.approx(-0.01), None)
