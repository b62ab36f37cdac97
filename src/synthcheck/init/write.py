"""Render the proposed environment as TOML, write it and its schemas, validate it.

The file is rendered by hand (the standard library reads TOML but does not write
it): top-level scalars, one table per section, ``[[endpoints]]`` last. It is then
loaded back with the project's own loader; a file the loader refuses is a bug of
``init`` (exit 3), never handed to the user as if it worked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from synthcheck.config import ConfigError, Environment, load_environment

__all__ = ["InitBug", "render_toml", "validate", "write_files"]

HEADER = """\
# Written by `synthcheck init` from what {base_url} answered (docs/init.md).
# Verify with:  ./scripts/deploy-verify.sh --env={path}
# Budgets are the runbook's; timeouts were proposed from the latency observed.
# Secrets are named in [secrets] env, never written here.

"""


class InitBug(RuntimeError):
    """The file init wrote does not load: a defect of init itself (exit 3)."""


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key)


def render_toml(doc: Mapping[str, Any], header: str = "") -> str:
    lines = [header.rstrip("\n")] if header else []
    tables = {k: v for k, v in doc.items() if isinstance(v, Mapping)}
    arrays = {
        k: v for k, v in doc.items() if isinstance(v, list) and v and isinstance(v[0], Mapping)
    }
    for key, value in doc.items():
        if key not in tables and key not in arrays:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, table in tables.items():
        lines += ["", f"[{_key(key)}]"]
        lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
    for key, items in arrays.items():
        for item in items:
            lines += ["", f"[[{_key(key)}]]"]
            lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def write_files(
    env_path: Path, doc: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]]
) -> list[Path]:
    """Write the schemas (paths relative to the env file's directory) and the file."""
    written: list[Path] = []
    for relative, schema in schemas.items():
        path = env_path.parent / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema, indent=2) + "\n")
        written.append(path)
    env_path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(base_url=doc.get("base_url", ""), path=env_path)
    env_path.write_text(render_toml(doc, header))
    written.append(env_path)
    return written


def validate(env_path: Path) -> Environment:
    try:
        return load_environment(str(env_path), env_path.parent)
    except ConfigError as exc:
        raise InitBug(f"the file written does not load: {exc}") from None
