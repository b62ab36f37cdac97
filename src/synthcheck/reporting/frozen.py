"""The run's summary, built once and frozen: every publisher reads this one object.

A :class:`FrozenSummary` holds the redacted ``summary.json`` document as its canonical
JSON text. Nothing can change it after :func:`freeze`; :meth:`FrozenSummary.data`
hands out a fresh copy, so a consumer that edits what it got changes nobody else's
view. History, reports, notifications, the incident draft and the metrics all see
the same verdict.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from synthcheck.reporting.summary import RunInfo, build_summary
from synthcheck.secrets import Redactor
from synthcheck.verdicts import CheckResult

__all__ = ["FrozenSummary", "freeze"]


@dataclass(frozen=True)
class FrozenSummary:
    text: str  # the redacted summary.json document, canonical JSON

    def data(self) -> dict[str, Any]:
        """A fresh, private copy of the document."""
        return cast(dict[str, Any], json.loads(self.text))

    def results(self) -> list[CheckResult]:
        """The checks as results again (redacted), for the views that group them."""
        return [CheckResult.from_dict(check) for check in self.data()["checks"]]

    @property
    def outcome(self) -> str:
        return str(self.data()["outcome"])

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    def json_text(self) -> str:
        """``summary.json`` as written (indented, one trailing newline)."""
        return json.dumps(self.data(), indent=2, ensure_ascii=False) + "\n"


def freeze(info: RunInfo, results: Sequence[CheckResult], redactor: Redactor) -> FrozenSummary:
    """Build the summary of ``results`` (the only call of ``build_summary`` in a run)."""
    clean = redactor.redact_obj(build_summary(info, results))
    return FrozenSummary(json.dumps(clean, ensure_ascii=False))
