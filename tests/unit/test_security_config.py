"""The [security] and [logs] sections of an environment file."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.config import ConfigError, load_environment

ROOT = Path(__file__).resolve().parents[2]
BASE = """
schema_version = 1
name = "t"
base_url = "http://127.0.0.1:9"
[[endpoints]]
role = "health"
path = "/api/health"
"""


def test_defaults_when_the_sections_are_absent(tmp_path: Path) -> None:
    env = load_environment(str(_write(tmp_path, "")), tmp_path)
    assert env.security.headers == "warn"
    assert env.security.tls_min_days == 14
    assert env.security.provoke is True
    assert env.logs.configured is False


def _write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "t.toml"
    path.write_text(BASE + extra)
    return path


def test_sections_are_read(tmp_path: Path) -> None:
    extra = '[security]\nheaders = "fail"\ntls_min_days = 30\n[logs]\ncommand = "docker logs --tail 500 app"\nlines = 500\n'
    env = load_environment(str(_write(tmp_path, extra)), tmp_path)
    assert (env.security.headers, env.security.tls_min_days) == ("fail", 30)
    assert env.logs.command == "docker logs --tail 500 app"
    assert env.logs.lines == 500


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[security]\nheaders = "error"\n', "security.headers"),
        ("[security]\ntls_min_days = -1\n", "security.tls_min_days"),
        ('[security]\nheader = "fail"\n', "header"),
        ('[logs]\nfile = "a.log"\ncommand = "cat a.log"\n', "either file or command, not both"),
        ("[logs]\nlines = 0\n", "logs.lines"),
    ],
)
def test_bad_values_name_the_field(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_environment(str(_write(tmp_path, extra)), tmp_path)
    assert message in str(caught.value)
    assert "t.toml" in str(caught.value)


def test_shipped_environments_configure_the_sections() -> None:
    local = load_environment("local", ROOT / "environments")
    assert local.logs.file == "${SYNTHCHECK_REFERENCE_LOG}"
    for name in ("staging", "production"):
        env = load_environment(name, ROOT / "environments")
        assert env.security.headers == "warn"
        assert not env.logs.configured
