"""Programs some tests need from the OS (Debian packages), found or explained.

On CI (``CI`` set, as `.ci/run` runs) a missing program fails the test: `.ci/run`
installs them, so a miss there is a real defect. On a developer's machine the test
is skipped with the command that installs it, so the README's test command passes
anywhere; the skip reason is printed in the summary (``-ra``).
"""

from __future__ import annotations

import os
import shutil

import pytest

__all__ = ["require"]


def require(program: str, package: str) -> str:
    found = shutil.which(program)
    if found:
        return found
    why = (
        f"{program} not found: install Debian's {package} package"
        f" (apt-get install -y --no-install-recommends {package}); .ci/run does this"
    )
    if os.environ.get("CI"):
        raise RuntimeError(why)
    pytest.skip(why)
