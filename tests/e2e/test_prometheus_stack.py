"""A canary run's metrics through the real Prometheus parts (Debian's packages).

The verifier pushes to a real Pushgateway and writes its textfile where a real
node-exporter's textfile collector reads it; a real Prometheus scrapes both, and a
query of ``probe_success`` returns the run's outcome: 1 for a passing run, 0 once a
failing run has replaced it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import base_environ, deploy_verify
from tests.support.prometheus_parts import node_exporter, prometheus, pushgateway, query_until

pytestmark = pytest.mark.slow


def _values(prometheus_url: str, promql: str, want: float) -> list[float]:
    result = query_until(prometheus_url, f"{promql} == {want:g}")
    return [float(sample["value"][1]) for sample in result]  # type: ignore[index]


def test_probe_success_reaches_prometheus_by_pushgateway_and_textfile(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    with pushgateway() as gateway, node_exporter(reports) as exporter:
        environ = base_environ(SYNTHCHECK_PUSHGATEWAY_URL=gateway)
        healthy = deploy_verify("--env=local", "--suite=canary", reports=reports, environ=environ)
        assert healthy.code == 0, healthy.output
        assert "pushgateway: pushed" in healthy.output
        assert (reports / "synthcheck.prom").is_file()
        targets = {
            "pushgateway": gateway.removeprefix("http://"),
            "node": exporter.removeprefix("http://"),
        }
        with prometheus(targets) as prom:
            pushed = 'probe_success{env="local",job="synthcheck",suite="canary"}'
            textfile = 'probe_success{env="local",job="node",suite="canary"}'
            assert _values(prom, pushed, 1) == [1.0]
            assert _values(prom, textfile, 1) == [1.0]

            failing = deploy_verify(
                "--env=local",
                "--suite=canary",
                "--reference-fault=unhealthy",
                reports=reports,
                environ=environ,
            )
            assert failing.code == 1, failing.output
            assert _values(prom, pushed, 0) == [0.0]
            assert _values(prom, textfile, 0) == [0.0]
            # The failing check is there too, by category, for the generated alert rules.
            health = query_until(
                prom, 'synthcheck_check_success{job="synthcheck",category="health"} == 0'
            )
            assert health, "no failing health check series"
