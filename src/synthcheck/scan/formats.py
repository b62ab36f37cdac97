"""Scan output: one line per finding, a JSON list, or SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synthcheck import __version__
from synthcheck.leaks import KNOWN_RULE, RULES
from synthcheck.scan.files import FileFinding

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json", "sarif")
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_HELP = "docs/key-leaks.md"


def _in_history(f: FileFinding) -> str:
    return f" (commit {f.commit[:12]}, {f.date})" if f.commit else ""


def _text(findings: Sequence[FileFinding]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.rule}: {f.masked}{_in_history(f)}\n" for f in findings)


def _json(findings: Sequence[FileFinding]) -> str:
    items = [
        {
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "rule": f.rule,
            "kind": f.kind,
            "title": f.title,
            "masked": f.masked,
            "fingerprint": f.fingerprint,
            "binary": f.binary,
            **({"commit": f.commit, "date": f.date} if f.commit else {}),
        }
        for f in findings
    ]
    return json.dumps(items, indent=2) + "\n"


def _sarif_rules() -> list[dict[str, Any]]:
    described = {KNOWN_RULE: "a secret value known to the verifier (from its environment)"}
    for rule in RULES:
        described.setdefault(rule.id, rule.title)
    return [
        {
            "id": rule_id,
            "name": rule_id.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": title},
            "fullDescription": {"text": f"{title} committed to the scanned tree"},
            # helpUri must be an absolute URI (SARIF 3.49.12); the runbook page is relative.
            "help": {"text": f"Rotate the secret, then remove it. See {_HELP}."},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["security", "secrets"], "precision": "high"},
        }
        for rule_id, title in described.items()
    ]


def _sarif(findings: Sequence[FileFinding]) -> str:
    results = [
        {
            "ruleId": f.rule,
            "level": "error",
            "message": {"text": f"{f.masked}{_in_history(f)} (rotate it, then remove it)"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"}
                        if not f.path.startswith("/")
                        else {"uri": Path(f.path).as_uri()},
                        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                    }
                }
            ],
            "partialFingerprints": {"secretFingerprint/v1": f.fingerprint},
            **({"properties": {"commit": f.commit, "authorDate": f.date}} if f.commit else {}),
        }
        for f in findings
    ]
    document = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "synthcheck",
                        "version": __version__,
                        "rules": _sarif_rules(),
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def render(findings: Sequence[FileFinding], output_format: str) -> str:
    return {"text": _text, "json": _json, "sarif": _sarif}[output_format](findings)
