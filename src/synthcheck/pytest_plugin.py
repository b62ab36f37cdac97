"""The pytest plugin: loading it (``pytest_plugins`` in a check directory's conftest,
or ``-p synthcheck.pytest_plugin``) makes the pytest session a verification run.

It is deliberately not a pytest11 entry point: an unrelated pytest suite in the same
environment never sees its options, fixtures or hooks. Once loaded, it:

- registers every option as ``--synthcheck-NAME`` and as ``--NAME`` where no other
  plugin has that flag; ``--base-url`` is pytest-base-url's when that is installed;
- reads the options (:mod:`synthcheck.config.precedence`: flag > environment variable >
  ini key ``synthcheck_NAME`` > environment file > default) and the environment file,
  failing with a usage error (exit 2 through the CLI) that names the bad field;
- starts the embedded reference service for ``--env=local`` without ``--base-url``, and
  hands what it knows of it (a :class:`RunContext`) to pytest-xdist workers through
  ``workerinput``;
- parametrizes the checks with the environment's endpoints (ids like ``GET /api/health``);
- deselects checks that are not in the chosen ``--suite``;
- collects every check's :class:`CheckResult` (also across pytest-xdist workers) and,
  after pytest's own output, hands them to :mod:`synthcheck.endofrun`: gather, freeze
  once, publish once.

The code lives in :mod:`synthcheck.plugin` (options, activation, collection, fixtures,
report). pytest registers a plugin module's hooks and fixtures from its attributes, so
this module imports every hook and fixture by name: it is the one plugin pytest loads
(``has_plugin("synthcheck.pytest_plugin")``), and no other module of the package is
registered, so no hook runs twice.
"""

from __future__ import annotations

from synthcheck.plugin.activation import activate, pytest_configure, pytest_report_header
from synthcheck.plugin.collection import (
    pytest_collection_finish,
    pytest_collection_modifyitems,
    pytest_generate_tests,
)
from synthcheck.plugin.fixtures import Verdict, require_reachable, run, verdict
from synthcheck.plugin.options import prefixed_flag, pytest_addoption
from synthcheck.plugin.report import pytest_runtest_makereport
from synthcheck.plugin.state import active_run

__all__ = [
    "Verdict",
    "activate",
    "active_run",
    "prefixed_flag",
    # hooks
    "pytest_addoption",
    "pytest_collection_finish",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_report_header",
    "pytest_runtest_makereport",
    # fixtures
    "require_reachable",
    "run",
    "verdict",
]
