"""``synthcheck history`` finds its store through the one precedence: the environment
file's ``[history] location`` (and "off") counts, below --history and $SYNTHCHECK_HISTORY."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synthcheck.cli import main
from synthcheck.config.history_setting import DEFAULT_HISTORY, history_setting
from synthcheck.config.precedence import Level, Resolved
from synthcheck.history import open_store

ROOT = Path(__file__).resolve().parents[2]


def env_dir(tmp_path: Path, location: str) -> Path:
    """A copy of environments/ whose local.toml keeps its history at ``location``."""
    directory = tmp_path / "environments"
    shutil.copytree(ROOT / "environments", directory)
    local = directory / "local.toml"
    text = local.read_text(encoding="utf-8")
    old = 'location = ".synthcheck/history.sqlite"'
    assert old in text
    local.write_text(text.replace(old, f"location = {location!r}"), encoding="utf-8")
    return directory


def setting(directory: Path | None, history: str | None = None, **environ: str) -> Resolved:
    return history_setting(
        history, env=None, env_dir=directory, default_env_dir=ROOT / "environments", environ=environ
    )


def test_the_environment_files_location_beats_the_default(tmp_path: Path) -> None:
    store = str(tmp_path / "kept.sqlite")
    found = history_setting(
        None, env="local", env_dir=env_dir(tmp_path, store), default_env_dir=tmp_path, environ={}
    )
    assert found.value == store
    assert found.level is Level.FILE
    assert found.source.endswith("local.toml [history] location")


def test_flag_and_variable_beat_the_file(tmp_path: Path) -> None:
    directory = env_dir(tmp_path, "off")
    assert setting(directory, "a.sqlite").source == "--history"
    by_var = setting(directory, SYNTHCHECK_HISTORY="b.sqlite")
    assert (by_var.value, by_var.source) == ("b.sqlite", "$SYNTHCHECK_HISTORY")
    blank = setting(directory, SYNTHCHECK_HISTORY=" ")  # empty: unset, the file decides
    assert blank.value == "off"


def test_the_env_and_env_dir_variables_choose_the_file(tmp_path: Path) -> None:
    directory = env_dir(tmp_path, str(tmp_path / "via-var.sqlite"))
    found = setting(None, SYNTHCHECK_ENV_DIR=str(directory), SYNTHCHECK_ENV="local")
    assert found.value == str(tmp_path / "via-var.sqlite")


def test_an_environment_without_a_file_here_keeps_the_default(tmp_path: Path) -> None:
    found = history_setting(
        None, env="elsewhere", env_dir=tmp_path, default_env_dir=tmp_path, environ={}
    )
    assert (found.value, found.level) == (DEFAULT_HISTORY, Level.DEFAULT)


def test_history_command_reads_the_store_the_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNTHCHECK_HISTORY", raising=False)
    monkeypatch.delenv("SYNTHCHECK_ENV", raising=False)
    store = tmp_path / "kept.sqlite"
    directory = env_dir(tmp_path, str(store))
    assert main(["history", "--env-dir", str(directory)]) == 2
    assert f"no history at {store}" in capsys.readouterr().err
    with open_store(str(store)):
        pass  # an empty store, created
    assert main(["history", "--env-dir", str(directory)]) == 0


def test_history_command_says_when_the_file_turned_it_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNTHCHECK_HISTORY", raising=False)
    monkeypatch.delenv("SYNTHCHECK_ENV", raising=False)
    directory = env_dir(tmp_path, "off")
    assert main(["history", "--env-dir", str(directory), "--env", "local"]) == 2
    err = capsys.readouterr().err
    assert "the history is off" in err
    assert "local.toml [history] location: 'off'" in err
    other = tmp_path / "other.sqlite"
    with open_store(str(other)):
        pass
    assert main(["history", "--env-dir", str(directory), "--history", str(other)]) == 0


def test_a_broken_environment_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYNTHCHECK_HISTORY", raising=False)
    directory = tmp_path / "envs"
    directory.mkdir()
    (directory / "local.toml").write_text("name = \n", encoding="utf-8")
    assert main(["history", "--env-dir", str(directory)]) == 2
    assert "local.toml: not valid TOML" in capsys.readouterr().err
