"""Environment file → validated :class:`Environment`.

Every error names the file and the field and exits 2. The command-line and
environment-variable values layered over the loaded file are in
:mod:`synthcheck.config.overrides` (precedence: :mod:`synthcheck.config.precedence`).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from synthcheck.config.canary_sections import canary_sections
from synthcheck.config.data_sections import data_sections
from synthcheck.config.errors import ConfigError, did_you_mean
from synthcheck.config.load_section import load_section
from synthcheck.config.model import (
    DEFAULT_SECRET_ENV,
    DEFAULT_SUITES,
    Budgets,
    Endpoint,
    Environment,
    HealthSettings,
)
from synthcheck.config.predeploy_sections import predeploy_sections
from synthcheck.config.request_sections import endpoint_headers, request_settings
from synthcheck.config.schema_errors import describe
from synthcheck.config.security_sections import security_sections
from synthcheck.config.statistics_sections import statistics_sections, suite_settings

__all__ = [
    "builtin_schema",
    "find_environment_file",
    "known_environments",
    "load_environment",
]

BUILTIN_PREFIX = "builtin:"


@cache
def _validator() -> Draft202012Validator:
    text = resources.files("synthcheck.config").joinpath("environment.schema.json").read_text()
    return Draft202012Validator(json.loads(text))


def builtin_schema(name: str) -> Path:
    """Path of a schema shipped with the package (``builtin:health`` and friends)."""
    path = Path(str(resources.files("synthcheck").joinpath("schemas", f"{name}.schema.json")))
    if not path.is_file():
        available = sorted(p.name.removesuffix(".schema.json") for p in path.parent.glob("*.json"))
        raise FileNotFoundError(
            f"no built-in schema {name!r}.{did_you_mean(name, available)}"
            f" Available: {', '.join(available)}"
        )
    return path


def known_environments(env_dir: Path) -> list[str]:
    return sorted(p.stem for p in env_dir.glob("*.toml")) if env_dir.is_dir() else []


def find_environment_file(name: str, env_dir: Path) -> Path:
    """``local`` → ``<env_dir>/local.toml``; a path to a ``.toml`` file is used as is."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or os.sep in name:
        if candidate.is_file():
            return candidate
        raise ConfigError("--env", [f"environment file {name!r} does not exist"])
    path = env_dir / f"{name}.toml"
    if path.is_file():
        return path
    known = known_environments(env_dir)
    raise ConfigError(
        "--env",
        [
            f"no environment {name!r} in {env_dir}.{did_you_mean(name, known)}"
            f" Known environments: {', '.join(known) or '(none)'}"
        ],
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), [f"not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read file: {exc.strerror}"]) from None


def _validate(raw: dict[str, Any], source: str) -> None:
    errors = sorted(_validator().iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    problems = [line for error in errors for line in describe(error)]
    if problems:
        raise ConfigError(source, problems)


def _resolve_schema(value: str, base: Path, where: str, source: str) -> Path:
    try:
        path = (
            builtin_schema(value[len(BUILTIN_PREFIX) :])
            if value.startswith(BUILTIN_PREFIX)
            else (base / value).resolve()
        )
    except FileNotFoundError as exc:
        raise ConfigError(source, [f"{where}: {exc}"]) from None
    if not path.is_file():
        raise ConfigError(source, [f"{where}: schema file {value!r} not found (looked at {path})"])
    try:
        Draft202012Validator.check_schema(json.loads(path.read_text()))
    except (json.JSONDecodeError, SchemaError) as exc:
        first = str(exc).splitlines()[0]
        problem = f"{where}: {value!r} is not a valid JSON Schema: {first}"
        raise ConfigError(source, [problem]) from None
    return path


def _params(raw: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (key, tuple(value) if isinstance(value, list) else (value,)) for key, value in raw.items()
    )


def _endpoint(
    raw: dict[str, Any],
    index: int,
    env: dict[str, Any],
    base: Path,
    source: str,
    headers: tuple[tuple[str, str], ...] = (),
) -> Endpoint:
    method = raw.get("method", "GET")
    schema = raw.get("schema")
    return Endpoint(
        name=raw.get("name") or f"{raw['role']}:{raw['path']}",
        role=raw["role"],
        method=method,
        path=raw["path"],
        params=_params(raw.get("params", {})),
        expect_status=tuple(raw.get("expect_status", [200])),
        content_type=raw.get("content_type"),
        schema=_resolve_schema(schema, base, f"endpoints[{index}].schema", source)
        if schema
        else None,
        budgets=Budgets().merged(env.get("budgets", {})).merged(raw.get("budgets", {})),
        weight=float(raw.get("weight", 1.0)),
        suites=frozenset(raw.get("suites", DEFAULT_SUITES)),
        headers=headers,
    )


def _critical_below(where: str, budgets: Budgets) -> list[str]:
    if budgets.p95_critical_ms >= budgets.p95_ms:
        return []
    return [
        f"{where}.p95_critical_ms: {budgets.p95_critical_ms:g} is below p95_ms"
        f" {budgets.p95_ms:g}; the critical line must be at or above the budget"
    ]


def _semantic_checks(env: Environment, raw: dict[str, Any], source: str) -> None:
    """Rules a JSON Schema cannot say: cross-field limits and duplicates."""
    problems = _critical_below("budgets", env.budgets)
    seen: dict[tuple[str, str, tuple[Any, ...]], int] = {}
    for i, ep in enumerate(env.endpoints):
        key = (ep.method, ep.path, ep.params)
        if key in seen:
            problems.append(
                f"endpoints[{i}]: duplicates endpoints[{seen[key]}] ({ep.method} {ep.path})"
            )
        seen.setdefault(key, i)
        if "budgets" in raw["endpoints"][i] and not problems:
            problems += _critical_below(f"endpoints[{i}].budgets", ep.budgets)
    if env.http.total_timeout_s < env.http.read_timeout_s:
        problems.append(
            f"http.total_timeout_s: {env.http.total_timeout_s:g} is below read_timeout_s"
            f" {env.http.read_timeout_s:g}"
        )
    if problems:
        raise ConfigError(source, problems)


def load_environment(
    name: str, env_dir: Path, *, environ: Mapping[str, str] | None = None
) -> Environment:
    """Load, validate and build the environment called ``name`` (or at path ``name``).

    ``environ`` (default: the process's) supplies the ``${VAR}`` values of request headers.
    """
    path = find_environment_file(name, env_dir)
    source = str(path)
    raw = _read_toml(path)
    _validate(raw, source)
    base = path.parent
    requests = request_settings(raw.get("http", {}), raw["name"], base, source, environ)
    headers = [endpoint_headers(ep, i, source, environ) for i, ep in enumerate(raw["endpoints"])]
    header_secrets = [*requests.secret_vars, *(var for _, names in headers for var in names)]
    suites = dict(DEFAULT_SUITES)
    for suite_name, settings in raw.get("suites", {}).items():
        default = DEFAULT_SUITES[suite_name]
        suites[suite_name] = suite_settings(settings, default)
    health_raw = dict(raw.get("health", {}))
    for key in ("healthy_values", "degraded_values", "checks_fields"):
        if key in health_raw:
            health_raw[key] = tuple(
                v.lower() if key != "checks_fields" else v for v in health_raw[key]
            )
    upstreams = raw.get("upstreams", {})
    env = Environment(
        name=raw["name"],
        source=path,
        base_url=raw["base_url"].rstrip("/"),
        description=raw.get("description", ""),
        production=raw.get("production", False),
        runbook_url=raw.get("runbook_url", ""),
        fred_base_url=upstreams.get("fred_base_url", Environment.fred_base_url).rstrip("/"),
        alpha_vantage_base_url=upstreams.get(
            "alpha_vantage_base_url", Environment.alpha_vantage_base_url
        ).rstrip("/"),
        secret_env=tuple(
            dict.fromkeys(
                [
                    *DEFAULT_SECRET_ENV,
                    *raw.get("secrets", {}).get("env", []),
                    *header_secrets,
                ]
            )
        ),
        http=requests.http,
        budgets=Budgets().merged(raw.get("budgets", {})),
        suites=suites,
        health=HealthSettings(**health_raw),
        load=load_section(raw.get("load", {}), source),
        **statistics_sections(raw, source),
        **security_sections(raw, source),
        **canary_sections(raw),
        **predeploy_sections(raw, source),
        **data_sections(raw),
        endpoints=tuple(
            _endpoint(ep, i, raw, base, source, headers[i][0])
            for i, ep in enumerate(raw["endpoints"])
        ),
    )
    _semantic_checks(env, raw, source)
    return env
