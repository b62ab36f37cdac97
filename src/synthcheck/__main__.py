"""``python -m synthcheck``: the same as the ``synthcheck`` console script.

``scan`` is dispatched before the rest of the CLI is imported (pytest, the plugin, the
load tools): the file scanner runs in pre-commit hooks and CI steps, where start-up
time is most of the run.
"""

import gc
import sys

if sys.argv[1:2] == ["scan"]:
    from synthcheck.scan.command import main as scan_main

    sys.exit(scan_main(sys.argv[2:]))

from synthcheck.cli import main

code = main()
# The process ends here: the interpreter's last garbage collections over a heap of
# recorded exchanges and pytest's reports cost 0.2-0.5 s of a verify run, to free memory
# the OS takes back anyway. atexit handlers still run and the standard streams are still
# flushed; every report file is closed by the code that wrote it (docs/deadlines.md).
gc.freeze()
sys.exit(code)
