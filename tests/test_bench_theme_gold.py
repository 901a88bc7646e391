"""The theme gold bench's scoring (bench/bench_theme_gold.py) on a tiny made-up gold."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_theme_gold import macro_f1, main, read_labels, score, text_key


def test_micro_and_macro_f1_count_every_theme_of_every_gold_ask() -> None:
    gold = {
        "a": frozenset({"Labour", "Women's rights"}),
        "b": frozenset({"Development"}),
        "c": frozenset({"Justice"}),  # nothing predicted: a miss, not an ask left out
    }
    predicted = {"a": ["Labour"], "b": ["Development", "Poverty"], "z": ["Justice"]}
    scores = score(gold, predicted)
    precision, recall, f1 = scores.prf()
    assert (precision, recall) == pytest.approx((2 / 3, 2 / 4))
    assert f1 == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))
    # Over the 5 themes in the gold or predicted: Labour 1, Development 1, the rest 0.
    assert macro_f1(scores) == pytest.approx(2 / 5)
    assert scores.prf("Development") == pytest.approx((1.0, 1.0, 1.0))
    assert scores.prf("Poverty") == pytest.approx((0.0, 0.0, 0.0))


def test_gold_file_themes_are_split_on_the_bar(tmp_path: Path) -> None:
    path = tmp_path / "x_themes.csv"
    path.write_text(
        'id,themes,note\nA/1#1,Labour | Rights of the Child,\nA/1#2,"Other",close: "x | y"\n',
        encoding="utf-8",
    )
    assert read_labels(path) == {
        "A/1#1": frozenset({"Labour", "Rights of the Child"}),
        "A/1#2": frozenset({"Other"}),
    }


def test_texts_match_across_quotes_dashes_and_final_stops() -> None:
    report = "Combat “honour crimes” – in law and practice"
    export = 'Combat "honour crimes" - in law and practice.'
    assert text_key(report) == text_key(export)
    assert text_key(report) != text_key("Combat honour crimes in law")


def test_absent_gold_says_so_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--gold", str(tmp_path)]) == 1
    assert "no theme gold" in capsys.readouterr().out


def test_dev_scores_the_development_reviews_not_the_test_reviews(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for review in ("peru2012", "slovakia2014"):
        (tmp_path / f"{review}_themes.csv").write_text("id,themes,note\n", encoding="utf-8")
    assert main(["--dev", "--gold", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "burkinafaso2013_themes.csv" in out and "yemen2014_themes.csv" in out
    assert "peru2012" not in out
