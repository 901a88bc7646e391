"""`uprdex config`: every setting, its value and where the value came from."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import click
from rich.markup import escape

from uprdex.flows.cli._common import index_option, out, workspace
from uprdex.pipeline.config import CONFIG_FILE, Config, Setting


@click.command("config")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def config_(index: Path | None, as_json: bool) -> None:
    """Show the effective settings and where each value came from.

    Lowest first: the defaults, uprdex.toml in the working folder (or the file $UPRDEX_CONFIG
    names), UPRDEX_<SECTION>_<SETTING> environment variables (UPRDEX_LOADER_MEMORY_MB=2048;
    UPRDEX_INDEX for the index), then a command's flags. `uprdex cluster` remembers the
    settings it was given in the index, over these, until `uprdex cluster --defaults`: they
    show with the index as their origin (the index --index or $UPRDEX_INDEX names).
    """
    settings = _with_the_index(workspace(None, index))
    if as_json:
        for setting in settings:
            value = str(setting.value) if isinstance(setting.value, Path) else setting.value
            row = {
                "section": setting.section,
                "name": setting.name,
                "value": value,
                "origin": setting.origin,
                "variable": setting.variable,
            }
            out.print(json.dumps(row, ensure_ascii=False), soft_wrap=True)
        return
    where = os.environ.get("UPRDEX_CONFIG") or str(Path.cwd() / CONFIG_FILE)
    found = "" if Path(where).is_file() else " (not found: none of its settings apply)"
    out.print(f"# uprdex.toml: {escape(where)}{escape(found)}")
    out.print("# each value's origin follows it; UPRDEX_<SECTION>_<SETTING> overrides it")
    section = None
    width = max(len(f"{row.name} = {_shown(row.value)}") for row in settings)
    for setting in settings:
        if setting.section != section:
            section = setting.section
            out.print(escape(f"\n[{section}]"))
        line = f"{setting.name} = {_shown(setting.value)}"
        out.print(f"{escape(line):{width}}  # {escape(setting.origin)}")


def _with_the_index(config: Config) -> list[Setting]:
    """The settings, with the cluster settings the index remembers over the others."""
    settings = config.settings()
    if not config.index.is_file():
        return settings
    from uprdex.pipeline.store import Store

    with Store(config.index, busy_timeout=config.lock_timeout) as store:
        chosen = store.remembered_cluster_settings()
    origin = f"{config.index} (uprdex cluster)"
    return [
        replace(row, value=chosen[row.name], origin=origin)
        if row.section == "clusters" and row.name in chosen
        else row
        for row in settings
    ]


def _shown(value: object) -> str:
    """A value as uprdex.toml would write it."""
    if value is None:
        return '"none"'  # what uprdex.toml reads as no value (TOML has no null)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | Path):
        return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string, escaped
    return str(value)
