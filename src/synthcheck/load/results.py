"""``reports/load/``: what a load run leaves behind, and its structured result.

locust writes its CSV files and HTML report there; the locust process's quitting
handler writes ``results.json`` (per-endpoint figures, every threshold's outcome, the
most frequent failures, all redacted); the checks read that file rather than
scraping logs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synthcheck.load.thresholds import RowStats, ThresholdOutcome

__all__ = ["RESULTS_SCHEMA_VERSION", "LoadPaths", "LoadResults"]

RESULTS_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class LoadPaths:
    """Where one run's files go (``<reports>/load/``)."""

    directory: Path

    @classmethod
    def under(cls, reports_dir: Path) -> LoadPaths:
        return cls(reports_dir / "load")

    @property
    def results(self) -> Path:
        return self.directory / "results.json"

    @property
    def resources(self) -> Path:
        return self.directory / "resources.json"

    @property
    def csv_prefix(self) -> Path:
        return self.directory / "locust"  # locust adds _stats.csv, _failures.csv, ...

    @property
    def html(self) -> Path:
        return self.directory / "report.html"

    @property
    def master_log(self) -> Path:
        return self.directory / "locust.log"

    def worker_log(self, index: int) -> Path:
        return self.directory / f"worker-{index}.log"


@dataclass
class LoadResults:
    host: str
    profile: str  # Profile.describe()
    started_at: float  # epoch seconds
    duration_s: float
    workers: int  # 0: a single process
    rows: list[RowStats]
    total: RowStats
    thresholds: list[ThresholdOutcome]
    errors: list[dict[str, Any]] = field(default_factory=list)  # request, error, occurrences
    schema_version: int = RESULTS_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "host": self.host,
            "profile": self.profile,
            "started_at": self.started_at,
            "duration_s": self.duration_s,
            "workers": self.workers,
            "total": self.total.to_dict(),
            "rows": [r.to_dict() for r in self.rows],
            "thresholds": [t.to_dict() for t in self.thresholds],
            "errors": self.errors,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LoadResults:
        return cls(
            host=data["host"],
            profile=data["profile"],
            started_at=data["started_at"],
            duration_s=data["duration_s"],
            workers=data["workers"],
            rows=[RowStats.from_dict(r) for r in data["rows"]],
            total=RowStats.from_dict(data["total"]),
            thresholds=[ThresholdOutcome.from_dict(t) for t in data["thresholds"]],
            errors=list(data.get("errors", [])),
            schema_version=data.get("schema_version", RESULTS_SCHEMA_VERSION),
        )

    def write(self, path: Path) -> None:
        """Atomically: a reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def read(cls, path: Path) -> LoadResults | None:
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def outcomes(self, threshold: str) -> list[ThresholdOutcome]:
        return [t for t in self.thresholds if t.threshold == threshold]
