"""Labels and the line-tracking document builder the file generators write through."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["DECOY", "POSITIVE", "Doc", "Item", "Label", "load_labels", "write_labels"]

POSITIVE, DECOY = "positive", "decoy"


@dataclass(frozen=True)
class Item:
    """One planted value before it has a place: what it is and how it is written."""

    family: str
    kind: str  # POSITIVE or DECOY
    form: str  # plain, percent, base64, masked_prefix ... for decoys: hash, uuid, placeholder ...
    value: str  # the raw value (for a positive: the secret itself)


@dataclass(frozen=True)
class Label:
    path: str  # relative to the generated tree, POSIX separators
    line: int  # 1-based line holding `shown`
    family: str
    kind: str
    form: str
    value: str
    shown: str  # the text as it appears on that line (encoded, masked, or the value itself)
    tolerance: int = 0  # extra lines either side a finding may sit on (multi-line values)


@dataclass
class Doc:
    """A file under construction; `put` records where each planted value lands."""

    path: str
    lines: list[str] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def add(self, text: str = "") -> None:
        self.lines.extend(text.split("\n"))

    def put(self, text: str, shown: str, item: Item, tolerance: int = 0) -> None:
        """Append `text`; the label goes on its first line that contains `shown`."""
        first = shown.split("\n")[0]
        start = len(self.lines)
        self.add(text)
        for offset, line in enumerate(self.lines[start:]):
            if first in line:
                self.labels.append(
                    Label(
                        self.path,
                        start + offset + 1,
                        item.family,
                        item.kind,
                        item.form,
                        item.value,
                        first,
                        tolerance,
                    )
                )
                return
        raise ValueError(f"{self.path}: planted text does not contain its value")

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


def write_labels(labels: list[Label], path: Path) -> None:
    path.write_text(json.dumps([asdict(label) for label in labels], indent=1), encoding="utf-8")


def load_labels(path: Path) -> list[Label]:
    return [Label(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
