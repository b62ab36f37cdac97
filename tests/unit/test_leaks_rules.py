"""Pattern rules for unknown values: every family in context, every trap left alone."""

from __future__ import annotations

import random

import pytest

from synthcheck.leaks import LeakScanner, guards, rule_ids
from synthcheck.leaks.findings import mask
from tests.support import leak_corpus

PATTERNS = LeakScanner([])
POSITIVES = {f"{s.kind}: {s.context}": s for s in leak_corpus.positives(seed=11, repeat=1)}
NEGATIVES = {s.context: s for s in leak_corpus.negatives(seed=11, repeat=1)}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_each_family_is_found_in_each_context(name: str) -> None:
    sample = POSITIVES[name]
    findings = PATTERNS.scan(sample.text)
    for value in sample.secrets:
        start = sample.text.index(value)
        end = start + len(value)
        overlapping = [f for f in findings if f.start < end and start < f.end]
        assert overlapping, (name, [f.rule for f in findings])
        assert overlapping[0].kind == sample.kind


@pytest.mark.parametrize("trap", sorted(NEGATIVES))
def test_hard_negatives_are_not_reported(trap: str) -> None:
    findings = PATTERNS.scan(NEGATIVES[trap].text)
    assert findings == [], [(f.rule, f.masked) for f in findings]


def test_corpus_meets_the_precision_and_recall_goals() -> None:
    """The benchmark's figure, on one seed: >= 97 % precision, >= 95 % recall."""
    true_pos = false_pos = found = missed = 0
    for sample in leak_corpus.corpus(seed=5, repeat=2):
        findings = PATTERNS.scan(sample.text)
        spans = [(sample.text.index(v), sample.text.index(v) + len(v)) for v in sample.secrets]
        for f in findings:
            if any(f.start < e and s < f.end for s, e in spans):
                true_pos += 1
            else:
                false_pos += 1
        for s, e in spans:
            if any(f.start < e and s < f.end for f in findings):
                found += 1
            else:
                missed += 1
    assert true_pos / (true_pos + false_pos) >= 0.97
    assert found / (found + missed) >= 0.95


def test_findings_never_show_the_value() -> None:
    checked = 0
    for sample in leak_corpus.positives(seed=3, repeat=1):
        for finding in PATTERNS.scan(sample.text):
            value = sample.text[finding.start : finding.end]
            shown = finding.describe()
            assert value not in shown
            assert value[-6:] not in shown
            checked += 1
    assert checked > 50


def test_overlapping_rules_report_the_most_specific() -> None:
    rng = random.Random(1)
    token = leak_corpus.jwt(rng)
    (finding,) = PATTERNS.scan(f"Authorization: Bearer {token}")
    assert finding.rule == "jwt"
    github = leak_corpus.github_token(rng)
    (finding,) = PATTERNS.scan(f"https://x-access-token:{github}@github.com/acme/repo.git")
    assert finding.rule == "github-token"


def test_a_known_value_wins_over_a_pattern_on_the_same_characters() -> None:
    from synthcheck.secrets import Secret

    key = leak_corpus.fred_key(random.Random(2))
    scanner = LeakScanner([Secret("FRED_API_KEY", key)])
    (finding,) = scanner.scan(f"FRED_API_KEY={key}")
    assert finding.known
    assert finding.title == "FRED_API_KEY"
    assert finding.describe() == "FRED_API_KEY (32 chars)"


def test_mask_shows_only_a_public_prefix_and_the_length() -> None:
    assert mask("ghp_" + "a1" * 18, keep=4) == "ghp_**** (40 chars)"
    assert mask("abcd", keep=4) == "**** (4 chars)"  # never most of a short value


@pytest.mark.parametrize(
    ("value", "fake"),
    [
        ("***REDACTED***", True),
        ("[REDACTED]", True),
        ("your_fred_api_key_here", True),
        ("${FRED_API_KEY}", True),
        ("<api-key>", True),
        ("XXXXXXXXXXXXXXXX", True),
        ("0" * 32, True),
        ("0123456789abcdef0123456789abcdef", True),
        ("abcdabcdabcdabcdabcdabcdabcdabcd", True),
        ("AKIAIOSFODNN7EXAMPLE", True),
        ("74bf20f876ffc474c0251908fcdce4b3", False),
        ("CI5NQ1T06YW80OVB", False),
    ],
)
def test_value_guards(value: str, fake: bool) -> None:
    assert guards.looks_like_non_secret(value) is fake


@pytest.mark.parametrize(
    ("identifier", "non_secret"),
    [
        ("api_key_hash", True),
        ("fredCacheKey", True),
        ("FRED_API_KEY_ID", True),
        ("etag", True),
        ("FRED_API_KEY", False),
        ("process.env.FRED_API_KEY", False),
        ("alphaVantageApiKey", False),
    ],
)
def test_context_guards(identifier: str, non_secret: bool) -> None:
    assert guards.context_names_non_secret(identifier) is non_secret


def test_rule_ids_are_unique_names_for_allowlists() -> None:
    ids = rule_ids()
    assert len(ids) == len(set(ids))
    assert {"fred-api-key", "alpha-vantage-api-key", "aws-access-key-id", "jwt"} <= set(ids)
