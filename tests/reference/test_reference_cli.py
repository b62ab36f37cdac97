"""The CLI's argument handling (in-process: nothing is served here)."""

from __future__ import annotations

import pytest

from synthcheck.reference import FAULTS
from synthcheck.reference.serve_args import build_parser
from synthcheck.reference.serve_plan import make_plan
from synthcheck.reference.server import main
from synthcheck.reference.settings import is_valid_fred_key


def plan_for(argv, env=None):
    return make_plan(build_parser().parse_args(argv), env or {})


def test_list_faults_prints_one_line_per_fault(capsys):
    assert main(["--list-faults"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == sorted(FAULTS)
    assert any(line.startswith("slow_tail: ms=1200.0 p=0.1 path=/api/ -- ") for line in lines)


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            ["--fault", "slow_tial"],
            {},
            "error: unknown fault 'slow_tial'. Did you mean 'slow_tail'?",
        ),
        ([], {"REFERENCE_FAULTS": "unhealthy;memory_hgh"}, "Did you mean 'memory_high'?"),
        (["--fault", "slow_all:msx=1"], {}, "unknown parameter 'msx' for fault 'slow_all'"),
        (["--host", "0.0.0.0"], {}, "refusing to listen on non-loopback host '0.0.0.0'"),
        (["--upstream-url", "https://api.stlouisfed.org/fred"], {}, "refusing non-loopback"),
        ([], {"PORT": "http"}, "PORT must be a port number"),
    ],
)
def test_usage_errors_exit_2_with_a_message(argv, env, message, capsys, monkeypatch):
    for name in ("REFERENCE_FAULTS", "PORT", "FRED_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "http"],
        ["--port", "70000"],
        ["--bogus"],
        ["--memory-limit-mb", "0"],
        ["--cache-ttl", "-1"],
    ],
)
def test_argparse_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_cli_flags_override_env():
    env = {"REFERENCE_FAULTS": "unhealthy", "PORT": "8123", "FRED_API_KEY": "a" * 32}
    plan = plan_for(["--fault", "degraded", "--port", "0"], env)
    assert [af.name for af in plan.faults] == ["degraded"]
    assert plan.port == 0
    env_plan = plan_for([], env)
    assert [af.name for af in env_plan.faults] == ["unhealthy"]
    assert env_plan.port == 8123
    assert env_plan.settings.fred_api_key == "a" * 32


def test_missing_keys_are_generated_and_only_that_is_noted():
    plan = plan_for([], {})
    key = plan.settings.fred_api_key
    assert is_valid_fred_key(key)
    assert len(plan.settings.alpha_vantage_api_key) == 16
    noted = " ".join(f"{event} {fields}" for event, fields in plan.notes)
    assert "FRED_API_KEY" in noted
    assert key not in noted
    assert plan_for([], {}).settings.fred_api_key != key


def test_upstream_choice():
    assert plan_for([], {}).upstream_url is None  # start the stub
    assert plan_for([], {"FRED_BASE_URL": "http://127.0.0.1:9/fred/"}).upstream_url == (
        "http://127.0.0.1:9/fred"
    )
    ignored = plan_for([], {"FRED_BASE_URL": "https://api.stlouisfed.org/fred"})
    assert ignored.upstream_url is None
    assert "ignored_upstream" in [event for event, _ in ignored.notes]
    explicit = plan_for(
        ["--upstream-url", "http://localhost:9"], {"FRED_BASE_URL": "http://127.0.0.1:1"}
    )
    assert explicit.upstream_url == "http://localhost:9"
    assert plan_for(["--stub-only"], {"FRED_BASE_URL": "http://127.0.0.1:1"}).upstream_url is None


def test_log_file_from_env_and_flag(tmp_path):
    env = {"REFERENCE_LOG_FILE": str(tmp_path / "a.log")}
    assert plan_for([], env).log_file == tmp_path / "a.log"
    assert plan_for(["--log-file", str(tmp_path / "b.log")], env).log_file == tmp_path / "b.log"
