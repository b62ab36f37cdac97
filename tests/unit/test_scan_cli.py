"""``synthcheck scan``: formats, exit codes, allowlists, skipped directories, big and binary files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from synthcheck.cli import main
from synthcheck.scan import reader
from tests.support import leak_corpus

FRED = leak_corpus.fred_key(random.Random(9))
AWS = leak_corpus.aws_id(random.Random(9))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    monkeypatch.delenv("ALPHA_VANTAGE_API_KEY", raising=False)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.env").write_text(f"PORT=8080\nFRED_API_KEY={FRED}\n")
    (tmp_path / "app" / "clean.py").write_text("def f():\n    return 1\n")
    (tmp_path / "app" / "aws.txt").write_text(f"\n\nkey id: {AWS}\n")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format_is_path_line_rule_masked(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "app")
    assert code == 1
    assert out.splitlines() == [
        "app/aws.txt:3:aws-access-key-id: AWS access key id AKIA**** (20 chars)"
        if AWS.startswith("AKIA")
        else "app/aws.txt:3:aws-access-key-id: AWS access key id ASIA**** (20 chars)",
        "app/config.env:2:fred-api-key: FRED API key **** (32 chars)",
    ]
    assert FRED not in out + err
    assert AWS[4:] not in out + err
    assert "2 finding(s) in 2 file(s) (3 files" in err


def test_clean_tree_exits_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "app/clean.py")
    assert (code, out) == (0, "")


def test_known_values_from_the_environment_are_found_in_any_encoding(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRED_API_KEY", FRED)
    encoded = "".join(f"%{b:02X}" for b in FRED.encode())
    (tree / "build").mkdir()
    (tree / "build" / "bundle.js").write_text(f'var a="{encoded}";\n')
    code, out, _ = _run(capsys, "build", "app/config.env")
    assert code == 1
    assert "build/bundle.js:1:known-value: FRED_API_KEY (32 chars), percent-encoded" in out
    assert "app/config.env:2:known-value: FRED_API_KEY (32 chars)" in out


def test_json_format_lists_every_field(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "app/config.env", "--format", "json")
    assert code == 1
    (item,) = json.loads(out)
    assert set(item) == {
        "path",
        "line",
        "column",
        "rule",
        "kind",
        "title",
        "masked",
        "fingerprint",
        "binary",
    }
    assert (item["path"], item["line"], item["column"], item["rule"], item["kind"]) == (
        "app/config.env",
        2,
        14,
        "fred-api-key",
        "fred",
    )
    assert FRED not in out


def test_sarif_format_for_code_scanning(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "app", "--format", "sarif")
    assert code == 1
    document = json.loads(out)
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {"fred-api-key", "aws-access-key-id", "known-value"} <= rule_ids
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"fred-api-key", "aws-access-key-id"}
    location = next(r for r in results if r["ruleId"] == "fred-api-key")["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {
        "uri": "app/config.env",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 14}
    assert all(r["partialFingerprints"]["secretFingerprint/v1"] for r in results)
    assert FRED not in out


def test_output_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "app", "--format", "json", "--output", "report.json")
    assert code == 1
    assert out == ""
    assert len(json.loads((tree / "report.json").read_text())) == 2


def test_allowlist_paths_rules_and_fingerprints(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(capsys, "app", "--format", "json")
    fingerprint = next(i["fingerprint"] for i in json.loads(out) if i["rule"] == "fred-api-key")
    (tree / "allow.toml").write_text(
        f'rules = ["aws-access-key-id"]\nfingerprints = ["{fingerprint}"]\n'
    )
    code, out, err = _run(capsys, "app", "--allowlist", "allow.toml")
    assert (code, out) == (0, "")
    assert "2 allowed by the allowlist" in err
    (tree / "allow.toml").write_text('paths = ["app/*.env"]\n')
    code, out, _ = _run(capsys, "app", "--allowlist", "allow.toml")
    assert code == 1
    assert out.startswith("app/aws.txt:3:")


def test_inline_allow_marker(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "app" / "config.env").write_text(
        f"FRED_API_KEY={FRED}  # synthcheck:allow (sandbox key)\n"
    )
    code, out, _ = _run(capsys, "app/config.env")
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('rules = ["fred-api-kye"]\n', "Did you mean 'fred-api-key'?"),
        ('pathz = ["x"]\n', "'pathz': unknown field. Did you mean 'paths'?"),
        ("paths = 3\n", "paths: expected a list of non-empty strings"),
        ("paths = [\n", "not valid TOML"),
    ],
)
def test_bad_allowlist_is_a_usage_error(
    tree: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (tree / "allow.toml").write_text(content)
    code, _, err = _run(capsys, "app", "--allowlist", "allow.toml")
    assert code == 2
    assert message in err
    assert "allow.toml" in err


def test_usage_errors_exit_two(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "no-such-dir")[0] == 2
    assert _run(capsys)[0] == 2
    assert _run(capsys, "app", "--format", "xml")[0] == 2


def test_git_and_reports_are_skipped_unless_named(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in (".git", "reports"):
        (tree / folder).mkdir()
        (tree / folder / "leak.txt").write_text(f"FRED_API_KEY={FRED}\n")
    (tree / "app" / "config.env").unlink()
    (tree / "app" / "aws.txt").unlink()
    assert _run(capsys, ".")[0] == 0
    code, out, _ = _run(capsys, "reports")
    assert code == 1
    assert out.startswith("reports/leak.txt:1:")
    assert _run(capsys, ".git")[0] == 1
    assert _run(capsys, ".", "--exclude", "app")[0] == 0


def test_binary_files_are_scanned_as_raw_bytes(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "app.bin").write_bytes(
        b"\x7fELF\0\0\x01" + f"\nFRED_API_KEY={FRED}\0".encode() + bytes(range(256))
    )
    code, out, _ = _run(capsys, "app.bin", "--format", "json")
    assert code == 1
    (item,) = json.loads(out)
    assert item["binary"] is True
    assert item["line"] == 2


def test_big_files_are_read_in_pieces_without_missing_or_repeating(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(reader, "OVERLAP_CHARS", 256)
    lines = [f"filler line {i:05d} " + "x" * 40 for i in range(2000)]
    key_line = "FRED_API_KEY=" + FRED
    lines[99] = lines[1998] = key_line
    # Put one more key exactly across the 15th piece boundary.
    boundary, offset, across = 15 * 4096, 0, 0
    for index, line in enumerate(lines):
        if offset + len(key_line) > boundary > offset + 13:
            across = index
            break
        offset += len(line) + 1
    lines[across] = key_line
    (tree / "big.log").write_text("\n".join(lines) + "\n")
    code, out, _ = _run(capsys, "big.log", "--format", "json")
    assert code == 1
    assert [item["line"] for item in json.loads(out)] == [100, across + 1, 1999]


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--list-rules")
    assert code == 0
    assert "fred-api-key" in out
    assert "known-value" in out
