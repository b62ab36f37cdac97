"""Apply the pattern rules to a text: keyword gate, regular expression, guards."""

from __future__ import annotations

import bisect
import functools
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from synthcheck.leaks import guards, prefilter
from synthcheck.leaks.findings import mask
from synthcheck.leaks.rules import RULES, Rule
from synthcheck.leaks.shapes import machine_random
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
    # Documentation writes "user:s3cret@example.com"; a generated password at an
    # example host is a real one with the company's domain scrubbed (a pasted
    # .git-credentials, a pip index URL in a Dockerfile).
    example = (host in _EXAMPLE_HOSTS or host.endswith(_EXAMPLE_SUFFIXES)) and not (
        machine_random(password)
    )
    spelled = urllib.parse.unquote(password).lower()
    return (
        password.lower() in _PLACEHOLDER_PASSWORDS
        # docs spell it out: "[:password]", "P%40SSWORD", "a%20secret"; or a short word
        or any(word in spelled for word in ("ssword", "passwd", "secret"))
        or (password.isalpha() and password.islower() and len(password) <= 4)
        or password == user
        or password.startswith(("$", "%", "{"))
        or (password.isdigit() and len(password) <= 5)  # host:port, not user:password
        or example
    )


class PatternScanner:
    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        self.rules = tuple(rules)
        self._gate = _LiteralGate(
            [_literal_prefix(a) for r in self.rules if not r.case_anchors for a in r.anchors]
            + [word for r in self.rules for word in r.requires]
        )
        self._runnable = prefilter.RuleFilter(self.rules, _literal_prefix)

    def scan(self, text: str, low: str | None = None) -> list[PatternMatch]:
        """Every rule match in ``text`` that survives the guards, overlaps resolved."""
        low = lower_same_length(text) if low is None else low
        present = self._gate.present(low)
        hits = _AnchorHits(text, low, present)
        found: list[PatternMatch] = []
        for priority, rule in self._runnable.given(present):  # the rules that can match
            if rule.locate is not None:
                found += [
                    PatternMatch(rule, priority, a, b, text[a:b], mask(text[a:b], rule.keep))
                    for a, b in rule.locate(text, low)
                ]
                continue
            subject = low if rule.lowered else text
            seen: set[tuple[int, int]] = set()
            for pos in hits.positions(rule):
                match = (
                    rule.pattern.match(subject, pos)
                    if not rule.back
                    else _match_before(rule, subject, pos)
                )
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


def _match_before(rule: Rule, subject: str, pos: int) -> re.Match[str] | None:
    """The rule's match starting up to ``rule.back`` characters before an anchor hit."""
    for start in range(max(0, pos - rule.back), pos + 1):
        match = rule.pattern.match(subject, start)
        if match is not None:
            return match
    return None


class _LiteralGate:
    """Which of the rules' literal words occur in a text, found in few passes.

    One ``in`` test per word costs a full pass over the text each, and most words are
    absent from most texts. Grouped by their first character, the words of a group are
    one alternation, searched from where the last one was found, without the words
    found so far: a pass per group, not per word, and no list of every occurrence.
    """

    def __init__(self, words: Iterable[str]) -> None:
        # Longest first: at one position the alternation reports the longest word.
        self._words = tuple(sorted({w for w in words if w}, key=len, reverse=True))
        groups: dict[str, list[str]] = {}
        for word in self._words:
            groups.setdefault(word[0], []).append(word)
        self._groups = [tuple(group) for group in groups.values()]

    def present(self, low: str) -> frozenset[str]:
        if len(low) <= prefilter.SMALL_TEXT:
            return prefilter.words_in(self._words, low)
        found: set[str] = set()
        for group in self._groups:
            remaining, pos = group, 0
            while remaining:
                match = _alternation(remaining).search(low, pos)
                if match is None:
                    break
                word = match.group(0)
                found.add(word)
                # No remaining word occurs before this position (the search got here).
                remaining, pos = tuple(w for w in remaining if w != word), match.start()
        # Words inside a word found at the same position (a prefix of it) are present.
        inside = {w for w in self._words if w not in found and any(w in f for f in found)}
        return frozenset(found | inside)


@functools.lru_cache(maxsize=4096)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


class _AnchorHits:
    """Where each anchor occurs in one text, searched once even when rules share it."""

    def __init__(self, text: str, low: str, present: frozenset[str]) -> None:
        self._text, self._low = text, low
        self._present = present
        self._cache: dict[tuple[str, bool], list[int]] = {}

    def positions(self, rule: Rule) -> Iterator[int]:
        for anchor in rule.anchors:
            key = (anchor, rule.case_anchors)
            if key not in self._cache:
                subject = self._text if rule.case_anchors else self._low
                literal = _literal_prefix(anchor)
                # Most texts hold none of most anchors: then the expression never runs.
                if literal and not rule.case_anchors and literal not in self._present:
                    self._cache[key] = []
                else:
                    self._cache[key] = [m.start() for m in _compiled(anchor).finditer(subject)]
            yield from self._cache[key]


_REGEX_META = frozenset("\\.^$*+?{}[]()|")


@functools.cache
def _literal_prefix(anchor: str) -> str:
    """The plain characters an anchor expression starts with ("sg" for ``sg\\.``)."""
    depth = 0
    for char in anchor:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            return ""  # alternatives at the top: no common prefix
    prefix = []
    for char in anchor:
        if char in _REGEX_META:
            break
        prefix.append(char)
    # A quantifier after the last literal character makes that character optional.
    if len(prefix) < len(anchor) and anchor[len(prefix)] in "?*{":
        prefix = prefix[:-1]
    return "".join(prefix)


@functools.cache
def _compiled(anchor: str) -> re.Pattern[str]:
    return re.compile(anchor)


def _accept(rule: Rule, value: str, match: re.Match[str], text: str, low: str) -> str | None:
    """The masked display when the match is a real-looking secret, else None."""
    if rule.value is not None and not rule.value.fullmatch(value):
        return None
    if rule.kind == "url_credentials":
        return _url_credentials(value, match, text)
    if not rule.own_guards and guards.looks_like_non_secret(value):
        return None
    if rule.validate is not None and not rule.validate(value):
        return None
    if rule.min_classes and _classes(value) < rule.min_classes:
        return None
    if rule.named:
        name = guards.identifier_before(text, match.start())
        if guards.context_names_non_secret(name):
            return None
        if rule.name_check is not None and not rule.name_check(name):
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
    spans: list[tuple[int, int]] = []  # of ``kept``, sorted; disjoint, so ends sorted too
    for match in sorted(matches, key=lambda m: (m.priority, m.start)):
        below = bisect.bisect_left(spans, (match.end, -1))  # kept starting before its end
        if not below or spans[below - 1][1] <= match.start:
            kept.append(match)
            bisect.insort(spans, (match.start, match.end))
    return sorted(kept, key=lambda m: m.start)
