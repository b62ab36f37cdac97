"""What a ``synthcheck verify`` run of the shipped checks asks pytest to leave out.

pytest imports every installed plugin (``pytest11`` entry points) when it starts, and
rewrites the asserts of every module of each one and of every check module. Without a
bytecode cache (``PYTHONDONTWRITEBYTECODE=1``, common in CI images) that is redone on
every run: pytest-benchmark, anyio's and platformdirs' fixtures and locust's pytest
session are ~60 modules, the checks ~20 more, a few tenths of a second of a verify run
that uses none of it (docs/deadlines.md, "Where a verify run's time goes").

- The unused plugins are blocked by name (``-p no:NAME``), not by turning autoloading
  off, so every other plugin a user installed (pytest-timeout, pytest-rerunfailures,
  pytest-base-url) still loads as before; allure-pytest (``reports/allure-results``)
  and pytest-xdist (``-n``) are used and load as always. ``-- -p NAME`` brings one back.
- ``--assert=plain``: the shipped checks decide through ``verdict(...)`` and hold no
  ``assert`` (tests/unit/test_pytest_startup.py keeps it so), so rewriting them buys no
  message. ``-- --assert=rewrite`` restores it.

Only for the shipped checks: a check directory of one's own may use both.
"""

from __future__ import annotations

__all__ = ["UNUSED_PLUGINS", "startup_args"]

# Entry-point names (``pytest --trace-config`` lists them); none is used by checks/.
UNUSED_PLUGINS = ("benchmark", "anyio", "platformdirs", "locust")


def startup_args(own_checks: bool) -> list[str]:
    """pytest arguments for a run of the shipped checks (none for another directory)."""
    if not own_checks:
        return []
    blocked = [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]
    return [*blocked, "--assert=plain"]
