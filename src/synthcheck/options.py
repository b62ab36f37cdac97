"""The harness's settings: one definition per option, each settable three ways.

Precedence, highest first: command-line flag, environment variable, default. Every
option appears once here with the same help text for ``--help`` and the README, and
errors name the source of the bad value (``--suite`` or ``$SYNTHCHECK_SUITE``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthcheck.config import SUITES, ConfigError, did_you_mean, parse_budget_overrides

__all__ = ["OPTIONS", "Option", "Settings", "resolve_settings"]

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
    sources: Mapping[str, str]  # dest -> "--flag", "$VAR" or "default"


_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


def _split_env(option: Option, text: str) -> list[str]:
    separator = ";" if option.dest == "reference_fault" else ","
    return [part.strip() for part in text.split(separator) if part.strip()]


def _raw_value(
    option: Option, get_cli: Callable[[str], Any], environ: Mapping[str, str]
) -> tuple[Any, str]:
    cli = get_cli(option.dest)
    if cli not in (None, [], ()):
        return cli, option.flag
    if environ.get(option.env_var, "").strip():
        text = environ[option.env_var].strip()
        return (_split_env(option, text) if option.multiple else text), f"${option.env_var}"
    return option.default, "default"


def default_env_dir(rootdir: Path) -> Path:
    local = Path.cwd() / "environments"
    return local if local.is_dir() else rootdir / "environments"


def resolve_settings(
    get_cli: Callable[[str], Any], rootdir: Path, environ: Mapping[str, str] | None = None
) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for option in OPTIONS:
        values[option.dest], sources[option.dest] = _raw_value(option, get_cli, environ)

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
    )
