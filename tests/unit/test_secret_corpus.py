"""The independent secret corpus: deterministic, labels on the right lines, decoys apart."""

from __future__ import annotations

import base64
import html
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest
from benchmarks.secret_corpus import (
    DECOY,
    FAMILIES,
    POSITIVE,
    Label,
    generate,
    generate_docs,
    load_labels,
    write_labels,
)
from benchmarks.secret_corpus.bulk import build_tree
from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.scoring import Score, match

SEEDS = (1, 2, 3)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus() -> dict[int, list]:
    return {seed: generate_docs(seed) for seed in SEEDS}


def _labels(docs) -> list[Label]:
    return [label for doc in docs for label in doc.labels]


def test_same_seed_same_files_and_labels(corpus):
    again = generate_docs(1)
    assert [(d.path, d.render(), d.labels) for d in again] == [
        (d.path, d.render(), d.labels) for d in corpus[1]
    ]
    assert {d.path: d.render() for d in corpus[2]} != {d.path: d.render() for d in corpus[1]}


def test_corpus_does_not_depend_on_hash_randomisation():
    script = (
        "import hashlib; from benchmarks.secret_corpus import generate_docs; "
        "print(hashlib.sha256(repr([(d.path, d.render(), d.labels) for d in generate_docs(4)])"
        ".encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_generate_writes_the_files_and_no_labels_into_the_tree(tmp_path):
    labels = generate(5, tmp_path / "tree")
    files = sorted(
        p.relative_to(tmp_path / "tree").as_posix()
        for p in (tmp_path / "tree").rglob("*")
        if p.is_file()
    )
    assert files == sorted(d.path for d in generate_docs(5))
    assert all(not name.endswith("labels.json") for name in files)
    write_labels(labels, tmp_path / "labels.json")
    assert load_labels(tmp_path / "labels.json") == labels


@pytest.mark.parametrize("seed", SEEDS)
def test_every_label_points_at_its_line(corpus, seed):
    for doc in corpus[seed]:
        lines = doc.render().split("\n")
        for label in doc.labels:
            assert 1 <= label.line <= len(lines), label
            line = lines[label.line - 1]
            assert label.shown, (doc.path, label.line)
            assert label.shown in line, (doc.path, label.line, label.form)
            if label.kind == POSITIVE and label.form in ("plain", "cli_arg", "next_line", "toml"):
                assert label.value.split("\n")[0] in line, (doc.path, label.line)


def test_encoded_forms_decode_back_to_the_key(corpus):
    checked: Counter[str] = Counter()
    for label in _labels(corpus[1] + corpus[2]):
        if label.kind != POSITIVE:
            continue
        if label.form in ("percent", "double_percent"):
            assert label.shown == label.value  # hex and A-Z0-9 keys survive percent-encoding
        elif label.form == "base64_url":
            raw = base64.urlsafe_b64decode(label.shown + "=" * (-len(label.shown) % 4)).decode()
            assert raw.startswith("https://")
            assert label.value in raw
        elif label.form == "base64_kv":
            assert base64.b64decode(label.shown).decode().endswith("=" + label.value)
        elif label.form == "base64_value":
            assert label.value in base64.b64decode(label.shown).decode()
        elif label.form in ("html_entities", "xml_escaped"):
            assert html.unescape(label.shown) == label.value
        elif label.form in ("truncated", "masked_prefix"):
            disclosed = label.shown.rstrip("*")
            assert label.value.startswith(disclosed)
            assert len(disclosed) >= 8
        else:
            continue
        checked[label.form] += 1
    assert set(checked) >= {
        "base64_url",
        "base64_kv",
        "base64_value",
        "html_entities",
        "truncated",
        "masked_prefix",
    }


def test_percent_forms_really_are_encoded(corpus):
    for doc in corpus[1]:
        lines = doc.render().split("\n")
        for label in doc.labels:
            if label.form in ("percent", "double_percent"):
                line = lines[label.line - 1]
                depth = 2 if label.form == "double_percent" else 1
                assert "%25" in line if depth == 2 else "%3D" in line
                decoded = line
                for _ in range(depth):
                    decoded = unquote(decoded)
                assert re.search(r"api_?key=" + re.escape(label.value), decoded)


def test_decoys_are_not_secrets(corpus):
    labels = _labels(corpus[1] + corpus[2] + corpus[3])
    positives = {lb.value for lb in labels if lb.kind == POSITIVE}
    decoys = [lb for lb in labels if lb.kind == DECOY]
    assert decoys
    assert not positives & {lb.value for lb in decoys}
    for lb in decoys:
        if lb.form == "masked":
            disclosed = re.split(r"[*…\[]", lb.value, maxsplit=1)[0]
            assert len(disclosed) < 8 or lb.value.startswith(("sk_live_", "Bearer")), lb
        if lb.form == "example_key":
            assert "EXAMPLE" in lb.value
    for value in ("AKIAIOSFODNN7EXAMPLE", "demo", "changeme", "${FRED_API_KEY}", "<FRED_API_KEY>"):
        assert value not in positives


def test_no_line_holds_both_a_secret_and_a_decoy(corpus):
    for doc in corpus[1] + corpus[2]:
        kinds: dict[int, set[str]] = {}
        for label in doc.labels:
            kinds.setdefault(label.line, set()).add(label.kind)
        assert all(len(k) == 1 for k in kinds.values()), doc.path


def test_sizes_and_coverage(corpus):
    for docs in corpus.values():
        assert 180 <= len(docs) <= 240
    labels = _labels(corpus[1] + corpus[2] + corpus[3])
    per_family = Counter(lb.family for lb in labels if lb.kind == POSITIVE)
    assert {f for f, n in per_family.items() if n >= 5} == set(FAMILIES)
    forms = Counter(lb.form for lb in labels if lb.kind == POSITIVE)
    for form in (
        "percent",
        "double_percent",
        "base64_url",
        "html_entities",
        "json_escaped",
        "next_line",
        "cli_arg",
        "toml",
        "django_debug",
        "truncated",
        "masked_prefix",
    ):
        assert forms[form] >= 5, form
    decoy_forms = Counter(lb.form for lb in labels if lb.kind == DECOY)
    for form in (
        "hash",
        "uuid",
        "placeholder",
        "masked",
        "example_key",
        "fixture",
        "image_data",
        "trace_id",
        "build_id",
    ):
        assert decoy_forms[form] >= 3, form


SHAPES = {
    "fred": r"[0-9a-f]{32}",
    "alpha_vantage": r"[0-9A-Z]{16}",
    "aws_access_key_id": r"(AKIA|ASIA)[A-Z2-7]{16}",
    "aws_secret_key": r"[A-Za-z0-9+/]{40}",
    "github_token": r"(ghp_|gho_)[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
    "gitlab_token": r"glpat-[A-Za-z0-9_-]{20}",
    "slack_token": r"xoxb-\d+-\d+-[A-Za-z0-9]{24}|xoxp-\d+-\d+-\d+-[0-9a-f]{32}",
    "slack_webhook": r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{24}",
    "stripe_key": r"(sk|rk)_live_[A-Za-z0-9]{24,99}",
    "google_api_key": r"AIza[A-Za-z0-9_-]{35}",
    "openai_key": r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}",
    "sendgrid_key": r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
    "npm_token": r"npm_[A-Za-z0-9]{36}",
    "pypi_token": r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
    "dockerhub_token": r"dckr_pat_[A-Za-z0-9_-]{27}",
    "azure_storage": r"[A-Za-z0-9+/]{86}==",
    "jwt": r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}",
}


@pytest.mark.parametrize("family", sorted(SHAPES))
def test_values_have_the_published_shape(family):
    planner = Planner(random.Random(11))
    for _ in range(20):
        assert re.fullmatch(SHAPES[family], planner.value(family)), family


def test_bulk_tree_reaches_its_size(tmp_path):
    written = build_tree(tmp_path, 1.5, seed=3)
    on_disk = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert written == on_disk
    assert 1.5 * 1024 * 1024 <= on_disk <= 1.7 * 1024 * 1024


def _lb(path: str, line: int, kind: str = POSITIVE, tolerance: int = 0) -> Label:
    return Label(path, line, "fred", kind, "plain", "v", "v", tolerance)


def test_matching_one_finding_per_label_with_tolerance_and_false_alarms():
    labels = [_lb("a", 3), _lb("a", 9, tolerance=1), _lb("b", 2, DECOY), _lb("b", 5)]
    findings = [("a", 3), ("a", 3), ("a", 10), ("b", 2), ("b", 2), ("c", 1)]
    score: Score = match(labels, findings)
    assert [(lb.path, lb.line) for lb in score.hit] == [("a", 3), ("a", 9)]
    assert [(lb.path, lb.line) for lb in score.missed] == [("b", 5)]
    assert [(lb.path, lb.line) for lb in score.alarms] == [("b", 2)]
    assert score.unlabelled == [("c", 1)]
    assert score.duplicates == 2
    assert score.precision == pytest.approx(2 / 4)
    assert score.recall == pytest.approx(2 / 3)


def test_two_findings_on_a_line_match_two_labels_there():
    labels = [_lb("a", 1), _lb("a", 1)]
    assert len(match(labels, [("a", 1)]).hit) == 1
    assert len(match(labels, [("a", 1), ("a", 1)]).hit) == 2


def test_a_value_below_its_name_may_be_reported_on_the_name_line(corpus):
    below = [lb for lb in _labels(corpus[1]) if lb.form == "next_line" and lb.kind == POSITIVE]
    assert below
    assert all(lb.tolerance == 1 for lb in below)
    label = below[0]
    score = match([label], [(label.path, label.line - 1)])
    assert score.hit == [label]
    assert not score.unlabelled


def test_benchmark_reads_the_real_scanner_output(capsys):
    """One seed through the real `synthcheck scan --format json` (about a second)."""
    from benchmarks.bench_scan import main

    assert main(["--seeds", "1", "--seed-base", "9", "--skip-throughput"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("| synthcheck |"))
    found = int(row.split("|")[5])
    assert found > 0  # findings were read back and matched to labels by path and line
    assert "| fred |" in out
    assert "| percent |" in out
