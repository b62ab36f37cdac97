"""Fast search for known secret values in text, in every form they leak in.

The naive way (one regular expression alternating every 8-character window of every
key in every encoding) tries hundreds of branches at each position of the text. This
finder makes three passes instead, each driven by one compiled expression that skips
most of the text in C:

1. **plain**: runs of the secret's own characters (either case), 8+ long. Inside a
   run, 4-character anchors taken every 5 characters are looked up among the key's
   4-grams and widened to the longest common stretch; 8+ characters is a hit. Any
   8-character stretch of the key contains such an anchor, so nothing is missed.
2. **escaped**: clusters of percent, ``\\u``, ``\\x`` and HTML-entity escapes, widened
   over neighbouring key characters, decoded, and searched as in 1.
3. **base64**: the whole value's stable base64 middles at the three byte alignments
   (standard and URL-safe) by ``str.find``; with ``deep=True`` every base64-looking
   token is also decoded and searched as in 1 and 2 (partial keys, JWT payloads).

Why one module past ~300 lines: it is one search. The three passes share the prepared
values (:class:`_Value`: 4-grams and anchors), the combined alphabet, the widening
limits and the decoders at the bottom, and each pass feeds the next (an escape or a
base64 token is decoded, then searched as plain text); apart, a reader would follow
one algorithm across files. The secret forms themselves live in ``forms.py``.
"""

from __future__ import annotations

import binascii
import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from synthcheck.secrets.forms import forms_of
from synthcheck.secrets.values import MIN_WINDOW, Secret

__all__ = ["SecretHit", "ValueFinder"]

_GRAM = 4
# How far a cluster of escapes is widened over plain key characters, each side.
_WIDEN = 256
# A base64 token shorter than this cannot hold 8 bytes of a key.
_B64_MIN = 12

# Escape clusters are found by str.find on their first characters (memory-scan speed)
# and matched there; most texts hold few escapes, and most escapes (%20, &#39;)
# decode to characters no key contains.
_ESCAPE_LEADS = ("%", "\\u", "\\x", "&#")
_ESCAPES = re.compile(
    r"(?:%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,6};)+"
)
_ESCAPE_TOKEN = re.compile(
    r"%(?P<percent>[0-9A-Fa-f]{2})|\\u(?P<json>[0-9A-Fa-f]{4})|\\x(?P<hex>[0-9A-Fa-f]{2})"
    r"|&#(?P<dec>[0-9]{1,7});|&#[xX](?P<entity>[0-9A-Fa-f]{1,6});|(?P<char>.)",
    re.DOTALL,
)
_ESCAPE_KIND = {
    "percent": "percent",
    "json": "json-escape",
    "hex": "hex-escape",
    "dec": "html-entity",
    "entity": "html-entity",
}
_B64_TOKEN = re.compile(rf"[A-Za-z0-9+/_-]{{{_B64_MIN},}}={{0,2}}")
_B64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
_URLSAFE = str.maketrans("-_", "+/")


@dataclass(frozen=True)
class SecretHit:
    """Where a known secret (or an 8+ character run of it) appears in a text."""

    secret_name: str
    encoding: str  # "plain", "plain (case changed)", "percent", "base64", ...
    whole: bool
    start: int
    end: int
    length: int = 0  # characters of the value found
    part: str = "whole"  # whole | prefix | suffix | middle


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def lower_same_length(text: str) -> str:
    """``text.lower()`` when that keeps every position, else ASCII-only lowering."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


class _Value:
    """One secret, prepared for the plain search: its 4-grams and the sampled anchors."""

    def __init__(self, secret: Secret) -> None:
        value = secret.reveal()
        self.name = secret.name
        self.exact = value
        # Case-insensitive comparison only where lower() keeps positions (ASCII keys).
        self.folds = len(value.lower()) == len(value)
        self.key = value.lower() if self.folds else value
        self.min_len = min(MIN_WINDOW, len(value))
        q = min(_GRAM, self.min_len)
        self.q = q
        self.grams: dict[str, list[int]] = {}
        for i in range(len(self.key) - q + 1):
            self.grams.setdefault(self.key[i : i + q], []).append(i)
        # Every stretch of min_len characters of the key contains the gram starting
        # at one of these offsets, so searching for them alone misses nothing.
        step = self.min_len - q + 1
        self.anchors = list(
            dict.fromkeys(self.key[i : i + q] for i in range(0, len(self.key) - q + 1, step))
        )
        chars = set(value) | (set(value.lower()) | set(value.upper()) if self.folds else set())
        self.alphabet = frozenset(chars)

    def spans(self, text: str, low: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, key offset) of every maximal stretch of the key in the text.

        ``low`` is the text lowered position for position (or the text itself when
        the key is compared case-sensitively).
        """
        haystack = low if self.folds else text
        key, q = self.key, self.q
        n, m = len(haystack), len(key)
        seen: set[tuple[int, int]] = set()
        for anchor in self.anchors:
            a = haystack.find(anchor)
            while a != -1:
                for j in self.grams[anchor]:
                    left = 0
                    while (
                        a - left > 0
                        and j - left > 0
                        and haystack[a - left - 1] == key[j - left - 1]
                    ):
                        left += 1
                    right = q
                    while a + right < n and j + right < m and haystack[a + right] == key[j + right]:
                        right += 1
                    span = (a - left, a + right)
                    if span[1] - span[0] >= self.min_len and span not in seen:
                        seen.add(span)
                        yield span[0], span[1], j - left
                a = haystack.find(anchor, a + 1)

    def part(self, key_start: int, length: int) -> str:
        if length >= len(self.key):
            return "whole"
        if key_start == 0:
            return "prefix"
        return "suffix" if key_start + length == len(self.key) else "middle"


class ValueFinder:
    """Finds every known secret in a text: whole, 8+ character runs, and encoded."""

    def __init__(self, secrets: Iterable[Secret], *, deep: bool = True) -> None:
        secrets = [s for s in secrets if len(s) > 0]
        self._values = [_Value(s) for s in secrets]
        self._deep = deep
        self._alphabet = frozenset().union(*(v.alphabet for v in self._values))
        self._min_len = min((v.min_len for v in self._values), default=MIN_WINDOW)
        self._needles = [
            (form.needle, form.secret_name, len(secret))
            for secret in secrets
            for form in forms_of(secret, windows=False)
            if form.encoding == "base64"
        ]
        self._useful_cluster: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self._values)

    # -- public ----------------------------------------------------------------
    def hits(self, text: str, low: str | None = None) -> list[SecretHit]:
        """Every place a known secret appears (``low``: the text already lowered)."""
        if not self._values or not text:
            return []
        found = self._plain(text, None, low)
        found += self._escaped(text)
        found += self._base64_needles(text)
        if self._deep:
            found += self._base64_tokens(text)
        return _outermost(found)

    # -- pass 1: plain -------------------------------------------------------------
    def _plain(self, text: str, encoding: str | None, low: str | None = None) -> list[SecretHit]:
        low = lower_same_length(text) if low is None else low
        hits: list[SecretHit] = []
        for value in self._values:
            for start, end, key_start in value.spans(text, low):
                length = end - start
                if encoding is not None:
                    label = encoding
                elif text[start:end] == value.exact[key_start : key_start + length]:
                    label = "plain"
                else:
                    label = "plain (case changed)"
                whole = length >= len(value.key)
                part = value.part(key_start, length)
                hits.append(SecretHit(value.name, label, whole, start, end, length, part))
        return hits

    # -- pass 2: escapes ------------------------------------------------------------
    def _decodes_to_key_chars(self, cluster: str) -> bool:
        """Does a cluster of escapes decode to any character a key contains?

        ``%20`` and ``&#39;`` are everywhere and can never be part of an alphanumeric
        key; skipping them keeps this pass cheap. Answers are cached per cluster.
        """
        known = self._useful_cluster.get(cluster)
        if known is None:
            chars, _, _ = _decode(cluster, 0, len(cluster))
            known = any(c in self._alphabet for c in chars)
            if len(self._useful_cluster) < 4096:
                self._useful_cluster[cluster] = known
        return known

    def _clusters(self, text: str) -> list[tuple[int, int]]:
        """Spans of escape clusters that decode to key characters, in text order."""
        clusters: list[tuple[int, int]] = []
        for lead in _ESCAPE_LEADS:
            pos = text.find(lead)
            while pos != -1:
                match = _ESCAPES.match(text, pos)
                if match is None:
                    pos = text.find(lead, pos + 1)
                    continue
                if self._decodes_to_key_chars(match.group(0)):
                    clusters.append(match.span())
                pos = text.find(lead, match.end())
        return sorted(clusters)

    def _regions(self, text: str) -> Iterator[tuple[int, int]]:
        """Useful escape clusters widened over neighbouring key characters, merged."""
        current: tuple[int, int] | None = None
        for start, end in self._clusters(text):
            floor = max(0, start - _WIDEN)
            while start > floor and text[start - 1] in self._alphabet:
                start -= 1
            ceiling = min(len(text), end + _WIDEN)
            while end < ceiling and text[end] in self._alphabet:
                end += 1
            if current is not None and start <= current[1]:
                current = (current[0], max(current[1], end))
                continue
            if current is not None:
                yield current
            current = (start, end)
        if current is not None:
            yield current

    def _escaped(self, text: str) -> list[SecretHit]:
        hits: list[SecretHit] = []
        for start, end in self._regions(text):
            chars, spans, kinds = _decode(text, start, end)
            if len(chars) < self._min_len:
                continue
            for hit in self._plain("".join(chars), "decoded"):
                used = {k for k in kinds[hit.start : hit.end] if k != "plain"}
                if not used:
                    continue  # a plain stretch next to an escape: pass 1 has it
                hits.append(
                    SecretHit(
                        hit.secret_name,
                        "+".join(sorted(used)),
                        hit.whole,
                        spans[hit.start][0],
                        spans[hit.end - 1][1],
                        hit.length,
                        hit.part,
                    )
                )
        return hits

    # -- pass 3: base64 ----------------------------------------------------------------
    def _base64_needles(self, text: str) -> list[SecretHit]:
        hits: list[SecretHit] = []
        for needle, name, length in self._needles:
            pos = text.find(needle)
            while pos != -1:
                start, end = _widen_b64(text, pos, pos + len(needle))
                hits.append(SecretHit(name, "base64", True, start, end, length, "whole"))
                pos = text.find(needle, pos + 1)
        return hits

    def _base64_tokens(self, text: str) -> list[SecretHit]:
        """Decode every base64-looking token and search the decoded text.

        The decoded tokens are joined (NUL-separated) and searched in one go; a hit
        is mapped back to the token it came from.
        """
        starts: list[int] = []  # offset of each decoded token in the joined text
        tokens: list[tuple[int, int]] = []
        pieces: list[str] = []
        size = 0
        for token in _B64_TOKEN.finditer(text):
            decoded = _b64decode(token.group(0))
            if decoded is None or len(decoded) < self._min_len:
                continue
            starts.append(size)
            tokens.append(token.span())
            pieces.append(decoded)
            size += len(decoded) + 1
        if not pieces:
            return []
        joined = "\0".join(pieces)
        hits: list[SecretHit] = []
        for hit in self._plain(joined, None) + self._escaped(joined):
            start, end = tokens[bisect.bisect_right(starts, hit.start) - 1]
            inner = "" if hit.encoding.startswith("plain") else f"+{hit.encoding}"
            hits.append(
                SecretHit(
                    hit.secret_name,
                    f"base64{inner}",
                    hit.whole,
                    start,
                    end,
                    hit.length,
                    hit.part,
                )
            )
        return hits


def _decode(text: str, start: int, end: int) -> tuple[list[str], list[tuple[int, int]], list[str]]:
    """Decode escapes in ``text[start:end]``: characters, their source spans, their escape kind."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    kinds: list[str] = []
    for token in _ESCAPE_TOKEN.finditer(text, start, end):
        kind = token.lastgroup or "char"
        raw = token.group(kind)
        if kind == "char":
            chars.append(raw)
        else:
            code = int(raw, 10 if kind == "dec" else 16)
            chars.append(chr(code) if code < 0x110000 else "\ufffd")
        spans.append(token.span())
        kinds.append(_ESCAPE_KIND.get(kind, "plain"))
    return chars, spans, kinds


def _widen_b64(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a base64 needle's span to its whole token (so masking hides the edges too)."""
    floor, ceiling = max(0, start - _WIDEN), min(len(text), end + _WIDEN)
    while start > floor and text[start - 1] in _B64_CHARS:
        start -= 1
    while end < ceiling and text[end] in _B64_CHARS:
        end += 1
    while end < ceiling and text[end] == "=":  # padding
        end += 1
    return start, end


def _b64decode(token: str) -> str | None:
    """Decode a base64 (standard or URL-safe) token as Latin-1 text, or None."""
    body = token.rstrip("=").translate(_URLSAFE)
    if len(body) % 4 == 1:
        body = body[:-1]
    try:
        raw = binascii.a2b_base64(body + "=" * (-len(body) % 4))
    except binascii.Error:
        return None
    return raw.decode("latin-1")


def _outermost(hits: list[SecretHit]) -> list[SecretHit]:
    """Drop hits lying inside a longer hit: one finding per place, not one per pass."""
    ordered = sorted(hits, key=lambda h: (h.start, -h.end))
    kept: list[SecretHit] = []
    for hit in ordered:
        if kept and hit.end <= kept[-1].end and hit.start >= kept[-1].start:
            previous = kept[-1]
            # Same span found twice: keep the more informative (longer match) one.
            if (hit.start, hit.end) == (previous.start, previous.end) and (
                hit.length > previous.length
            ):
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept
