"""Read the runbook's sections (``## anchor`` headings) so reports can quote them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RunbookSection", "find_runbook", "read_runbook"]

_HEADING = re.compile(r"^##\s+(?P<anchor>[a-z0-9-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class RunbookSection:
    anchor: str
    text: str

    @property
    def immediate_actions(self) -> list[str]:
        """The numbered list under "Immediate actions:", one item per entry."""
        _, found, rest = self.text.partition("Immediate actions:")
        if not found:
            return []
        items: list[str] = []
        for line in rest.strip().splitlines():
            match = re.match(r"^\s*\d+\.\s+(.*)$", line)
            if match:
                items.append(match.group(1).strip())
            elif line.startswith("   ") and items:
                items[-1] += " " + line.strip()
            elif line.strip() and not line.startswith(" "):
                break
        return items


def read_runbook(path: Path) -> dict[str, RunbookSection]:
    text = path.read_text(encoding="utf-8")
    matches = list(_HEADING.finditer(text))
    sections = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end].strip()
        sections[match["anchor"]] = RunbookSection(match["anchor"], body)
    return sections


def find_runbook(runbook_url: str, *bases: Path) -> Path | None:
    """The runbook as a local file, if ``runbook_url`` is a path that exists."""
    if not runbook_url or "://" in runbook_url:
        return None
    candidate = Path(runbook_url)
    for base in (Path.cwd(), *bases):
        path = candidate if candidate.is_absolute() else base / candidate
        if path.is_file():
            return path
    return None
