"""`python -m synthcheck.reference`: run the reference service (see server.main)."""

from synthcheck.reference.server import main

raise SystemExit(main())
