"""Markdown tables of the benchmark: overall, per family, per form and decoy kind, examples."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from benchmarks.secret_corpus.families import FAMILIES
from benchmarks.secret_corpus.model import Label
from benchmarks.secret_corpus.scoring import Score

__all__ = ["examples_report", "family_table", "form_table", "overall_table", "pct"]


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _family_row(family: str, scores: dict[str, Score]) -> str:
    cells = [family]
    for score in scores.values():
        hit = sum(1 for lb in score.hit if lb.family == family)
        miss = sum(1 for lb in score.missed if lb.family == family)
        alarms = sum(1 for lb in score.alarms if lb.family == family)
        decoys = alarms + sum(1 for lb in score.quiet if lb.family == family)
        recall = pct(hit / (hit + miss)) if hit + miss else "-"
        precision = pct(hit / (hit + alarms)) if hit + alarms else "-"
        cells += [f"{hit}/{hit + miss}", recall, f"{alarms}/{decoys}", precision]
    return "| " + " | ".join(cells) + " |"


def family_table(scores: dict[str, Score]) -> list[str]:
    head = ["family"]
    for tool in scores:
        head += [f"{tool} found", f"{tool} R", f"{tool} decoys flagged", f"{tool} P"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    families = sorted(
        {lb.family for s in scores.values() for lb in s.hit + s.missed + s.alarms + s.quiet},
        key=lambda f: (f not in FAMILIES, FAMILIES.index(f) if f in FAMILIES else 0, f),
    )
    lines += [_family_row(f, scores) for f in families]
    unl = ["(no label on the line)"]
    for score in scores.values():
        unl += ["", "", f"{len(score.unlabelled)}", ""]
    lines.append("| " + " | ".join(unl) + " |")
    return lines


def form_table(scores: dict[str, Score]) -> list[str]:
    head = ["form (positives)"] + [f"{tool} R" for tool in scores]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    forms = sorted({lb.form for s in scores.values() for lb in s.hit + s.missed})
    for form in forms:
        cells = [form]
        for score in scores.values():
            hit = sum(1 for lb in score.hit if lb.form == form)
            total = hit + sum(1 for lb in score.missed if lb.form == form)
            cells.append(f"{pct(hit / total)} ({hit}/{total})")
        lines.append("| " + " | ".join(cells) + " |")
    head = ["decoy kind"] + [f"{tool} flagged" for tool in scores]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for form in sorted({lb.form for s in scores.values() for lb in s.alarms + s.quiet}):
        cells = [form]
        for score in scores.values():
            alarms = sum(1 for lb in score.alarms if lb.form == form)
            total = alarms + sum(1 for lb in score.quiet if lb.form == form)
            cells.append(f"{alarms}/{total}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def overall_table(scores: dict[str, Score]) -> list[str]:
    lines = [
        "| tool | precision | recall | F1 | found | missed | decoys flagged | unlabelled"
        " | duplicates |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tool, s in scores.items():
        lines.append(
            f"| {tool} | {pct(s.precision)} | {pct(s.recall)} | {pct(s.f1)} | {len(s.hit)} | "
            f"{len(s.missed)} | {len(s.alarms)}/{len(s.alarms) + len(s.quiet)} | "
            f"{len(s.unlabelled)} | {s.duplicates} |"
        )
    return lines


def _mask_line(text: str, label: Label) -> str:
    """The line with the planted value cut to its first 4 characters (for sharing)."""
    value = label.value.split("\n")[0]
    secret = value if value and value in text else label.shown
    line = text.replace(secret, secret[:4] + "…") if len(secret) > 4 else text
    return line if len(line) <= 160 else line[:157] + "..."


def _varied(labels: Sequence[Label]) -> list[Label]:
    """Examples from different forms and file kinds first, then the rest."""
    seen: set[tuple[str, str]] = set()
    first: list[Label] = []
    rest: list[Label] = []
    for label in labels:
        kind = (label.form, Path(label.path).suffix or Path(label.path).name)
        (rest if kind in seen else first).append(label)
        seen.add(kind)
    return first + rest


def examples_report(
    labels: Sequence[Label], verb: str, trees: dict[str, Path], per_family: int
) -> list[str]:
    """Per family: how many, in which forms, and a few masked example lines."""
    by_family: dict[str, list[Label]] = defaultdict(list)
    for label in labels:
        by_family[label.family].append(label)
    lines: list[str] = []
    for family, group in sorted(by_family.items(), key=lambda kv: -len(kv[1])):
        forms = Counter(lb.form for lb in group)
        shown = ", ".join(f"{f} {n}" for f, n in forms.most_common())
        lines.append(f"- {family}: {len(group)} {verb} ({shown})")
        for label in _varied(group)[:per_family]:
            seed, _, rel = label.path.partition("/")
            text = (trees[seed] / rel).read_text(encoding="utf-8").split("\n")[label.line - 1]
            lines.append(f"  - `{seed}/{rel}:{label.line}` `{_mask_line(text.strip(), label)}`")
    return lines
