"""bench/protocol_report.py's fresh check prints the figures docs/how-it-works.md quotes from it."""

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
    # how-it-works' granularity figures (Clusters): 0.680 at 0.5 against 0.675 at 0.6 and 0.664
    # at 0.4, which two decimals print alike (0.68, 0.68, 0.66).
    f1 = {0.4: 0.664, 0.5: 0.680, 0.6: 0.675}

    def scored(settings: ClusterSettings, review: Review) -> Score:
        # Only the recipe trained on the tuning reviews scores the quoted figures: the shipped
        # model (`pair_model` None) is trained on the fresh reviews since session 38.
        tuning = settings.learned and settings.pair_model == Path("tuning")
        value = f1.get(settings.fineness, 0.5) if tuning else 0.5
        return Score(0.7, 0.6, value, 1, 1, 1)

    monkeypatch.setattr(protocol_report, "_scored", scored)
    # The recipe trained on the tuning reviews: no model is trained here.
    monkeypatch.setattr(protocol_report, "pair_model_folder", lambda train: Path("tuning"))
    protocol_report.fresh_check([Review("Cameroon 2013", (), {})], [])
    printed = capsys.readouterr().out
    for label, value in (("pairs, tuning", 0.680), ("0.6", 0.675), ("0.4", 0.664)):
        assert f"{label} 0.70/0.60/{value:.3f}" in printed


def test_the_unseen_check_scores_the_recipe_trained_on_the_tuning_reviews_not_the_shipped_model(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The shipped pair model is trained on the unseen reviews since session 38: the column
    # "pairs, tuning" must be the recipe trained on the tuning reviews, held out.
    trained: list[list[str]] = []

    def folder(train: list[Review]) -> Path:
        trained.append([review.name for review in train])
        return Path("+".join(review.name for review in train))

    def scored(settings: ClusterSettings, review: Review) -> Score:
        value = {Path("Kazakhstan 2014"): 0.61, Path("Kazakhstan 2014+Cameroon 2013"): 0.62}
        return Score(0.7, 0.6, value.get(Path(settings.pair_model or ""), 0.5), 1, 1, 1)

    monkeypatch.setattr(protocol_report, "_scored", scored)
    monkeypatch.setattr(protocol_report, "pair_model_folder", folder)
    protocol_report.unseen_check(
        [Review("Chad 2013", (), {})],
        [Review("Kazakhstan 2014", (), {})],
        [Review("Cameroon 2013", (), {})],
    )
    printed = capsys.readouterr().out
    assert ["Kazakhstan 2014"] in trained
    assert "0.70/0.60/0.61" in printed and "0.70/0.60/0.62" in printed
