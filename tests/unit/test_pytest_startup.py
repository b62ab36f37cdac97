"""What a verify run of the shipped checks leaves out of pytest's start-up, and why it may."""

from __future__ import annotations

import ast
from importlib.metadata import entry_points
from pathlib import Path

from synthcheck.pytest_startup import UNUSED_PLUGINS, startup_args

CHECKS = Path(__file__).resolve().parents[2] / "checks"


def test_the_shipped_checks_leave_out_unused_plugins_and_assert_rewriting() -> None:
    blocked = [a for name in UNUSED_PLUGINS for a in ("-p", f"no:{name}")]
    assert startup_args(own_checks=True) == [*blocked, "--assert=plain"]
    assert startup_args(own_checks=False) == []  # a check directory of one's own


def test_allure_and_xdist_are_never_left_out() -> None:
    used = {ep.name for ep in entry_points(group="pytest11") if ep.dist is not None}
    assert {"allure_pytest", "xdist"} <= used  # installed with the project
    assert not {"allure_pytest", "xdist", "xdist.looponfail"} & set(UNUSED_PLUGINS)


def test_no_shipped_check_uses_what_is_left_out() -> None:
    """``--assert=plain`` hides nothing only while no check asserts; the blocked plugins'
    fixtures are used by none."""
    fixtures = {"benchmark", "anyio_backend", "platformdirs_isolated", "session", "fastsession"}
    for path in sorted(CHECKS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        asserts = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)]
        assert not asserts, f"{path.name}: assert at lines {asserts}; use verdict(...)"
        params = {
            a.arg
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
            for a in n.args.args
        }
        assert not params & fixtures, f"{path.name} uses {params & fixtures}"
