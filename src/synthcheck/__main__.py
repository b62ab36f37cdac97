"""``python -m synthcheck``: the same as the ``synthcheck`` console script."""

import sys

from synthcheck.cli import main

sys.exit(main())
