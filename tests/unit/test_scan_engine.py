"""The scan engine's fast paths give the same answers as the plain ones they replaced.

Each shortcut (rule prefilter, line counter, overlap index, walk paths, worker
processes, guard prechecks) is checked against a straightforward reference written
here, on crafted and random inputs, and the whole scan against itself in one process.
"""

from __future__ import annotations

import base64
import random
import re
import string
import urllib.parse
from pathlib import Path

import pytest

from synthcheck.leaks import LeakScanner, guards, line_and_column, prefilter
from synthcheck.leaks.findings import Finding
from synthcheck.leaks.patterns import (
    PatternMatch,
    PatternScanner,
    _literal_prefix,
    _LiteralGate,
    _most_specific,
)
from synthcheck.leaks.rules import RULES
from synthcheck.leaks.scanner import _relocated, _Taken
from synthcheck.leaks.syntax import Rule
from synthcheck.scan import command, files
from synthcheck.scan.allowlist import INLINE_MARK
from synthcheck.scan.files import scan_paths
from synthcheck.scan.lines import Lines
from synthcheck.scan.walk import Walk, display_path
from synthcheck.secrets.decoding import decoded_spans
from tests.support import leak_corpus

FRED = leak_corpus.fred_key(random.Random(77))


def _rule(rule_id: str, pattern: str, anchors: tuple[str, ...], **extra: object) -> Rule:
    return Rule(
        id=rule_id,
        title=rule_id,
        kind="generic",
        pattern=re.compile(pattern),
        anchors=anchors,
        **extra,  # type: ignore[arg-type]
    )


# -- the rule prefilter ---------------------------------------------------------------------
def test_a_rule_without_a_literal_anchor_always_runs() -> None:
    # A rule added later with an anchor of no literal start (an alternation) is never
    # skipped by the prefilter: fail-open.
    new = _rule("zz-token", r"(?P<secret>(?:zq|qz)_[0-9a-f]{12})", ("zq|qz",))
    assert prefilter.rule_literals(new, lambda anchor: "") is None
    scanner = PatternScanner([*RULES, new])
    text = "deploy: token qz_0123456789ab done\n"
    assert [m.rule.id for m in scanner.scan(text)] == ["zz-token"]


def test_a_rule_with_literal_anchors_runs_when_one_occurs() -> None:
    new = _rule("kw-token", r"kwtok=(?P<secret>[0-9a-f]{12})", ("kwtok=",))
    scanner = PatternScanner([new])
    assert prefilter.rule_literals(new, lambda anchor: anchor) == frozenset({"kwtok="})
    assert [m.value for m in scanner.scan("x KWTOK=7f3e9c21d84b\n")] == []  # case kept
    assert [m.value for m in scanner.scan("x kwtok=7f3e9c21d84b\n")] == ["7f3e9c21d84b"]
    assert scanner.scan("x kwtik=7f3e9c21d84b\n") == []


def test_case_anchored_and_located_rules_always_run() -> None:
    case = _rule("c", r"(?P<secret>AB[0-9]{4})", ("AB",), case_anchors=True)
    located = _rule("l", r"(?P<secret>x)", ("never",), locate=lambda text: [])
    assert prefilter.rule_literals(case, lambda anchor: anchor) is None
    assert prefilter.rule_literals(located, lambda anchor: anchor) is None
    assert prefilter.may_match(None, frozenset())


def test_the_runnable_rules_are_those_a_rule_by_rule_test_keeps() -> None:
    extra = _rule("zz-token", r"(?P<secret>(?:zq|qz)_[0-9a-f]{12})", ("zq|qz",))
    rules = [*RULES, extra]
    runnable = prefilter.RuleFilter(rules, _literal_prefix)
    words = sorted({w for r in rules for w in (*r.requires, *map(_literal_prefix, r.anchors))})
    rng = random.Random(4)
    for _ in range(300):
        present = frozenset(rng.sample(words, rng.randrange(0, 8)))
        expected = []
        for priority, rule in enumerate(rules):
            anchors = [_literal_prefix(a) for a in rule.anchors]
            always = rule.locate is not None or rule.case_anchors or not all(anchors)
            if all(w in present for w in rule.requires) and (
                always or any(a in present for a in anchors)
            ):
                expected.append((priority, rule))
        assert list(runnable.given(present)) == expected
        assert (len(rules) - 1, extra) in expected  # fail-open: always among them


def test_short_and_long_texts_find_the_same_words() -> None:
    # Below SMALL_TEXT the gate tests each word; above, it searches grouped alternations.
    gate = _LiteralGate(["api", "apikey", "secret", "sk-", "xox", "key", "ey"])
    rng = random.Random(5)
    pieces = ["apikey", "secret", "sk-", "xox", "zzz", "hello ", "\n", "k", "e", "y"]
    for _ in range(50):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 2000)))
        long = text + " " * (prefilter.SMALL_TEXT + 1)
        assert gate.present(text) == gate.present(long)
        assert gate.present(text) == frozenset(w for w in gate._words if w in text)


# -- overlaps -------------------------------------------------------------------------------
def _random_ranges(rng: random.Random, n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        start = rng.randrange(0, 200)
        out.append((start, start + rng.randrange(0, 30)))
    return out


def test_taken_ranges_answer_as_a_linear_search_does() -> None:
    rng = random.Random(11)
    for _ in range(200):
        ranges = _random_ranges(rng, rng.randrange(0, 12))
        taken = _Taken(ranges)
        for start, end in _random_ranges(rng, 20):
            expected = any(start < e and s < end for s, e in ranges)
            assert taken.overlaps(start, end) == expected


def _reference_most_specific(matches: list[PatternMatch]) -> list[PatternMatch]:
    kept: list[PatternMatch] = []
    for match in sorted(matches, key=lambda m: (m.priority, m.start)):
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def test_most_specific_keeps_what_the_pairwise_comparison_kept() -> None:
    rng = random.Random(12)
    for _ in range(300):
        matches = [
            PatternMatch(RULES[p], p, s, e, "v", "v")
            for p, (s, e) in zip(
                (rng.randrange(len(RULES)) for _ in range(15)),
                _random_ranges(rng, 15),
                strict=True,
            )
        ]
        assert _most_specific(matches) == _reference_most_specific(matches)


def _reference_decoded(scanner: LeakScanner, text: str, plain: list[Finding]) -> list[Finding]:
    """The decoded findings as the pairwise comparison chose them."""
    spans = decoded_spans(text)
    if not spans:
        return []
    starts, offset = [], 0
    for span in spans:
        starts.append(offset)
        offset += len(span.text) + 3
    found: list[Finding] = []
    for finding in scanner._scan_plain("\n\0\n".join(span.text for span in spans)):
        index = max(i for i, start in enumerate(starts) if start <= finding.start)
        span = spans[index]
        if finding.end > starts[index] + len(span.text):
            continue
        if any(span.start < f.end and f.start < span.end for f in plain + found):
            continue
        found.append(_relocated(finding, span))
    return found


def test_decoded_findings_are_those_the_pairwise_comparison_kept() -> None:
    scanner = LeakScanner()  # pattern rules only: known values are found encoded anyway
    lines = [
        line
        for sample in leak_corpus.positives(seed=5, repeat=1)[::3]
        for line in sample.text.splitlines()
        if any(secret in line for secret in sample.secrets) and len(line) < 300
    ]
    texts = []
    for n, line in enumerate(lines):
        encoded = [
            base64.b64encode(line.encode()).decode(),
            urllib.parse.quote(line, safe=""),
            "".join(f"&#{ord(c)};" for c in line),
            # nested: the stretch decodes twice, and both readings hold the value
            base64.b64encode(urllib.parse.quote(line, safe="").encode()).decode(),
        ]
        # a plain copy of the line next to its encodings (the plain finding wins), or not
        texts.append(" ".join([line, *encoded] if n % 2 else encoded))
    # Both readings of the nested stretch hold the token (its characters survive
    # percent-encoding): the second must be dropped as overlapping the first.
    token = leak_corpus.github_token(random.Random(79))
    nested = urllib.parse.quote(f"GITHUB_TOKEN=-{token}-&scope=repo", safe="")
    texts.append(f"ref: {base64.b64encode(nested.encode()).decode()}")
    texts.append("\n".join(texts[:40]))  # many stretches in one text
    checked = 0
    for text in texts:
        plain = scanner._scan_plain(text)
        expected = _reference_decoded(scanner, text, plain)
        assert scanner._scan_decoded(text, plain) == expected
        checked += bool(expected)
    assert checked > 20  # the comparison saw decoded findings, not only empty lists


# -- guards: prechecks in front of the character loops --------------------------------------
def _reference_made_up(value: str) -> bool:
    low = value.lower()
    run = 1
    for i in range(1, len(low)):
        a, b = low[i - 1], low[i]
        stepping = a.isdigit() != b.isdigit() and a.isalnum() and b.isalnum()
        if stepping and i >= 2:
            stepping = abs(ord(b) - ord(low[i - 2])) == 1
        run = run + 1 if stepping else 1
        if run >= 8:
            return True
    return False


def _reference_low_diversity(value: str) -> bool:
    if len(value) < 12:
        return False
    if len(set(value)) < max(4, min(len(value) // 5, 10)):
        return True
    for period in range(1, min(len(value), 256) // 3 + 1):
        if value == (value[:period] * (len(value) // period + 1))[: len(value)]:
            return True
    return any(value.lower() in sequence for sequence in guards._SEQUENCES)


@pytest.mark.parametrize(
    "value",
    ["a1b2c3d4", "A1B2c3D4e5", "9f8e7d6c5b", "xx1a2b3c4dyy", "a1b2c3d", "1a2b3c4d", "7f3e9c21d84b"],
)
def test_made_up_values_are_still_recognised(value: str) -> None:
    assert guards.is_made_up(value) == _reference_made_up(value)


def test_guard_prechecks_agree_with_the_loops_on_random_values() -> None:
    rng = random.Random(13)
    alphabets = [string.hexdigits, string.ascii_letters + string.digits, "a1b2c3", "ab", "é1ä2"]
    for _ in range(3000):
        alphabet = rng.choice(alphabets)
        value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60)))
        if rng.random() < 0.2:
            value = (value[: rng.randrange(1, 6)] * 20)[: len(value) + 12]  # a repeated unit
        elif rng.random() < 0.1:
            value = (value[:15] * 20)[: rng.randrange(40, 300)]  # a longer unit, a long value
        assert guards.is_made_up(value) == _reference_made_up(value), value
        assert guards.is_low_diversity(value) == _reference_low_diversity(value), value


# -- line numbers and the walk --------------------------------------------------------------
def test_lines_counted_once_match_line_and_column() -> None:
    text = "a\nbb\n\nccc key\n" * 50 + "tail without newline"
    lines = Lines(text)
    for offset in [*range(0, len(text), 7), len(text) - 1, 3]:  # the last one goes back
        line, column, line_text = lines.at(offset)
        assert (line, column) == line_and_column(text, offset)
        start = text.rfind("\n", 0, offset) + 1
        assert line_text == text[start:].split("\n", 1)[0]


def test_walk_paths_are_the_resolved_display_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c.txt").write_text("x")
    (tmp_path / "a" / "d.env").write_text("x")
    (tmp_path / "a" / "skip.log").write_text("x")
    (tmp_path / "top.txt").write_text("x")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "y.txt").write_text("x")
    monkeypatch.chdir(tmp_path / "a")
    roots_tried = (
        [Path(".")],
        [Path("..")],  # holds the working directory: some paths relative, some not
        [tmp_path],
        [Path("b"), Path("d.env")],
        [tmp_path / "a" / "b"],  # absolute, below the working directory
        [tmp_path / "x"],  # absolute, outside it
        [Path("../x")],
    )
    for roots in roots_tried:
        walk = Walk(roots, excludes=["*.log"])
        pairs = list(walk.shown_files())
        assert pairs, roots
        assert [shown for _, shown in pairs] == [display_path(path) for path, _ in pairs]
        assert all(not shown.endswith("skip.log") for _, shown in pairs)
    assert [s for _, s in Walk([Path(".")]).shown_files()] == ["d.env", "skip.log", "b/c.txt"]


# -- the whole scan: serial and in worker processes -----------------------------------------
@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for n, sample in enumerate(leak_corpus.corpus(seed=3, repeat=1)):
        path = tmp_path / f"dir{n % 7}" / f"sample-{n}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(sample.text)
    (tmp_path / "dir0" / "allowed.env").write_text(f"FRED_API_KEY={FRED}  # {INLINE_MARK}\n")
    (tmp_path / "dir1" / "blob.bin").write_bytes(b"\0\1" * 100 + f"api_key={FRED}".encode())
    (tmp_path / "dir2" / "big.log").write_text(
        ("GET /api/health 200 3ms\n" * 2000) + f"fred api_key={FRED}\n"
    )
    return tmp_path


def _rows(report: files.ScanReport) -> list[tuple[object, ...]]:
    return [
        (f.path, f.line, f.column, f.rule, f.fingerprint, f.masked, f.binary)
        for f in report.findings
    ]


def test_worker_processes_report_what_one_process_reports(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MIN_PARALLEL_BYTES", 1)  # the tree is small: force workers
    scanner = LeakScanner()
    serial = scan_paths([Path(".")], scanner, jobs=1)
    parallel = scan_paths([Path(".")], scanner, jobs=2)
    assert _rows(parallel) == _rows(serial)
    assert (parallel.files, parallel.bytes, parallel.binary_files, parallel.allowed) == (
        serial.files,
        serial.bytes,
        serial.binary_files,
        serial.allowed,
    )
    assert serial.allowed == 1
    assert serial.binary_files == 1
    found = {(f.path, f.line, f.rule) for f in serial.findings}
    assert ("dir2/big.log", 2001, "fred-api-key") in found
    assert ("dir1/blob.bin", 1, "fred-api-key") in found
    assert len(serial.findings) > 50


def test_few_bytes_are_scanned_in_this_process(tree: Path) -> None:
    # Below MIN_PARALLEL_BYTES no worker is started: the same answer without the fork.
    assert _rows(scan_paths([Path(".")], LeakScanner(), jobs=4)) == _rows(
        scan_paths([Path(".")], LeakScanner(), jobs=1)
    )


# -- the command line -----------------------------------------------------------------------
def test_jobs_must_be_positive(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert command.main(["--jobs", "0", "."]) == 2
    assert "--jobs must be a positive number of processes" in capsys.readouterr().err
