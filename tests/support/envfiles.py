"""Environment files for tests: the shipped local.toml with tables replaced, in a temp dir."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_HEADER = re.compile(r"^\[([A-Za-z0-9_.]+)\]\s*$", re.MULTILINE)


def _without_table(text: str, name: str) -> str:
    """``text`` minus the ``[name]`` table (its header up to the next header)."""
    match = re.search(rf"^\[{re.escape(name)}\]\s*$", text, re.MULTILINE)
    if match is None:
        return text
    following = re.search(r"^\[", text[match.end() :], re.MULTILINE)
    end = match.end() + following.start() if following else len(text)
    return text[: match.start()] + text[end:]


def local_with(tmp_path: Path, extra_toml: str, name: str = "local-test") -> Path:
    """A copy of environments/local.toml (with its schemas) where the tables of
    ``extra_toml`` replace the shipped ones of the same name."""
    directory = tmp_path / "environments"
    if not (directory / "schemas").exists():
        shutil.copytree(ROOT / "environments" / "schemas", directory / "schemas")
    text = (ROOT / "environments" / "local.toml").read_text()
    for table in _HEADER.findall(extra_toml):
        text = _without_table(text, table)
    cut = text.index("\n[[endpoints]]")
    text = text[:cut] + "\n" + extra_toml.strip() + "\n" + text[cut:]
    text = text.replace('name = "local"', f'name = "{name}"', 1)
    path = directory / f"{name}.toml"
    path.write_text(text)
    return path
