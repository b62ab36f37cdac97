"""``python -m synthcheck scan`` runs the scanner without importing the test harness."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from tests.support import leak_corpus

FRED = leak_corpus.fred_key(random.Random(51))
# Run the module as `python -m synthcheck` does, then report what got imported.
_PROBE = (
    "import runpy, sys\n"
    "sys.argv = ['synthcheck', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('synthcheck', run_name='__main__')\n"
    "except SystemExit as exc:\n"
    "    print('pytest' in sys.modules, exc.code, file=sys.stderr)\n"
)


def test_python_m_synthcheck_scan_is_the_scan_command(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text(f"FRED_API_KEY={FRED}\n")
    env = {
        k: v for k, v in os.environ.items() if k not in {"FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"}
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "scan", "app.env", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    (item,) = json.loads(done.stdout)
    assert (item["path"], item["rule"]) == ("app.env", "fred-api-key")
    assert done.stderr.splitlines()[-1] == "False 1"  # exit 1, and pytest never imported
    assert FRED not in done.stdout + done.stderr
