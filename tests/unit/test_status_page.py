"""`synthcheck status-page`: uptime windows, trends, incidents and badges from the history."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from synthcheck.alerts import DEFAULT_RULES
from synthcheck.cli import main
from synthcheck.history import CheckRecord, RunRecord, open_store
from synthcheck.statuspage import build_status

DAY = 86_400.0
NOW = 1_780_000_000.0  # a fixed "now" (2026-05-28): the windows end here
STEP = 300.0  # a canary run every 5 minutes
DATA = "GET /api/fred-data?series=UNRATE"
HEALTH = "GET /api/health"


def _run(
    at: float, *, down: bool = False, p95: float = 120.0, errors: float = 0.0, version: str = "v2"
) -> RunRecord:
    checks = (
        CheckRecord("availability.reachable", "availability", "passed", "P0", HEALTH),
        CheckRecord(
            "health.overall",
            "health",
            "failed" if down else "passed",
            "P0",
            HEALTH,
            "application-down",
            "health reports unhealthy" if down else "",
        ),
        CheckRecord(
            f"latency.p95[{DATA}]", "latency", "passed", "P2", DATA, metrics={"p95_ms": p95}
        ),
        CheckRecord(
            f"error_rate[{DATA}]",
            "error_rate",
            "failed" if errors > 0.05 else "passed",
            "P1",
            DATA,
            metrics={"error_rate": errors},
        ),
        CheckRecord("tls.expiry", "tls", "skipped", "P2"),
    )
    outcome = "failed" if down or errors > 0.05 else "passed"
    return RunRecord(
        "production",
        "canary",
        "https://fred.example.com",
        at,
        2.0,
        outcome,
        version,
        "test",
        checks,
        target="https://fred.example.com",
    )


def _history(days: float = 3.0) -> list[RunRecord]:
    """Runs every 5 minutes; v1 until 30 h ago, then v2, which is down for an hour
    starting 20 h ago (12 runs) and has a slow, erroring hour 50 h ago."""
    runs = []
    t = NOW - days * DAY
    while t <= NOW:
        age = NOW - t
        runs.append(
            _run(
                t,
                down=20 * 3600 - 3600 < age <= 20 * 3600,
                p95=900.0 if 49 * 3600 < age <= 50 * 3600 else 120.0,
                errors=0.2 if 49 * 3600 < age <= 50 * 3600 else 0.0,
                version="v1" if age > 30 * 3600 else "v2",
            )
        )
        t += STEP
    return runs


def test_uptime_is_the_share_of_runs_up_in_each_window() -> None:
    runs = _history()
    data = build_status(runs, DEFAULT_RULES, now=NOW)
    in_24h = [r for r in runs if r.started_at >= NOW - DAY]
    down = [r for r in in_24h if r.outcome == "failed"]
    assert len(down) == 12
    assert data.overall.runs["24h"] == len(in_24h)
    assert data.overall.ratios["24h"] == pytest.approx(1 - 12 / len(in_24h))
    # 7 days reach back past the start of the history: every run counts once.
    assert data.overall.runs["7d"] == len(runs)
    # Per family: the error spike 50 h ago is outside 24 h, inside 7 d.
    families = {u.label: u for u in data.families}
    assert families["error_rate"].ratios["24h"] == 1.0
    assert families["error_rate"].ratios["7d"] == pytest.approx(1 - 12 / len(runs))
    assert families["availability"].ratios["90d"] == 1.0
    # A family whose checks were all skipped says nothing rather than "100 %".
    assert families["tls"].ratios == {"24h": None, "7d": None, "30d": None, "90d": None}
    endpoints = {u.label: u for u in data.endpoints}
    assert set(endpoints) == {HEALTH, DATA}
    assert endpoints[HEALTH].ratios["24h"] == data.overall.ratios["24h"]


def test_incidents_are_the_alert_rules_replayed_with_their_rollback_target() -> None:
    data = build_status(_history(), DEFAULT_RULES, now=NOW)
    by_rule = {i.rule: i for i in data.incidents}
    assert set(by_rule) == {"application_down", "error_rate"}
    down = by_rule["application_down"]
    # The outage's first failing run is 20 h old and the first passing one 19 h old:
    # the incident runs from the one to the other (it fired on the second bad run).
    assert down.fired_at == NOW - 20 * 3600
    assert down.resolved_at == NOW - 19 * 3600
    assert down.rollback_target == "v2"  # v2 passed for 10 h before it went down
    assert down.runbook == "application-down"
    assert down.severity == "P0"
    assert "health" in down.detail
    spike = by_rule["error_rate"]
    assert (spike.fired_at, spike.resolved_at) == (NOW - 50 * 3600, NOW - 49 * 3600)
    assert spike.rollback_target == "v1"  # the spike came before v2 was deployed
    # Newest first, as a timeline reads.
    assert [i.rule for i in data.incidents] == ["application_down", "error_rate"]


def test_an_ongoing_incident_has_no_resolution() -> None:
    runs = [_run(NOW - 600), _run(NOW - 300, down=True), _run(NOW, down=True)]
    (incident,) = build_status(runs, DEFAULT_RULES, now=NOW).incidents
    assert incident.rule == "application_down"
    assert incident.resolved_at is None


def test_trends_keep_a_spike_visible_when_thinned() -> None:
    runs = _history(days=10)
    data = build_status(runs, DEFAULT_RULES, now=NOW)
    line = data.p95_ms[DATA]
    assert len(line) <= 240 < len(runs)
    assert max(p.value for p in line) == 900.0
    assert [p.at for p in line] == sorted(p.at for p in line)


def _write(store_location: str, runs: list[RunRecord]) -> None:
    with open_store(store_location) as store:
        for run in runs:
            store.append_run(run)


def _site(tmp_path: Path, location: str, *extra: str) -> Path:
    out = tmp_path / "site"
    code = main(
        ["status-page", "--out", str(out), "--history", location, "--now", str(NOW), *extra]
    )
    assert code == 0
    return out


def _check_site(out: Path) -> None:
    page = (out / "index.html").read_text()
    assert "<script" not in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing from the network
    assert "production" in page
    assert "PASSED" in page
    assert page.count('class="incident resolved"') == 2
    assert "docs/runbook.md#application-down" in page  # production.toml's runbook links
    feed = json.loads((out / "status.json").read_text())
    assert feed["schema_version"] == 1
    assert feed["overall"]["ratios"]["24h"] == pytest.approx(1 - 12 / 289)
    assert {i["rule"] for i in feed["incidents"]} == {"application_down", "error_rate"}
    for name in ("status", "uptime-24h", "uptime-7d", "uptime-30d", "uptime-90d", "p95"):
        svg = ET.fromstring((out / "badges" / f"{name}.svg").read_text())
        assert svg.tag.endswith("svg"), name
    status = (out / "badges" / "status.svg").read_text()
    assert "passing" in status
    assert "95.85 %" in (out / "badges" / "uptime-24h.svg").read_text()
    assert "120 ms" in (out / "badges" / "p95.svg").read_text()


def test_the_site_from_a_sqlite_history(tmp_path: Path) -> None:
    location = str(tmp_path / "history.sqlite")
    _write(location, _history())
    _check_site(_site(tmp_path, location, "--env", "production"))


@pytest.mark.slow
def test_the_site_from_a_postgresql_history(tmp_path: Path, postgres_url: str) -> None:
    location = postgres_url  # a fresh database of this test's own (tests/conftest.py)
    _write(location, _history())
    _check_site(_site(tmp_path, location, "--env", "production"))


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "none.sqlite")
    assert main(["status-page", "--out", str(tmp_path), "--history", missing]) == 2
    assert "no history at" in capsys.readouterr().err
    location = str(tmp_path / "h.sqlite")
    _write(location, _history(days=0.1))
    assert (
        main(
            [
                "status-page",
                "--out",
                str(tmp_path),
                "--history",
                location,
                "--env",
                "staging",
                "--now",
                str(NOW),
            ]
        )
        == 2
    )
    assert "holds no runs of 'staging'" in capsys.readouterr().err


def test_runs_against_another_target_stay_off_the_page(tmp_path: Path) -> None:
    """A --base-url verify of a throwaway host under production's name is not production."""
    location = str(tmp_path / "h.sqlite")
    other = [
        dataclasses.replace(
            r, base_url="http://127.0.0.1:9", target="http://127.0.0.1:9", outcome="failed"
        )
        for r in _history(days=0.05)
    ]
    _write(location, _history() + other)
    out = _site(tmp_path, location, "--env", "production", "--target", "https://fred.example.com")
    feed = json.loads((out / "status.json").read_text())
    assert feed["base_url"] == "https://fred.example.com"
    assert feed["overall"]["ratios"]["24h"] == pytest.approx(1 - 12 / 289)
