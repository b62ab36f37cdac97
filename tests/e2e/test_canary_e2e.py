"""A canary sequence against a running reference service, on a simulated clock.

The service runs throughout; a fault is switched on mid-sequence through its admin
endpoint, as a real incident would start. Each canary run is stamped five minutes
after the previous one ($SYNTHCHECK_CLOCK), so the 15-minute memory window is
crossed in seconds: the alert must fire only after its window, be announced once,
and resolve (and be announced) when the fault is off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.reference import reference_service
from tests.support.harness import base_environ, deploy_verify
from tests.support.receiver import http_receiver

pytestmark = pytest.mark.slow

T0 = 1_790_000_000


@pytest.fixture(params=["sqlite", "postgres"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    url = request.getfixturevalue("postgres_url")
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS checks, runs, alert_state")
    return url


def test_memory_alert_fires_after_its_window_and_resolves(history: str, tmp_path: Path) -> None:
    with (
        http_receiver() as (receiver_url, requests),
        reference_service(admin=True, env=base_environ()) as service,
    ):

        def canary(minute: int, runner: str) -> tuple[int, dict, Path]:
            reports = tmp_path / f"run-{minute:02d}"
            environ = base_environ(
                SYNTHCHECK_HISTORY=history,
                SYNTHCHECK_CLOCK=str(T0 + minute * 60),
                SYNTHCHECK_WEBHOOK_URL=f"{receiver_url}/hook",
                SYNTHCHECK_RUNNER=runner,  # two canary runners share one history
                FRED_BASE_URL=service.upstream_url,  # the upstream probe goes to its stub
            )
            run = deploy_verify(
                "--env=local",
                f"--base-url={service.base_url}",
                "--suite=canary",
                reports=reports,
                environ=environ,
            )
            return run.code, run.summary, reports

        code, summary, _ = canary(0, "eu")
        assert code == 0, summary
        service.set_faults("memory_high")
        timeline = []
        for minute, runner in ((5, "us"), (10, "eu"), (15, "us"), (20, "eu")):
            code, summary, reports = canary(minute, runner)
            firing = [a["rule"] for a in summary["alerts"]]
            timeline.append((minute, code, firing))
        # Memory is bad from minute 5; the 15-minute window is crossed at minute 20.
        assert [t[2] for t in timeline] == [[], [], [], ["memory"]], timeline
        assert all(code == 1 for _, code, _ in timeline)  # the memory check fails each run
        alert_check = next(c for c in summary["checks"] if c["id"] == "alert.memory")
        assert alert_check["outcome"] == "failed"
        assert alert_check["severity"] == "P1"
        assert alert_check["runbook"] == "memory-leak"
        incident = (reports / "incident.md").read_text()
        assert "**memory** (P1)" in incident
        assert "| Duration so far | 15 min 0 s |" in incident  # detected at minute 5

        code, summary, reports = canary(25, "us")  # still bad: stays firing, no new message
        assert [a["rule"] for a in summary["alerts"]] == ["memory"]
        assert summary["alerts"][0]["new"] is False

        service.set_faults("")
        code, summary, reports = canary(30, "eu")
        assert code == 0, summary
        assert summary["alerts"] == []
        assert not (reports / "incident.md").exists()

    received = [r.json() for r in requests]
    states = [(m["synthcheck"]["rule"], m["synthcheck"]["state"]) for m in received]
    assert states == [("memory", "firing"), ("memory", "ok")]
    assert received[0]["text"].startswith("[FIRING] [P1] memory on local")
    assert received[1]["text"].startswith("[RESOLVED] [P1] memory on local")
