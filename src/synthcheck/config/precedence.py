"""The one precedence of every setting: CLI > env var > pytest ini > environment file > default.

Every caller (the pytest plugin, ``synthcheck verify``/``load``/``history``, the
locustfile, the after-run step) resolves a setting here and gets the value with the
place it came from, so an error names what to fix: ``--suite``, ``$SYNTHCHECK_SUITE``,
``ini base_url``, ``environments/production.toml [history] location`` or ``default``.

The environment file is read only once the CLI and the variables have said which file
it is, so its level is applied in a second step: :meth:`Resolved.over_file` keeps a
value set on a higher level and otherwise takes the file's.

An empty or blank value counts as unset on every level (``SYNTHCHECK_SUITE=`` in a CI
job's environment is not a request for the suite named "").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

__all__ = [
    "Layers",
    "Level",
    "Resolved",
    "Setting",
    "SettingSpec",
    "is_unset",
    "resolve",
    "variable",
]


class Level(IntEnum):
    """Where a value came from; a lower number wins."""

    CLI = 0
    ENV = 1
    INI = 2
    FILE = 3
    DEFAULT = 4


class SettingSpec(Protocol):
    """What the resolver needs to know of one setting (see ``config.options.Option``)."""

    @property
    def dest(self) -> str: ...
    @property
    def flag(self) -> str: ...
    @property
    def env_var(self) -> str: ...
    @property
    def ini_keys(self) -> tuple[str, ...]: ...
    @property
    def default(self) -> Any: ...

    def from_text(self, text: str, source: str) -> Any:
        """An environment variable's (or ini key's) text as the option's value."""
        ...


@dataclass(frozen=True)
class Setting:
    """A setting outside the options table (no ``--flag`` of the harness's own), e.g. the
    locust side's ``$SYNTHCHECK_LOAD_RESULTS``; its command-line level is the run context."""

    dest: str
    env_var: str
    default: Any = None
    flag: str = "the run context"
    ini_keys: tuple[str, ...] = ()

    def from_text(self, text: str, source: str) -> Any:
        return text


def is_unset(value: Any) -> bool:
    """None, an empty or blank string, or an empty list: the level says nothing."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    return False


def variable(environ: Mapping[str, str], name: str) -> str | None:
    """One environment variable's value, stripped; None when unset or blank."""
    value = environ.get(name, "").strip() if name else ""
    return value or None


@dataclass(frozen=True)
class Resolved:
    value: Any
    source: str  # "--flag", "$VAR", "ini NAME", "<file> [section] key" or "default"
    level: Level

    @property
    def explicit(self) -> bool:
        """Set on the command line, in a variable or in the ini file (not file/default)."""
        return self.level < Level.FILE

    def over_file(self, value: Any, source: str) -> Resolved:
        """Apply the environment file's level: it beats only the default."""
        if self.level <= Level.FILE or is_unset(value):
            return self
        return Resolved(value, source, Level.FILE)


def _no_cli(dest: str) -> Any:
    return None


@dataclass(frozen=True)
class Layers:
    """The levels above the environment file, for one process."""

    cli: Callable[[str], Any] = _no_cli  # dest -> the command line's value (None: not given)
    environ: Mapping[str, str] = field(default_factory=dict)
    # ini key -> value (a pytest config's getini; None for a key it does not have)
    ini: Callable[[str], Any] | None = None


def resolve(
    spec: SettingSpec,
    layers: Layers,
    *,
    file_value: Any = None,
    file_source: str = "",
) -> Resolved:
    """The value of ``spec`` from the highest level that sets it."""
    cli = layers.cli(spec.dest)
    if not is_unset(cli):
        return Resolved(cli, spec.flag, Level.CLI)
    text = variable(layers.environ, spec.env_var)
    if text is not None:
        source = f"${spec.env_var}"
        return Resolved(spec.from_text(text, source), source, Level.ENV)
    for key in spec.ini_keys if layers.ini is not None else ():
        assert layers.ini is not None
        ini = layers.ini(key)
        if not is_unset(ini):
            source = f"ini {key}"
            value = spec.from_text(ini.strip(), source) if isinstance(ini, str) else ini
            return Resolved(value, source, Level.INI)
    found = Resolved(spec.default, "default", Level.DEFAULT)
    return found.over_file(file_value, file_source)
