"""A baseline: reviewed findings accepted one by one, by a fingerprint that holds no secret.

``synthcheck scan --write-baseline FILE`` writes every current finding's fingerprint
to FILE (a TOML allowlist, read back with ``--allowlist FILE`` or ``--baseline FILE``);
later scans fail only on findings not in it. A baseline fingerprint is the first 16
hex digits of SHA-256 over the rule, the path and the finding's own fingerprint
(itself a hash of the rule and the secret): accepting a key in ``config/dev.env`` does
not accept the same key pasted into ``src/app.py``, and the file never holds a value.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

__all__ = ["baseline_fingerprint", "write_baseline"]


class _Finding(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def rule(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def commit(self) -> str: ...


def baseline_fingerprint(rule: str, path: str, fingerprint: str) -> str:
    """Stable id of one finding (rule, path, secret) that reveals nothing of the secret."""
    return hashlib.sha256(f"baseline/v1:{rule}:{path}:{fingerprint}".encode()).hexdigest()[:16]


_HEADER = (
    "# synthcheck-baseline: reviewed findings, accepted one by one (--write-baseline).",
    "# synthcheck-baseline: each entry hashes rule, path and secret; no secret is stored.",
    "# synthcheck-baseline: rotate what must be rotated before accepting it.",
)
_BLOCK_START = re.compile(r"\s*baseline\s*=\s*\[")


def _without_baseline(text: str) -> str:
    """The file's text minus an earlier baseline block: comments and other entries stay."""
    kept: list[str] = []
    inside = False
    for line in text.splitlines():
        if inside:
            inside = not line.split("#", 1)[0].rstrip().endswith("]")
            continue
        if line.startswith("# synthcheck-baseline:"):
            continue
        if _BLOCK_START.match(line):
            inside = not line.split("#", 1)[0].rstrip().endswith("]")
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n")


def write_baseline(path: Path, findings: Sequence[_Finding]) -> int:
    """Add every finding to the baseline in ``path``; returns how many entries are new.

    An existing file (an allowlist with paths, rules and comments) keeps everything but
    its previous baseline block, whose entries are carried over.
    """
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    old = {str(v) for v in tomllib.loads(existing).get("baseline", [])} if existing else set()
    entries: dict[str, str] = {}
    for f in findings:
        key = baseline_fingerprint(f.rule, f.path, f.fingerprint)
        where = f"{f.path}:{f.line} {f.rule}" + (f" (commit {f.commit[:12]})" if f.commit else "")
        entries.setdefault(key, where)
    block = [*_HEADER, "baseline = ["]
    block += [f'    "{key}",  # {where}' for key, where in sorted(entries.items(), key=_by_place)]
    block += [f'    "{key}",' for key in sorted(old - set(entries))]
    block.append("]")
    kept = _without_baseline(existing)
    path.write_text((f"{kept}\n\n" if kept else "") + "\n".join(block) + "\n", encoding="utf-8")
    return len(set(entries) - old)


def _by_place(item: tuple[str, str]) -> str:
    return item[1]
