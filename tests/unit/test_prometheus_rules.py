"""`synthcheck prometheus-rules`: the runbook's alert windows, checked by the real promtool.

`promtool check rules` validates the generated file; `promtool test rules` feeds each
alert a synthetic series that turns bad at t=0 and good again later, and asserts the
alert is silent before its window has passed, firing after it, and resolved once the
series is good. Binaries: Debian's prometheus package (.ci/run installs it).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from synthcheck.cli import main
from tests.support.envfiles import local_with
from tests.support.prometheus_parts import binary

ENV = "production"
ENDPOINT = "GET /api/fred-data?series=UNRATE"


def _check(category: str) -> str:
    return (
        f'synthcheck_check_success{{env="{ENV}",check="{category}.x",'
        f'category="{category}",endpoint="{ENDPOINT}"}}'
    )


# alert -> (series, bad value, good value, labels the alert carries besides its own)
CASES: dict[str, tuple[str, float, float, dict[str, str]]] = {
    "SynthcheckApplicationDown": (
        _check("availability"),
        0,
        1,
        {"env": ENV, "category": "availability"},
    ),
    "SynthcheckErrorRate": (
        f'synthcheck_error_ratio{{env="{ENV}",endpoint="{ENDPOINT}"}}',
        0.2,
        0.0,
        {"env": ENV, "endpoint": ENDPOINT},
    ),
    "SynthcheckLatencyP95": (
        f'synthcheck_latency_seconds{{env="{ENV}",endpoint="{ENDPOINT}",quantile="0.95"}}',
        1.5,
        0.2,
        {"env": ENV, "endpoint": ENDPOINT},
    ),
    "SynthcheckMemory": (f'synthcheck_memory_percent{{env="{ENV}"}}', 92, 40, {"env": ENV}),
    "SynthcheckRateLimit": (
        f'synthcheck_rate_limit_usage_ratio{{env="{ENV}"}}',
        0.9,
        0.3,
        {"env": ENV},
    ),
    "SynthcheckUpstream": (_check("upstream"), 0, 1, {"env": ENV, "category": "upstream"}),
    "SynthcheckSecurity": (_check("key_leak"), 0, 1, {"env": ENV, "category": "key_leak"}),
}


def _rules(tmp_path: Path, *args: str) -> tuple[Path, dict[str, dict[str, Any]]]:
    out = tmp_path / "synthcheck.rules.yml"
    assert main(["prometheus-rules", "--output", str(out), *args]) == 0
    loaded = yaml.safe_load(out.read_text())
    return out, {r["alert"]: r for r in loaded["groups"][0]["rules"]}


def _minutes(rule: dict[str, Any]) -> int:
    text = str(rule.get("for", "0s"))
    unit = {"s": 1 / 60, "m": 1, "h": 60}[text[-1]]
    return round(float(text[:-1]) * unit)


def _expected_annotations(rule: dict[str, Any], labels: dict[str, str], value: float) -> Any:
    def fill(text: str) -> str:
        for name, label in labels.items():
            text = text.replace(f"{{{{ $labels.{name} }}}}", label)
        return text.replace("{{ $value }}", f"{value:g}")

    return {k: fill(v) for k, v in rule["annotations"].items()}


def _window_case(alert: str, rule: dict[str, Any]) -> dict[str, Any]:
    series, bad, good, labels = CASES[alert]
    window = _minutes(rule)
    bad_for = window + 3  # minutes 0..bad_for are bad, then good
    firing = {
        "exp_labels": {
            **labels,
            "severity": rule["labels"]["severity"],
            "synthcheck_rule": rule["labels"]["synthcheck_rule"],
        },
        "exp_annotations": _expected_annotations(rule, labels, bad),
    }
    checks = [{"eval_time": f"{window + 1}m", "alertname": alert, "exp_alerts": [firing]}]
    if window > 0:  # pending, not firing, until the window has passed
        checks.insert(0, {"eval_time": f"{window - 1}m", "alertname": alert, "exp_alerts": []})
    checks.append({"eval_time": f"{bad_for + 2}m", "alertname": alert, "exp_alerts": []})
    return {
        "interval": "1m",
        "input_series": [{"series": series, "values": f"{bad:g}x{bad_for} {good:g}x20"}],
        "alert_rule_test": checks,
    }


def _stale_case(rule: dict[str, Any]) -> dict[str, Any]:
    # Runs every 5 minutes until minute 20, then the canary stops; the pushed
    # timestamp keeps its last value. Stale after 3 intervals (900 s): at 36 min.
    values = [float(minute // 5 * 300) for minute in range(21)] + [1200.0] * 25
    firing = {
        "exp_labels": {"env": ENV, "severity": "P2", "synthcheck_rule": "canary_stale"},
        "exp_annotations": {
            **{k: v.replace("{{ $labels.env }}", ENV) for k, v in rule["annotations"].items()},
            "description": rule["annotations"]["description"].replace(
                "{{ $value | humanizeDuration }}", "16m 0s"
            ),
        },
    }
    return {
        "interval": "1m",
        "input_series": [
            {
                "series": f'synthcheck_last_run_timestamp_seconds{{env="{ENV}"}}',
                "values": " ".join(f"{v:g}" for v in values),
            }
        ],
        "alert_rule_test": [
            {"eval_time": "19m", "alertname": "SynthcheckCanaryStale", "exp_alerts": []},
            {"eval_time": "35m", "alertname": "SynthcheckCanaryStale", "exp_alerts": []},
            {"eval_time": "36m", "alertname": "SynthcheckCanaryStale", "exp_alerts": [firing]},
        ],
    }


def _trend_cases(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """A run every minute. Used memory growing 1 MiB a minute fires once six runs are
    in the window; a flat, noisy series never does; growth that stops resolves."""
    mib = 1024 * 1024
    runs = {"series": f'synthcheck_last_run_timestamp_seconds{{env="{ENV}"}}', "values": "0+60x60"}
    growing = " ".join(f"{(100 + m) * mib}" for m in range(31)) + f" {130 * mib}x29"
    noisy = " ".join(f"{(100 + m % 2) * mib}" for m in range(61))
    alert = "SynthcheckMemoryTrend"
    labels = {"env": ENV, "severity": "P1", "synthcheck_rule": "memory_trend"}
    used = f'synthcheck_memory_used{{env="{ENV}"}}'

    def firing() -> dict[str, Any]:
        notes = rule["annotations"]
        summary = notes["summary"].replace("{{ $labels.env }}", ENV)
        # 1 MiB a minute over the 15-minute window, by least squares.
        growth = notes["description"].replace("{{ $value | humanize }}", "15.73M")
        return {
            "exp_labels": labels,
            "exp_annotations": {**notes, "summary": summary, "description": growth},
        }

    grow_case = {
        "interval": "1m",
        "input_series": [runs, {"series": used, "values": growing}],
        "alert_rule_test": [
            {"eval_time": "3m", "alertname": alert, "exp_alerts": []},
            {"eval_time": "10m", "alertname": alert, "exp_alerts": [firing()]},
            {"eval_time": "30m", "alertname": alert, "exp_alerts": [firing()]},
            {"eval_time": "50m", "alertname": alert, "exp_alerts": []},  # flat for 20 min
        ],
    }
    flat_case = {
        "interval": "1m",
        "input_series": [runs, {"series": used, "values": noisy}],
        "alert_rule_test": [
            {"eval_time": f"{m}m", "alertname": alert, "exp_alerts": []} for m in (10, 30, 60)
        ],
    }
    return [grow_case, flat_case]


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary("promtool"), *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("env", ["local", "staging", "production"])
def test_promtool_accepts_the_rules_of_every_shipped_environment(tmp_path: Path, env: str) -> None:
    path, rules = _rules(tmp_path, "--env", env)
    done = _promtool("check", "rules", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(rules) == {*CASES, "SynthcheckCanaryStale", "SynthcheckMemoryTrend"}
    for rule in rules.values():
        assert rule["annotations"]["runbook_url"].split("#")[-1], rule


def test_each_alert_fires_only_after_its_window_and_resolves_after(tmp_path: Path) -> None:
    path, rules = _rules(tmp_path, "--env", ENV)
    # The runbook's windows, as the harness's own alert rules define them.
    assert {a: _minutes(r) for a, r in rules.items()} == {
        "SynthcheckApplicationDown": 5,  # two failing runs in a row, 5 minutes apart
        "SynthcheckErrorRate": 5,
        "SynthcheckLatencyP95": 10,
        "SynthcheckMemory": 15,
        "SynthcheckRateLimit": 0,
        "SynthcheckUpstream": 5,
        "SynthcheckSecurity": 0,
        "SynthcheckCanaryStale": 0,
        "SynthcheckMemoryTrend": 0,  # its 15-minute window is inside the expression
    }
    tests = [_window_case(alert, rules[alert]) for alert in CASES]
    tests.append(_stale_case(rules["SynthcheckCanaryStale"]))
    tests += _trend_cases(rules["SynthcheckMemoryTrend"])
    spec = tmp_path / "rules.test.yml"
    spec.write_text(
        yaml.safe_dump(
            {"rule_files": [path.name], "evaluation_interval": "1m", "tests": tests},
            sort_keys=False,
        )
    )
    done = _promtool("test", "rules", str(spec))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_the_environments_alert_tuning_reaches_the_rules(tmp_path: Path) -> None:
    env = local_with(
        tmp_path,
        "[alerts.error_rate]\nwindow_s = 120\nthreshold = 0.1\n[alerts.memory]\nenabled = false\n",
    )
    path, rules = _rules(tmp_path, "--env", str(env), "--interval", "60")
    assert _minutes(rules["SynthcheckErrorRate"]) == 2
    assert rules["SynthcheckErrorRate"]["expr"].endswith("> 0.1")
    assert "SynthcheckMemory" not in rules
    # Two failing runs in a row, one minute apart.
    assert _minutes(rules["SynthcheckApplicationDown"]) == 1
    assert "> 180" in rules["SynthcheckCanaryStale"]["expr"]
    assert _promtool("check", "rules", str(path)).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interval", "0"], "--interval must be > 0"),
        (["--env", "no-such-env"], "no-such-env"),
    ],
)
def test_bad_input_exits_2_naming_it(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prometheus-rules", "--output", str(tmp_path / "r.yml"), *args]) == 2
    assert message in capsys.readouterr().err
