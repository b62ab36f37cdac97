"""A secret found in some text, described without ever showing the secret."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["KNOWN_RULE", "Finding", "encoding_phrase", "fingerprint", "mask"]

# The rule id of a known-value hit (the verifier knows the value from its environment).
KNOWN_RULE = "known-value"


def mask(value: str, keep: int = 0) -> str:
    """``ghp_**** (40 chars)``: a public prefix at most, then the length."""
    shown = value[:keep] if 0 < keep < len(value) // 2 else ""
    return f"{shown}**** ({len(value)} chars)"


def fingerprint(rule: str, value: str) -> str:
    """Stable id of one secret under one rule, for allowlists (a hash, not the value)."""
    return hashlib.sha256(f"{rule}:{value}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Finding:
    """One secret in one text. ``start``/``end`` are offsets in that text."""

    rule: str  # KNOWN_RULE or a pattern rule id ("fred-api-key", "jwt", ...)
    kind: str  # "known" or the rule's family ("fred", "aws", ...)
    title: str  # the secret's name (FRED_API_KEY) or the rule's title
    start: int
    end: int
    masked: str  # what may be shown: "FRED_API_KEY (32 chars)", "ghp_**** (40 chars)"
    encoding: str  # "plain", "percent", "base64", ...
    fingerprint: str
    part: str = "whole"  # whole | prefix | suffix | middle (known values only)
    length: int = 0  # characters of the secret found

    @property
    def known(self) -> bool:
        return self.rule == KNOWN_RULE

    def describe(self) -> str:
        """``FRED_API_KEY (32 chars) as percent-encoding``; never the value."""
        if self.known:
            what = (
                self.masked
                if self.part == "whole"
                else (f"{self.length} characters ({self.part}) of {self.masked}")
            )
            return what if self.encoding == "plain" else f"{what}, {encoding_phrase(self.encoding)}"
        what = f"{self.title} {self.masked}"
        return what if self.encoding == "plain" else f"{what}, {encoding_phrase(self.encoding)}"


_ENCODINGS = {
    "plain (case changed)": "in changed case",
    "percent": "percent-encoded",
    "json-escape": "JSON \\u-escaped",
    "hex-escape": "\\x-escaped",
    "html-entity": "as HTML entities",
    "base64": "base64-encoded",
    "hex": "hex-encoded",
}


def encoding_phrase(encoding: str) -> str:
    """``base64+percent`` -> ``base64-encoded, percent-encoded``."""
    return ", ".join(_ENCODINGS.get(part, part) for part in encoding.split("+"))
