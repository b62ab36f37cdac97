"""Leak scanner figures: precision/recall on the labelled corpus, and scan throughput.

    .venv/bin/python benchmarks/bench_leaks.py [--seeds 3] [--repeat 6] [--tree-mb 20]
                                               [--skip-throughput] [--compare-detect-secrets VENV]

1. Pattern rules (values the verifier does not know) on the generated corpus of
   ``tests/support/leak_corpus.py``: per family and overall, several seeds.
2. Known values: every leak form (whole, 8+ characters, case, percent, JSON, HTML,
   \\x, base64 at three alignments, URL-safe, inside a JWT) and near-misses, with the
   base64 token decoding on (responses, reports) and off (``scan`` default).
3. ``synthcheck scan`` on a generated mixed tree (source, minified bundles, JSON,
   lockfiles, logs, HTML, CSV, binaries, one file larger than a read piece) with two
   known keys set: MB/s of the command (process start included) and of the scan
   itself, and the command's peak resident memory.
4. Optionally the same corpus and tree through detect-secrets from another venv
   (install it there, never into the project): ``--compare-detect-secrets /tmp/ds``.
"""

from __future__ import annotations

import argparse
import base64
import collections
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synthcheck.leaks import LeakScanner  # noqa: E402
from synthcheck.scan.files import scan_paths  # noqa: E402
from synthcheck.secrets import Secret  # noqa: E402
from tests.support import leak_corpus  # noqa: E402


# ------------------------------------------------------------------ accuracy
def _spans(sample: leak_corpus.Sample) -> list[tuple[int, int]]:
    spans = []
    for value in sample.secrets:
        start = sample.text.find(value)
        spans.append((start, start + len(value)))
    return spans


def pattern_accuracy(seeds: int, repeat: int) -> None:
    scanner = LeakScanner([])
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    false_positives: collections.Counter[str] = collections.Counter()
    misses: collections.Counter[str] = collections.Counter()
    samples = 0
    for seed in range(seeds):
        for sample in leak_corpus.corpus(seed=1000 + seed, repeat=repeat):
            samples += 1
            found = scanner.scan(sample.text)
            spans = _spans(sample)
            for finding in found:
                hit = any(finding.start < end and start < finding.end for start, end in spans)
                by_kind[finding.kind]["tp" if hit else "fp"] += 1
                if not hit:
                    false_positives[f"{sample.context} -> {finding.rule}"] += 1
            for start, end in spans:
                if not any(f.start < end and start < f.end for f in found):
                    by_kind[sample.kind]["fn"] += 1
                    misses[f"{sample.kind}: {sample.context}"] += 1
                else:
                    by_kind[sample.kind]["found"] += 1

    def ratio(a: int, b: int) -> str:
        return f"{100.0 * a / b:6.2f} %" if b else "     - "

    print(f"pattern rules, {samples} samples ({seeds} seeds x repeat {repeat})")
    print(f"  {'family':<16} {'labelled':>8} {'precision':>10} {'recall':>9}")
    totals = collections.Counter[str]()
    for kind in sorted(by_kind):
        c = by_kind[kind]
        totals.update(c)
        labelled = c["found"] + c["fn"]
        print(
            f"  {kind:<16} {labelled:>8} {ratio(c['tp'], c['tp'] + c['fp']):>10}"
            f" {ratio(c['found'], labelled):>9}"
        )
    labelled = totals["found"] + totals["fn"]
    print(
        f"  {'overall':<16} {labelled:>8} {ratio(totals['tp'], totals['tp'] + totals['fp']):>10}"
        f" {ratio(totals['found'], labelled):>9}"
    )
    for what, n in false_positives.most_common(8):
        print(f"  false positive x{n}: {what}")
    for what, n in misses.most_common(8):
        print(f"  missed x{n}: {what}")


def known_accuracy(seeds: int) -> None:
    for deep in (True, False):
        hits = misses = false = correct_rejects = 0
        missed: list[str] = []
        for seed in range(seeds):
            rng = random.Random(seed)
            fred = leak_corpus.fred_key(rng)
            av = leak_corpus.av_key(rng)
            secrets = [Secret("FRED_API_KEY", fred), Secret("ALPHA_VANTAGE_API_KEY", av)]
            scanner = LeakScanner(secrets, deep=deep)
            for what, text, expected in leak_corpus.known_value_cases(fred, av, seed):
                flagged = any(f.known for f in scanner.scan(text))
                if expected and flagged:
                    hits += 1
                elif expected:
                    misses += 1
                    missed.append(what)
                elif flagged:
                    false += 1
                else:
                    correct_rejects += 1
        mode = "deep (responses, reports, output)" if deep else "files (scan default)"
        recall = 100.0 * hits / (hits + misses)
        precision = 100.0 * hits / (hits + false) if hits + false else 100.0
        print(
            f"known values, {mode}: recall {recall:.1f} % ({hits}/{hits + misses}),"
            f" precision {precision:.1f} %, near-misses rejected {correct_rejects}"
        )
        if missed:
            print(f"  missed: {', '.join(sorted(set(missed)))}")


# ------------------------------------------------------------------ the tree
WORDS = [
    *("series", "observation", "value", "date", "units", "frequency", "cache", "upstream"),
    *("request", "response", "handler", "render", "config", "settings", "health", "memory"),
    *("latency", "budget", "window", "document", "element", "update", "fetch", "result"),
    *("error", "status", "client", "server", "token", "parse", "format", "export", "default"),
]


def _ident(rng: random.Random) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))


def _python(rng: random.Random) -> str:
    lines = [f"import {rng.choice(['os', 'json', 'time', 'logging'])}", ""]
    for _ in range(rng.randint(5, 15)):
        name = _ident(rng)
        lines += [
            f"def {name}({_ident(rng)}, {_ident(rng)}=None):",
            f'    """{" ".join(rng.choice(WORDS) for _ in range(8))}."""',
            f"    {_ident(rng)} = {{'{rng.choice(WORDS)}': {rng.randint(0, 999)},"
            f" 'id': '{uuid.UUID(int=rng.getrandbits(128))}'}}",
            f"    return {_ident(rng)}.get('{rng.choice(WORDS)}')",
            "",
        ]
    return "\n".join(lines)


def _bundle(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(200, 600)):
        name = f"{rng.choice(string.ascii_letters)}{rng.randint(0, 99)}"
        text = f'"{rng.choice(WORDS)}%20{rng.choice(WORDS)}"'
        parts.append(
            f"function {name}(e,t){{return e.{rng.choice(WORDS)}(t)&&{text}}}"
            f'var n{rng.randint(0, 999)}="{rng.getrandbits(64):016x}";'
        )
    return "".join(parts) + "\n//# sourceMappingURL=main.js.map\n"


def _json_data(rng: random.Random) -> str:
    rows = [
        {
            "date": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-01",
            "value": round(rng.random() * 10, 2),
        }
        for _ in range(rng.randint(100, 400))
    ]
    return json.dumps(
        {"series": "UNRATE", "etag": f"{rng.getrandbits(128):032x}", "observations": rows}
    )


def _lockfile(rng: random.Random) -> str:
    packages = {
        f"node_modules/{_ident(rng)}": {
            "version": f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
            "resolved": f"https://registry.example.org/{rng.choice(WORDS)}/-/{rng.choice(WORDS)}.tgz",
            "integrity": "sha512-" + base64.b64encode(rng.randbytes(64)).decode(),
        }
        for _ in range(rng.randint(50, 150))
    }
    return json.dumps({"lockfileVersion": 3, "packages": packages}, indent=2)


def _log(rng: random.Random, lines: int) -> str:
    out = []
    for i in range(lines):
        out.append(
            f"2024-05-01T12:{i // 60 % 60:02d}:{i % 60:02d}.{rng.randint(0, 999):03d}Z INFO request"
            f" id={uuid.UUID(int=rng.getrandbits(128))} trace_id={rng.getrandbits(128):032x}"
            f" method=GET path=/api/fred-data series={rng.choice(['UNRATE', 'GDPC1'])}"
            f" status={rng.choice([200, 200, 200, 404, 502])} duration_ms={rng.random() * 90:.1f}"
            " upstream=https://api.stlouisfed.org/fred/series/observations?api_key=****"
        )
    return "\n".join(out) + "\n"


def _html(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(50, 150)):
        words = " ".join(rng.choice(WORDS) for _ in range(30))
        paragraphs.append(
            f'<p class="{rng.choice(WORDS)}">{words} &#39;{rng.choice(WORDS)}&#39;</p>\n'
        )
    script = f'<script src="/static/js/main.{rng.getrandbits(128):032x}.js"></script>'
    return f"<!doctype html><html><head>{script}</head><body>{''.join(paragraphs)}</body></html>"


def _csv(rng: random.Random) -> str:
    rows = []
    for _ in range(rng.randint(500, 3000)):
        month = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-01"
        rows.append(f"{month},{rng.random() * 100:.3f},{rng.choice(['UNRATE', 'CPIAUCSL'])}\n")
    return "date,value,series\n" + "".join(rows)


def build_tree(root: Path, megabytes: float, fred: str, av: str) -> int:
    """A mixed tree of about ``megabytes`` MB with a few real secrets; returns its size."""
    rng = random.Random(42)
    makers = [
        ("src", ".py", _python, 5),
        ("dist", ".js", _bundle, 3),
        ("data", ".json", _json_data, 2),
        ("deps", ".lock.json", _lockfile, 1),
        ("docs", ".html", _html, 2),
        ("data", ".csv", _csv, 2),
    ]
    budget = int(megabytes * 1e6)
    # One log larger than a read piece (8 MiB), so the piecewise reader is measured too.
    big = root / "logs" / "app.log"
    big.parent.mkdir(parents=True)
    big.write_text(_log(rng, 40_000))
    size = big.stat().st_size
    positives = leak_corpus.positives(seed=7, repeat=1)
    count = 0
    while size < budget:
        folder, suffix, make, _ = rng.choices(makers, weights=[m[3] for m in makers])[0]
        text = make(rng)
        if count % 97 == 0:
            text += "\n" + rng.choice(positives).text
        if count % 499 == 0:
            text += f"\n# leaked: https://www.alphavantage.co/query?apikey={av}&x={fred}\n"
        path = root / folder / f"{count:05d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        size += len(text.encode())
        count += 1
        if count % 50 == 0:
            binary = root / "bin" / f"{count:05d}.bin"
            binary.parent.mkdir(exist_ok=True)
            binary.write_bytes(b"\x7fELF\0\0" + rng.randbytes(rng.randint(10_000, 60_000)))
            size += binary.stat().st_size
    return size


# Runs the command and prints its peak resident set (KiB) as the last stderr line.
_PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]);"
    " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)


def throughput(megabytes: float, detect_secrets: Path | None) -> None:
    rng = random.Random(3)
    fred, av = leak_corpus.fred_key(rng), leak_corpus.av_key(rng)
    with tempfile.TemporaryDirectory(prefix="bench-leaks-") as tmp:
        tree = Path(tmp) / "tree"
        size = build_tree(tree, megabytes, fred, av)
        files = sum(1 for p in tree.rglob("*") if p.is_file())
        print(f"tree: {size / 1e6:.1f} MB in {files} files")
        env = {**os.environ, "FRED_API_KEY": fred, "ALPHA_VANTAGE_API_KEY": av}
        for extra in ([], ["--deep"], ["--jobs", "1"]):
            for _ in range(2):  # the first run warms the page cache
                command = [
                    sys.executable,
                    "-m",
                    "synthcheck",
                    "scan",
                    str(tree),
                    "--format",
                    "json",
                ]
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", _PEAK, *command, *extra],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                wall = time.perf_counter() - started
            found = len(json.loads(done.stdout))
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024
            label = "scan " + " ".join(extra) if extra else "scan"
            print(
                f"{label:<12} {found} findings, {wall:.2f} s wall,"
                f" {size / 1e6 / wall:.1f} MB/s (process start included), peak RSS {peak:.0f} MiB"
            )
        secrets = [Secret("FRED_API_KEY", fred), Secret("ALPHA_VANTAGE_API_KEY", av)]
        report = scan_paths([tree], LeakScanner(secrets, deep=False))
        megabytes_read = report.bytes / 1e6
        print(
            f"in-process   {report.files} files, {megabytes_read:.1f} MB in {report.seconds:.2f} s:"
            f" {megabytes_read / report.seconds:.1f} MB/s, {len(report.findings)} findings"
        )
        if detect_secrets is not None:
            binary = detect_secrets / "bin" / "detect-secrets"
            started = time.perf_counter()
            subprocess.run(
                [str(binary), "scan", "--all-files", "."],
                cwd=tree,
                capture_output=True,
                check=False,
            )
            wall = time.perf_counter() - started
            print(f"detect-secrets {wall:.2f} s wall, {size / 1e6 / wall:.2f} MB/s")


def detect_secrets_accuracy(venv: Path, seeds: int, repeat: int) -> None:
    """detect-secrets on the same corpus (one file per sample), scored the same way."""
    binary = venv / "bin" / "detect-secrets"
    tp = fp = found = fn = 0
    with tempfile.TemporaryDirectory(prefix="bench-ds-") as tmp:
        root = Path(tmp)
        samples = [s for seed in range(seeds) for s in leak_corpus.corpus(1000 + seed, repeat)]
        for i, sample in enumerate(samples):
            (root / f"{i:05d}.txt").write_text(sample.text)
        # detect-secrets reports paths relative to its working directory.
        done = subprocess.run(
            [str(binary), "scan", "--all-files", "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        results = json.loads(done.stdout)["results"]
        for i, sample in enumerate(samples):
            lines = {r["line_number"] for r in results.get(f"{i:05d}.txt", [])}
            secret_lines = set()
            for start, _ in _spans(sample):
                secret_lines.add(sample.text.count("\n", 0, start) + 1)
            tp += len(lines & secret_lines)
            fp += len(lines - secret_lines)
            found += len(secret_lines & lines)
            fn += len(secret_lines - lines)
    print(
        f"detect-secrets on the corpus (by line): precision {100.0 * tp / max(tp + fp, 1):.1f} %,"
        f" recall {100.0 * found / max(found + fn, 1):.1f} %"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--tree-mb", type=float, default=20.0)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--only-throughput", action="store_true", help="skip the accuracy parts")
    parser.add_argument("--compare-detect-secrets", type=Path, metavar="VENV")
    args = parser.parse_args()
    if args.only_throughput:
        throughput(args.tree_mb, None)
        return 0
    pattern_accuracy(args.seeds, args.repeat)
    known_accuracy(args.seeds)
    if args.compare_detect_secrets:
        detect_secrets_accuracy(args.compare_detect_secrets, args.seeds, args.repeat)
    if not args.skip_throughput:
        throughput(args.tree_mb, args.compare_detect_secrets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
