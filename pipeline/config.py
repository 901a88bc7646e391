"""The workspace configuration: uprdex.toml in the working folder, with defaults.

```toml
[workspace]
inbox = "data/inbox"
index = "data/index.sqlite"
quarantine = "data/quarantine"
reports = "data/reports"

[schedule]
cron = "0 2 * * *"
timezone = "Europe/Zurich"
```
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Config", "load_config"]

CONFIG_FILE = "uprdex.toml"


@dataclass(frozen=True, slots=True)
class Config:
    """Where the inbox, index, quarantine and reports are, and when the nightly run starts."""

    inbox: Path = Path("data/inbox")
    index: Path = Path("data/index.sqlite")
    quarantine: Path = Path("data/quarantine")
    reports: Path = Path("data/reports")
    cron: str = "0 2 * * *"
    timezone: str = "UTC"
    lock_timeout: float = 600.0

    def __post_init__(self) -> None:
        if len(self.cron.split()) != 5:
            raise ValueError(f"schedule.cron must have 5 fields, got {self.cron!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"schedule.timezone: unknown time zone {self.timezone!r}") from error
        if self.lock_timeout < 0:
            raise ValueError("workspace.lock_timeout must not be negative")

    def with_paths(self, inbox: Path | None = None, index: Path | None = None) -> Config:
        """This config with the inbox or index given on the command line; the quarantine sits
        beside an inbox given that way (DIR/../quarantine), and the reports beside an index
        given that way (unless uprdex.toml puts them elsewhere): two indexes never share a
        reports folder."""
        config = self
        if inbox is not None:
            config = replace(config, inbox=inbox, quarantine=inbox.parent / "quarantine")
        if index is not None:
            config = config.with_index(index)
        return config

    def with_index(self, index: Path) -> Config:
        """This config with another index; reports that sat beside the index move with it."""
        beside = self.reports == self.index.parent / "reports"
        return replace(
            self, index=index, reports=index.parent / "reports" if beside else self.reports
        )


def load_config(folder: Path | None = None) -> Config:
    """uprdex.toml from the folder (default: the working folder); $UPRDEX_INDEX sets the index."""
    path = (folder or Path.cwd()) / CONFIG_FILE
    values: dict[str, object] = {}
    if path.exists():
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        workspace = data.get("workspace", {})
        schedule = data.get("schedule", {})
        for key in ("inbox", "index", "quarantine", "reports"):
            if key in workspace:
                values[key] = Path(workspace[key])
        if "lock_timeout" in workspace:
            values["lock_timeout"] = float(workspace["lock_timeout"])
        for key in ("cron", "timezone"):
            if key in schedule:
                values[key] = str(schedule[key])
    config = Config(**values)  # type: ignore[arg-type]
    if os.environ.get("UPRDEX_INDEX"):
        return config.with_index(Path(os.environ["UPRDEX_INDEX"]))
    return config
