"""A mixed tree of a given size for throughput: corpus copies at their natural sizes plus
the large files real repositories carry (minified bundles, lockfiles, long logs)."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from benchmarks.secret_corpus import generate_docs, logs
from benchmarks.secret_corpus.families import Planner

__all__ = ["build_tree"]

MB = 1024 * 1024


def _identifier(rng: random.Random) -> str:
    return rng.choice("abcdefghijklmnopqrstuvwxyz_$") + "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randrange(1, 4))
    )


def _bundle(rng: random.Random, size: int) -> str:
    """A minified webpack-style bundle: few very long lines, a source map comment at the end."""
    parts: list[str] = [
        '"use strict";(self.webpackChunkdashboard=self.webpackChunkdashboard||[]).push([[179],{'
    ]
    total = 0
    while total < size:
        a, b, c = (_identifier(rng) for _ in range(3))
        chunk = (
            f"{rng.randrange(1000, 99999)}:function({a},{b},{c})"
            f"{{var {a}={c}({rng.randrange(100, 999)}),"
            f'{b}="{rng.choice(("/api/fred-data", "/api/health", "series", "observations"))}";'
            f'return {a}.get({b}+"?series="+{c},{{timeout:{rng.randrange(1, 30)}e3}})}},'
        )
        parts.append(chunk)
        total += len(chunk)
        if rng.random() < 0.002:
            parts.append("\n")
    sourcemap = base64.b64encode(rng.randbytes(min(size // 8, 200_000))).decode()
    parts.append(
        f"}}]);\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,{sourcemap}\n"
    )
    return "".join(parts)


def _lockfile(rng: random.Random, size: int) -> str:
    packages: dict[str, object] = {}
    total = 0
    n = 0
    while total < size:
        n += 1
        name = f"pkg-{n}-{_identifier(rng)}"
        integrity = "sha512-" + base64.b64encode(rng.randbytes(64)).decode()
        packages[f"node_modules/{name}"] = {
            "version": f"{rng.randrange(10)}.{rng.randrange(30)}.{rng.randrange(40)}",
            "resolved": f"https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz",
            "integrity": integrity,
            "license": "MIT",
        }
        total += 260
    return json.dumps({"name": "dashboard", "lockfileVersion": 3, "packages": packages}, indent=2)


def _log(rng: random.Random, size: int) -> str:
    lines: list[str] = []
    total = 0
    while total < size:
        line = (
            f"2026-11-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
            f"{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z INFO  [fred-api] "
            "GET /api/fred-data"
            f"?series={rng.choice(('UNRATE', 'GDPC1', 'CPIAUCSL'))} 200 {rng.randrange(3, 900)}ms "
            f"request_id={rng.randbytes(16).hex()}"
        )
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def _long_log(seed: int, size: int) -> str:
    """Application log lines from the corpus's own log generator, to a realistic length."""
    planner = Planner(random.Random(seed))
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        text = logs.app_log(planner, n).render()
        parts.append(text)
        total += len(text)
    return "".join(parts)


SOURCE_LINES = (
    "def {f}(series_id: str, start: date | None = None) -> list[Observation]:",
    '    """Return the observations of one series, newest last."""',
    "    rows = cache.get(series_id) or fetch(series_id, start=start)",
    "    return [Observation(r['date'], float(r['value'])) for r in rows if r['value'] != '.']",
    "",
    "class {c}(BaseModel):",
    "    series_id: str = Field(pattern=r'^[A-Z0-9]{{1,30}}$')",
    "    frequency: Literal['d', 'w', 'm', 'q', 'a'] = 'm'",
    "    units: str = 'lin'",
    "",
    "    @validator('units')",
    "    def _known(cls, value: str) -> str:",
    "        if value not in UNITS:",
    "            raise ValueError(f'unknown units {{value!r}}')",
    "        return value",
    "",
    "# keep the upstream's 120 requests/minute budget with a token bucket",
    "bucket = TokenBucket(rate=2.0, burst={n})",
    "logger.info('served %s in %.1f ms', series_id, elapsed * 1000)",
)


def _source(rng: random.Random, size: int) -> str:
    """Clean application source (no secrets): most of a real repository's bytes."""
    lines: list[str] = ['"""FRED series helpers."""', "from __future__ import annotations", ""]
    total = 0
    while total < size:
        for template in SOURCE_LINES:
            line = template.format(
                f=_identifier(rng) + "_series", c=_identifier(rng).title(), n=rng.randrange(2, 60)
            )
            lines.append(line)
            total += len(line) + 1
    return "\n".join(lines) + "\n"


def build_tree(out_dir: Path, target_mb: float, seed: int = 1000) -> int:
    """Write about `target_mb` MiB under `out_dir`; return the bytes written.

    Mix by bytes: ~15 % minified bundles (3), ~10 % one lockfile, ~20 % plain access logs
    of 200-800 KiB, ~5 % application logs from the corpus generator, ~35 % clean source
    files of 2-20 KiB, the rest (~15 %) copies of the labelled corpus (configs, pages,
    CI logs, notebooks ... at their natural 0.3-10 KiB, dense with planted values).
    """
    rng = random.Random(seed)
    target = int(target_mb * MB)
    written = 0

    def put(relative: str, text: str) -> None:
        nonlocal written
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode()
        path.write_bytes(data)
        written += len(data)

    for n in range(3):
        put(f"web/dist/static/js/main.{n}.{rng.randbytes(4).hex()}.js", _bundle(rng, target // 20))
    put("web/package-lock.json", _lockfile(rng, target // 10))
    n = 0
    while written < target * 0.45:
        n += 1
        put(f"logs/access-{n}.log", _log(rng, rng.randrange(200 * 1024, 800 * 1024)))
    put("logs/app.log", _long_log(seed, target // 20))
    n = 0
    while written < target * 0.85:
        n += 1
        put(f"src/pkg{n % 23}/module_{n}.py", _source(rng, rng.randrange(2 * 1024, 20 * 1024)))
    copy = 0
    while written < target:
        for doc in generate_docs(seed + copy):
            if written >= target:
                break
            put(f"copy-{copy}/{doc.path}", doc.render())
        copy += 1
    return written
