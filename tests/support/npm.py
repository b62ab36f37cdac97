"""`npm ci` of a tools/ folder once, even with several xdist workers asking at once."""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path


def npm_ci(directory: Path, marker: str = "node_modules") -> None:
    """Install ``directory``'s package-lock.json unless ``marker`` (a path inside) exists.

    An exclusive lock on a file in the folder makes the workers take turns: the first
    installs, the others find the marker. Two concurrent `npm ci` runs in one folder
    would delete each other's node_modules.
    """
    with (directory / ".npm-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (directory / marker).exists():
            return
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=directory,
            check=True,
            timeout=300,
            capture_output=True,
        )
