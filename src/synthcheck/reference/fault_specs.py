"""Fault specs: ``name`` or ``name:key=value,...``, joined by ``;``; and ``--list-faults``.

Every error names the spec, the fault or parameter, and what is accepted
(with a "Did you mean" for a near miss); values take the type of the parameter's
default, and the generic ``p`` and ``path`` are checked here for every fault.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from synthcheck.reference.faults import FAULTS, ActiveFault, FaultDef, ParamValue

__all__ = [
    "FaultSpecError",
    "list_faults",
    "parse_fault_spec",
    "parse_fault_specs",
    "split_specs",
]


class FaultSpecError(ValueError):
    """A fault spec names an unknown fault or parameter, or has a bad value."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def _coerce(fault: str, key: str, raw: str, default: ParamValue, spec: str) -> ParamValue:
    kind = type(default).__name__
    try:
        value: ParamValue
        if isinstance(default, bool):  # before int: bool is an int subclass
            lowered = raw.strip().lower()
            if lowered not in _TRUE | _FALSE:
                raise ValueError(raw)
            value = lowered in _TRUE
        elif isinstance(default, int):
            value = int(raw)
        elif isinstance(default, float):
            value = float(raw)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(raw)
        else:
            value = raw
    except ValueError:
        raise FaultSpecError(
            f"parameter '{key}' of fault '{fault}' expects {kind}, got '{raw}' (in spec '{spec}')"
        ) from None
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        raise FaultSpecError(
            f"parameter '{key}' of fault '{fault}' must not be negative, got '{raw}' "
            f"(in spec '{spec}')"
        )
    return value


def _validate(fault: FaultDef, params: dict[str, ParamValue], spec: str) -> None:
    p = float(params["p"])
    if not 0.0 <= p <= 1.0:
        raise FaultSpecError(
            f"parameter 'p' of fault '{fault.name}' must be between 0 and 1, got {p} "
            f"(in spec '{spec}')"
        )
    if not str(params["path"]).startswith("/"):
        raise FaultSpecError(
            f"parameter 'path' of fault '{fault.name}' must start with '/', got "
            f"'{params['path']}' (in spec '{spec}')"
        )
    for key, allowed in fault.choices.items():
        if str(params[key]) not in allowed:
            raise FaultSpecError(
                f"parameter '{key}' of fault '{fault.name}' must be one of "
                f"{', '.join(allowed)}, got '{params[key]}' (in spec '{spec}')"
            )


def parse_fault_spec(spec: str, registry: Mapping[str, FaultDef] | None = None) -> ActiveFault:
    """Parse one `name` or `name:key=value,key=value` spec."""
    faults = FAULTS if registry is None else registry
    text = spec.strip()
    name, _, rest = text.partition(":")
    name = name.strip()
    if not name:
        raise FaultSpecError(f"empty fault name in spec '{spec}'")
    fault = faults.get(name)
    if fault is None:
        raise FaultSpecError(
            f"unknown fault '{name}'.{_suggest(name, faults)} "
            f"Known faults: {', '.join(sorted(faults))} (in spec '{spec}')"
        )
    params = dict(fault.params)
    for item in (part.strip() for part in rest.split(",")) if rest.strip() else ():
        if not item:
            continue
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise FaultSpecError(
                f"malformed parameter '{item}' in spec '{spec}': expected key=value"
            )
        if key not in fault.params:
            raise FaultSpecError(
                f"unknown parameter '{key}' for fault '{name}'.{_suggest(key, fault.params)} "
                f"Accepted parameters: {', '.join(fault.params)} (in spec '{spec}')"
            )
        params[key] = _coerce(name, key, raw.strip(), fault.params[key], spec)
    _validate(fault, params, spec)
    return ActiveFault(fault=fault, params=params, spec=text)


def split_specs(specs: str | Iterable[str]) -> list[str]:
    """Flatten `a;b` strings and lists of them into single specs, dropping blanks."""
    items = [specs] if isinstance(specs, str) else list(specs)
    return [part.strip() for item in items for part in item.split(";") if part.strip()]


def parse_fault_specs(
    specs: str | Iterable[str], registry: Mapping[str, FaultDef] | None = None
) -> list[ActiveFault]:
    """Parse `a;b:k=v` strings (or a list of them); a repeated fault replaces the earlier one."""
    by_name: dict[str, ActiveFault] = {}
    for spec in split_specs(specs):
        active = parse_fault_spec(spec, registry)
        by_name.pop(active.name, None)
        by_name[active.name] = active
    return list(by_name.values())


def list_faults(registry: Mapping[str, FaultDef] | None = None) -> list[str]:
    """One line per fault: name, parameters with defaults, doc (the --list-faults output)."""
    faults = FAULTS if registry is None else registry
    return [faults[name].describe() for name in sorted(faults)]
