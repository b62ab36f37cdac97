"""`synthcheck init` against running services, then the real verifier with the file it wrote.

Acceptance (issue 13): against the reference service the written file passes
deploy-verify.sh; against a fault it fails as the shipped environment files would
(the same categories as staging.toml pointed at the same service).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthcheck.reference.launcher import RunningService, reference_service
from tests.support.harness import ROOT, TEST_KEYS, RunResult, base_environ, deploy_verify
from tests.support.other_service import other_service
from tests.support.sockets import free_port

pytestmark = pytest.mark.slow


def _init(base_url: str, env_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "synthcheck", "init", f"--base-url={base_url}"]
    command += ["--name=svc", f"--env-dir={env_dir}", *args]
    return subprocess.run(
        command, cwd=ROOT, env=base_environ(), capture_output=True, text=True, timeout=60
    )


def _written(base_url: str, env_dir: Path) -> Path:
    done = _init(base_url, env_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    written = "".join(p.read_text() for p in env_dir.rglob("*") if p.is_file())
    assert not any(key in written for key in TEST_KEYS.values())
    return env_dir / "svc.toml"


def _verify(env: Path | str, service: str, reports: Path) -> RunResult:
    return deploy_verify(f"--env={env}", f"--base-url={service}", reports=reports)


def _healthy(run: RunResult) -> None:
    assert run.code == 0, run.output
    assert run.summary["counts"]["failed"] == run.summary["counts"]["error"] == 0


@pytest.fixture(scope="module")
def reference() -> Iterator[RunningService]:
    with reference_service(env=base_environ(), admin=True) as service:
        yield service


@pytest.fixture(scope="module")
def reference_env(reference: RunningService, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _written(reference.base_url, tmp_path_factory.mktemp("env"))


@pytest.mark.parametrize("attempt", [1, 2])
def test_the_file_written_for_the_reference_passes(
    attempt: int, reference: RunningService, reference_env: Path, tmp_path: Path
) -> None:
    reference.set_faults("")
    run = _verify(reference_env, reference.base_url, tmp_path)
    _healthy(run)
    assert run.categories("warned") == set(), run.checks("warned")
    assert run.summary["env"] == "svc"


@pytest.mark.parametrize(
    ("fault", "expected"), [("unhealthy", {"health"}), ("memory_high", {"memory"})]
)
def test_a_fault_fails_as_with_the_shipped_file(
    fault: str,
    expected: set[str],
    reference: RunningService,
    reference_env: Path,
    tmp_path: Path,
) -> None:
    reference.set_faults(fault)
    try:
        ours = _verify(reference_env, reference.base_url, tmp_path / "ours")
        shipped = _verify("staging", reference.base_url, tmp_path / "shipped")
    finally:
        reference.set_faults("")
    assert ours.code == shipped.code == 1, ours.output
    assert ours.categories() == shipped.categories() == expected


@pytest.mark.parametrize("shape", ["actuator", "kubernetes"])
def test_another_health_shape_is_found_and_its_failure_caught(shape: str, tmp_path: Path) -> None:
    spec = f"health_format:shape={shape}"
    with reference_service(faults=[spec], env=base_environ(), admin=True) as service:
        env = _written(service.base_url, tmp_path / "env")
        assert f'format = "{shape}"' in env.read_text()
        _healthy(_verify(env, service.base_url, tmp_path / "pass"))
        service.set_faults(f"{spec},state=fail")
        failing = _verify(env, service.base_url, tmp_path / "fail")
    assert failing.code == 1, failing.output
    assert failing.categories() == {"health"}


def test_a_spring_style_service_gets_a_working_file(tmp_path: Path) -> None:
    with other_service() as url:
        env = _written(url, tmp_path / "env")
        run = _verify(env, url, tmp_path / "r")
    _healthy(run)
    text = env.read_text()
    assert 'content_type = "text/plain"' in text  # its liveness answers plain text
    assert 'format = "actuator"' in text


def test_no_service_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    done = _init(f"http://127.0.0.1:{free_port()}", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "did not answer" in done.stderr
    assert not any(tmp_path.iterdir())
