"""``synthcheck scan`` (the console script) and ``python -m synthcheck scan`` run the
scanner without importing the test harness."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from synthcheck.config import DEFAULT_SECRET_ENV
from tests.support import leak_corpus

FRED = leak_corpus.fred_key(random.Random(51))

# The console script's entry point, then what got imported.
_ENTRY = (
    "import sys\n"
    "sys.argv = ['synthcheck', *sys.argv[1:]]\n"
    "from synthcheck.entry import main\n"
    "code = main()\n"
    "print('pytest' in sys.modules, code, file=sys.stderr)\n"
)
# The module as `python -m synthcheck` runs it, then what got imported.
_MODULE = (
    "import runpy, sys\n"
    "sys.argv = ['synthcheck', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('synthcheck', run_name='__main__')\n"
    "except SystemExit as exc:\n"
    "    print('pytest' in sys.modules, exc.code, file=sys.stderr)\n"
)


def _scan_a_leaked_key(tmp_path: Path, probe: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``scan app.env ARGS`` in a new process (the key known only as a shape, not a value)."""
    (tmp_path / "app.env").write_text(f"FRED_API_KEY={FRED}\n")
    env = {k: v for k, v in os.environ.items() if k not in DEFAULT_SECRET_ENV}
    done = subprocess.run(
        [sys.executable, "-c", probe, "scan", "app.env", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert FRED not in done.stdout + done.stderr
    return done


def test_the_console_script_starts_scan_without_the_harness(tmp_path: Path) -> None:
    done = _scan_a_leaked_key(tmp_path, _ENTRY, "--jobs", "2")
    assert done.stdout.startswith("app.env:1:fred-api-key:")
    assert done.stderr.splitlines()[-1] == "False 1"  # found, and pytest never imported


def test_python_m_synthcheck_scan_is_the_scan_command(tmp_path: Path) -> None:
    done = _scan_a_leaked_key(tmp_path, _MODULE, "--format", "json")
    (item,) = json.loads(done.stdout)
    assert (item["path"], item["rule"]) == ("app.env", "fred-api-key")
    assert done.stderr.splitlines()[-1] == "False 1"  # exit 1, and pytest never imported
