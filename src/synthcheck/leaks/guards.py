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
    "is_made_up",
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
# A format field: Python's str.format / f-strings, .NET, Rust ("{DJANGO}", "{0}", "{key}").
_FORMAT_FIELD = re.compile(r"\{[A-Za-z0-9_.]{1,40}\}")
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
        "fake",
        "dummy",
        "mock",
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


# Tokens printed in providers' own documentation and copied into countless samples
# (Stripe's test-mode docs key, GitHub's docs token): documentation, not credentials.
_DOCUMENTED_EXAMPLES = frozenset(
    {
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        # the Azure Storage emulator's (Azurite's) published devstoreaccount1 key
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    }
)


def _written_as_word(value: str, low: str, word: str) -> bool:
    """``word`` occurs in one case or capitalised ("your", "YOUR", "Your"); a random
    token holds such letters by chance in mixed case ("…iYOuRAf…")."""
    at = low.find(word)
    while at != -1:
        seen = "".join(c for c in value[at : at + len(word)] if c.isalpha())
        if seen.islower() or seen.isupper() or seen.istitle():
            return True
        at = low.find(word, at + 1)
    return False


def _template_mark(value: str, mark: str) -> bool:
    """``%s`` is a printf slot between separators or edges (``user=%s&``, ``%s``), not
    glued to letters in a random password ("kvMyz_*TNon%sRavZt", "%sLt!dGv"); the other
    marks always are templates."""
    if mark != "%s":
        return mark in value
    at = value.find(mark)
    while at != -1:
        before, after = value[at - 1 : at] if at else "", value[at + 2 : at + 3]
        if not before.isalnum() and not after.isalnum():
            return True
        at = value.find(mark, at + 1)
    return False


def is_placeholder(value: str) -> bool:
    low = value.lower()
    return (
        value in _DOCUMENTED_EXAMPLES
        or any(word in low and _written_as_word(value, low, word) for word in _PLACEHOLDER_WORDS)
        or any(mark in value and _template_mark(value, mark) for mark in _TEMPLATE_MARKS)
        or ("{" in value and _FORMAT_FIELD.search(value) is not None)
    )


def is_low_diversity(value: str) -> bool:
    """Too few distinct characters, a short repeated unit, or a plain sequence."""
    if len(value) < 12:
        return False
    if len(set(value)) < max(4, min(len(value) // 5, 10)):
        return True
    for period in range(1, min(len(value), 256) // 3 + 1):
        if value[period:] == value[:-period]:  # repeats its first ``period`` characters
            return True
    low = value.lower()
    return any(low in sequence for sequence in _SEQUENCES)


_ALTERNATING = re.compile(r"(?:[0-9][a-z]){4}|(?:[a-z][0-9]){4}")


def is_made_up(value: str) -> bool:
    """A hand-typed fake: letters and digits stepping in turn (``a1b2c3d4``, ``9f8e7d6c``).

    Eight such characters in a row never come out of a random generator (one chance in
    billions), and are how people write an example key by hand.
    """
    low = value.lower()
    if value.isascii() and not _ALTERNATING.search(low):
        return False  # no 8 letters and digits in turn: the loop below cannot find a run
    run = 1
    for i in range(1, len(low)):
        a, b = low[i - 1], low[i]
        stepping = a.isdigit() != b.isdigit() and a.isalnum() and b.isalnum()
        if stepping and i >= 2:
            # the same kind two places back moves by one (a->b, 1->2, 9->8)
            stepping = abs(ord(b) - ord(low[i - 2])) == 1
        run = run + 1 if stepping else 1
        if run >= 8:
            return True
    return False


def looks_like_non_secret(value: str) -> bool:
    """The value itself says it is not a live secret."""
    return (
        is_redaction_marker(value)
        or is_placeholder(value)
        or is_low_diversity(value)
        or is_made_up(value)
    )


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
