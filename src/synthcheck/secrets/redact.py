"""The one redaction step every report, log line and terminal message goes through."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from synthcheck.secrets.forms import SecretForm, forms_of
from synthcheck.secrets.values import KnownSecrets, Secret

__all__ = ["REDACTION_MARK", "Redactor", "SecretHit"]

REDACTION_MARK = "[REDACTED:{name}]"


@dataclass(frozen=True)
class SecretHit:
    secret_name: str
    encoding: str
    whole: bool
    start: int
    end: int


class Redactor:
    """Finds and masks known secret values in text, in every form they can take."""

    def __init__(self, secrets: KnownSecrets | Iterable[Secret] = ()) -> None:
        self._secrets = tuple(secrets)
        self._forms: list[SecretForm] = [f for s in self._secrets for f in forms_of(s)]
        self._pattern = self._compile(self._forms)

    @staticmethod
    def _compile(forms: list[SecretForm]) -> re.Pattern[str] | None:
        if not forms:
            return None
        # Longest needles first so the whole value wins over its windows.
        ordered = sorted(forms, key=lambda f: len(f.needle), reverse=True)
        parts = [
            re.escape(f.needle) if f.case_sensitive else f"(?i:{re.escape(f.needle)})"
            for f in ordered
        ]
        return re.compile("|".join(parts))

    @property
    def secret_names(self) -> list[str]:
        return [s.name for s in self._secrets]

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def hits(self, text: str) -> list[SecretHit]:
        """Every place a known secret (or an 8+ character run of it) appears."""
        if self._pattern is None or not text:
            return []
        lookup = {(f.needle if f.case_sensitive else f.needle.lower()): f for f in self._forms}
        hits: list[SecretHit] = []
        pos = 0
        while (match := self._pattern.search(text, pos)) is not None:
            found = match.group(0)
            form = lookup.get(found) or lookup.get(found.lower())
            if form is not None:
                hits.append(SecretHit(form.secret_name, form.encoding, form.whole, *match.span()))
            # Overlapping windows: step one character so runs longer than a window
            # are covered end to end.
            pos = match.start() + 1
        return hits

    def redact(self, text: str) -> str:
        hits = self.hits(text)
        if not hits:
            return text
        spans: list[tuple[int, int, str]] = []
        for hit in sorted(hits, key=lambda h: h.start):
            if spans and hit.start <= spans[-1][1]:
                start, end, name = spans[-1]
                spans[-1] = (start, max(end, hit.end), name)
            else:
                spans.append((hit.start, hit.end, hit.secret_name))
        out: list[str] = []
        cursor = 0
        for start, end, name in spans:
            out.append(text[cursor:start])
            out.append(REDACTION_MARK.format(name=name))
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def redact_obj(self, value: object) -> object:
        """Redact every string inside a JSON-like structure (keys included)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self.redact(str(k)): self.redact_obj(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_obj(v) for v in value]
        return value

    def contains_secret(self, text: str) -> bool:
        return self._pattern is not None and self._pattern.search(text) is not None
