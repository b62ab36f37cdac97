"""synthcheck beside pytest-base-url (pytest-playwright's and pytest-selenium's base) in
one virtual environment: the verifier uses its ``--base-url`` instead of clashing, and an
unrelated pytest suite there runs as if synthcheck were not installed.

One throwaway venv for the whole session: the project (editable, no dependencies) and
pytest-base-url from the package index; the project's other dependencies come from
this venv's site-packages through a ``.pth`` file. Not ``--system-site-packages``: that
would reuse the system interpreter's packages, not a venv of our choosing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.harness import ROOT, base_environ, deploy_verify

pytestmark = pytest.mark.slow

PLAIN_SUITE = """
def test_base_url_is_pytest_base_urls(base_url):
    assert base_url == "http://plain.test"


def test_no_synthcheck_here(request):
    assert not request.config.pluginmanager.has_plugin("synthcheck.pytest_plugin")
"""


@pytest.fixture(scope="session")
def venv_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("coexist") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # This venv's packages (pytest, httpx, ...) after the new venv's own.
    Path(purelib, "_synthcheck_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "-e",
            str(ROOT),
            "pytest-base-url",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"could not set up the venv:\n{done.stderr[-2000:]}"
    return python


def test_deploy_verify_passes_on_the_embedded_default(venv_python: Path, tmp_path: Path) -> None:
    run = deploy_verify(
        reports=tmp_path / "reports", environ=base_environ(SYNTHCHECK_PYTHON=str(venv_python))
    )
    assert run.code == 0, run.output
    assert "conflicting option string" not in run.output
    summary = run.summary
    assert summary["outcome"] == "passed"
    assert run.checks("failed") == []
    assert run.checks("error") == []
    # pytest-base-url's option carries the embedded service's URL (its report header).
    assert f"baseurl: {summary['base_url']}" in run.stdout


def test_base_url_reaches_synthcheck_through_pytest_base_urls_option(
    venv_python: Path, tmp_path: Path
) -> None:
    closed = "http://127.0.0.1:9"
    run = deploy_verify(
        "--env=staging",
        f"--base-url={closed}",
        "--",
        "-k",
        "availability",
        reports=tmp_path / "reports",
        environ=base_environ(SYNTHCHECK_PYTHON=str(venv_python)),
    )
    assert run.code == 1, run.output
    assert run.summary["base_url"] == closed
    assert run.summary["target"] == closed
    assert run.categories() == {"availability"}


def test_an_unrelated_suite_in_the_same_venv_runs_unchanged(
    venv_python: Path, tmp_path: Path
) -> None:
    (tmp_path / "test_plain.py").write_text(PLAIN_SUITE)
    environ = base_environ()
    command = [str(venv_python), "-m", "pytest", "-p", "no:cacheprovider"]
    helped = subprocess.run(
        [*command, "--help"], cwd=tmp_path, env=environ, capture_output=True, text=True
    )
    assert helped.returncode == 0, helped.stderr
    assert "--base-url=url" in helped.stdout  # pytest-base-url's
    assert "synthcheck" not in helped.stdout
    for flag in ("--env=", "--suite=", "--history=", "--workers="):
        assert flag not in helped.stdout
    done = subprocess.run(
        [*command, "-q", "--base-url=http://plain.test"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    assert "synthcheck" not in done.stdout
    assert not (tmp_path / "reports").exists()


CHECK = """
import pytest
from synthcheck.catalog import Category
from synthcheck.verdicts import CheckResult

pytestmark = [pytest.mark.postdeploy, pytest.mark.category("health")]


def test_target(run, base_url, verdict):
    # pytest-base-url's fixture and synthcheck's run agree on what is verified.
    assert base_url == run.base_url
    verdict(CheckResult.passed(Category.HEALTH, "seen", observed=run.base_url))
"""


@pytest.mark.parametrize(
    ("args", "variable", "expected"),
    [
        (["-o", "base_url=http://ini.test"], None, "http://ini.test"),
        (["-o", "base_url=http://ini.test"], "http://var.test", "http://var.test"),
        (
            ["--base-url=http://flag.test", "-o", "base_url=http://ini.test"],
            "http://var.test",
            "http://flag.test",
        ),
    ],
)
def test_base_url_precedence_with_pytest_base_url(
    venv_python: Path, tmp_path: Path, args: list[str], variable: str | None, expected: str
) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "conftest.py").write_text('pytest_plugins = ["synthcheck.pytest_plugin"]\n')
    (checks / "test_target.py").write_text(CHECK)
    environ = base_environ(**({"SYNTHCHECK_BASE_URL": variable} if variable else {}))
    reports = tmp_path / "reports"
    done = subprocess.run(
        [
            str(venv_python),
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            str(checks),
            f"--env-dir={ROOT / 'environments'}",
            "--env=staging",
            f"--reports-dir={reports}",
            "--history=off",
            *args,
        ],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["base_url"] == expected
    assert f"baseurl: {expected}" in done.stdout  # pytest-base-url's header agrees
