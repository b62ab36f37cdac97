"""Real health-check libraries, unmodified, judged by the real verdicts.

Each library serves GET /health in a subprocess on a free loopback port, configured
as its README shows (tests/support/healthlib_apps.py for PyPI ones, the ``healthlibs``
extra; tools/healthlibs/app.js for npm ones, installed with ``npm ci``). The
project's own recording client records the answers in-process and the verdicts of
checks/test_health.py and checks/test_memory.py judge them: a healthy answer has no
failure, a failing one fails ``health`` naming the failing component.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from synthcheck.config import HealthSettings, HttpSettings, builtin_schema
from synthcheck.probe import Exchange, RecordingClient
from synthcheck.verdicts import Outcome, health, memory
from synthcheck.verdicts.result import CheckResult
from tests.support.exchanges import target
from tests.support.npm import npm_ci
from tests.support.sockets import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tools" / "healthlibs"
HEALTH = target("health", "/health")
SETTINGS = HealthSettings()
HTTP = HttpSettings(connect_timeout_s=2.0, read_timeout_s=5.0, total_timeout_s=8.0)
SAMPLES = 3

# (library, runtime, words the failing answer's message must contain)
LIBRARIES = [
    ("py-healthcheck", "python", ["database_available", "connection refused"]),
    ("flask-healthz", "python", ["HTTP 503", "Can't connect to the database"]),
    # fastapi-health answers {} with 503: the code is all it says, and all we can name.
    ("fastapi-health", "python", ["HTTP 503"]),
    ("express-healthcheck", "node", ["HTTP 500", "database"]),
    ("terminus", "node", ["HTTP 503", "failing: database"]),
    ("health-connect", "node", ["HTTP 503", "failing: database", "connection refused"]),
]
HEALTHY_ONLY = [("express-actuator", "node")]  # it always answers {"status": "UP"}


@pytest.fixture(scope="session")
def node_libraries() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the npm health libraries")
    npm_ci(NODE_DIR)
    return NODE_DIR


def _wait_for(port: int, process: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout_s:g} s")


def _command(library: str, runtime: str, mode: str, port: int) -> list[str]:
    if runtime == "node":
        return ["node", str(NODE_DIR / "app.js"), library, mode, str(port)]
    return [sys.executable, "-m", "tests.support.healthlib_apps", library, mode, str(port)]


@contextmanager
def _serve(library: str, runtime: str, mode: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        _command(library, runtime, mode, port),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _record(base_url: str) -> list[Exchange]:
    async def go() -> list[Exchange]:
        client = RecordingClient(HTTP)
        try:
            return [
                await client.record(
                    target_id=HEALTH.id, method="GET", url=f"{base_url}/health", seq=i
                )
                for i in range(SAMPLES)
            ]
        finally:
            await client.aclose()

    return asyncio.run(go())


def _verdicts(exchanges: list[Exchange]) -> dict[str, CheckResult]:
    return {
        "status_code": health.status_code(HEALTH, exchanges),
        "content_type": health.content_type(HEALTH, exchanges),
        "schema": health.json_schema(HEALTH, exchanges, builtin_schema("health")),
        "overall_status": health.overall_status(HEALTH, exchanges, SETTINGS),
        "memory": memory.memory_usage(HEALTH, exchanges, SETTINGS, 80.0),
    }


def _judge(
    library: str, runtime: str, mode: str, request: pytest.FixtureRequest
) -> dict[str, CheckResult]:
    if runtime == "node":
        request.getfixturevalue("node_libraries")
    with _serve(library, runtime, mode) as base_url:
        exchanges = _record(base_url)
    assert all(e.status is not None for e in exchanges), [e.describe() for e in exchanges]
    return _verdicts(exchanges)


HEALTHY_CASES = [(lib, rt) for lib, rt, _ in LIBRARIES] + HEALTHY_ONLY


@pytest.mark.parametrize(("library", "runtime"), HEALTHY_CASES, ids=[c[0] for c in HEALTHY_CASES])
def test_a_healthy_library_answer_has_no_failure(
    library: str, runtime: str, request: pytest.FixtureRequest
) -> None:
    results = _judge(library, runtime, "healthy", request)
    failed = {name: r.message for name, r in results.items() if r.outcome == Outcome.FAILED}
    assert failed == {}
    assert results["overall_status"].outcome == Outcome.PASSED, results["overall_status"].message


@pytest.mark.parametrize(
    ("library", "runtime", "needles"), LIBRARIES, ids=[c[0] for c in LIBRARIES]
)
def test_a_failing_library_answer_fails_health_naming_the_component(
    library: str, runtime: str, needles: list[str], request: pytest.FixtureRequest
) -> None:
    results = _judge(library, runtime, "failing", request)
    overall = results["overall_status"]
    assert overall.outcome == Outcome.FAILED
    assert overall.category.value == "health"
    for needle in needles:
        assert needle in overall.message, overall.message
    assert results["status_code"].outcome == Outcome.FAILED
    # A failing health answer is not a memory problem.
    assert results["memory"].outcome != Outcome.FAILED
