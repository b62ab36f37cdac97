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
        for path, _ in self.shown_files():
            yield path

    def shown_files(self) -> Iterator[tuple[Path, str]]:
        """Every file with its path as printed (:func:`display_path`).

        The printed form of a file below a root is the root's printed form plus the
        names walked through (no symbolic link is followed, so resolving each file
        again would give the same string): resolving once per root, not per file,
        spares two ``realpath`` calls a file.
        """
        for root in self.roots:
            if root.is_symlink():
                self.skipped.append(f"{display_path(root)} (symbolic link)")
            elif root.is_file():
                yield root, display_path(root)
            elif root.is_dir():
                yield from self._directory(root, _prefix(root))

    def _directory(self, root: Path, prefix: str | None) -> Iterator[tuple[Path, str]]:
        """``prefix``: the printed form of ``root`` plus "/", or None to resolve each path."""
        for current, dirs, files in os.walk(root):
            here = Path(current)
            shown_here: str | None = None
            if prefix is not None:
                relative = os.path.relpath(current, root).replace(os.sep, "/")
                shown_here = prefix + ("" if relative == "." else relative + "/")
            kept = []
            for name in sorted(dirs):
                if name in SKIPPED_DIRS or (here == root and name in SKIPPED_TOP_DIRS):
                    continue
                path = here / name
                if path.is_symlink() or self._excluded(_shown(path, shown_here)):
                    continue
                kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                path = here / name
                shown = _shown(path, shown_here)
                if path.is_symlink():
                    self.skipped.append(f"{shown} (symbolic link)")
                elif not self._excluded(shown):
                    yield path, shown


def _shown(path: Path, shown_parent: str | None) -> str:
    return display_path(path) if shown_parent is None else shown_parent + path.name


def _prefix(root: Path) -> str | None:
    """What every path below ``root`` starts with when printed, if they share it.

    They do unless the working directory lies inside ``root`` (``scan ..``): then some
    paths print relative to it and the rest absolute, and each is resolved.
    """
    shown_root = display_path(root)
    if shown_root == ".":
        return ""
    if shown_root == root.as_posix() and Path.cwd().resolve().is_relative_to(root.resolve()):
        return None  # not below the working directory, yet holding it
    return shown_root.rstrip("/") + "/"
