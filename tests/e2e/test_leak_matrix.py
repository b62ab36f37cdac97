"""Every leak fault is caught as key_leak, and the key never reaches our own output.

Each case runs ``synthcheck verify --env=local`` (what ``scripts/deploy-verify.sh``
runs; in this process, tests/support/inprocess.py) with one leak (or header,
disclosure) fault in the embedded reference service, then checks the verdict, the
place named in the message, and that neither key, nor its first or last 8
characters, appears in stdout, stderr or any file under the reports directory. (The
same with the script in a new process, where file descriptors 1 and 2 are seen too:
tests/e2e/test_fault_matrix.py::test_keys_never_reach_output_or_reports.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.harness import ROOT, TEST_KEYS, base_environ, files_containing
from tests.support.inprocess import verify_inprocess
from tests.support.tls_server import https_server

pytestmark = pytest.mark.slow

# (fault spec, exact failing categories, words the key_leak message must contain)
LEAKS: list[tuple[str, set[str], str]] = [
    ("leak_body", {"key_leak"}, "FRED_API_KEY (32 chars) in body line 1"),
    ("leak_header", {"key_leak"}, "in header x-debug-upstream-key"),
    ("leak_redirect", {"key_leak", "error_rate"}, "in redirect Location (hop 1, HTTP 302)"),
    ("leak_error_page", {"key_leak"}, "of unknown value (series="),
    ("leak_prefix", {"key_leak"}, "8 characters (prefix) of FRED_API_KEY"),
    ("leak_percent", {"key_leak"}, "percent-encoded in header x-debug-token"),
    ("leak_percent:where=body", {"key_leak"}, "percent-encoded in body"),
    ("leak_base64", {"key_leak"}, "base64-encoded in cookie dbg (Set-Cookie)"),
    (
        "leak_base64:where=header,key=alpha_vantage",
        {"key_leak"},
        "ALPHA_VANTAGE_API_KEY (16 chars), base64-encoded in header x-debug-context",
    ),
    ("leak_alpha_vantage", {"key_leak"}, "ALPHA_VANTAGE_API_KEY (16 chars) in body"),
    ("leak_script", {"key_leak"}, "of script /static/app.js"),
    ("leak_script:key=alpha_vantage", {"key_leak"}, "ALPHA_VANTAGE_API_KEY (16 chars) in body"),
    ("leak_log", {"key_leak"}, "FRED_API_KEY (32 chars) in the service log"),
]


def _assert_never_shown(output: str, reports: Path) -> None:
    for name, value in TEST_KEYS.items():
        for needle in (value, value[:8], value[-8:]):
            assert needle not in output, name
            assert files_containing(reports, needle) == [], name


@pytest.mark.parametrize(("fault", "categories", "where"), LEAKS, ids=[f for f, _, _ in LEAKS])
def test_leak_is_caught_and_never_repeated(
    fault: str, categories: set[str], where: str, tmp_path: Path
) -> None:
    run = verify_inprocess("--env=local", f"--reference-fault={fault}", reports=tmp_path)
    assert run.code == 1, run.output
    assert run.categories() == categories, run.output
    leaks = [c for c in run.checks("failed") if c["category"] == "key_leak"]
    assert leaks
    assert all(c["severity"] == "P0" and c["runbook"] == "api-key-exposure" for c in leaks)
    assert any(where in c["message"] for c in leaks), [c["message"] for c in leaks]
    assert "[P0 key_leak]" in run.stdout
    _assert_never_shown(run.output, tmp_path)


def _environment(tmp_path: Path, **replacements: str) -> Path:
    """A copy of local.toml with some lines replaced, its schema paths made absolute."""
    text = (ROOT / "environments" / "local.toml").read_text()
    text = text.replace('"schemas/', f'"{ROOT / "environments" / "schemas"}/')
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "env.toml"
    path.write_text(text)
    return path


def test_missing_headers_warn_by_default_and_fail_when_configured(tmp_path: Path) -> None:
    warned = verify_inprocess(
        "--env=local", "--reference-fault=missing_headers", reports=tmp_path / "a"
    )
    assert warned.code == 0, warned.output
    assert warned.categories("warned") == {"security_headers"}
    assert warned.categories() == set()
    assert "WARNINGS" in warned.stdout
    strict = _environment(tmp_path, **{'headers = "warn"': 'headers = "fail"'})
    failed = verify_inprocess(
        f"--env={strict}", "--reference-fault=missing_headers", reports=tmp_path / "b"
    )
    assert failed.code == 1, failed.output
    assert failed.categories() == {"security_headers"}
    messages = " ".join(c["message"] for c in failed.checks("failed"))
    assert "X-Content-Type-Options missing" in messages
    assert "Referrer-Policy missing" in messages


def test_version_banner_is_a_header_warning(tmp_path: Path) -> None:
    run = verify_inprocess("--env=local", "--reference-fault=version_banner", reports=tmp_path)
    assert run.code == 0, run.output
    assert run.categories("warned") == {"security_headers"}
    (banner,) = run.checks("warned")
    assert banner["id"] == "security_headers.no_version_banner"
    assert "Server: uvicorn/" in banner["message"]


def test_stack_traces_in_error_pages_are_information_disclosure(tmp_path: Path) -> None:
    run = verify_inprocess("--env=local", "--reference-fault=stack_trace", reports=tmp_path)
    assert run.code == 1, run.output
    assert run.categories() == {"info_disclosure"}
    (check,) = [c for c in run.checks("failed") if not c["id"].startswith("alert.")]
    assert check["message"].startswith("Python traceback in the 404 answer to")
    assert [a["rule"] for a in run.summary["alerts"]] == ["security"]  # fires at once
    assert check["reproduce"].startswith("curl ")


@pytest.mark.parametrize(("days", "code"), [(2, 1), (60, 0)])
def test_tls_expiry_against_a_local_https_server(tmp_path: Path, days: int, code: int) -> None:
    env = _environment(tmp_path, **{"[http]\n": "[http]\nverify_tls = false\n"})
    with https_server(tmp_path, days=days) as url:
        run = verify_inprocess(
            f"--env={env}", f"--base-url={url}", "--", "-k", "tls", reports=tmp_path / "r"
        )
    assert run.code == code, run.output
    expiry = next(c for c in run.summary["checks"] if c["id"] == "tls.certificate_expiry")
    assert expiry["outcome"] == ("failed" if days < 14 else "passed")
    assert expiry["category"] == "tls"
    if days < 14:
        assert "under the 14-day minimum" in expiry["message"]


def test_the_runs_own_output_is_redacted_even_when_a_check_prints_a_key(tmp_path: Path) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "conftest.py").write_text('pytest_plugins = ["synthcheck.pytest_plugin"]\n')
    (checks / "test_noisy.py").write_text(
        "import os, sys\nimport pytest\nfrom synthcheck.catalog import Category\n"
        "from synthcheck.verdicts import CheckResult\n\n"
        'pytestmark = [pytest.mark.category("availability"), pytest.mark.postdeploy]\n\n\n'
        "def test_prints(run, verdict):\n"
        '    key = os.environ["FRED_API_KEY"]\n'
        '    print("whole:", key)\n'
        "    for i in range(0, len(key), 7):\n"
        "        sys.stdout.write(key[i : i + 7])\n"
        "        sys.stdout.flush()\n"
        '    print(" <- in pieces")\n'
        '    verdict(CheckResult.passed(Category.AVAILABILITY, "printed", budget="b", observed="o"))\n'
    )
    run = verify_inprocess(
        "--env=local",
        f"--checks-dir={checks}",
        "--",
        "-s",
        reports=tmp_path / "reports",
        environ=base_environ(),
    )
    assert run.code == 0, run.output
    assert "whole: [REDACTED:FRED_API_KEY]" in run.stdout
    assert "[REDACTED:FRED_API_KEY] <- in pieces" in run.stdout
    _assert_never_shown(run.output, tmp_path / "reports")
