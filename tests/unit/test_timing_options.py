"""--deadline, --timeout, --connect-timeout: precedence, validation, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.config import ConfigError, load_environment
from synthcheck.config.options import resolve_settings
from synthcheck.config.timing import apply_timing, parse_seconds

ROOT = Path(__file__).resolve().parents[2]
ENVS = ROOT / "environments"


def _settings(cli: dict[str, str], environ: dict[str, str]):  # type: ignore[no-untyped-def]
    return resolve_settings(cli.get, ROOT, environ)


def test_default_deadlines_per_suite() -> None:
    env = load_environment("local", ENVS)
    assert env.suite("postdeploy").deadline_s == 60
    assert env.suite("canary").deadline_s == 30
    assert env.suite("predeploy").deadline_s == 120


@pytest.mark.parametrize(
    ("text", "seconds"), [("10", 10.0), ("10s", 10.0), ("2.5", 2.5), ("500ms", 0.5), ("2m", 120.0)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_seconds(text, "--timeout", maximum=600) == seconds


@pytest.mark.parametrize("text", ["0", "-1", "ten", "10h", "601"])
def test_bad_durations_name_the_source(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_seconds(text, "--timeout", maximum=600)
    assert "--timeout" in str(caught.value)
    assert repr(text) in str(caught.value)


def test_flag_beats_env_var_beats_file() -> None:
    both = _settings({"deadline": "20"}, {"SYNTHCHECK_DEADLINE": "45"})
    assert both.deadline_s == 20.0
    assert both.sources["deadline"] == "--deadline"
    env_only = _settings({}, {"SYNTHCHECK_DEADLINE": "45", "SYNTHCHECK_TIMEOUT": "3"})
    assert env_only.deadline_s == 45.0
    assert env_only.timeout_s == 3.0
    assert env_only.sources["timeout"] == "$SYNTHCHECK_TIMEOUT"
    neither = _settings({}, {})
    assert (neither.deadline_s, neither.timeout_s, neither.connect_timeout_s) == (None, None, None)


def test_a_bad_env_var_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"\$SYNTHCHECK_CONNECT_TIMEOUT"):
        _settings({}, {"SYNTHCHECK_CONNECT_TIMEOUT": "soon"})


def test_apply_timing_layers_over_the_file() -> None:
    env = load_environment("production", ENVS)
    assert (env.http.total_timeout_s, env.http.read_timeout_s) == (15.0, 10.0)
    kept = apply_timing(env, "postdeploy")
    assert kept is env
    changed = apply_timing(env, "postdeploy", deadline_s=25, timeout_s=4, connect_timeout_s=1)
    assert changed.suite("postdeploy").deadline_s == 25
    assert changed.suite("canary").deadline_s == env.suite("canary").deadline_s
    assert (changed.http.total_timeout_s, changed.http.read_timeout_s) == (4, 4)
    assert changed.http.connect_timeout_s == 1


def test_a_connect_timeout_longer_than_the_request_timeout_is_refused() -> None:
    env = load_environment("production", ENVS)
    with pytest.raises(ConfigError) as caught:
        apply_timing(env, "postdeploy", timeout_s=2, connect_timeout_s=5)
    assert "--connect-timeout" in str(caught.value)
    assert "longer than the request timeout 2 s" in str(caught.value)
