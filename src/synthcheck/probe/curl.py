"""A ``curl`` command that reproduces a probe, with secrets as ``${VAR}`` references.

The probe layer's own account of a request (the headers and TLS options it sends), so
the checks can print it with a failure without reaching up into the reporting layer.

The command is meant to be pasted into a shell that has the same environment
variables as the verifier, so the key itself never has to be printed.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence

from synthcheck.config import HttpSettings
from synthcheck.secrets import Redactor, Secret

__all__ = ["curl_command", "curl_tls_options", "request_headers"]


def request_headers(http: HttpSettings, endpoint: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """What a probe sends besides httpx's defaults: [http] headers, then the endpoint's
    (case-insensitive: a later spelling replaces an earlier one)."""
    merged: dict[str, tuple[str, str]] = {}
    for name, value in [*http.headers.items(), *endpoint]:
        merged[name.lower()] = (name, value)
    return dict(merged.values())


def curl_tls_options(http: HttpSettings) -> list[str]:
    """``--cacert``/``--cert``/``--key`` for [http] TLS files, ``-k`` when TLS is not verified."""
    options = [] if http.verify_tls else ["-k"]
    for flag, path in (
        ("--cacert", http.ca_bundle),
        ("--cert", http.client_cert),
        ("--key", http.client_key),
    ):
        if path is not None:
            options += [flag, shlex.quote(str(path))]
    return options


def _double_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
    return f'"{escaped}"'


def _with_references(text: str, secrets: Iterable[Secret]) -> str:
    quoted = _double_quote(text)
    for secret in sorted(secrets, key=len, reverse=True):
        quoted = quoted.replace(_double_quote(secret.reveal())[1:-1], "${" + secret.name + "}")
    return quoted


def curl_command(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    secrets: Iterable[Secret] = (),
    max_time_s: float = 10.0,
    redactor: Redactor | None = None,
    options: Sequence[str] = (),
) -> str:
    known = list(secrets)
    parts = ["curl", "-sS", "-i" if method != "HEAD" else "-I", "--max-time", f"{max_time_s:g}"]
    parts += options
    if method not in ("GET", "HEAD"):
        parts += ["-X", method]
    for name, value in (headers or {}).items():
        parts += ["-H", _with_references(f"{name}: {value}", known)]
    parts.append(_with_references(url, known))
    command = " ".join(parts)
    # Belt and braces: a secret in some other encoding is masked, not printed.
    return redactor.redact(command) if redactor is not None else command
