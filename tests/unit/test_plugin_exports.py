"""``synthcheck.pytest_plugin`` is the one module pytest registers; its hooks and fixtures
live in ``synthcheck.plugin.*``. pytest finds them only among the registered module's
attributes, so a hook or fixture added to a part but not re-exported would silently never
run. These tests fail when that happens, and when the loaded plugin lacks one of them."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest
from _pytest.fixtures import FixtureFunctionDefinition  # pytest's fixture object type

import synthcheck.plugin
import synthcheck.pytest_plugin
from tests.support.plugin_suite import make_suite, run_suite

pytest_plugins = ["pytester"]


def _parts() -> list[ModuleType]:
    return [
        importlib.import_module(f"synthcheck.plugin.{info.name}")
        for info in pkgutil.iter_modules(synthcheck.plugin.__path__)
    ]


def _defined_here(module: ModuleType) -> dict[str, object]:
    """The hooks and fixtures a part defines itself (not the ones it imports)."""
    found: dict[str, object] = {}
    for name, obj in vars(module).items():
        if isinstance(obj, FixtureFunctionDefinition):
            if obj.__module__ == module.__name__:
                found[name] = obj
        elif (
            name.startswith("pytest_")
            and callable(obj)
            and getattr(obj, "__module__", None) == module.__name__
        ):
            found[name] = obj
    return found


def test_every_hook_and_fixture_of_the_parts_is_exported_by_the_plugin_module() -> None:
    defined = {name: obj for part in _parts() for name, obj in _defined_here(part).items()}
    # The parts hold the plugin's hooks and fixtures (the list is not empty by accident).
    assert {"pytest_addoption", "pytest_configure", "run", "verdict"} <= defined.keys()
    missing = sorted(
        name
        for name, obj in defined.items()
        if getattr(synthcheck.pytest_plugin, name, None) is not obj
    )
    assert not missing, f"not re-exported by synthcheck.pytest_plugin: {missing}"
    assert sorted(defined) == sorted(
        n for n in synthcheck.pytest_plugin.__all__ if n.startswith("pytest_") or n in defined
    )


PROBE = """
import pytest


@pytest.mark.postdeploy
def test_registered(request):
    pm = request.config.pluginmanager
    assert pm.has_plugin("synthcheck.pytest_plugin")
    names = [n for n, _ in pm.list_name_plugin() if n and n.startswith("synthcheck.")]
    assert names == ["synthcheck.pytest_plugin"], names
    for hook in (pm.hook.pytest_addoption, pm.hook.pytest_configure,
                 pm.hook.pytest_runtest_makereport, pm.hook.pytest_generate_tests):
        ours = [i for i in hook.get_hookimpls() if i.plugin_name == "synthcheck.pytest_plugin"]
        assert len(ours) == 1, hook.name
    for fixture in ("run", "verdict", "require_reachable"):
        defs = request._fixturemanager.getfixturedefs(fixture, request.node)
        assert defs and defs[-1].func.__module__ == "synthcheck.plugin.fixtures", fixture
"""


def test_the_loaded_plugin_has_each_hook_once_and_the_fixtures(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_suite(pytester, monkeypatch)
    pytester.makepyfile(test_probe=PROBE)
    result = run_suite(pytester)
    result.assert_outcomes(passed=2, deselected=2)  # the probe and the suite's postdeploy check
