"""``python -m synthcheck``: the same as the ``synthcheck`` console script.

``scan`` is dispatched before the rest of the CLI is imported (pytest, the plugin, the
load tools): the file scanner runs in pre-commit hooks and CI steps, where start-up
time is most of the run.
"""

import sys

if sys.argv[1:2] == ["scan"]:
    from synthcheck.scan.command import main as scan_main

    sys.exit(scan_main(sys.argv[2:]))

from synthcheck.cli import main

sys.exit(main())
