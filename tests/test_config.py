"""The workspace configuration: defaults, uprdex.toml, the command line and $UPRDEX_INDEX."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprdex.pipeline.config import Config, load_config


def test_an_index_given_elsewhere_takes_its_reports_with_it(tmp_path: Path) -> None:
    index = tmp_path / "project" / "index.sqlite"
    config = Config().with_paths(inbox=tmp_path / "inbox", index=index)
    assert config.reports == tmp_path / "project" / "reports"
    assert config.quarantine == tmp_path / "quarantine"


def test_reports_set_in_uprdex_toml_stay_where_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "uprdex.toml").write_text('[workspace]\nreports = "/srv/uprdex/reports"\n')
    monkeypatch.delenv("UPRDEX_INDEX", raising=False)
    config = load_config(tmp_path).with_paths(index=tmp_path / "other" / "index.sqlite")
    assert config.reports == Path("/srv/uprdex/reports")


def test_the_index_from_the_environment_takes_its_reports_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPRDEX_INDEX", str(tmp_path / "env" / "index.sqlite"))
    config = load_config(tmp_path)
    assert (config.index, config.reports) == (
        tmp_path / "env" / "index.sqlite",
        tmp_path / "env" / "reports",
    )
