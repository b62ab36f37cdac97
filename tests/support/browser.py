"""Debian's headless Chromium for page tests: a screenshot, the console, the DOM.

Flags as this machine needs them (root, no GPU, closed network: no background
networking). Console messages come from Chromium's own log (``CONSOLE`` lines).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.support.osparts import require

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
_CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\] (.*)")


@dataclass(frozen=True)
class Rendered:
    screenshot: Path
    console: list[str]
    dom: str


def _chromium() -> str:
    return require("chromium", "chromium")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="synthcheck-chromium-") as profile:
        return subprocess.run(
            [_chromium(), *_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def render(url: str, screenshot: Path, *, width: int = 1280, height: int = 2400) -> Rendered:
    shot = _run(
        [
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={screenshot}",
            f"--window-size={width},{height}",
            url,
        ]
    )
    if not screenshot.is_file():
        raise RuntimeError(f"chromium wrote no screenshot: {shot.stderr[-2000:]}")
    console = [m.group(1) for m in map(_CONSOLE.search, shot.stderr.splitlines()) if m]
    dom = _run(["--dump-dom", url]).stdout
    return Rendered(screenshot, console, dom)


def png_colours(path: Path) -> Counter[tuple[int, int, int]]:
    """How many pixels of each RGB colour the screenshot has."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return Counter({colour: n for n, colour in rgb.getcolors(maxcolors=1 << 24) or []})
