# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Text that programs write: application logs, JSON logs and CI logs."""

from __future__ import annotations

import base64

from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.forms import SERIES, api_url, encode, mask_prefix, truncate
from benchmarks.secret_corpus.model import DECOY, POSITIVE, Doc, Item
from benchmarks.secret_corpus.plant import SERVICES

__all__ = ["app_log", "ci_log", "json_log"]

LOG_FORMS = (
    "url",
    "percent",
    "double_percent",
    "base64_url",
    "base64_kv",
    "truncated",
    "masked_prefix",
)


def _ts(p: Planner, n: int) -> str:
    return f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:{p.rng.randrange(60):02d}:{p.rng.randrange(60):02d}.{p.rng.randrange(1000):03d}Z"


def key_text(p: Planner, forms: tuple[str, ...]) -> tuple[str, str, Item]:
    """A FRED/Alpha Vantage key as a log line would carry it: (text, shown, label item)."""
    family = p.pick_family(("fred", "alpha_vantage"))
    form = p.pick_family(forms)
    key = p.value(family)
    name = "api_key" if family == "fred" else "apikey"
    if form == "url":
        text = api_url(family, key, p.rng)
        return f"upstream GET {text}", key, Item(family, POSITIVE, form, key)
    if form in ("percent", "double_percent", "base64_url", "base64_kv", "json_escaped"):
        text, shown = encode(form, family, key, p.rng)
        field = {"base64_kv": "cfg", "base64_url": "state"}.get(form, "next")
        return f"redirect {field}={text}", shown, Item(family, POSITIVE, form, key)
    if form == "truncated":
        text, shown = truncate(key, p.rng)
        label = "fred key" if family == "fred" else "alpha vantage key"
        return f"{label}={text}", shown, Item(family, POSITIVE, form, key)
    text, shown = mask_prefix(key, p.rng)
    return f"{name}={text}", shown, Item(family, POSITIVE, form, key)


def _decoy_line(p: Planner) -> tuple[str, str, Item]:
    t = p.tok
    choice = p.rng.randrange(8)
    if choice == 0:
        v = t.fred()[:4] + "****"
        return f"using api_key={v}", v, Item("fred", DECOY, "masked", v)
    if choice == 1:
        v = t.trace_id()
        return f"trace_id={v} span_id={t.hex(16)}", v, Item("fred", DECOY, "trace_id", v)
    if choice == 2:
        v = t.md5()
        return f'cache hit etag="{v}"', v, Item("fred", DECOY, "hash", v)
    if choice == 3:
        v = "[REDACTED]"
        return f"apikey={v} symbol=IBM", v, Item("alpha_vantage", DECOY, "masked", v)
    if choice == 4:
        v = t.uuid()
        return f"request_id={v} status=200", v, Item("generic", DECOY, "uuid", v)
    if choice == 5:
        v = t.build_id()
        return f"deploy build={v} ok", v, Item("alpha_vantage", DECOY, "build_id", v)
    if choice == 6:
        v = "Bearer [FILTERED]"
        return f"Authorization: {v}", v, Item("token_header", DECOY, "masked", v)
    v = t.fred()[:6] + "…"
    return f"fred key={v} rejected (key shown masked)", v, Item("fred", DECOY, "masked", v)


def app_log(p: Planner, i: int) -> Doc:
    svc = p.rng.choice(SERVICES)
    doc = Doc(f"logs/{svc}-{i}.log")
    for n in range(p.rng.randrange(25, 60)):
        ts = _ts(p, n + i)
        roll = p.rng.random()
        if roll < 0.12:
            text, shown, item = key_text(p, LOG_FORMS)
            doc.put(f"{ts} DEBUG [{svc}] {text}", shown, item)
        elif roll < 0.17:
            family = p.pick_family(("token_header", "jwt", "basic_auth"))
            item = p.positive(family)
            shown = item.value
            if family == "basic_auth":
                shown = base64.b64encode(item.value.encode()).decode()
                item = Item(family, POSITIVE, "base64_value", item.value)
                header = "Authorization: Basic "
            elif family == "jwt":
                header = "Authorization: Bearer "
            else:
                header = p.rng.choice(("X-Api-Token: ", "X-Api-Key: ", "Authorization: Token "))
            doc.put(f"{ts} DEBUG [{svc}] > {header}{shown}", shown, item)
        elif roll < 0.36:
            text, shown, item = _decoy_line(p)
            doc.put(f"{ts} INFO  [{svc}] {text}", shown, item)
        else:
            series = p.rng.choice(SERIES)
            doc.add(
                f"{ts} INFO  [{svc}] GET /api/fred-data?series={series} 200 {p.rng.randrange(4, 400)}ms"
            )
    return doc


def json_log(p: Planner, i: int) -> Doc:
    doc = Doc(f"logs/{p.rng.choice(SERVICES)}-{i}.jsonl")
    for n in range(p.rng.randrange(15, 40)):
        ts = _ts(p, n)
        roll = p.rng.random()
        if roll < 0.15:
            text, shown, item = key_text(p, ("json_escaped",))
            url = text.removeprefix("redirect next=")
            doc.put(
                f'{{"ts":"{ts}","level":"error","msg":"upstream failed","url":"{url}","status":400}}',
                shown,
                item,
            )
        elif roll < 0.3:
            pair = p.pair()
            value = pair.value.replace("\\", "\\\\").replace('"', '\\"')
            doc.put(
                f'{{"ts":"{ts}","level":"debug","msg":"config loaded","{pair.name}":"{value}"}}',
                value,
                pair.item,
            )
        elif roll < 0.5:
            v = p.tok.trace_id()
            doc.put(
                f'{{"ts":"{ts}","level":"info","trace_id":"{v}","msg":"served"}}',
                v,
                Item("fred", DECOY, "trace_id", v),
            )
        else:
            doc.add(
                f'{{"ts":"{ts}","level":"info","msg":"GET /api/health 200","duration_ms":{p.rng.randrange(1, 30)}}}'
            )
    return doc


def ci_log(p: Planner, i: int) -> Doc:
    doc = Doc(f"ci-logs/run-{i}/{p.rng.choice(('build', 'deploy', 'test'))}.log")
    for n in range(p.rng.randrange(30, 70)):
        ts = f"2026-11-24T10:{n % 60:02d}:{p.rng.randrange(60):02d}.{p.rng.randrange(10**7):07d}Z"
        roll = p.rng.random()
        if roll < 0.1:
            family = p.pick_family(("fred", "alpha_vantage"))
            item = p.positive(family, "cli_arg")
            flag = (
                p.rng.choice(("--fred-key", "--api-key", "--key"))
                if family == "fred"
                else p.rng.choice(("--av-key", "--api-key", "--apikey"))
            )
            sep = p.rng.choice((" ", "="))
            doc.put(
                f"{ts} + python -m ingest.backfill {flag}{sep}{item.value} --series {p.rng.choice(SERIES)}",
                item.value,
                item,
            )
        elif roll < 0.16:
            family = p.pick_family(
                ("dockerhub_token", "npm_token", "github_token", "gitlab_token", "pypi_token")
            )
            item = p.positive(family, "cli_arg")
            command = {
                "dockerhub_token": f"docker login -u ci-bot -p {item.value} docker.io",
                "npm_token": f"npm config set //registry.npmjs.org/:_authToken {item.value}",
                "github_token": f"git clone https://x-access-token:{item.value}@github.com/example/data.git",
                "gitlab_token": f'curl --header "PRIVATE-TOKEN: {item.value}" https://gitlab.example.com/api/v4/projects',
                "pypi_token": f"twine upload -u __token__ -p {item.value} dist/*",
            }[family]
            doc.put(f"{ts} + {command}", item.value, item)
        elif roll < 0.22:
            v = "***"
            doc.put(
                f"{ts} + python -m ingest.backfill --fred-key {v} --series UNRATE",
                v,
                Item("fred", DECOY, "masked", v),
            )
        elif roll < 0.3:
            v = p.tok.sha256()
            doc.put(f"{ts} #12 pushing layer sha256:{v}", v, Item("generic", DECOY, "hash", v))
        elif roll < 0.36:
            v = p.tok.sha1()
            doc.put(
                f"{ts} HEAD is now at {v[:7]} Merge pull request #{p.rng.randrange(100, 999)}; commit {v}",
                v,
                Item("generic", DECOY, "hash", v),
            )
        else:
            doc.add(f"{ts} tests/test_{p.rng.choice(SERIES).lower()}.py::test_shape PASSED [{n}%]")
    return doc
