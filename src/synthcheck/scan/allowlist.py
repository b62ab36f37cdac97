"""Accepted findings: paths, rules and single findings (by fingerprint) to leave out.

The allowlist is a TOML file, reviewed like code:

    # paths are globs matched against the path as printed (* also crosses /)
    paths = ["tests/fixtures/*", "docs/examples/*.md"]
    rules = ["jwt"]                          # rule ids, see `synthcheck scan --list-rules`
    fingerprints = ["3f9a1c0e12ab45cd"]      # from --format json, one accepted secret each
    baseline = ["9d0e4c7a55b1f203"]          # --write-baseline: one finding (rule+path+secret)

A line containing ``synthcheck:allow`` is also left out (for a deliberate example in
the middle of a file).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path

from synthcheck.config import ConfigError, did_you_mean
from synthcheck.scan.baseline import baseline_fingerprint

__all__ = ["INLINE_MARK", "Allowlist", "load_allowlist"]

INLINE_MARK = "synthcheck:allow"
_FIELDS = ("paths", "rules", "fingerprints", "baseline")


@dataclass(frozen=True)
class Allowlist:
    paths: tuple[str, ...] = ()
    rules: frozenset[str] = frozenset()
    fingerprints: frozenset[str] = frozenset()
    baseline: frozenset[str] = frozenset()

    def path_allowed(self, shown: str) -> bool:
        return any(fnmatch.fnmatchcase(shown, pattern) for pattern in self.paths)

    def allows(self, shown: str, rule: str, fingerprint: str) -> bool:
        return (
            rule in self.rules
            or fingerprint in self.fingerprints
            or self.path_allowed(shown)
            or (
                bool(self.baseline)
                and baseline_fingerprint(rule, shown, fingerprint) in self.baseline
            )
        )

    def merged(self, other: Allowlist) -> Allowlist:
        return Allowlist(
            self.paths + other.paths,
            self.rules | other.rules,
            self.fingerprints | other.fingerprints,
            self.baseline | other.baseline,
        )


def load_allowlist(path: Path, known_rules: list[str]) -> Allowlist:
    """Read and check an allowlist; errors name the file and the bad entry (exit 2)."""
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(source, [f"cannot read the allowlist: {exc.strerror}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"not valid TOML: {exc}"]) from None
    problems = [
        f"{key!r}: unknown field.{did_you_mean(key, _FIELDS)} Fields: {', '.join(_FIELDS)}"
        for key in raw
        if key not in _FIELDS
    ]
    for key in _FIELDS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"{key}: expected a list of non-empty strings")
    for rule in raw.get("rules", []) if isinstance(raw.get("rules"), list) else []:
        if isinstance(rule, str) and rule not in known_rules:
            problems.append(
                f"rules: {rule!r} is not a rule.{did_you_mean(rule, known_rules)}"
                f" Rules: {', '.join(known_rules)}"
            )
    if problems:
        raise ConfigError(source, problems)
    return Allowlist(
        tuple(raw.get("paths", [])),
        frozenset(raw.get("rules", [])),
        frozenset(raw.get("fingerprints", [])),
        frozenset(raw.get("baseline", [])),
    )
