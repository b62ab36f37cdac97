"""The statistics, error_rate, rate_limit and upstream-probe settings in environment files."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.config import ConfigError, apply_overrides, load_environment
from synthcheck.config.model import DEFAULT_SUITES

HEAD = """\
schema_version = 1
name = "t"
base_url = "http://127.0.0.1:9"

[[endpoints]]
role = "health"
path = "/api/health"
"""


def write(tmp_path: Path, extra: str) -> str:
    # TOML tables must come after the top-level keys, so the endpoint goes last.
    top, _, endpoint = HEAD.partition("[[endpoints]]")
    path = tmp_path / "t.toml"
    path.write_text(f"{top}{extra}\n[[endpoints]]{endpoint}")
    return str(path)


def test_shipped_local_environment_enables_the_upstream_probe(env_dir: Path) -> None:
    env = load_environment("local", env_dir)
    assert env.upstream_probe.enabled
    assert env.upstream_probe.samples <= 10
    assert env.suite("postdeploy").max_samples >= 100
    assert env.statistics.fail_confidence > env.statistics.confidence


def test_defaults_without_any_section(tmp_path: Path) -> None:
    env = load_environment(write(tmp_path, ""), tmp_path)
    assert env.statistics.confidence == 0.95
    assert env.error_rate.failing_multiple == 1.8
    assert env.rate_limit.warn_usage == 0.8
    assert not env.upstream_probe.enabled
    assert env.suite("canary").max_samples == DEFAULT_SUITES["canary"].max_samples


def test_sections_are_read(tmp_path: Path) -> None:
    extra = """
[upstreams]
probe = true
probe_series = "GDPC1"
probe_samples = 2
probe_budget_ms = 800

[statistics]
confidence = 0.9
fail_confidence = 0.99
min_batch = 5
tail_false_fail = 0.005
tail_failing_multiple = 2.5

[error_rate]
expected_4xx = [404, 429]
false_fail = 0.02

[rate_limit]
warn_usage = 0.7
health_field = "limits.fred"

[suites.canary]
samples = 3
max_samples = 40
"""
    env = load_environment(write(tmp_path, extra), tmp_path)
    probe = env.upstream_probe
    assert (probe.enabled, probe.series, probe.samples, probe.budget_ms) == (True, "GDPC1", 2, 800)
    assert (env.statistics.confidence, env.statistics.min_batch) == (0.9, 5)
    assert (env.statistics.tail_false_fail, env.statistics.tail_failing_multiple) == (0.005, 2.5)
    assert env.error_rate.expected_4xx == (404, 429)
    assert env.error_rate.false_fail == 0.02
    assert env.rate_limit.health_field == "limits.fred"
    assert env.suite("canary").max_samples == 40


def test_samples_above_the_default_cap_raise_the_cap(tmp_path: Path) -> None:
    env = load_environment(write(tmp_path, "[suites.postdeploy]\nsamples = 500\n"), tmp_path)
    assert env.suite("postdeploy").max_samples == 500


def test_samples_override_keeps_max_samples_above_it(tmp_path: Path) -> None:
    env = load_environment(write(tmp_path, ""), tmp_path)
    bumped = apply_overrides(env, samples=1000, suite="canary", environ={})
    assert bumped.suite("canary").samples == bumped.suite("canary").max_samples == 1000


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "[suites.canary]\nsamples = 50\nmax_samples = 10\n",
            "suites.canary.max_samples: 10 is below samples 50",
        ),
        (
            "[statistics]\nconfidence = 0.99\nfail_confidence = 0.9\n",
            "statistics.fail_confidence: 0.9 is below confidence 0.99",
        ),
        (
            "[rate_limit]\nwarn_usage = 0.9\nfail_usage = 0.8\n",
            "rate_limit.warn_usage: 0.9 is not below fail_usage 0.8",
        ),
        ("[upstreams]\nprobe_samples = 50\n", "probe_samples"),
        ("[error_rate]\nexpected_4xx = [500]\n", "expected_4xx"),
        ("[statistics]\nconfidense = 0.9\n", "confidense"),
        ("[statistics]\ntail_false_fail = 0.5\n", "tail_false_fail"),
        ("[statistics]\ntail_failing_multiple = 1.0\n", "tail_failing_multiple"),
    ],
    ids=[
        "max-below-samples",
        "fail-below-pass",
        "warn-above-fail",
        "probe-burst",
        "5xx-expected",
        "typo",
        "tail-false-fail-too-high",
        "tail-multiple-not-above-1",
    ],
)
def test_bad_values_name_the_field(tmp_path: Path, extra: str, message: str) -> None:
    path = write(tmp_path, extra)
    with pytest.raises(ConfigError) as caught:
        load_environment(path, tmp_path)
    assert str(caught.value).startswith(path)
    assert message in str(caught.value)
