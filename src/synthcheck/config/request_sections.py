"""``[http]`` request settings and endpoint ``headers``: ``${VAR}`` expansion, TLS files.

Header values may reference the verifier's environment (``Authorization = "Bearer
${STATUS_TOKEN}"``). A reference to an unset or empty variable is a config error that
names the file, the field and the variable. The variables referenced by credential
headers become known secrets (masked in every report, scanned for as leaks, written
as ``${NAME}`` in curl reproductions); those in routing headers (``Host``,
``X-Forwarded-Host``, ...) do not, since a service may well echo its own host name.
"""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthcheck import __version__
from synthcheck.config.errors import ConfigError
from synthcheck.config.model import HttpSettings

__all__ = [
    "PUBLIC_HEADERS",
    "RequestSettings",
    "default_user_agent",
    "endpoint_headers",
    "referenced_variables",
    "request_settings",
]

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Headers that route or describe a request rather than authenticate it: their variables
# are not secrets (a Host or an Accept echoed back is not a leak).
PUBLIC_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "content-type",
        "host",
        "origin",
        "referer",
        "user-agent",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
    }
)
_TLS_FILES = ("ca_bundle", "client_cert", "client_key")


def default_user_agent(env_name: str) -> str:
    """``synthcheck/0.1.0 (+synthetic check; env=production)``: tells synthetic traffic apart."""
    return f"synthcheck/{__version__} (+synthetic check; env={env_name})"


def referenced_variables(value: str) -> list[str]:
    return _VARIABLE.findall(value)


@dataclass(frozen=True)
class _Expanded:
    headers: tuple[tuple[str, str], ...]
    secret_vars: tuple[str, ...]
    problems: tuple[str, ...]


def _expand(raw: Mapping[str, str], where: str, environ: Mapping[str, str]) -> _Expanded:
    headers: list[tuple[str, str]] = []
    secret_vars: list[str] = []
    problems: list[str] = []
    for name, template in raw.items():
        field = f"{where}.{name}"
        missing = [v for v in referenced_variables(template) if not environ.get(v)]
        if missing:
            names = ", ".join(f"${{{v}}}" for v in dict.fromkeys(missing))
            problems.append(
                f"{field}: {names} is not set (or empty) in the verifier's environment;"
                " export it, or remove the header"
            )
            continue
        value = _VARIABLE.sub(lambda m: environ[m.group(1)], template)
        if "\r" in value or "\n" in value:
            problems.append(f"{field}: the value contains a line break (after ${{VAR}} expansion)")
            continue
        headers.append((name, value))
        if name.lower() not in PUBLIC_HEADERS:
            secret_vars += referenced_variables(template)
    return _Expanded(tuple(headers), tuple(dict.fromkeys(secret_vars)), tuple(problems))


def _tls_file(raw: Mapping[str, Any], key: str, base: Path) -> tuple[Path | None, str | None]:
    value = raw.get(key)
    if not value:
        return None, None
    path = (base / os.path.expanduser(str(value))).resolve()
    if not path.is_file():
        return None, f"http.{key}: file {value!r} not found (looked at {path})"
    return path, None


def _pem_problems(files: Mapping[str, Path | None]) -> list[str]:
    """Load the TLS files once now, so a bad one is a config error, not a failed probe."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    problems: list[str] = []
    if (bundle := files["ca_bundle"]) is not None:
        try:
            context.load_verify_locations(cafile=str(bundle))
        except (ssl.SSLError, OSError):
            problems.append(f"http.ca_bundle: {str(bundle)!r} holds no PEM CA certificate")
    cert, key = files["client_cert"], files["client_key"]
    if cert is not None and key is not None:
        try:
            context.load_cert_chain(str(cert), str(key))
        except (ssl.SSLError, OSError):
            problems.append(
                f"http.client_cert: {str(cert)!r} and client_key {str(key)!r} are not a PEM"
                " certificate and its (unencrypted) private key"
            )
    return problems


@dataclass(frozen=True)
class RequestSettings:
    http: HttpSettings
    secret_vars: tuple[str, ...]  # variables the headers made secrets


def request_settings(
    raw: Mapping[str, Any],
    env_name: str,
    base: Path,
    source: str,
    environ: Mapping[str, str] | None = None,
) -> RequestSettings:
    """The ``[http]`` table → :class:`HttpSettings` (headers expanded, TLS paths resolved)."""
    environ = os.environ if environ is None else environ
    section = dict(raw)
    expanded = _expand(section.pop("headers", {}), "http.headers", environ)
    problems = list(expanded.problems)
    files: dict[str, Path | None] = {}
    for key in _TLS_FILES:
        files[key], problem = _tls_file(section, key, base)
        section.pop(key, None)
        if problem:
            problems.append(problem)
    if bool(files["client_cert"]) != bool(files["client_key"]) and not problems:
        given = "client_cert" if files["client_cert"] else "client_key"
        problems.append(f"http.{given}: set both client_cert and client_key (mTLS), or neither")
    if not problems:
        problems += _pem_problems(files)
    if problems:
        raise ConfigError(source, problems)
    http = HttpSettings(
        **section,
        headers=dict(expanded.headers),
        user_agent=default_user_agent(env_name),
        ca_bundle=files["ca_bundle"],
        client_cert=files["client_cert"],
        client_key=files["client_key"],
    )
    return RequestSettings(http, expanded.secret_vars)


def endpoint_headers(
    raw: Mapping[str, Any],
    index: int,
    source: str,
    environ: Mapping[str, str] | None = None,
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """An endpoint's ``headers``: (expanded headers, variables that became secrets)."""
    environ = os.environ if environ is None else environ
    expanded = _expand(raw.get("headers", {}), f"endpoints[{index}].headers", environ)
    if expanded.problems:
        raise ConfigError(source, list(expanded.problems))
    return expanded.headers, expanded.secret_vars
