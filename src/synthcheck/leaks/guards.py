"""False-positive guards: what a secret-shaped string that is not a secret looks like.

The hard negatives every key scanner trips over: content hashes and ETags (32 hex
characters, exactly a FRED key's shape), commit SHAs, UUIDs, trace and request ids,
hashed asset names, redaction markers (``***REDACTED***``) and placeholders
(``YOUR_KEY``, ``your_fred_api_key_here``, ``XXXXXXXXXXXXXXXX``). Most never reach
these guards because the rules demand a key context (``api_key=``, ``FRED_API_KEY``);
the guards catch the rest: a value that is a placeholder or a pattern, and a context
that names a hash or an id rather than a key.
"""

from __future__ import annotations

import re

__all__ = [
    "context_names_non_secret",
    "identifier_before",
    "is_low_diversity",
    "is_placeholder",
    "is_redaction_marker",
    "looks_like_non_secret",
]

# Words that mark a value as an example, in any case, anywhere in the value.
_PLACEHOLDER_WORDS = (
    "your",
    "example",
    "placeholder",
    "dummy",
    "sample",
    "changeme",
    "change_me",
    "xxxx",
    "insert",
    "replace",
    "fake",
    "_here",
    "-here",
    "here_",
)
# Template and variable syntax: the value is filled in elsewhere.
_TEMPLATE_MARKS = ("${", "{{", "}}", "<", ">", "%s", "%(", "$(", "#{")
_REDACTION = re.compile(r"\*{3,}|redacted|masked|•{3,}|x{6,}|\[hidden\]", re.IGNORECASE)
# Parts of an identifier that say "this is a hash / an id", not a key.
_NON_SECRET_PARTS = frozenset(
    {
        "hash",
        "hashed",
        "etag",
        "checksum",
        "digest",
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "sum",
        "fingerprint",
        "integrity",
        "cache",
        "uuid",
        "guid",
        "commit",
        "rev",
        "revision",
        "trace",
        "span",
        "nonce",
        "id",
        "ids",
        "name",
        "names",
        "file",
        "path",
        "url",
        "prefix",
        "suffix",
        "hint",
        "length",
        "len",
        "format",
        "pattern",
        "regex",
        "example",
        "sample",
        "placeholder",
    }
)
_IDENTIFIER_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEQUENCES = (
    "0123456789abcdefghijklmnopqrstuvwxyz" * 3,
    "abcdefghijklmnopqrstuvwxyz0123456789" * 3,
    "1234567890abcdefghijklmnopqrstuvwxyz" * 3,
    "abcdefghijklmnopqrstuvwxyz1234567890" * 3,
    "0123456789abcdef" * 6,
    "abcdef0123456789" * 6,
    "1234567890abcdef" * 6,
    "abcdef1234567890" * 6,
)


def is_redaction_marker(value: str) -> bool:
    return _REDACTION.search(value) is not None


def is_placeholder(value: str) -> bool:
    low = value.lower()
    return any(word in low for word in _PLACEHOLDER_WORDS) or any(
        mark in value for mark in _TEMPLATE_MARKS
    )


def is_low_diversity(value: str) -> bool:
    """Too few distinct characters, a short repeated unit, or a plain sequence."""
    if len(value) < 12:
        return False
    if len(set(value)) < max(4, min(len(value) // 5, 10)):
        return True
    for period in range(1, min(len(value), 256) // 3 + 1):
        if value == (value[:period] * (len(value) // period + 1))[: len(value)]:
            return True
    low = value.lower()
    return any(low in sequence for sequence in _SEQUENCES)


def looks_like_non_secret(value: str) -> bool:
    """The value itself says it is not a live secret."""
    return is_redaction_marker(value) or is_placeholder(value) or is_low_diversity(value)


def identifier_before(text: str, start: int, limit: int = 64) -> str:
    """The identifier (``a.b-c_d`` characters) that ends at or spans ``start``."""
    left = start
    floor = max(0, start - limit)
    while left > floor and text[left - 1] in _IDENTIFIER_CHARS:
        left -= 1
    right = start
    ceiling = min(len(text), start + limit)
    while right < ceiling and text[right] in _IDENTIFIER_CHARS:
        right += 1
    return text[left:right]


def _parts(identifier: str) -> list[str]:
    spaced = _CAMEL.sub("_", identifier)
    return [part for part in re.split(r"[_.\-]+", spaced.lower()) if part]


def context_names_non_secret(identifier: str) -> bool:
    """``api_key_hash``, ``fredCacheKey``, ``key_id``: a key's name next to a non-secret."""
    return any(part in _NON_SECRET_PARTS for part in _parts(identifier))
