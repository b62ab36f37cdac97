"""Apply the pattern rules to a text: keyword gate, regular expression, guards."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from synthcheck.leaks import guards
from synthcheck.leaks.findings import mask
from synthcheck.leaks.rules import RULES, Rule
from synthcheck.secrets.finder import lower_same_length

__all__ = ["PatternMatch", "PatternScanner"]

# Passwords and hosts that mark a URL as documentation or a local default.
_PLACEHOLDER_PASSWORDS = frozenset(
    {"password", "passwd", "pass", "pwd", "secret", "changeme", "admin", "root", "guest", "test"}
)
_EXAMPLE_HOSTS = ("example.com", "example.org", "example.net", "host", "hostname", "server")
_EXAMPLE_SUFFIXES = (".example", ".test", ".invalid", ".example.com", ".example.org")
_NEAR_BEFORE, _NEAR_AFTER = 300, 100
# The scheme in front of "://" (checked backwards from the anchor).
_SCHEME_MAX = 16
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,15}\Z")


@dataclass(frozen=True)
class PatternMatch:
    rule: Rule
    priority: int  # position of the rule in the table; lower wins an overlap
    start: int
    end: int
    value: str
    display: str  # the masked form to show


def _classes(value: str) -> int:
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )


def _url_credentials_fake(user: str, password: str, host: str) -> bool:
    host = host.lower()
    return (
        password.lower() in _PLACEHOLDER_PASSWORDS
        or password == user
        or password.startswith(("$", "%", "{"))
        or (password.isdigit() and len(password) <= 5)  # host:port, not user:password
        or host in _EXAMPLE_HOSTS
        or host.endswith(_EXAMPLE_SUFFIXES)
    )


class PatternScanner:
    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        self.rules = tuple(rules)

    def scan(self, text: str, low: str | None = None) -> list[PatternMatch]:
        """Every rule match in ``text`` that survives the guards, overlaps resolved."""
        low = lower_same_length(text) if low is None else low
        hits = _AnchorHits(text, low)
        found: list[PatternMatch] = []
        for priority, rule in enumerate(self.rules):
            if not all(word in low for word in rule.requires):
                continue
            subject = low if rule.lowered else text
            seen: set[tuple[int, int]] = set()
            for pos in hits.positions(rule):
                match = rule.pattern.match(subject, pos)
                if match is None:
                    continue
                start, end = match.span("secret")
                if (start, end) in seen:
                    continue
                seen.add((start, end))
                value = text[start:end]
                display = _accept(rule, value, match, text, low)
                if display is not None:
                    found.append(PatternMatch(rule, priority, start, end, value, display))
        return _most_specific(found)


class _AnchorHits:
    """Where each anchor occurs in one text, searched once even when rules share it."""

    def __init__(self, text: str, low: str) -> None:
        self._text, self._low = text, low
        self._cache: dict[tuple[str, bool], list[int]] = {}

    def positions(self, rule: Rule) -> Iterator[int]:
        for anchor in rule.anchors:
            key = (anchor, rule.case_anchors)
            if key not in self._cache:
                subject = self._text if rule.case_anchors else self._low
                self._cache[key] = [m.start() for m in _compiled(anchor).finditer(subject)]
            yield from self._cache[key]


@functools.cache
def _compiled(anchor: str) -> re.Pattern[str]:
    return re.compile(anchor)


def _accept(rule: Rule, value: str, match: re.Match[str], text: str, low: str) -> str | None:
    """The masked display when the match is a real-looking secret, else None."""
    if rule.value is not None and not rule.value.fullmatch(value):
        return None
    if rule.kind == "url_credentials":
        return _url_credentials(value, match, text)
    if guards.looks_like_non_secret(value):
        return None
    if rule.validate is not None and not rule.validate(value):
        return None
    if rule.min_classes and _classes(value) < rule.min_classes:
        return None
    if rule.named and guards.context_names_non_secret(
        guards.identifier_before(text, match.start())
    ):
        return None
    if rule.near:
        window = low[max(0, match.start() - _NEAR_BEFORE) : match.end() + _NEAR_AFTER]
        if not any(word in window for word in rule.near):
            return None
    return mask(value, rule.keep)


def _url_credentials(password: str, match: re.Match[str], text: str) -> str | None:
    start = match.start()
    if not _SCHEME.search(text, max(0, start - _SCHEME_MAX), start):
        return None
    user, host = match.group("user"), match.group("host")
    if _url_credentials_fake(user, password, host) or guards.is_placeholder(password):
        return None
    if guards.is_redaction_marker(password):
        return None
    return f"{user}:****@{host}"


def _most_specific(matches: list[PatternMatch]) -> list[PatternMatch]:
    """Where matches overlap, keep the one from the earlier (more specific) rule."""
    kept: list[PatternMatch] = []
    for match in sorted(matches, key=lambda m: (m.priority, m.start)):
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)
