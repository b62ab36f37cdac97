"""The real thing: the service as a subprocess, through the launcher (a few seconds)."""

from __future__ import annotations

import re
import signal
from datetime import date

import httpx
import pytest

from synthcheck.reference import (
    ReferenceServiceError,
    reference_service,
    start_reference_service,
)
from synthcheck.reference.freshdates import newest_fresh_date
from synthcheck.reference.observations import load_all

FRED_KEY = "fedcba9876543210fedcba9876543210"
READY_RE = re.compile(r"^READY app=http://127\.0\.0\.1:\d+ upstream=http://127\.0\.0\.1:\d+$")


def client(timeout: float = 5.0) -> httpx.Client:
    return httpx.Client(trust_env=False, timeout=timeout)


def test_healthy_service_ready_line_headers_and_clean_sigterm(tmp_path):
    log_file = tmp_path / "service.log"
    service = start_reference_service(
        env={"FRED_API_KEY": FRED_KEY}, log_file=log_file, app_version="9.9.9"
    )
    try:
        assert READY_RE.match(service.stdout_lines()[0])
        expected = f"READY app={service.base_url} upstream={service.upstream_url}"
        assert service.stdout_lines() == [expected]
        with client() as http:
            health = http.get(f"{service.base_url}/api/health")
            assert health.status_code == 200
            assert health.json()["version"] == "9.9.9"
            assert health.json()["checks"]["fred_api"]["status"] == "pass"
            assert "server" not in health.headers
            assert "date" in health.headers
            data = http.get(f"{service.base_url}/api/fred-data", params={"series": "GDPC1"})
            assert data.status_code == 200
            # The server's stub serves the bundled data shifted to recent dates.
            newest = newest_fresh_date(load_all()["GDPC1"], date.today()).isoformat()
            assert data.json()["observations"][-1]["date"] == newest
            upstream = http.get(
                f"{service.upstream_url}/series/observations",
                params={
                    "series_id": "UNRATE",
                    "api_key": FRED_KEY,
                    "file_type": "json",
                    "limit": 1,
                },
            )
            assert upstream.json()["observations"][0]["value"] == "9.8"
    finally:
        code = service.stop()
    assert code == 0
    assert service.stop() == 0  # idempotent
    log = log_file.read_text()
    assert "path=/api/health status=200" in log
    assert FRED_KEY not in log
    assert FRED_KEY not in service.stderr()


def test_sigint_also_exits_0():
    with reference_service() as service:
        service.process.send_signal(signal.SIGINT)
        assert service.process.wait(timeout=10) == 0


def test_generated_key_is_announced_but_never_logged():
    with reference_service(env={"FRED_API_KEY": ""}) as service, client() as http:
        body = http.get(f"{service.base_url}/api/health").json()
        assert body["checks"]["fred_api"]["status"] == "pass"
    stderr = service.stderr()
    assert "generated_api_key variable=FRED_API_KEY" in stderr
    assert not re.search(r"\b[0-9a-f]{32}\b", stderr)


def test_down_refuses_connections():
    with reference_service(faults=["down"]) as service:
        with client(1.0) as http, pytest.raises(httpx.ConnectError):
            http.get(f"{service.base_url}/api/health")
        assert service.process.poll() is None  # idles until stopped
    assert service.process.returncode == 0


def test_hang_accepts_and_never_answers():
    with (
        reference_service(faults=["hang"]) as service,
        client(0.5) as http,
        pytest.raises(httpx.ReadTimeout),
    ):
        http.get(f"{service.base_url}/api/health")
    assert service.process.returncode == 0


def test_garbage_answers_non_http_bytes():
    with (
        reference_service(faults=["garbage"], extra_args=["--seed", "1"]) as service,
        client(2.0) as http,
        pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)),
    ):
        http.get(f"{service.base_url}/api/health")
    assert service.process.returncode == 0


def test_bad_spec_exits_2_and_the_error_says_why():
    with pytest.raises(ReferenceServiceError) as info:
        start_reference_service(faults=["slow_tial"])
    assert info.value.returncode == 2
    assert "Did you mean 'slow_tail'?" in info.value.stderr_tail
    assert "exit code 2" in str(info.value)


def test_set_faults_switches_a_fault_on_mid_sequence():
    with reference_service(admin=True) as service, client() as http:
        url = f"{service.base_url}/api/health"
        assert http.get(url).status_code == 200
        service.set_faults("unhealthy;version_banner")
        unhealthy = http.get(url)
        assert unhealthy.status_code == 503
        assert unhealthy.headers["server"].startswith("uvicorn/")
        with pytest.raises(ReferenceServiceError, match="unknown fault 'nope'"):
            service.set_faults("nope")
        service.set_faults("")
        assert http.get(url).status_code == 200


def test_set_faults_needs_admin():
    with reference_service() as service, pytest.raises(ReferenceServiceError, match="admin"):
        service.set_faults("unhealthy")


def test_upstream_refuse_at_startup_and_stub_only():
    with (
        reference_service(
            faults=["upstream_down:mode=refuse"], extra_args=["--upstream-timeout", "1"]
        ) as service,
        client() as http,
    ):
        with pytest.raises(httpx.ConnectError):
            http.get(f"{service.upstream_url}/series?series_id=UNRATE")
        body = http.get(f"{service.base_url}/api/health").json()
        assert body["checks"]["fred_api"]["status"] == "fail"
        assert body["status"] == "degraded"
        assert http.get(f"{service.base_url}/api/fred-data?series=UNRATE").status_code == 502
    with reference_service(extra_args=["--stub-only"]) as stub, client() as http:
        assert stub.base_url == stub.upstream_url
        assert stub.stdout_lines() == [f"READY upstream={stub.upstream_url}"]
        response = http.get(
            f"{stub.upstream_url}/fred/series",
            params={"series_id": "FEDFUNDS", "api_key": FRED_KEY},
        )
        assert response.json()["seriess"][0]["id"] == "FEDFUNDS"


def test_context_manager_stops_on_exceptions():
    with pytest.raises(RuntimeError, match="boom"), reference_service() as service:
        raise RuntimeError("boom")
    assert service.process.returncode == 0
