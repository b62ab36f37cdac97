"""The harness's settings: one definition per option, each settable four ways.

Precedence, highest first (decided in :mod:`synthcheck.config.precedence`, nowhere
else): command-line flag, environment variable, pytest ini/pyproject key
(``synthcheck_NAME``, when a pytest config is given), the environment file (applied
once it is loaded: ``--history``, ``--timeout``, ``--deadline`` ...), default. Every
option appears once here with the same help text for ``--help``, the ini key and the
README, and errors name the source of the bad value (``--suite``, ``$SYNTHCHECK_SUITE``
or ``ini synthcheck_suite``).

Reason for the length (over ~300 lines): the option table, one entry per option with its
help text, is most of it and reads best in one place.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synthcheck.config.errors import ConfigError, did_you_mean
from synthcheck.config.load_flags import LoadFlags, parse_load_flags
from synthcheck.config.model import SUITES, Environment
from synthcheck.config.overrides import parse_budget_overrides
from synthcheck.config.precedence import Layers, Level, Resolved, resolve
from synthcheck.config.timing import parse_seconds

__all__ = ["OPTIONS", "Option", "Settings", "file_source", "option", "resolve_settings"]

SUITE_CHOICES = (*SUITES, "all")


@dataclass(frozen=True)
class Option:
    dest: str
    flag: str
    env_var: str
    help: str
    default: Any = None
    multiple: bool = False
    metavar: str = "VALUE"
    switch: bool = False  # a flag without a value; the env var takes 1/0, true/false, yes/no

    @property
    def ini(self) -> str:
        """The pytest ini/pyproject key: ``synthcheck_suite``."""
        return f"synthcheck_{self.dest}"

    @property
    def ini_keys(self) -> tuple[str, ...]:
        # pytest-base-url's ``base_url`` ini key (registered only with that plugin).
        return (self.ini, "base_url") if self.dest == "base_url" else (self.ini,)

    def from_text(self, text: str, source: str) -> Any:
        """A variable's or ini key's text as this option's value."""
        if self.switch:
            if text.lower() in _TRUE + _FALSE:
                return text.lower() in _TRUE
            raise ConfigError(source, [f"{text!r} is not one of {', '.join(_TRUE + _FALSE)}"])
        if self.multiple:
            separator = ";" if self.dest == "reference_fault" else ","
            return [part.strip() for part in text.split(separator) if part.strip()]
        return text

    def parser_kwargs(self) -> dict[str, Any]:
        """``action``/``metavar`` for argparse and pytest's ``addoption`` (same shape)."""
        if self.switch:
            return {"action": "store_true"}
        return {"action": "append" if self.multiple else "store", "metavar": self.metavar}


OPTIONS: tuple[Option, ...] = (
    Option(
        "env",
        "--env",
        "SYNTHCHECK_ENV",
        "environment name (environments/NAME.toml) or path to a .toml file",
        "local",
        metavar="NAME",
    ),
    Option(
        "base_url",
        "--base-url",
        "SYNTHCHECK_BASE_URL",
        "verify this running service instead of the environment's base_url"
        " (the embedded service is not started)",
        metavar="URL",
    ),
    Option(
        "suite",
        "--suite",
        "SYNTHCHECK_SUITE",
        f"which checks run: {', '.join(SUITE_CHOICES)}",
        "postdeploy",
        metavar="NAME",
    ),
    Option(
        "env_dir",
        "--env-dir",
        "SYNTHCHECK_ENV_DIR",
        "directory holding the environment files (default: ./environments, else the project's)",
        metavar="DIR",
    ),
    Option(
        "reports_dir",
        "--reports-dir",
        "SYNTHCHECK_REPORTS_DIR",
        "where summary.json, junit.xml and allure-results/ go",
        "reports",
        metavar="DIR",
    ),
    Option(
        "budget",
        "--budget",
        "SYNTHCHECK_BUDGETS",
        "override a budget, e.g. p95_ms=400 (repeatable; the env var takes a comma-separated list)",
        multiple=True,
        metavar="NAME=VALUE",
    ),
    Option(
        "samples",
        "--samples",
        "SYNTHCHECK_SAMPLES",
        "measured requests per endpoint for this suite (overrides the environment file)",
        metavar="N",
    ),
    Option(
        "reference_fault",
        "--reference-fault",
        "SYNTHCHECK_REFERENCE_FAULTS",
        "switch on a fault in the embedded reference service, e.g. slow_tail:p=0.1,ms=1200"
        " (repeatable; the env var takes a ;-separated list)",
        multiple=True,
        metavar="SPEC",
    ),
    Option(
        "load_profile",
        "--load-profile",
        "SYNTHCHECK_LOAD_PROFILE",
        "load profile: smoke, load, stress, spike or soak (default: the environment's [load]"
        " profile; scripts/load.sh: load)",
        metavar="NAME",
    ),
    Option(
        "load_users",
        "--load-users",
        "SYNTHCHECK_LOAD_USERS",
        "peak concurrent users of the load profile (at most [load] max_users)",
        metavar="N",
    ),
    Option(
        "load_duration",
        "--load-duration",
        "SYNTHCHECK_LOAD_DURATION",
        "length of the load profile, e.g. 90, 90s, 5m, 1h30m (at most [load] max_duration_s)",
        metavar="TIME",
    ),
    Option(
        "workers",
        "--workers",
        "SYNTHCHECK_LOAD_WORKERS",
        "generate the load from a locust master and N local worker processes (0: one process)",
        metavar="N",
    ),
    Option(
        "allow_remote_load",
        "--allow-remote-load",
        "SYNTHCHECK_ALLOW_REMOTE_LOAD",
        "allow a load run against a target that is not on this machine",
        switch=True,
    ),
    Option(
        "confirm_production_load",
        "--confirm-production-load",
        "SYNTHCHECK_CONFIRM_PRODUCTION_LOAD",
        "second, separate confirmation for a load run against a production environment:"
        " the environment's name",
        metavar="ENV_NAME",
    ),
    Option(
        "baseline_url",
        "--baseline-url",
        "SYNTHCHECK_BASELINE_URL",
        "predeploy: compare latency with this stable deployment, probed side by side"
        " (default: the environment file's [baseline])",
        metavar="URL",
    ),
    Option(
        "history",
        "--history",
        "SYNTHCHECK_HISTORY",
        "run history: a SQLite file, a postgresql:// URL, or off"
        " (default: the environment file's [history] location)",
        metavar="PATH_OR_URL",
    ),
    Option(
        "smoke_load",
        "--smoke-load",
        "SYNTHCHECK_SMOKE_LOAD",
        "add a short smoke load (the smoke profile) to the post-deploy run",
        switch=True,
    ),
    Option(
        "deadline",
        "--deadline",
        "SYNTHCHECK_DEADLINE",
        "wall-clock budget of the run's probing, e.g. 60, 90s, 2m (default: [suites.X]"
        " deadline_s; postdeploy 60 s, canary 30 s, predeploy 120 s, load 60 s)",
        metavar="TIME",
    ),
    Option(
        "timeout",
        "--timeout",
        "SYNTHCHECK_TIMEOUT",
        "per-request time limit, e.g. 10 or 2.5s (default: the environment file's"
        " http.total_timeout_s; read_timeout_s is capped at it)",
        metavar="TIME",
    ),
    Option(
        "connect_timeout",
        "--connect-timeout",
        "SYNTHCHECK_CONNECT_TIMEOUT",
        "time limit to open a connection, e.g. 2 (default: http.connect_timeout_s)",
        metavar="TIME",
    ),
    Option(
        "expect_version",
        "--expect-version",
        "SYNTHCHECK_EXPECT_VERSION",
        "the version just deployed (commit SHA, tag): every health answer must report it"
        " (a 7+ character SHA prefix matches; a leading v is ignored)",
        metavar="VERSION",
    ),
)


def option(dest: str) -> Option:
    """The option called ``dest`` (KeyError for a name the table does not have)."""
    return _BY_DEST[dest]


_BY_DEST = {option.dest: option for option in OPTIONS}


def add_run_arguments(parser: argparse.ArgumentParser, skip: Collection[str] = ()) -> None:
    """Every harness option (but ``skip``) plus ``--checks-dir``, for a subcommand that
    runs the checks: ``synthcheck verify`` and ``synthcheck load`` take the same flags."""
    for option in OPTIONS:
        if option.dest in skip:
            continue
        parser.add_argument(
            option.flag,
            dest=option.dest,
            help=f"{option.help} [env: {option.env_var}]",
            **option.parser_kwargs(),
        )
    parser.add_argument(
        "--checks-dir",
        type=Path,
        default=None,
        help="directory of check suites (default: ./checks, else the project's)",
    )


@dataclass(frozen=True)
class Settings:
    env: str
    base_url: str | None
    suite: str
    env_dir: Path
    reports_dir: Path
    budgets: Mapping[str, float | int]
    samples: int | None
    reference_faults: tuple[str, ...]
    sources: Mapping[str, str]  # dest -> "--flag", "$VAR", "ini NAME" or "default"
    load: LoadFlags = field(default_factory=LoadFlags)
    history: str | None = None  # None: the environment file decides
    baseline_url: str | None = None
    expect_version: str | None = None  # --expect-version: the version that must answer
    deadline_s: float | None = None  # --deadline; None: [suites.X] deadline_s
    timeout_s: float | None = None  # --timeout; None: the environment file's
    connect_timeout_s: float | None = None  # --connect-timeout; None: the file's
    resolved: Mapping[str, Resolved] = field(default_factory=dict)  # dest -> value and level

    def history_setting(self, env: Environment) -> Resolved:
        """``--history`` > ``$SYNTHCHECK_HISTORY`` > ini > the file's ``[history] location``."""
        given = self.resolved.get("history")
        if given is None:  # a Settings built by hand: its value is the caller's
            level = Level.DEFAULT if self.history is None else Level.CLI
            given = Resolved(self.history, self.sources.get("history", "default"), level)
        return given.over_file(env.history.location, file_source(env.source, "[history] location"))


def file_source(path: Path, key: str) -> str:
    """``environments/production.toml [history] location``: a file level's source."""
    try:
        shown = path.resolve().relative_to(Path.cwd())
    except ValueError:
        shown = path
    return f"{shown} {key}"


_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _url_or_none(value: Any, source: str) -> str | None:
    if not value:
        return None
    if not _URL.match(str(value)):
        raise ConfigError(source, [f"{value!r} is not an http(s) URL like http://127.0.0.1:8080"])
    return str(value).rstrip("/")


def default_env_dir(rootdir: Path) -> Path:
    local = Path.cwd() / "environments"
    return local if local.is_dir() else rootdir / "environments"


def resolve_settings(
    get_cli: Callable[[str], Any],
    rootdir: Path,
    environ: Mapping[str, str] | None = None,
    *,
    ini: Callable[[str], Any] | None = None,
) -> Settings:
    """Every option from the levels above the environment file (see the module doc)."""
    layers = Layers(get_cli, os.environ if environ is None else environ, ini)
    resolved = {option.dest: resolve(option, layers) for option in OPTIONS}
    values = {dest: found.value for dest, found in resolved.items()}
    sources = {dest: found.source for dest, found in resolved.items()}

    suite = str(values["suite"])
    if suite not in SUITE_CHOICES:
        raise ConfigError(
            sources["suite"],
            [
                f"{suite!r} is not a suite.{did_you_mean(suite, SUITE_CHOICES)}"
                f" Suites: {', '.join(SUITE_CHOICES)}"
            ],
        )
    base_url = values["base_url"]
    if base_url is not None and not _URL.match(str(base_url)):
        raise ConfigError(
            sources["base_url"], [f"{base_url!r} is not an http(s) URL like http://127.0.0.1:8080"]
        )
    samples = values["samples"]
    if samples is not None:
        try:
            samples = int(samples)
            if samples < 1:
                raise ValueError
        except ValueError:
            raise ConfigError(
                sources["samples"], [f"{values['samples']!r} is not a positive whole number"]
            ) from None
    return Settings(
        env=str(values["env"]),
        base_url=str(base_url).rstrip("/") if base_url else None,
        suite=suite,
        env_dir=Path(values["env_dir"]) if values["env_dir"] else default_env_dir(rootdir),
        reports_dir=Path(values["reports_dir"]),
        budgets=parse_budget_overrides(list(values["budget"] or []), sources["budget"]),
        samples=samples,
        reference_faults=tuple(values["reference_fault"] or ()),
        sources=sources,
        load=parse_load_flags(values, sources),
        history=str(values["history"]).strip() or None if values["history"] else None,
        baseline_url=_url_or_none(values["baseline_url"], sources["baseline_url"]),
        expect_version=str(values["expect_version"]).strip() or None
        if values["expect_version"]
        else None,
        deadline_s=parse_seconds(values["deadline"], sources["deadline"], maximum=3600),
        timeout_s=parse_seconds(values["timeout"], sources["timeout"], maximum=600),
        connect_timeout_s=parse_seconds(
            values["connect_timeout"], sources["connect_timeout"], maximum=120
        ),
        resolved=resolved,
    )
