"""The ``synthcheck`` console script: ``scan`` starts without the rest of the CLI.

``synthcheck.cli`` imports the whole harness (pytest, the plugin, the load tools:
about 0.3 s) before it parses a word. ``synthcheck scan`` runs in pre-commit hooks
and CI steps, where start-up is a large part of the run, so it is dispatched first,
as ``python -m synthcheck scan`` already is (:mod:`synthcheck.__main__`).
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> int:
    if sys.argv[1:2] == ["scan"]:
        from synthcheck.scan.command import main as scan_main

        return scan_main(sys.argv[2:])
    from synthcheck.cli import main as cli_main

    return cli_main()
