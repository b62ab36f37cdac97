"""Which files a scan reads: the named paths, minus VCS data, reports and exclusions.

``.git/`` (anywhere) and a ``reports/`` directory directly under a named directory
are skipped unless named themselves: the first is history, not the tree being
shipped; the second is this harness's own (already self-scanned) output. Symbolic
links are not followed, so nothing is read twice and no loop is possible.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SKIPPED_DIRS", "Walk", "display_path"]

SKIPPED_DIRS = (".git",)
SKIPPED_TOP_DIRS = ("reports",)


def display_path(path: Path) -> str:
    """The path as printed: relative to the working directory when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class Walk:
    roots: Sequence[Path]
    excludes: Sequence[str] = ()
    skipped: list[str] = field(default_factory=list)  # "path (why)"

    def _excluded(self, shown: str) -> bool:
        name = shown.rsplit("/", 1)[-1]
        return any(
            fnmatch.fnmatchcase(shown, pattern) or fnmatch.fnmatchcase(name, pattern)
            for pattern in self.excludes
        )

    def files(self) -> Iterator[Path]:
        for root in self.roots:
            if root.is_symlink():
                self.skipped.append(f"{display_path(root)} (symbolic link)")
            elif root.is_file():
                yield root
            elif root.is_dir():
                yield from self._directory(root)

    def _directory(self, root: Path) -> Iterator[Path]:
        for current, dirs, files in os.walk(root):
            here = Path(current)
            kept = []
            for name in sorted(dirs):
                path = here / name
                if name in SKIPPED_DIRS or (here == root and name in SKIPPED_TOP_DIRS):
                    continue
                if path.is_symlink() or self._excluded(display_path(path)):
                    continue
                kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                path = here / name
                if path.is_symlink():
                    self.skipped.append(f"{display_path(path)} (symbolic link)")
                elif not self._excluded(display_path(path)):
                    yield path
