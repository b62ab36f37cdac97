"""``synthcheck scan --git``: a key committed and later removed is still found, with its
commit; a reviewed finding accepted in the baseline no longer fails; the pre-deploy gate
reads the history of a git tree.

Each test builds a throwaway repository under tmp_path; keys are generated at run time.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from synthcheck.cli import main
from synthcheck.config import PredeploySettings
from synthcheck.scan import history
from synthcheck.scan.gate import gate_scan
from tests.support import leak_corpus

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FRED = leak_corpus.fred_key(random.Random(31))
GITHUB = leak_corpus.github_token(random.Random(31))


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose second commit adds a key and whose third removes it."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    for name in ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    _git(root, "init", "-q")
    _git(root, "config", "user.email", "dev@acme.test")
    _git(root, "config", "user.name", "Dev")
    _git(root, "config", "commit.gpgsign", "false")
    (root / "app.py").write_text("def main():\n    return 0\n")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "app")
    (root / "config").mkdir()
    (root / "config" / "settings.env").write_text(f"PORT=8080\nDEBUG=0\nFRED_API_KEY={FRED}\n")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "settings")
    (root / "config" / "settings.env").write_text("PORT=8080\nDEBUG=0\n")
    _git(root, "commit", "-q", "-am", "remove the key")
    return root


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_removed_key_is_found_in_history_with_its_commit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _scan(capsys, ".")
    assert (code, out) == (0, "")  # the tree itself is clean now
    added = _git(repo, "rev-list", "--max-count=1", "HEAD~1")
    date = _git(repo, "log", "-1", "--format=%aI", added)
    code, out, err = _scan(capsys, "--git", "--format", "json")
    assert code == 1
    (item,) = json.loads(out)
    assert (item["path"], item["line"], item["rule"]) == ("config/settings.env", 3, "fred-api-key")
    assert (item["commit"], item["date"]) == (added, date)
    assert FRED not in out + err
    assert FRED[:8] not in out + err
    code, out, _ = _scan(capsys, "--git")
    assert out == (
        f"config/settings.env:3:fred-api-key: FRED API key **** (32 chars)"
        f" (commit {added[:12]}, {date})\n"
    )


def test_a_rev_range_limits_the_history(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _scan(capsys, "--git", "HEAD~1..HEAD")  # only the removal
    assert (code, out) == (0, "")
    code, _, _ = _scan(capsys, "--git", "HEAD~2..HEAD")
    assert code == 1


def test_the_baseline_accepts_reviewed_findings_and_stores_no_secret(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = repo.parent / "baseline.toml"
    code, _, err = _scan(capsys, "--git", "--write-baseline", str(baseline))
    assert code == 0
    assert "1 finding(s) recorded" in err
    stored = baseline.read_text()
    assert FRED not in stored
    assert FRED[:8] not in stored
    assert FRED[-8:] not in stored
    code, out, err = _scan(capsys, "--git", "--baseline", str(baseline))
    assert (code, out) == (0, "")
    assert "1 allowed by the allowlist" in err
    # A new key (another commit) is not covered by the old baseline.
    (repo / "deploy.sh").write_text(f"export GITHUB_TOKEN={GITHUB}\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "deploy")
    code, out, _ = _scan(capsys, "--git", "--baseline", str(baseline))
    assert code == 1
    assert [line.split(":")[2] for line in out.splitlines()] == ["github-token"]
    # The same key under another path is another finding: the path is part of its id.
    (repo / "copy.env").write_text(f"FRED_API_KEY={FRED}\n")
    code, out, _ = _scan(capsys, "copy.env", "--baseline", str(baseline))
    assert code == 1


def test_baseline_entries_work_in_the_allowlist_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    allowlist = repo.parent / ".synthcheck-allowlist.toml"
    allowlist.write_text('# reviewed fakes\npaths = [\n    "docs/*",  # examples\n]\n')
    assert _scan(capsys, "--git", "--write-baseline", str(allowlist))[0] == 0
    first = allowlist.read_text()
    assert first.startswith('# reviewed fakes\npaths = [\n    "docs/*",  # examples\n]\n')
    code, out, _ = _scan(capsys, "--git", "--allowlist", str(allowlist))
    assert (code, out) == (0, "")
    # Written again: the same file (entries carried over, nothing duplicated).
    assert _scan(capsys, "--git", "--write-baseline", str(allowlist))[0] == 0
    assert allowlist.read_text() == first


def test_usage_errors_exit_2(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _scan(capsys, "--git", "no-such-rev..HEAD")
    assert code == 2
    assert "--git no-such-rev..HEAD:" in err
    code, _, err = _scan(capsys, "--git=--output=x.txt")
    assert code == 2
    assert "not a revision range" in err
    assert not (repo / "x.txt").exists()
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = _scan(capsys, str(plain), "--git")
    assert code == 2
    assert "not inside a git repository" in err


def test_the_predeploy_gate_reads_the_history_of_a_git_tree(repo: Path) -> None:
    settings = PredeploySettings(allowlist="")
    report = gate_scan(["."], settings, [], history=True)
    assert [(f.path, f.rule, bool(f.commit)) for f in report.findings] == [
        ("config/settings.env", "fred-api-key", True)
    ]
    assert report.commits == 3  # every commit that added or changed a file
    assert gate_scan(["."], settings, [], history=False).findings == []


def test_the_log_parser_keeps_added_lines_with_their_numbers() -> None:
    mark = history._MARK
    log = [
        f"{mark}{'a' * 40} 2026-11-30T10:00:00+01:00",
        "",
        "diff --git a/app.py b/app.py",
        "index 1111111..2222222 100644",
        "--- a/app.py",
        "+++ b/app.py",
        "@@ -3,0 +4,2 @@ def main():",
        "+x = 1",
        "+++ a line that starts with two pluses",
        "@@ -10 +12 @@",
        "-old",
        "+new",
        'diff --git "a/odd\\tname.env" "b/odd\\tname.env"',
        "new file mode 100644",
        "--- /dev/null",
        '+++ "b/odd\\tname.env"',
        "@@ -0,0 +1 @@",
        "+K=V",
    ]
    commits: set[str] = set()
    changes = list(history._changes(iter(line + "\n" for line in log), commits))
    assert commits == {"a" * 40}
    assert [(c.path, c.lines, c.numbers) for c in changes] == [
        ("app.py", ["x = 1", "++ a line that starts with two pluses", "new"], [4, 5, 12]),
        ("odd\tname.env", ["K=V"], [1]),
    ]
    assert {c.date for c in changes} == {"2026-11-30T10:00:00+01:00"}


def test_the_gate_outside_a_git_tree_scans_the_tree_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "app.env").write_text(f"FRED_API_KEY={FRED}\n")
    report = gate_scan(["."], PredeploySettings(allowlist=""), [], history=True)
    assert [(f.path, f.rule, f.commit) for f in report.findings] == [
        ("app.env", "fred-api-key", "")
    ]
    assert report.commits == 0
    assert report.skipped == []
