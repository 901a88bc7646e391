"""The workspace configuration: defaults, uprdex.toml, the command line and $UPRDEX_INDEX."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from uprdex.flows.cli import main
from uprdex.flows.ingest import _over_budget
from uprdex.pipeline.clusters import cluster
from uprdex.pipeline.config import Config, ConfigError, load_config
from uprdex.pipeline.settings import ClusterSettings, LoaderSettings

from helpers import fixture


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


def _workspace(folder: Path, toml: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """A workspace whose uprdex.toml and UPRDEX_* environment are these."""
    (folder / "uprdex.toml").write_text(toml, encoding="utf-8")
    for name in [name for name in os.environ if name.startswith("UPRDEX_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def _config_in(folder: Path, toml: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    _workspace(folder, toml, monkeypatch, **env)
    return load_config(folder)


def test_precedence_is_defaults_then_uprdex_toml_then_environment_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config_in(
        tmp_path,
        "[loader]\nmemory_mb = 2048\nworkers = 3\ntimeout_seconds = 30\n",
        monkeypatch,
        UPRDEX_LOADER_WORKERS="1",
        UPRDEX_LOADER_TIMEOUT_SECONDS="45",
    )
    config = config.with_flags("loader", timeout_seconds=("--timeout", 60.0), ocr=("--ocr", None))
    loader = config.loader
    assert (loader.memory_mb, loader.workers, loader.timeout_seconds) == (2048, 1, 60.0)
    assert loader.ocr is False  # a flag left out changes nothing
    origins = {(s.section, s.name): s.origin for s in config.settings()}
    assert origins[("loader", "memory_mb")] == "uprdex.toml"
    assert origins[("loader", "workers")] == "UPRDEX_LOADER_WORKERS"
    assert origins[("loader", "timeout_seconds")] == "--timeout"
    assert origins[("loader", "ocr")] == "default"


def test_every_stage_has_its_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config_in(
        tmp_path,
        "[evidence]\nparaphrase_threshold = 0.6\n"
        '[clusters]\nscope = "review"\nfloor = "none"\nthreshold = 60\n'
        '[schedule]\ntimezone = "Europe/Zurich"\n',
        monkeypatch,
        UPRDEX_CLUSTERS_SEMANTIC_WEIGHT="0.5",
    )
    assert config.evidence.paraphrase_threshold == 0.6
    clusters = config.clusters
    assert (clusters.scope, clusters.floor, clusters.threshold) == ("review", None, 60.0)
    assert clusters.semantic_weight == 0.5
    assert config.timezone == "Europe/Zurich"


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ("[loader\nworkers = 1\n", {}, "uprdex.toml: not valid TOML"),
        ("[loaders]\nworkers = 1\n", {}, "unknown section [loaders]"),
        ("[loader]\nmemry_mb = 1\n", {}, "uprdex.toml: [loader] has no setting 'memry_mb'"),
        ("[loader]\nmemory_mb = -1\n", {}, "uprdex.toml: [loader] timeout_seconds must be"),
        (
            "",
            {"UPRDEX_LOADER_WORKERS": "two"},
            "UPRDEX_LOADER_WORKERS: [loader] workers must be a whole number",
        ),
        ('[clusters]\nscope = "world"\n', {}, "[clusters] scope must be one of review, state, all"),
        ("[clusters]\nthreshold = 'high'\n", {}, "[clusters] threshold must be a number,"),
        ('workspace = "here"\n', {}, "uprdex.toml: workspace must be a section ([workspace]"),
        ('[schedule]\ncron = "daily"\n', {}, "uprdex.toml: cron must have 5 fields"),
    ],
)
def test_a_bad_setting_is_one_error_naming_where_it_was_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        _config_in(tmp_path, toml, monkeypatch, **env)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_uprdex_config_shows_each_value_and_where_it_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, "[loader]\nmemory_mb = 2048\n", monkeypatch, UPRDEX_LOADER_OCR="yes")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "[loader]" in lines
    assert any(
        line.startswith("memory_mb = 2048 ") and line.endswith("# uprdex.toml") for line in lines
    )
    assert any(
        line.startswith("ocr = true ") and line.endswith("# UPRDEX_LOADER_OCR") for line in lines
    )


def test_a_malformed_uprdex_toml_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, "[loader]\nmemory_mb = \n", monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.startswith("error ") and "uprdex.toml: not valid TOML" in result.output


def test_the_loader_settings_of_uprdex_toml_apply_to_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No page of a real report has 100,000 characters: every page counts as a scan.
    _workspace(tmp_path, "[loader]\nmin_chars_per_page = 100000\n", monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["ingest", str(fixture("algeria2008_recs.pdf")), "--index", "i.sqlite"]
    )
    assert result.exit_code == 1, result.output
    assert "no text layer" in result.output


@pytest.mark.parametrize("failure", ["timeout", "memory"])
def test_a_budget_message_names_a_setting_the_user_can_set(failure: str) -> None:
    path = fixture("algeria2008_recs.pdf")
    message = _over_budget(path, failure, "", LoaderSettings(), path.read_bytes()).document
    settable = {f"[{row.section}] {row.name}": row.variable for row in Config().settings()}
    named = [
        setting for setting in settable if f"raise {setting} in uprdex.toml" in str(message.error)
    ]
    assert len(named) == 1
    assert settable[named[0]] in str(message.error)


def _clustering_settings(monkeypatch: pytest.MonkeyPatch) -> list[ClusterSettings]:
    """The settings of every clustering run from now on."""
    seen: list[ClusterSettings] = []

    def spy(items: Any, settings: ClusterSettings, *args: Any, **kwargs: Any) -> Any:
        seen.append(settings)
        return cluster(items, settings, *args, **kwargs)

    monkeypatch.setattr("uprdex.pipeline.store.clustering.cluster_in_parts", spy)
    return seen


def test_the_cluster_settings_of_uprdex_toml_apply_to_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, '[clusters]\nthreshold = 90\nscope = "review"\n', monkeypatch)
    monkeypatch.chdir(tmp_path)
    seen = _clustering_settings(monkeypatch)
    result = CliRunner().invoke(
        main, ["ingest", str(fixture("algeria2008_recs.pdf")), "--index", "i.sqlite"]
    )
    assert result.exit_code == 0, result.output
    assert seen and all((s.threshold, s.scope) == (90, "review") for s in seen)


def test_cluster_settings_precedence_is_uprdex_toml_then_the_index_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, '[clusters]\nthreshold = 90\nscope = "review"\n', monkeypatch)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(fixture("slovenia2010_recs.pdf"))]).exit_code == 0
    seen = _clustering_settings(monkeypatch)

    def used(*args: str) -> tuple[float, str]:
        seen.clear()
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return seen[-1].threshold, seen[-1].scope

    # `uprdex cluster --threshold` is remembered over uprdex.toml (whose scope still holds),
    # by later ingests too; --defaults forgets it; a flag is above all.
    assert used("cluster", "--threshold", "70") == (70, "review")
    assert used("ingest", str(fixture("slovenia2014_recs.pdf"))) == (70, "review")
    assert used("cluster", "--defaults") == (90, "review")
    assert used("cluster", "--defaults", "--scope", "state") == (90, "state")
    # A remembered setting that uprdex.toml no longer fits: one line saying what to do.
    assert used("cluster", "--threshold", "50") == (50, "state")  # the scope is remembered too
    _workspace(tmp_path, "[clusters]\nthreshold = 90\nfloor = 60\n", monkeypatch)
    result = runner.invoke(main, ["cluster"])
    assert result.exit_code == 2
    assert "floor must be in (0, threshold=50" in result.output
    assert "`uprdex cluster --defaults`" in result.output
    assert used("cluster", "--defaults") == (90, "state")


def test_uprdex_config_shows_the_cluster_settings_the_index_remembers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, "[clusters]\nthreshold = 90\n", monkeypatch)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(fixture("andorra2011_recs.pdf"))]).exit_code == 0
    assert runner.invoke(main, ["cluster", "--scope", "review"]).exit_code == 0
    lines = runner.invoke(main, ["config"]).output.splitlines()
    assert any(
        line.startswith("threshold = 90.0 ") and line.endswith("# uprdex.toml") for line in lines
    )
    remembered = [line for line in lines if line.startswith('scope = "review" ')]
    assert remembered and remembered[0].endswith("index.sqlite (uprdex cluster)")


def test_uprdex_config_shows_the_settings_of_the_index_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `uprdex config` had no --index, unlike every other command: it showed the settings the
    # default index remembers, not those of the index a researcher works on.
    _workspace(tmp_path, "", monkeypatch)
    monkeypatch.chdir(tmp_path)
    other = tmp_path / "other" / "index.sqlite"
    runner = CliRunner()
    ingest = ["ingest", str(fixture("andorra2011_recs.pdf")), "--index", str(other)]
    assert runner.invoke(main, ingest).exit_code == 0
    clustered = runner.invoke(main, ["cluster", "--index", str(other), "--scope", "review"])
    assert clustered.exit_code == 0, clustered.output
    result = runner.invoke(main, ["config", "--index", str(other)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f'index = "{other}" # --index' in [" ".join(line.split()) for line in lines]
    remembered = [line for line in lines if line.startswith('scope = "review" ')]
    assert remembered and remembered[0].endswith(f"{other} (uprdex cluster)")


def test_what_config_prints_is_a_uprdex_toml_that_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # newcomer: `uprdex config` printed `granularity = none`, which is not TOML: a researcher
    # keeping its output as uprdex.toml got "not valid TOML". uprdex.toml reads "none" quoted.
    _workspace(tmp_path, "", monkeypatch)
    monkeypatch.chdir(tmp_path)
    printed = CliRunner().invoke(main, ["config"])
    assert printed.exit_code == 0, printed.output
    assert 'granularity = "none"' in printed.output
    (tmp_path / "uprdex.toml").write_text(printed.output, encoding="utf-8")
    again = CliRunner().invoke(main, ["config"])
    assert again.exit_code == 0, again.output
    kept = [line for line in again.output.splitlines() if " = " in line]
    assert kept and all(line.endswith("# uprdex.toml") for line in kept), again.output


def test_config_prints_a_path_with_a_backslash_or_a_quote_as_toml_that_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review15 finding 1: `uprdex config` printed an index in the folder `data\2024` (or named
    # `the "new" index.sqlite`) inside plain quotes, `index = "data\2024\index.sqlite"`: kept as
    # uprdex.toml, the next command said "not valid TOML (Unescaped '\' in a string ...)".
    for name in ("data\\2024\\index.sqlite", 'the "new" index.sqlite'):
        _workspace(tmp_path, "", monkeypatch, UPRDEX_INDEX=str(tmp_path / name))
        monkeypatch.chdir(tmp_path)
        printed = CliRunner().invoke(main, ["config"])
        assert printed.exit_code == 0, printed.output
        _workspace(tmp_path, printed.output, monkeypatch)
        again = CliRunner().invoke(main, ["config", "--json"])
        assert again.exit_code == 0, again.output
        assert f'"value": {json.dumps(str(tmp_path / name))}' in again.output
