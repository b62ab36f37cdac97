"""The one precedence: CLI > env var > pytest ini > environment file > default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synthcheck.config import ConfigError
from synthcheck.config.options import OPTIONS, Option, resolve_settings
from synthcheck.config.precedence import Layers, Level, Resolved, Setting, is_unset, resolve

SUITE = next(o for o in OPTIONS if o.dest == "suite")
HISTORY = next(o for o in OPTIONS if o.dest == "history")
FAULTS = next(o for o in OPTIONS if o.dest == "reference_fault")
SMOKE = next(o for o in OPTIONS if o.dest == "smoke_load")
BASE_URL = next(o for o in OPTIONS if o.dest == "base_url")
FILE = "environments/production.toml [history] location"


def layers(
    cli: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
    ini: dict[str, Any] | None = None,
) -> Layers:
    flags, keys = cli or {}, ini
    return Layers(flags.get, environ or {}, keys.get if keys is not None else None)


def every_level(option: Option) -> dict[str, Any]:
    return {
        "cli": {option.dest: "from-cli"},
        "environ": {option.env_var: "from-env"},
        "ini": {option.ini: "from-ini"},
    }


@pytest.mark.parametrize(
    ("dropped", "value", "source", "level"),
    [
        ((), "from-cli", "--history", Level.CLI),
        (("cli",), "from-env", "$SYNTHCHECK_HISTORY", Level.ENV),
        (("cli", "environ"), "from-ini", "ini synthcheck_history", Level.INI),
        (("cli", "environ", "ini"), "from-file", FILE, Level.FILE),
    ],
)
def test_each_level_beats_the_next(
    dropped: tuple[str, ...], value: str, source: str, level: Level
) -> None:
    given = {k: v for k, v in every_level(HISTORY).items() if k not in dropped}
    found = resolve(HISTORY, layers(**given), file_value="from-file", file_source=FILE)
    assert found == Resolved(value, source, level)


def test_the_default_when_no_level_sets_it() -> None:
    assert resolve(SUITE, layers()) == Resolved("postdeploy", "default", Level.DEFAULT)
    assert resolve(HISTORY, layers()) == Resolved(None, "default", Level.DEFAULT)


def test_the_file_level_applied_later_beats_only_the_default() -> None:
    from_env = resolve(HISTORY, layers(environ={"SYNTHCHECK_HISTORY": "off"}))
    assert from_env.over_file("x.sqlite", FILE) is from_env
    from_default = resolve(HISTORY, layers())
    assert from_default.over_file("x.sqlite", FILE) == Resolved("x.sqlite", FILE, Level.FILE)
    assert from_default.over_file("", FILE) is from_default  # an empty file value says nothing


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_an_empty_value_means_unset_on_every_level(blank: str) -> None:
    found = resolve(
        SUITE,
        layers(
            cli={"suite": blank},
            environ={"SYNTHCHECK_SUITE": blank},
            ini={"synthcheck_suite": blank},
        ),
    )
    assert found.level is Level.DEFAULT
    assert is_unset([])
    assert is_unset(None)
    assert not is_unset(0)  # a zero is a value (--workers 0)


def test_values_are_stripped_and_parsed_as_the_option_says() -> None:
    found = resolve(FAULTS, layers(environ={FAULTS.env_var: " slow_tail:p=0.1 ; down "}))
    assert found.value == ["slow_tail:p=0.1", "down"]
    assert resolve(SMOKE, layers(ini={SMOKE.ini: "yes"})).value is True
    assert resolve(SMOKE, layers(environ={SMOKE.env_var: "off"})).value is False


def test_a_bad_switch_value_names_its_source() -> None:
    with pytest.raises(ConfigError, match=r"\$SYNTHCHECK_SMOKE_LOAD.*'maybe' is not one of"):
        resolve(SMOKE, layers(environ={SMOKE.env_var: "maybe"}))
    with pytest.raises(ConfigError, match=r"ini synthcheck_smoke_load.*'maybe'"):
        resolve(SMOKE, layers(ini={SMOKE.ini: "maybe"}))


@pytest.mark.parametrize(
    ("given", "source"),
    [
        ({"cli": {"suite": "postdeplyo"}}, "--suite"),
        ({"environ": {"SYNTHCHECK_SUITE": "postdeplyo"}}, "$SYNTHCHECK_SUITE"),
        ({"ini": {"synthcheck_suite": "postdeplyo"}}, "ini synthcheck_suite"),
    ],
)
def test_errors_name_the_level_the_bad_value_came_from(
    given: dict[str, Any], source: str, tmp_path: Path
) -> None:
    cli, environ, ini = given.get("cli", {}), given.get("environ", {}), given.get("ini")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(cli.get, tmp_path, environ, ini=ini.get if ini else None)
    assert str(caught.value).startswith(source)
    assert "Did you mean 'postdeploy'?" in str(caught.value)


def test_base_url_falls_back_to_pytest_base_urls_ini_key_below_the_variable() -> None:
    ini = {"base_url": "http://127.0.0.1:9/"}
    assert resolve(BASE_URL, layers(ini=ini)).source == "ini base_url"
    env = {"SYNTHCHECK_BASE_URL": "http://127.0.0.1:8/"}
    assert resolve(BASE_URL, layers(environ=env, ini=ini)).value == "http://127.0.0.1:8/"
    own = {"synthcheck_base_url": "http://127.0.0.1:7/", **ini}
    assert resolve(BASE_URL, layers(ini=own)).source == "ini synthcheck_base_url"


def test_without_a_pytest_config_the_ini_level_is_skipped() -> None:
    assert resolve(SUITE, Layers(environ={})).level is Level.DEFAULT


def test_a_setting_outside_the_table_takes_the_run_context_as_its_command_line() -> None:
    results = Setting("results_path", "SYNTHCHECK_LOAD_RESULTS", "reports/load/results.json")
    environ = {"SYNTHCHECK_LOAD_RESULTS": "/tmp/r.json"}
    assert resolve(results, layers(environ=environ)).source == "$SYNTHCHECK_LOAD_RESULTS"
    found = resolve(results, layers(cli={"results_path": "/run/r.json"}, environ=environ))
    assert (found.value, found.source) == ("/run/r.json", "the run context")
    assert resolve(results, layers()).value == "reports/load/results.json"


def test_settings_keep_every_resolved_level(tmp_path: Path) -> None:
    settings = resolve_settings(
        {"suite": "canary"}.get,
        tmp_path,
        {"SYNTHCHECK_HISTORY": "off"},
        ini={"synthcheck_reports_dir": "out"}.get,
    )
    assert settings.sources["suite"] == "--suite"
    assert settings.sources["history"] == "$SYNTHCHECK_HISTORY"
    assert settings.reports_dir == Path("out")
    assert settings.sources["reports_dir"] == "ini synthcheck_reports_dir"
    assert settings.resolved["env"].level is Level.DEFAULT


def test_a_runs_history_honours_the_file_and_off(tmp_path: Path) -> None:
    from synthcheck.afterrun import after_run_settings
    from synthcheck.config import load_environment

    root = Path(__file__).resolve().parents[2]
    env = load_environment("local", root / "environments")
    plain = resolve_settings({}.get, root, {})
    found = plain.history_setting(env)
    assert (found.value, found.level) == (env.history.location, Level.FILE)
    assert found.source.endswith("local.toml [history] location")
    off = resolve_settings({}.get, root, {"SYNTHCHECK_HISTORY": "off"})
    assert off.history_setting(env).source == "$SYNTHCHECK_HISTORY"
    assert after_run_settings(env, off.history_setting(env), tmp_path, {}).history is None
    flag = resolve_settings({"history": str(tmp_path / "h.sqlite")}.get, root, {})
    after = after_run_settings(env, flag.history_setting(env), tmp_path, {})
    assert after.history == str(tmp_path / "h.sqlite")
