"""Any base URL that speaks the runbook's contract can be verified, not only the reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import deploy_verify
from tests.support.other_service import other_service

pytestmark = pytest.mark.slow

ENV = Path(__file__).resolve().parents[1] / "data" / "environments" / "other-service.toml"


def test_a_spring_style_service_passes_with_its_own_environment_file(tmp_path: Path) -> None:
    with other_service() as url:
        run = deploy_verify(f"--env={ENV}", f"--base-url={url}", reports=tmp_path)
    assert run.code == 0, run.output
    ids = {c["id"]: c["outcome"] for c in run.summary["checks"]}
    assert ids["health.overall_status[GET /api/health]"] == "passed"
    assert ids["health.schema[GET /api/health]"] == "passed"
    assert ids["liveness.live_and_fast[GET /api/live]"] == "passed"
    assert ids["latency.response_time[GET /api/fred-data?series=UNRATE]"] == "passed"
    # It reports no memory figures: skipped with the reason, never guessed.
    assert ids["memory.within_budget[GET /api/health]"] == "skipped"
    # Python's http.server announces itself: a version banner, listed as a warning.
    assert ids["security_headers.no_version_banner"] == "warned"
