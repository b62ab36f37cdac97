"""Turns a pytest run over this directory into a verification run.

The synthcheck plugin is installed as a pytest11 entry point but stays inert until a
check directory activates it; activation loads the environment, starts the embedded
reference service when needed, and routes results into ``reports/``.
"""

import pytest

from synthcheck.pytest_plugin import activate


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    activate(config)
