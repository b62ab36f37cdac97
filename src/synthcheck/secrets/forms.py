"""The ways a secret shows up in text: whole, partly (8+ characters), or encoded.

A key leaks as itself, percent-encoded in a URL, JSON-escaped, HTML-escaped, in
base64 (at any of the three byte alignments), in upper or lower case, or as a run
of 8+ of its characters. Each :class:`SecretForm` is a literal string to search for
(case-insensitively where the encoding allows it) plus what it means.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from synthcheck.secrets.values import MIN_WINDOW, Secret

__all__ = ["SecretForm", "forms_of"]


@dataclass(frozen=True)
class SecretForm:
    secret_name: str
    encoding: str  # "plain", "percent", "json-escape", "html-entity", "base64", ...
    needle: str  # the literal text to look for
    whole: bool  # True: the whole value; False: a run of MIN_WINDOW+ characters
    case_sensitive: bool


def _percent(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode())


def _json_escape(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


def _html_dec(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def _html_hex(text: str) -> str:
    return "".join(f"&#x{ord(c):x};" for c in text)


# Encodings applied character by character: a window of the value maps to a window
# of the encoding, so partial leaks are found in encoded text too.
_CHARWISE: dict[str, Callable[[str], str]] = {
    "plain": lambda s: s,
    "percent": _percent,
    "json-escape": _json_escape,
    "html-entity": _html_dec,
    "html-entity-hex": _html_hex,
}


def _windows(value: str, size: int) -> Iterator[str]:
    if len(value) <= size:
        yield value
        return
    for start in range(len(value) - size + 1):
        yield value[start : start + size]


def _base64_needles(value: bytes) -> Iterator[str]:
    """Base64 of ``value`` as it appears inside a longer encoded string.

    The characters next to the value's first and last bytes depend on the
    neighbouring bytes, so only the stable middle of each alignment is searched.
    """
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + value).decode()
        start = (offset * 4 + 2) // 3  # characters touched by the padding bytes
        end = ((offset + len(value)) * 4) // 3  # last character fully inside value
        stable = encoded[start:end]
        if len(stable) >= MIN_WINDOW:
            yield stable
            yield stable.replace("+", "-").replace("/", "_")  # urlsafe alphabet


def forms_of(secret: Secret, *, windows: bool = True) -> list[SecretForm]:
    """Every needle to look for when searching text for ``secret``."""
    value = secret.reveal()
    forms: list[SecretForm] = []
    seen: set[tuple[str, bool]] = set()

    def add(encoding: str, needle: str, whole: bool, case_sensitive: bool) -> None:
        key = (needle if case_sensitive else needle.lower(), case_sensitive)
        if needle and key not in seen:
            seen.add(key)
            forms.append(SecretForm(secret.name, encoding, needle, whole, case_sensitive))

    for encoding, encode in _CHARWISE.items():
        # Percent and entity encodings carry hex digits in either case; keys are
        # compared case-insensitively because a leak in upper case is still a leak.
        add(encoding, encode(value), True, False)
        if windows and len(value) > MIN_WINDOW:
            for part in _windows(value, MIN_WINDOW):
                add(encoding, encode(part), False, False)
    for needle in _base64_needles(value.encode()):
        add("base64", needle, True, True)
    return forms
