"""Turn JSON Schema validation errors into one readable line each.

jsonschema's own messages are written for schema authors ("Additional properties
are not allowed ('tiemout' was unexpected)"); people editing an environment file
need the field path, the bad value, what is accepted and the nearest valid name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError

from synthcheck.config.errors import did_you_mean

__all__ = ["describe", "field_path"]

_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a table",
}


def field_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _additional(error: ValidationError) -> list[str]:
    props: Mapping[str, Any] = error.schema.get("properties", {})  # type: ignore[union-attr]
    instance = error.instance if isinstance(error.instance, dict) else {}
    accepted = sorted(props)
    here = field_path(error.absolute_path)
    lines = []
    for key in sorted(set(instance) - set(props)):
        where = f"{here}.{key}" if error.absolute_path else key
        lines.append(
            f"{where}: unknown field {key!r}.{did_you_mean(key, accepted)}"
            f" Accepted fields: {', '.join(accepted)}"
        )
    return lines


def describe(error: ValidationError) -> list[str]:
    """One or more ``field: problem`` lines for a validation error."""
    where = field_path(error.absolute_path)
    keyword = error.validator
    value = error.instance
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    hint = f" ({schema['description']})" if "description" in schema else ""
    if keyword == "additionalProperties":
        return _additional(error)
    if keyword == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        return [f"{where}: missing required field {missing!r}"]
    if keyword == "enum":
        accepted = [str(v) for v in error.validator_value]  # type: ignore[union-attr]
        return [
            f"{where}: {_show(value)} is not accepted.{did_you_mean(str(value), accepted)}"
            f" Accepted values: {', '.join(accepted)}"
        ]
    if keyword == "const":
        return [f"{where}: {_show(value)} is not accepted; it must be {error.validator_value!r}"]
    if keyword == "type":
        wanted = error.validator_value
        types = [str(w) for w in (wanted if isinstance(wanted, list) else [wanted])]
        names = [_TYPE_NAMES.get(t, t) for t in types]
        return [f"{where}: expected {' or '.join(names)}, got {_show(value)}{hint}"]
    if keyword == "pattern":
        return [f"{where}: {_show(value)} is not in the accepted form{hint}"]
    if keyword in {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}:
        relation = {
            "minimum": "at least",
            "exclusiveMinimum": "greater than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[str(keyword)]
        return [f"{where}: {_show(value)} must be {relation} {error.validator_value}"]
    if keyword in {"anyOf", "oneOf"}:
        return [f"{where}: {_show(value)} is not accepted: expected a string or a list of strings"]
    return [f"{where}: {error.message}"]
