"""Environment files for tests: the shipped local.toml plus extra tables, in a temp dir."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def local_with(tmp_path: Path, extra_toml: str, name: str = "local-test") -> Path:
    """A copy of environments/local.toml (with its schemas) plus ``extra_toml`` tables.

    The extra tables go before the endpoints, so they must not repeat a table that
    local.toml already has.
    """
    directory = tmp_path / "environments"
    if not (directory / "schemas").exists():
        shutil.copytree(ROOT / "environments" / "schemas", directory / "schemas")
    text = (ROOT / "environments" / "local.toml").read_text()
    cut = text.index("\n[[endpoints]]")
    text = text[:cut] + "\n" + extra_toml.strip() + "\n" + text[cut:]
    text = text.replace('name = "local"', f'name = "{name}"', 1)
    path = directory / f"{name}.toml"
    path.write_text(text)
    return path
