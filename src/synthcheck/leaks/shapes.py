"""Value-shape checks shared by the provider and context rules."""

from __future__ import annotations

import base64
import binascii
import itertools
import re

from synthcheck.leaks import guards

__all__ = ["base64_text", "base64_user_password", "machine_random", "mixed", "random_case"]

_LOWER_RUNS = re.compile(r"[a-z]+")
_CAMEL_WORDS = re.compile(r"[a-z]*(?:[A-Z][a-z]+)+")


def mixed(value: str) -> bool:
    """Random tokens mix classes; placeholders (``sk-aaaa…``, ``SG.xxxx``) do not."""
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )
    return classes >= 2 and not guards.is_low_diversity(value)


def base64_user_password(value: str) -> bool:
    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    user, sep, password = text.partition(":")
    return bool(sep and user and len(password) >= 3 and text.isprintable())


def random_case(value: str, min_length: int = 12) -> bool:
    """Letters whose case flips at random (``KzkAXFCQDlQMBAY``), as generators make them.

    Words joined in CamelCase (``CorrectHorseBattery``) flip as often but keep long
    lower-case runs; a generator's lower-case runs average about two letters.
    """
    letters = [c for c in value if c.isalpha()]
    if len(value) < min_length or len(letters) < min_length * 2 // 3:
        return False
    flips = sum(a.isupper() != b.isupper() for a, b in itertools.pairwise(letters))
    runs = [len(run) for run in _LOWER_RUNS.findall(value)]
    if flips < 4 or not runs or sum(c.isupper() for c in letters) < 3:
        return False
    mean = sum(runs) / len(runs)
    if mean >= 3 and _CAMEL_WORDS.fullmatch("".join(letters)):
        return False  # "HelloWorldFooBar": words, each capitalised
    return mean <= 4 and max(runs) <= 7 and not guards.is_low_diversity(value)


def machine_random(value: str) -> bool:
    """Generated, not typed: 12+ characters mixing three classes, or random case."""
    if len(value) < 12 or guards.looks_like_non_secret(value):
        return False
    if len(set(value)) <= len(value) // 2:
        return False  # "Hunter2Hunter2": a word typed twice, not drawn at random
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )
    return classes == 3 or random_case(value)


def base64_text(value: str) -> str | None:
    """``value`` decoded from (padded) base64 when that is printable ASCII, else None."""
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    return text if text.isprintable() else None
