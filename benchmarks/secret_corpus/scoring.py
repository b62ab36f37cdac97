"""Matching findings to labels: one finding per label, a tolerance for multi-line values."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.secret_corpus.model import POSITIVE, Label

__all__ = ["Finding", "Score", "match"]

Finding = tuple[str, int]  # (relative path, 1-based line)


@dataclass
class Score:
    """Matching of one tool's findings against the labels of one or more seeds."""

    hit: list[Label] = field(default_factory=list)  # positives found
    missed: list[Label] = field(default_factory=list)
    alarms: list[Label] = field(default_factory=list)  # decoys flagged
    quiet: list[Label] = field(default_factory=list)  # decoys left alone
    unlabelled: list[Finding] = field(default_factory=list)  # findings on no labelled line
    duplicates: int = 0

    def add(self, other: Score) -> None:
        self.hit += other.hit
        self.missed += other.missed
        self.alarms += other.alarms
        self.quiet += other.quiet
        self.unlabelled += other.unlabelled
        self.duplicates += other.duplicates

    @property
    def precision(self) -> float:
        flagged = len(self.hit) + len(self.alarms) + len(self.unlabelled)
        return len(self.hit) / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        total = len(self.hit) + len(self.missed)
        return len(self.hit) / total if total else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match(labels: Sequence[Label], findings: Sequence[Finding]) -> Score:
    by_line: dict[Finding, list[Label]] = defaultdict(list)
    for label in labels:
        by_line[(label.path, label.line)].append(label)
    tolerant = [label for label in labels if label.tolerance]
    matched: set[int] = set()
    score = Score()
    for path, line in sorted(set(findings)) + sorted(_extra(findings)):
        here = [lb for lb in by_line.get((path, line), []) if id(lb) not in matched]
        here.sort(key=lambda lb: lb.kind != POSITIVE)
        if not here:
            here = [
                lb
                for lb in tolerant
                if lb.path == path and abs(lb.line - line) <= lb.tolerance and id(lb) not in matched
            ]
        if here:
            label = here[0]
            matched.add(id(label))
            continue
        near = [
            lb
            for lb in labels
            if lb.path == path and abs(lb.line - line) <= lb.tolerance and id(lb) in matched
        ]
        if near:
            score.duplicates += 1
        else:
            score.unlabelled.append((path, line))
    for label in labels:
        found = id(label) in matched
        if label.kind == POSITIVE:
            (score.hit if found else score.missed).append(label)
        else:
            (score.alarms if found else score.quiet).append(label)
    return score


def _extra(findings: Sequence[Finding]) -> list[Finding]:
    """Second and later findings on one line: they may match a second label there."""
    counts = Counter(findings)
    return [f for f, n in counts.items() for _ in range(n - 1)]
