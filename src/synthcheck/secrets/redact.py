"""The one redaction step every report, log line and terminal message goes through."""

from __future__ import annotations

from collections.abc import Iterable

from synthcheck.secrets.decoding import decoded_spans
from synthcheck.secrets.finder import SecretHit, ValueFinder
from synthcheck.secrets.values import KnownSecrets, Secret

__all__ = ["REDACTION_MARK", "Redactor", "SecretHit"]

REDACTION_MARK = "[REDACTED:{name}]"


class Redactor:
    """Finds and masks known secret values in text, in every form they can take."""

    def __init__(self, secrets: KnownSecrets | Iterable[Secret] = ()) -> None:
        self._secrets = tuple(secrets)
        self._finder = ValueFinder(self._secrets)

    @property
    def secret_names(self) -> list[str]:
        return [s.name for s in self._secrets]

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def hits(self, text: str) -> list[SecretHit]:
        """Every place a known secret (or an 8+ character run of it) appears.

        Also inside encoded stretches the finder does not read by itself (double
        percent-encoding, hex, nestings): whatever the leak checks can find (they
        decode the same stretches), the reports and the terminal never show.
        """
        hits = self._finder.hits(text)
        if not self._finder:
            return hits
        for span in decoded_spans(text):
            for hit in self._finder.hits(span.text):
                if any(h.start < span.end and span.start < h.end for h in hits):
                    continue
                hits.append(
                    SecretHit(
                        hit.secret_name,
                        f"{span.encoding}+{hit.encoding}",
                        hit.whole,
                        span.start,
                        span.end,
                        hit.length,
                        hit.part,
                    )
                )
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
        return bool(self.hits(text))
