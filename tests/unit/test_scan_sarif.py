"""``synthcheck scan --format sarif`` is valid SARIF 2.1.0: checked against the official
JSON Schema (vendored in tests/data/sarif/, see its README), for tree findings, history
findings (``--git``), absolute paths and a clean scan.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from synthcheck.cli import main
from tests.support import leak_corpus

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text()
)
FRED = leak_corpus.fred_key(random.Random(41))
AWS = leak_corpus.aws_id(random.Random(41))
SLACK = leak_corpus.slack_webhook(random.Random(41))
_ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+\Z")


def _uri_fields(schema: Any, document: Any, found: list[str]) -> None:
    """Values the schema declares ``"format": "uri"`` (absolute URIs; jsonschema does not
    check the format without extra packages, so the test does)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in {"helpUri", "informationUri", "downloadUri", "$schema"}:
                found.append(value)
            _uri_fields(schema, value, found)
    elif isinstance(document, list):
        for item in document:
            _uri_fields(schema, item, found)


def _sarif(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    main(["scan", *args, "--format", "sarif"])
    out, err = capsys.readouterr()
    assert FRED not in out + err
    assert AWS[4:] not in out + err
    document: dict[str, Any] = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    uris: list[str] = []
    _uri_fields(SCHEMA, document, uris)
    assert all(_ABSOLUTE_URI.match(uri) for uri in uris), uris
    return document


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.env").write_text(f"FRED_API_KEY={FRED}\n")
    (tmp_path / "app" / "notify.yaml").write_text(f"webhook: {SLACK}\naws: {AWS}\n")
    return tmp_path


def test_tree_findings_are_valid_sarif(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = _sarif(capsys, "app")
    (run,) = document["runs"]
    assert sorted(r["ruleId"] for r in run["results"]) == [
        "aws-access-key-id",
        "fred-api-key",
        "slack-webhook",
    ]


def test_absolute_paths_are_file_uris(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tree.parent / f"{tree.name}-outside dir"
    outside.mkdir()
    (outside / "key.env").write_text(f"FRED_API_KEY={FRED}\n")
    document = _sarif(capsys, str(outside))
    (result,) = document["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (outside / "key.env").as_uri()
    assert " " not in uri


def test_a_clean_scan_is_valid_sarif(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "clean.py").write_text("print(1)\n")
    document = _sarif(capsys, "clean.py")
    assert document["runs"][0]["results"] == []


def test_history_findings_are_valid_sarif(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True, timeout=30)

    git("init", "-q")
    git("-c", "user.email=d@acme.test", "-c", "user.name=D", "add", ".")
    git("-c", "user.email=d@acme.test", "-c", "user.name=D", "commit", "-q", "-m", "keys")
    document = _sarif(capsys, "--git")
    results = document["runs"][0]["results"]
    assert len(results) == 3
    assert all(len(r["properties"]["commit"]) == 40 for r in results)
