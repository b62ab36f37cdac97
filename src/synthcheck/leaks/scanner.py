"""The one scanner every surface uses: known values plus pattern rules over a text.

Responses, error pages, served scripts, log lines, files and the harness's own output
all go through :class:`LeakScanner`. A known value wins over a pattern match on the
same characters: it is certain, and it names the variable to rotate.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from synthcheck.leaks.findings import KNOWN_RULE, Finding, fingerprint
from synthcheck.leaks.patterns import PatternScanner
from synthcheck.leaks.rules import RULES, Rule
from synthcheck.secrets import Secret
from synthcheck.secrets.decoding import DecodedSpan, decoded_spans
from synthcheck.secrets.finder import SecretHit, ValueFinder, lower_same_length

__all__ = ["LeakScanner", "line_and_column"]


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# Between decoded stretches: no rule's value or separator crosses a NUL.
_JOIN = "\n\0\n"


class _Taken:
    """Which character ranges are already reported: "does [start, end) overlap one?".

    A linear ``any(...)`` over every earlier finding is quadratic in a file dense with
    findings; sorted starts with a running maximum of the ends answer in O(log n).
    """

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach: list[int] = []  # the largest end among ordered[: i + 1]
        reach = -1
        for _, end in ordered:
            reach = max(reach, end)
            self._reach.append(reach)

    def overlaps(self, start: int, end: int) -> bool:
        below = bisect.bisect_left(self._starts, end)  # ranges starting before ``end``
        return below > 0 and self._reach[below - 1] > start


def _relocated(finding: Finding, span: DecodedSpan) -> Finding:
    inner = "" if finding.encoding.startswith("plain") else f"+{finding.encoding}"
    return Finding(
        rule=finding.rule,
        kind=finding.kind,
        title=finding.title,
        start=span.start,
        end=span.end,
        masked=finding.masked,
        encoding=f"{span.encoding}{inner}",
        fingerprint=finding.fingerprint,
        part=finding.part,
        length=finding.length,
    )


class LeakScanner:
    def __init__(
        self,
        secrets: Iterable[Secret] = (),
        *,
        rules: Sequence[Rule] = RULES,
        deep: bool = True,
        decode: bool = True,
    ) -> None:
        self._secrets = tuple(secrets)
        self._lengths = {s.name: len(s) for s in self._secrets}
        self._finder = ValueFinder(self._secrets, deep=deep)
        self._patterns = PatternScanner(rules)
        self._decode = decode

    @property
    def secret_names(self) -> list[str]:
        return [s.name for s in self._secrets]

    def scan(self, text: str, *, decode: bool = True) -> list[Finding]:
        """Every finding in ``text``; ``decode=False`` skips the encoded stretches
        (a binary file's bytes, where base64-looking runs are noise)."""
        if not text:
            return []
        found = self._scan_plain(text)
        if self._decode and decode:
            found += self._scan_decoded(text, found)
        return sorted(found, key=lambda f: (f.start, f.end))

    def _scan_plain(self, text: str) -> list[Finding]:
        low = lower_same_length(text)
        known = [self._known(text, hit) for hit in self._finder.hits(text, low)]
        found = list(known)
        taken = _Taken((k.start, k.end) for k in known)
        for match in self._patterns.scan(text, low):
            if known and taken.overlaps(match.start, match.end):
                continue
            found.append(
                Finding(
                    rule=match.rule.id,
                    kind=match.rule.kind,
                    title=match.rule.title,
                    start=match.start,
                    end=match.end,
                    masked=match.display,
                    encoding="plain",
                    fingerprint=fingerprint(match.rule.id, match.value),
                    length=len(match.value),
                )
            )
        return found

    def _scan_decoded(self, text: str, plain: list[Finding]) -> list[Finding]:
        """Findings inside encoded stretches (percent, base64, hex, entities, JSON escapes).

        The decoded stretches are joined and scanned in one go; each finding is mapped
        back to the encoded stretch it came from, and dropped where the plain scan
        already reported those characters.
        """
        spans = decoded_spans(text)
        if not spans:
            return []
        starts: list[int] = []
        offset = 0
        for span in spans:
            starts.append(offset)
            offset += len(span.text) + len(_JOIN)
        joined = _JOIN.join(span.text for span in spans)
        found: list[Finding] = []
        taken = _Taken((f.start, f.end) for f in plain)
        # The stretches reported so far never overlap one another (each was checked
        # against the earlier ones), so sorted starts alone answer for them.
        kept_starts: list[int] = []
        kept_ends: list[int] = []
        # A stretch is decided by its first finding: either it overlaps what is already
        # reported (then so will every later one), or it is reported and then overlaps
        # itself. Either way its later findings are dropped.
        decided: set[int] = set()
        for finding in self._scan_plain(joined):
            index = bisect.bisect_right(starts, finding.start) - 1
            span = spans[index]
            if finding.end > starts[index] + len(span.text):
                continue  # across two decoded stretches: an artefact of joining them
            if index in decided:
                continue
            decided.add(index)
            at = bisect.bisect_left(kept_starts, span.end)
            if taken.overlaps(span.start, span.end) or (at and kept_ends[at - 1] > span.start):
                continue
            at = bisect.bisect_left(kept_starts, span.start)
            kept_starts.insert(at, span.start)
            kept_ends.insert(at, span.end)
            found.append(_relocated(finding, span))
        return found

    def mask(self, text: str) -> str:
        """``text`` with every finding replaced by ``[masked: <what>]``: safe to print."""
        out: list[str] = []
        cursor = 0
        for finding in self.scan(text):
            if finding.start < cursor:
                continue
            out += [text[cursor : finding.start], f"[masked: {finding.title}]"]
            cursor = finding.end
        out.append(text[cursor:])
        return "".join(out)

    def _known(self, text: str, hit: SecretHit) -> Finding:
        total = self._lengths.get(hit.secret_name, hit.length)
        return Finding(
            rule=KNOWN_RULE,
            kind="known",
            title=hit.secret_name,
            start=hit.start,
            end=hit.end,
            masked=f"{hit.secret_name} ({total} chars)",
            encoding=hit.encoding,
            fingerprint=fingerprint(f"{KNOWN_RULE}:{hit.secret_name}", text[hit.start : hit.end]),
            part=hit.part,
            length=hit.length,
        )
