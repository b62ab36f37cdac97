"""Decoded views of the encoded stretches of a text, for the rules to read.

A key leaks encoded as often as plain: a percent-encoded (or doubly percent-encoded)
URL in a log, the base64 of a connection string in a Kubernetes Secret, a URL with
``\\/`` and ``\\u0026`` inside a JSON string, HTML entities in an error page. The known
value finder decodes escapes for the values it knows; this module gives the pattern
rules (and the finder, for double encodings) the same reach.

Only *candidate spans* are decoded, never whole texts, so the cost follows what a text
holds rather than its size:

- escape tokens: a run of non-delimiter characters around ``%XX``, ``\\uXXXX``, ``\\/``,
  ``\\xXX``, ``&#…;`` or a named entity, decoded (JSON escapes, HTML entities, percent)
  until nothing changes, at most :data:`MAX_DEPTH` rounds (``%253D`` -> ``%3D`` -> ``=``);
- base64 / base64url tokens of 36+ characters (with a digit, both cases), from their
  start or after a glued-on name (``data_aHR0…``), kept when the bytes are printable;
- hex tokens (even length, 36+ digits) that decode to printable text.

A decoded span is examined again for the same candidates, :data:`MAX_DEPTH` levels in
all (base64 of a percent-encoded URL).
"""

from __future__ import annotations

import binascii
import functools
import html
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["MAX_DEPTH", "DecodedSpan", "decoded_spans"]

MAX_DEPTH = 3
_MAX_TOKEN = 4096  # longer tokens (inline images, bundles) are not decoded
_MIN_DECODED = 8
_WIDEN = 2048
_DELIMITERS = frozenset(" \t\r\n\"'`<>()[]{},|")
_ESCAPE_AT = re.compile(
    r"%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\/|\\x[0-9A-Fa-f]{2}|&#[0-9]{1,7};|&#[xX][0-9A-Fa-f]{1,6};"
    r"|&[A-Za-z]{2,8};"
)
# Runs of base64 characters are found on a copy of the text in which each of them is
# "a" (str.translate, then a literal search: several times faster than a character
# class regex over the text).
_B64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"
_RUN_TABLE = str.maketrans({chr(c): "a" if chr(c) in _B64_CHARS else " " for c in range(128)})
# 36 characters are 27 bytes: about the shortest "name=value" or URL with a password
# a rule can read (shorter base64 is Basic credentials, which the basic-auth rule
# decodes itself; known values are searched in base64 by their own needles).
_RUN = re.compile("a" * 36 + "a*")
_DIGIT = re.compile(r"[0-9]")
_HEX_DIGITS = "0123456789abcdefABCDEF"
# Escapes that only stand for spacing or markup (%20, &amp;, &quot;, &lt;): alone they
# hide nothing a rule reads, so they do not make a token worth decoding.
_TRIVIAL = frozenset(" \t\r\n\u00a0&<>\"',;")
_JSON_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\(/)")
_URLSAFE = str.maketrans("-_", "+/")
_PRINTABLE = bytes([*range(0x20, 0x7F), 0x09, 0x0A, 0x0D])


@dataclass(frozen=True)
class DecodedSpan:
    start: int  # the encoded stretch in the scanned text
    end: int
    text: str  # what it decodes to
    encoding: str  # "percent", "base64", "base64+percent", ...


def decoded_spans(text: str, depth: int = MAX_DEPTH) -> list[DecodedSpan]:
    """Every encoded stretch of ``text`` that decodes to something else, decoded."""
    found: list[DecodedSpan] = []
    for start, end, decoded, encoding in _candidates(text):
        found.append(DecodedSpan(start, end, decoded, encoding))
        if depth > 1:
            for inner in decoded_spans(decoded, depth - 1):
                found.append(DecodedSpan(start, end, inner.text, f"{encoding}+{inner.encoding}"))
    return found


def _candidates(text: str) -> Iterator[tuple[int, int, str, str]]:
    yield from _escape_tokens(text)
    if len(text) >= 24:
        yield from _encoded_tokens(text)


# -- escapes ------------------------------------------------------------------------
def _token_around(text: str, start: int, end: int) -> tuple[int, int]:
    floor, ceiling = max(0, start - _WIDEN), min(len(text), end + _WIDEN)
    while start > floor and text[start - 1] not in _DELIMITERS:
        start -= 1
    while end < ceiling and text[end] not in _DELIMITERS:
        end += 1
    return start, end


def _escape_positions(text: str) -> list[int]:
    if "%" not in text and "\\" not in text and "&" not in text:
        return []
    return [m.start() for m in _ESCAPE_AT.finditer(text) if _useful(m.group(0))]


def _escape_tokens(text: str) -> Iterator[tuple[int, int, str, str]]:
    cursor = -1
    for pos in _escape_positions(text):
        if pos < cursor:
            continue  # inside the token just decoded
        start, end = _token_around(text, pos, pos + 1)
        cursor = end
        token = text[start:end]
        if len(token) > _MAX_TOKEN:
            continue
        decoded, kinds = _unescape(token)
        if kinds and len(decoded) >= _MIN_DECODED:
            yield start, end, decoded, "+".join(kinds)


@functools.lru_cache(maxsize=4096)
def _useful(escape: str) -> bool:
    """Does one escape stand for something a rule could read (not %20, &amp;)?"""
    return _unescape(escape)[0] not in _TRIVIAL


def _unescape(token: str) -> tuple[str, list[str]]:
    """Decode JSON escapes, HTML entities and percent escapes, round after round."""
    kinds: list[str] = []
    current = token
    for _ in range(MAX_DEPTH):
        before = current
        if "\\" in current:
            current = _JSON_ESCAPE.sub(_json_char, current)
            if current != before:
                kinds.append("json-escape")
        if "&" in current:
            step = html.unescape(current)
            if step != current:
                kinds.append("html-entity")
                current = step
        if "%" in current:
            step = urllib.parse.unquote(current, errors="replace")
            if step != current:
                kinds.append("percent")
                current = step
        if current == before:
            break
    return current, kinds


def _json_char(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code, 16)) if code else "/"


# -- base64 and hex ------------------------------------------------------------------
def _printable(raw: bytes) -> str | None:
    if len(raw) < _MIN_DECODED:
        return None
    unprintable = len(raw.translate(None, _PRINTABLE))  # C speed: drop the printable bytes
    return raw.decode("ascii", errors="replace") if unprintable <= 0.05 * len(raw) else None


def _b64_text(token: str) -> str | None:
    """The token read as base64 (standard or URL-safe) text, or None.

    A token's first character is normally where the encoding starts (it follows a
    delimiter). Where a name is glued in front with ``_`` or ``-`` (``data_aHR0…``),
    the encoding starts after it: that alignment is tried too. (Known values are
    searched at all three byte alignments by their own needles.)
    """
    starts = [0]
    glue = max(token.rfind("_", 0, 16), token.rfind("-", 0, 16))
    if glue > 0:
        starts.append(glue + 1)
    for start in starts:
        body = token[start:].rstrip("=").translate(_URLSAFE)
        if len(body) % 4 == 1:
            body = body[:-1]  # a stray character: not part of the encoding
        if len(body) < 16:
            continue
        body += "=" * (-len(body) % 4)  # base64url usually drops the padding
        try:
            raw = binascii.a2b_base64(body)
        except binascii.Error:
            continue
        text = _printable(raw)
        if text is not None:
            return text
    return None


def _encoded_tokens(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Base64 / base64url tokens and hex tokens that decode to printable text."""
    has_digit = _DIGIT.search
    for run in _RUN.finditer(text.translate(_RUN_TABLE)):
        start, end = run.span()
        # Words, paths and identifiers are skipped: base64 of text nearly always has
        # a digit (and mixes cases); this loop sees every long run, so checks are cheap.
        if end - start > _MAX_TOKEN or has_digit(text, start, end) is None:
            continue
        token = text[start:end]
        if not token.strip(_HEX_DIGITS):
            if len(token) % 2 == 0 and token[0] in "234567":
                decoded = _printable(bytes.fromhex(token))
                if decoded is not None:
                    yield start, end, decoded, "hex"
            continue
        if token.islower() or token.isupper():
            continue
        if text.startswith("=", end):
            end += 2 if text.startswith("==", end) else 1  # padding
        decoded = _b64_text(text[start:end])
        if decoded is not None:
            yield start, end, decoded, "base64"
