"""One configuration for every command: uprdex.toml, then the environment, then flags.

Precedence, lowest first: the built-in defaults; `uprdex.toml` in the working folder (or the
file `$UPRDEX_CONFIG` names); `UPRDEX_<SECTION>_<SETTING>` environment variables
(`UPRDEX_LOADER_MEMORY_MB=2048`; `UPRDEX_INDEX` is short for `UPRDEX_WORKSPACE_INDEX`); a
command's flags. `uprdex config` prints every setting and where its value came from.

```toml
[workspace]
inbox = "data/inbox"
index = "data/index.sqlite"
quarantine = "data/quarantine"
reports = "data/reports"
lock_timeout = 600          # seconds a second writer waits for the index

[schedule]
cron = "0 2 * * *"
timezone = "Europe/Zurich"

[loader]                    # how PDFs are read, and each document's budget
workers = 0                 # 0: one per core
timeout_seconds = 120
memory_mb = 1024
ocr = false

[evidence]
paraphrase_threshold = 0.4

[clusters]                  # the defaults of `uprdex cluster`
scope = "state"
threshold = 55
```
"""

from __future__ import annotations

import math
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.settings import ClusterSettings, EvidenceSettings, LoaderSettings

__all__ = ["CONFIG_FILE", "Config", "ConfigError", "Setting", "load_config"]

CONFIG_FILE = "uprdex.toml"
DEFAULT = "default"


class ConfigError(UprdexError):
    """A setting that cannot be used, named with where it was set."""


@dataclass(frozen=True, slots=True)
class Config:
    """The workspace (where the inbox, index, quarantine and reports are, when the nightly run
    starts) and the settings of each stage.

    origins: where each setting that is not a default came from, "section.name" -> source
    ("uprdex.toml", "UPRDEX_LOADER_MEMORY_MB", "--workers").
    """

    inbox: Path = Path("data/inbox")
    index: Path = Path("data/index.sqlite")
    quarantine: Path = Path("data/quarantine")
    reports: Path = Path("data/reports")
    cron: str = "0 2 * * *"
    timezone: str = "UTC"
    lock_timeout: float = 600.0
    loader: LoaderSettings = field(default_factory=LoaderSettings)
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    clusters: ClusterSettings = field(default_factory=ClusterSettings)
    origins: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.cron.split()) != 5:
            raise ValueError(f"cron must have 5 fields, got {self.cron!r}")
        # Here, not at the top: `uprdex --help` imports this module, and zoneinfo brings
        # sysconfig and its tz path (~15 ms).
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"timezone: unknown time zone {self.timezone!r}") from error
        if self.lock_timeout < 0:
            raise ValueError("lock_timeout must not be negative")

    def with_paths(self, inbox: Path | None = None, index: Path | None = None) -> Config:
        """This config with the inbox or index given on the command line; the quarantine sits
        beside an inbox given that way (DIR/../quarantine), and the reports beside an index
        given that way (unless uprdex.toml puts them elsewhere): two indexes never share a
        reports folder."""
        config = self
        if inbox is not None:
            config = replace(config, inbox=inbox, quarantine=inbox.parent / "quarantine")
            config = config._from("workspace.inbox", "--inbox")
        if index is not None:
            config = config.with_index(index)._from("workspace.index", "--index")
        return config

    def with_index(self, index: Path) -> Config:
        """This config with another index; reports that sat beside the index move with it."""
        if self.reports != self.index.parent / "reports":
            return replace(self, index=index)
        moved = replace(self, index=index, reports=index.parent / "reports")
        return moved._from("workspace.reports", "beside the index")

    def with_flags(self, section: str, **flags: tuple[str, Any]) -> Config:
        """This config with a command's flags over one section's settings:
        `with_flags("loader", workers=("--workers", 2))`. A flag given as None is left out."""
        given = {name: value for name, (_, value) in flags.items() if value is not None}
        if not given:
            return self
        try:
            updated = replace(getattr(self, section), **given)
        except ValueError as error:
            flag = " / ".join(flag for flag, value in flags.values() if value is not None)
            raise ConfigError(f"{flag}: {error}") from error
        config = replace(self, **{section: updated})
        for name in given:
            config = config._from(f"{section}.{name}", flags[name][0])
        return config

    def _from(self, key: str, origin: str) -> Config:
        return replace(self, origins={**self.origins, key: origin})

    def settings(self) -> list[Setting]:
        """Every setting with its value and where it came from, section by section."""
        rows = [
            Setting(
                "workspace" if name not in ("cron", "timezone") else "schedule",
                name,
                getattr(self, name),
            )
            for name in _WORKSPACE + _SCHEDULE
        ]
        for section in _SECTIONS:
            stage = getattr(self, section)
            rows.extend(
                Setting(section, item.name, getattr(stage, item.name)) for item in fields(stage)
            )
        return [
            replace(row, origin=self.origins.get(f"{row.section}.{row.name}", DEFAULT))
            for row in rows
        ]


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as `uprdex config` shows it."""

    section: str
    name: str
    value: Any
    origin: str = DEFAULT

    @property
    def variable(self) -> str:
        """Its environment variable: UPRDEX_LOADER_MEMORY_MB."""
        return f"UPRDEX_{self.section}_{self.name}".upper()


_WORKSPACE = ("inbox", "index", "quarantine", "reports", "lock_timeout")
_SCHEDULE = ("cron", "timezone")
_SECTIONS = ("loader", "evidence", "clusters")
_TOP_SECTIONS = ("workspace", "schedule")
_SHORTHANDS = {"UPRDEX_INDEX": ("workspace", "index")}


def load_config(folder: Path | None = None) -> Config:
    """The configuration of the workspace in `folder` (default: the working folder):
    uprdex.toml (or $UPRDEX_CONFIG) over the defaults, the environment over both."""
    named = os.environ.get("UPRDEX_CONFIG")
    if named is not None and not named.strip():  # `UPRDEX_CONFIG=$UNSET uprdex run`
        raise ConfigError("UPRDEX_CONFIG is empty: name the configuration file, or unset it")
    path = Path(named or (folder or Path.cwd()) / CONFIG_FILE)
    values: dict[str, dict[str, tuple[Any, str]]] = {}
    if path.is_file() or named:
        for section, items in _read_toml(path).items():
            for name, value in items.items():
                values.setdefault(section, {})[name] = (value, path.name)
    for variable, text in os.environ.items():
        key = _SHORTHANDS.get(variable) or _variable_key(variable)
        if key is not None:
            section, name = key
            values.setdefault(section, {})[name] = (text, variable)
    return _build(values)


def _read_toml(path: Path) -> dict[str, dict[str, Any]]:
    try:
        # Notepad and other Windows editors may open the file with a byte order mark.
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration ({error.strerror})") from error
    except UnicodeDecodeError as error:
        # Saved in a Windows code page: a path with "é" is the byte 0xe9.
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start}: {error.reason}); save it as UTF-8"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from error
    known = {"workspace", "schedule", *_SECTIONS}
    for section, items in data.items():
        if section not in known:
            raise ConfigError(
                f"{path}: unknown section [{section}] (sections: {', '.join(sorted(known))})"
            )
        if not isinstance(items, dict):
            raise ConfigError(
                f"{path}: {section} must be a section ([{section}] and its settings below it), "
                f"not a value"
            )
    return data


def _variable_key(variable: str) -> tuple[str, str] | None:
    """("loader", "memory_mb") for UPRDEX_LOADER_MEMORY_MB; None for other variables."""
    if not variable.startswith("UPRDEX_") or variable == "UPRDEX_CONFIG":
        return None
    rest = variable.removeprefix("UPRDEX_").lower()
    section, _, name = rest.partition("_")
    if section in ("workspace", "schedule", *_SECTIONS) and name:
        return section, name
    return None


def _build(values: dict[str, dict[str, tuple[Any, str]]]) -> Config:
    config = Config()
    origins: dict[str, str] = {}
    top: dict[str, Any] = {
        **_section(values, "workspace", Config, _WORKSPACE, origins),
        **_section(values, "schedule", Config, _SCHEDULE, origins),
    }
    stages: dict[str, Any] = {}
    for section in _SECTIONS:
        stage_type = type(getattr(config, section))
        names = tuple(item.name for item in fields(stage_type))
        given = _section(values, section, stage_type, names, origins)
        try:
            stages[section] = stage_type(**given)
        except ValueError as error:
            where = ", ".join(sorted({origins[f"{section}.{name}"] for name in given}))
            raise ConfigError(f"{where}: [{section}] {error}") from error
    try:
        built = replace(config, **top, **stages, origins=origins)
    except ValueError as error:
        top_origins = {origins[key] for key in origins if key.split(".")[0] in _TOP_SECTIONS}
        raise ConfigError(f"{', '.join(sorted(top_origins))}: {error}") from error
    if "workspace.index" in origins and "workspace.reports" not in origins:
        # An index set in uprdex.toml or the environment takes its reports folder with it.
        built = replace(built, reports=built.index.parent / "reports")
        built = built._from("workspace.reports", "beside the index")
    return built


def _section(
    values: dict[str, dict[str, tuple[Any, str]]],
    section: str,
    kind: type,
    allowed: tuple[str, ...],
    origins: dict[str, str],
) -> dict[str, Any]:
    """The settings given in one section, each converted to its type in `kind` (its origin
    noted in `origins`); a name not `allowed` is a ConfigError naming where it was set."""
    given: dict[str, Any] = {}
    for name, (value, origin) in values.get(section, {}).items():
        if name not in allowed:
            raise ConfigError(
                f"{origin}: [{section}] has no setting {name!r} (settings: {', '.join(allowed)})"
            )
        hint = typing.get_type_hints(kind)[name]
        given[name] = _convert(value, hint, origin, section, name)
        origins[f"{section}.{name}"] = origin
    return given


def _convert(value: Any, hint: Any, origin: str, section: str, name: str) -> Any:
    """A value from TOML or the environment (text) as the setting's type."""
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    options = typing.get_args(hint) if union else (hint,)
    if type(None) in options and (
        value is None or (isinstance(value, str) and value.strip().lower() in ("", "none"))
    ):
        return None
    for option in (option for option in options if option is not type(None)):
        try:
            return _as(value, option)
        except (TypeError, ValueError):
            continue
    kinds = " or ".join(_described(option) for option in options)
    raise ConfigError(f"{origin}: [{section}] {name} must be {kinds}, got {value!r}")


def _described(kind: Any) -> str:
    """A setting's type as a researcher reads it: "a number", "one of review, state, all"."""
    if typing.get_origin(kind) is typing.Literal:
        return "one of " + ", ".join(map(str, typing.get_args(kind)))
    names = {bool: "true or false", int: "a whole number", float: "a number", Path: "a path"}
    return names.get(kind, "none" if kind is type(None) else "text")


def _as(value: Any, kind: Any) -> Any:
    if typing.get_origin(kind) is typing.Literal:
        if value in typing.get_args(kind):
            return value
        raise ValueError(value)
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        raise ValueError(value)
    if kind is int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(value)
        return int(value)
    if kind is float:
        # NaN passes every range check (nan < 0 is false) and then breaks the lock's timeout;
        # inf is no budget at all (a document read for ever).
        if isinstance(value, bool) or not math.isfinite(number := float(value)):
            raise ValueError(value)
        return number
    if kind is Path:
        # An empty path is the working folder: UPRDEX_INDEX= made the index ".".
        if not isinstance(value, str) or not value.strip():
            raise TypeError(value)
        return Path(value)
    if kind is str:
        if not isinstance(value, str):
            raise TypeError(value)
        return value
    raise TypeError(kind)


_BOOLEANS = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off"), False),
}
