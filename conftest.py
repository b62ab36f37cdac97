"""Root of the pytest tree: two kinds of suites live here, never mixed in one session.

- ``tests/``  the project's own tests (``pytest``; ``testpaths`` in pyproject.toml);
- ``checks/`` the runbook checks against a service (``pytest checks --env=...`` or
  ``./scripts/deploy-verify.sh``), activated by ``checks/conftest.py``.

The other directories hold no pytest suites: locust's files import gevent, which
must never be loaded into a pytest process, and benchmarks are scripts that print
figures. Keep ``pytest .`` from wandering into them.
"""

collect_ignore = ["loadtests", "benchmarks", "reports", "tools", "docs", "environments"]
