"""Environment files: the shipped ones load, broken ones fail naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.config import (
    ConfigError,
    apply_overrides,
    load_environment,
    parse_budget_overrides,
)
from synthcheck.plan import build_plan

DATA = Path(__file__).resolve().parents[1] / "data" / "environments"
INCORRECT = sorted(DATA.glob("incorrect-*.toml"))


def _expected(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <message>'"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("name", ["local", "staging", "production"])
def test_shipped_environments_load(env_dir: Path, name: str) -> None:
    env = load_environment(name, env_dir)
    assert env.name == name
    roles = {ep.role for ep in env.endpoints}
    assert {"health", "ready", "live", "data"} <= roles
    assert env.budgets.p95_ms == 500
    assert env.budgets.error_rate == 0.05
    assert env.budgets.memory_percent == 80


def test_local_is_embedded_and_production_is_marked(env_dir: Path) -> None:
    assert load_environment("local", env_dir).embedded
    assert load_environment("production", env_dir).production


def test_series_params_expand_to_one_target_each(env_dir: Path) -> None:
    plan = build_plan(load_environment("local", env_dir), "postdeploy")
    ids = [t.id for t in plan.targets]
    assert "GET /api/fred-data?series=UNRATE" in ids
    assert "GET /api/fred-data?series=GDPC1" in ids
    assert "HEAD /api/health" in ids
    assert plan.preflight_target.id == "GET /api/live"


def test_suite_membership_filters_endpoints(env_dir: Path) -> None:
    plan = build_plan(load_environment("local", env_dir), "canary")
    assert "GET /" not in [t.id for t in plan.targets]


@pytest.mark.parametrize("path", INCORRECT, ids=[p.stem for p in INCORRECT])
def test_incorrect_files_name_file_field_and_fix(path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_environment(str(path), DATA)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert _expected(path) in message, message


def test_incorrect_corpus_is_not_empty() -> None:
    assert len(INCORRECT) >= 15


def test_unknown_environment_suggests_the_closest(env_dir: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_environment("prodction", env_dir)
    message = str(caught.value)
    assert "--env: no environment 'prodction'" in message
    assert "Did you mean 'production'?" in message
    assert "Known environments: local, production, staging" in message


def test_missing_environment_path() -> None:
    with pytest.raises(ConfigError, match=r"environment file 'nowhere/x\.toml' does not exist"):
        load_environment("nowhere/x.toml", DATA)


def test_budget_overrides_parse_and_apply(env_dir: Path) -> None:
    budgets = parse_budget_overrides(["p95_ms=400", "error_rate=0.02"], "--budget")
    env = apply_overrides(load_environment("local", env_dir), budgets=budgets, environ={})
    assert env.budgets.p95_ms == 400.0
    assert all(ep.budgets.error_rate == 0.02 for ep in env.endpoints)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("p95=400", "--budget: 'p95': unknown budget. Did you mean 'p95_ms'?"),
        ("p95_ms", "--budget: 'p95_ms': expected NAME=VALUE"),
        ("p95_ms=fast", "--budget: p95_ms: 'fast' is not a number"),
        ("error_rate=2", "--budget: error_rate: '2' is out of range"),
    ],
)
def test_bad_budget_overrides(item: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_budget_overrides([item], "--budget")
    assert message in str(caught.value)


def test_upstream_urls_follow_the_service_variables(env_dir: Path) -> None:
    env = load_environment("production", env_dir)
    assert env.fred_base_url == "https://api.stlouisfed.org/fred"
    moved = apply_overrides(env, environ={"FRED_BASE_URL": "http://127.0.0.1:9999/fred/"})
    assert moved.fred_base_url == "http://127.0.0.1:9999/fred"


def test_data_and_version_sections(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_text(
        'schema_version = 1\nname = "d"\nbase_url = "http://127.0.0.1:9"\n'
        '[data]\nseries_paths = ["payload.ticker"]\nmax_age_days = { m = 40 }\n'
        'series_max_age_days = { gdpc1 = 120 }\nseries_frequency = { fedfunds = "d" }\n'
        '[version]\npaths = ["build.tag"]\nheader = "X-App-Version"\n'
        '[[endpoints]]\nrole = "health"\npath = "/api/health"\n'
    )
    env = load_environment(str(path), tmp_path)
    assert env.data.series_paths == ("payload.ticker",)
    assert env.data.max_age_days["M"] == 40
    assert env.data.max_age_days["Q"] == 200  # the defaults stay for the others
    assert env.data.series_max_age_days == {"GDPC1": 120}
    assert env.data.series_frequency == {"FEDFUNDS": "D"}
    assert env.version.paths == ("build.tag",)
    assert env.version.header == "X-App-Version"
