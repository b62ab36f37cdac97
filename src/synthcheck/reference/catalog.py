"""The fault catalog: one `register(...)` line per fault, helpers above the table.

To add a fault made of existing primitives, add one line to the table at the
bottom, e.g.

    register("teapot", respond(status=418), path="/api/live", doc="/api/live is a teapot")

Its parameters (here `status`, plus the generic `p` and `path`) are taken
from the primitives, are listed by `--list-faults`, and parse from specs like
`teapot:status=500,p=0.5`.

Why one module past ~300 lines: it is one table. Each helper above the table is the
few-line body of exactly one fault (health mutations, leaks, data faults), kept
next to the others of its kind so a reader sees every fault the reference can
show in one file; the generic building blocks live in `primitives.py`.
"""
# The table keeps exactly one fault per line on purpose (easy to scan, diff and
# extend), so those lines are allowed past the line-length limit.
# ruff: noqa: E501

from __future__ import annotations

import base64
import sys
import time
import traceback
from importlib import metadata
from typing import Any
from urllib.parse import parse_qsl, urlencode

from synthcheck.reference.asgi import Response
from synthcheck.reference.faults import ActiveFault, RequestContext, register
from synthcheck.reference.health import memory_check, read_rss_bytes
from synthcheck.reference.health_shapes import reshape_health
from synthcheck.reference.observations import load_all
from synthcheck.reference.primitives import (
    MIB,
    add_headers,
    connection,
    delay,
    log_append,
    mutate_health,
    mutate_json,
    query_equals,
    redirect,
    remove_headers,
    replace_body,
    respond,
    set_status,
    slow_stream_body,
    stream_body,
    transform_text,
    upstream_delay,
    upstream_fail,
    upstream_usage,
)

SECURITY_HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Referrer-Policy",
)
KEY_CHOICES = {"key": ("fred", "alpha_vantage")}
WHERE_HEADER_BODY = {"where": ("header", "body")}
WHERE_COOKIE_HEADER = {"where": ("cookie", "header")}

SPA_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>FRED Dashboard</title></head>'
    '<body><div id="root"></div><noscript>You need to enable JavaScript to run this app.'
    '</noscript><script src="/static/js/main.3f9a1c.js"></script></body></html>'
)
UNREADY_BODY = '{"ready":false,"checks":{"upstream":"ok","cache":"warming"}}'


# --------------------------------------------------------------------------- health bodies


def _checks(body: Any) -> dict[str, Any] | None:
    checks = body.get("checks") if isinstance(body, dict) else None
    return checks if isinstance(checks, dict) else None


def _set_check(body: Any, name: str, **fields: Any) -> None:
    checks = _checks(body)
    if checks is not None:
        current = checks.get(name)
        checks[name] = {**(current if isinstance(current, dict) else {}), **fields}


def _unhealthy(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict):
        body["status"] = "unhealthy"
    return body


def _unhealthy_body(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    _set_check(body, "fred_api", status="fail", error="HTTP 503")
    return _unhealthy(af, ctx, body)


def _degraded(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict):
        body["status"] = "degraded"
    _set_check(body, "cache", status="warn")
    return body


def _schema_drift(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    """Rename `status`, flatten `memory` to "23%", turn `checks` into a list (order kept)."""
    if not isinstance(body, dict):
        return body
    drifted: dict[str, Any] = {}
    for key, value in body.items():
        if key == "status":
            drifted["state"] = value
        elif key == "memory" and isinstance(value, dict) and value.get("total"):
            drifted["memory"] = f"{round(value['used'] / value['total'] * 100)}%"
        elif key == "checks" and isinstance(value, dict):
            drifted["checks"] = [
                {"name": name, **(c if isinstance(c, dict) else {"status": c})}
                for name, c in value.items()
            ]
        else:
            drifted[key] = value
    return drifted


def _report_memory(body: Any, used: int, total: int, check: dict[str, Any]) -> None:
    if isinstance(body, dict):
        body["memory"] = {"used": used, "total": total, "limit": total}
    _set_check(body, "memory", **check)


def _memory_high(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    total = ctx.settings.memory_limit_bytes
    pct = af.num("pct")
    check = memory_check(int(total * pct / 100.0), total)
    if check["status"] == "pass":
        check["status"] = "warn"  # the fault exists to trip the memory check
    _report_memory(body, int(total * pct / 100.0), total, check)
    return body


_BALLAST_CHUNK = MIB


def _memory_leak(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    """Really hold `mb_per_s` MiB more per second of fault time, up to 97 % of the limit."""
    total = ctx.settings.memory_limit_bytes
    baseline = af.state.setdefault("baseline_rss", read_rss_bytes())
    ballast: list[bytes] = af.state.setdefault("ballast", [])
    wanted = (time.monotonic() - af.started) * af.num("mb_per_s") * MIB
    cap = max(0, int(total * 0.97) - baseline)
    while (len(ballast) + 1) * _BALLAST_CHUNK <= min(wanted, cap):
        # Non-zero bytes so every page is really written (calloc'd zeros are not resident).
        ballast.append(b"\xa5" * _BALLAST_CHUNK)
    used = max(read_rss_bytes(), baseline + len(ballast) * _BALLAST_CHUNK)
    _report_memory(body, used, total, memory_check(used, total))
    return body


# --------------------------------------------------------------------------- leaks


def _series_of(ctx: RequestContext) -> str:
    # BEFORE hooks run before the route has validated `series`: re-check it here.
    raw = ctx.series or ctx.request.query.get("series", "").strip().upper()
    return raw if raw.replace("_", "").isalnum() else "UNRATE"


def _leak_url(af: ActiveFault, ctx: RequestContext) -> str:
    return ctx.settings.leak_url(af.text("key"), _series_of(ctx))


def _leak_body(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict):
        body["debug"] = {"upstream": _leak_url(af, ctx)}
    return body


def _leak_prefix(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    _set_check(body, "fred_api", key_prefix=ctx.settings.secret(af.text("key"))[:8])
    return body


def _leak_error_page(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict):
        body["upstream_url"] = ctx.upstream_url or _leak_url(af, ctx)
    return body


def _percent_encoded(af: ActiveFault, ctx: RequestContext) -> str:
    return "".join(f"%{byte:02X}" for byte in ctx.settings.secret(af.text("key")).encode())


def _leak_percent_header(af: ActiveFault, ctx: RequestContext) -> dict[str, str]:
    return {"X-Debug-Token": _percent_encoded(af, ctx)} if af.text("where") == "header" else {}


def _leak_percent_body(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if af.text("where") == "body" and isinstance(body, dict):
        body["trace_token"] = _percent_encoded(af, ctx)
    return body


def _leak_base64(af: ActiveFault, ctx: RequestContext) -> dict[str, str]:
    param = "apikey" if af.text("key") == "alpha_vantage" else "api_key"
    raw = f"{param}={ctx.settings.secret(af.text('key'))}".encode()
    token = base64.b64encode(raw).decode("ascii")
    if af.text("where") == "header":
        return {"X-Debug-Context": token}
    return {"Set-Cookie": f"dbg={token}; Path=/; HttpOnly; SameSite=Strict"}


def _leak_header(af: ActiveFault, ctx: RequestContext) -> dict[str, str]:
    return {"X-Debug-Upstream-Key": ctx.settings.secret(af.text("key"))}


def _leak_alpha_vantage(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict):
        body["quote_source"] = ctx.settings.alpha_vantage_url()
    return body


def _leak_script(af: ActiveFault, ctx: RequestContext, text: str) -> str:
    name = "ALPHA_VANTAGE_KEY" if af.text("key") == "alpha_vantage" else "FRED_KEY"
    return f'const {name} = "{ctx.settings.secret(af.text("key"))}";\n{text}'


def _leak_log(af: ActiveFault, ctx: RequestContext) -> str:
    return f"upstream_url={_leak_url(af, ctx)}"


# --------------------------------------------------------------------------- misc


def _loop_location(af: ActiveFault, ctx: RequestContext) -> str:
    """Alternate between the URL without and with `_loop=1`: A -> B -> A -> ..."""
    pairs = parse_qsl(ctx.request.query_string, keep_blank_values=True)
    looped = any(key == "_loop" for key, _ in pairs)
    rest = [(k, v) for k, v in pairs if k != "_loop"]
    if not looped:
        rest.append(("_loop", "1"))
    query = urlencode(rest)
    return ctx.request.path + (f"?{query}" if query else "")


def _banner(af: ActiveFault, ctx: RequestContext) -> dict[str, str]:
    try:
        uvicorn_version = ".".join(metadata.version("uvicorn").split(".")[:2])
    except metadata.PackageNotFoundError:
        uvicorn_version = "0.x"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return {
        "Server": f"uvicorn/{uvicorn_version} Python/{python}",
        "X-Powered-By": f"synthcheck-reference/{ctx.settings.app_version}",
    }


def _resolve_route(ctx: RequestContext) -> object:
    # A real lookup that fails, so the traceback below is a genuine one.
    handlers: dict[str, object] = {}
    key = f"{ctx.request.path}?series={ctx.series}" if ctx.series else ctx.request.path
    return handlers[key]


def _traceback_page(af: ActiveFault, ctx: RequestContext, response: Response) -> bytes:
    try:
        _resolve_route(ctx)
        trace = ""
    except KeyError:
        trace = traceback.format_exc()
    return f"Error {response.status} while handling {ctx.request.path}\n\n{trace}".encode()


# --------------------------------------------------------------------------- data


def _as_number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None  # FRED's "." (no value published)


def _wrong_series(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    """The handler ignores ?series= and answers the same series for every request."""
    if isinstance(body, dict) and "observations" in body:
        body["series"] = af.text("series")
    return body


def _stale_data(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    """A fallback copy from 2019 (the bundled, unshifted dates), still "success"."""
    series = load_all().get(str(body.get("series", "")) if isinstance(body, dict) else "")
    if series is None or not isinstance(body, dict):
        return body
    rows = [(d, v) for d, v in series.observations if d <= af.text("until")]
    body["observations"] = [{"date": d, "value": _as_number(v)} for d, v in rows]
    body["count"] = len(rows)
    return body


def _fallback_flag(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict) and "observations" in body:
        body.update(success=True, fallback=True, warning="FRED unavailable; serving fallback data")
    return body


def _old_version(af: ActiveFault, ctx: RequestContext, body: Any) -> Any:
    if isinstance(body, dict):
        body["version"] = af.text("old")
    return body


def _cors_reflect(af: ActiveFault, ctx: RequestContext) -> dict[str, str]:
    origin = ctx.request.headers.get("origin")
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
        "Vary": "Origin",
    }


# --------------------------------------------------------------------------- the table
# fmt: off
# connection level (server mode only; applied when the listener is created)
register("down", connection("down"), doc="connection refused: the port is bound to report the URL, then closed")
register("hang", connection("hang"), doc="accept connections, read the request, never answer")
register("garbage", connection("garbage"), doc="accept, write random non-HTTP bytes, close")
# health, readiness, liveness
register("unhealthy", mutate_health(_unhealthy), set_status(status=503), path="/api/health", doc="/api/health answers `status` (503) with status=unhealthy")
register("unhealthy_body", mutate_health(_unhealthy_body), path="/api/health", doc="/api/health answers 200 with status=unhealthy and checks.fred_api.status=fail")
register("degraded", mutate_health(_degraded), path="/api/health", doc="/api/health answers 200 with status=degraded and checks.cache.status=warn")
register("schema_drift", mutate_health(_schema_drift), path="/api/health", doc="health body drifts: status->state, memory becomes \"23%\", checks becomes a list")
register("html_health", respond(status=200, body=SPA_PAGE, content_type="text/html; charset=utf-8"), path="/api/health", doc="/api/health answers an HTML SPA page instead of JSON")
register("unready", respond(status=503, body=UNREADY_BODY), path="/api/ready", doc="/api/ready answers `status` (503) with ready=false")
register("slow_live", delay(ms=1000), path="/api/live", doc="/api/live is delayed by `ms`")
register("huge_body", stream_body(mb=50), path="/api/health", doc="/api/health streams a 200 JSON-looking body of `mb` MiB")
register("health_format", reshape_health(), path="/api/health", doc="/api/health answers in `shape` (ietf, actuator, aspnet, aspnet_text, kubernetes, node_heap) reporting `state` (pass; warn/fail add a degraded/failing postgres component, with the format's HTTP code)")
register("slow_huge_body", slow_stream_body(mb=40, s=20.0), path="/api/fred-data", doc="/api/fred-data answers at once, then produces a `mb` MiB body slowly, over `s` seconds")
register("redirect_loop", redirect(_loop_location), path="/api/", doc="/api/ paths answer 302 to themselves, alternating two URLs forever")
# memory
register("memory_high", mutate_health(_memory_high, pct=92.0), path="/api/health", doc="health reports memory used at `pct` % of total and checks.memory.status=warn")
register("memory_leak", mutate_health(_memory_leak, mb_per_s=2.0), path="/api/health", doc="the process really grows by `mb_per_s` MiB/s while on (up to 97 % of the limit); health reports it")
# latency and errors
register("slow_tail", delay(ms=1200), p=0.1, path="/api/", doc="a fraction `p` of /api/ requests is delayed by `ms`")
register("slow_all", delay(ms=800, jitter_ms=50), path="/api/", doc="every /api/ request is delayed by `ms` ± `jitter_ms`")
register("slow_data", delay(ms=30000), path="/api/fred-data", doc="only /api/fred-data takes `ms` (default 30 s, past any client timeout); every other route stays fast")
register("latency", delay(ms=50), path="/", doc="fixed `ms` delay on every request (measurement-accuracy benchmarks)")
register("error_spike", respond(status=500), p=0.1, path="/api/fred-data", doc="a fraction `p` of /api/fred-data requests answers `status`")
register("series_errors", respond(status=502, when=query_equals("series")), series="GDPC1", path="/api/fred-data", doc="requests for `series` answer `status`")
# upstream (stub side)
register("upstream_slow", upstream_delay(ms=2500), doc="the upstream stub waits `ms` (longer than the app's timeout: 502 or stale)")
register("upstream_down", upstream_fail(status=503), connection("down", target="upstream", when=lambda af: af.text("mode") == "refuse"), doc="the upstream stub answers `status`; mode=refuse closes its port instead (startup only)")
register("rate_limit_high", upstream_usage(usage=0.9), doc="the upstream stub reports `usage` of its rate limit used (seen in X-RateLimit-* and health)")
# key leaks
register("leak_body", mutate_health(_leak_body), key="fred", choices=KEY_CHOICES, path="/api/health", doc="health body gets debug.upstream = upstream URL with the key")
register("leak_header", add_headers(_leak_header), key="fred", choices=KEY_CHOICES, path="/api/fred-data", doc="X-Debug-Upstream-Key: <key> header")
register("leak_redirect", redirect(_leak_url), key="fred", choices=KEY_CHOICES, path="/api/fred-data", doc="302 to an upstream URL containing the key")
register("leak_error_page", mutate_json(_leak_error_page, statuses=(404, 502)), key="fred", choices=KEY_CHOICES, path="/api/fred-data", doc="404/502 error bodies echo the upstream URL with the key")
register("leak_prefix", mutate_health(_leak_prefix), key="fred", choices=KEY_CHOICES, path="/api/health", doc="health checks.fred_api.key_prefix = first 8 characters of the key")
register("leak_percent", add_headers(_leak_percent_header), mutate_json(_leak_percent_body), key="fred", where="header", choices={**KEY_CHOICES, **WHERE_HEADER_BODY}, path="/api/", doc="the key percent-encoded byte by byte (%61%62...) in X-Debug-Token or a body field")
register("leak_base64", add_headers(_leak_base64), key="fred", where="cookie", choices={**KEY_CHOICES, **WHERE_COOKIE_HEADER}, path="/api/", doc="base64 of api_key=<key> in a dbg cookie or an X-Debug-Context header")
register("leak_alpha_vantage", mutate_json(_leak_alpha_vantage), path="/api/health", doc="the Alpha Vantage key in a JSON body as ...&apikey=<AVKEY>")
register("leak_script", transform_text(_leak_script), key="fred", choices=KEY_CHOICES, path="/static/app.js", doc="the key inlined in /static/app.js as const FRED_KEY = \"<key>\";")
register("leak_log", log_append(_leak_log), key="fred", choices=KEY_CHOICES, path="/api/fred-data", doc="the upstream URL with the unmasked key is logged on every fred-data request")
# headers and disclosure
register("missing_headers", remove_headers(*SECURITY_HEADERS), doc="drop X-Content-Type-Options, X-Frame-Options, Content-Security-Policy, Referrer-Policy")
register("version_banner", add_headers(_banner), doc="add Server: uvicorn/<v> Python/<v> and X-Powered-By: synthcheck-reference/<version>")
register("stack_trace", replace_body(_traceback_page, content_type="text/plain; charset=utf-8", min_status=400), doc="4xx/5xx error pages show a Python traceback")
# data correctness and freshness (docs/data-checks.md)
register("wrong_series", mutate_json(_wrong_series, series="UNRATE"), path="/api/fred-data", doc="/api/fred-data ignores ?series= and names `series` in every answer")
register("stale_data", mutate_json(_stale_data, until="2019-12-31"), path="/api/fred-data", doc="/api/fred-data serves a fallback copy whose newest observation is from 2019 (`until`), status 200")
register("fallback_flag", mutate_json(_fallback_flag), path="/api/fred-data", doc="/api/fred-data answers success:true with fallback:true and a warning")
# the deploy landed (--expect-version)
register("version_mix", mutate_health(_old_version, old="1.4.1"), p=0.3, path="/api/health", doc="a share `p` of health answers reports the old version `old` (a rolling deploy in progress)")
# CORS
register("cors_reflect", add_headers(_cors_reflect), doc="reflect any Origin in Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true")
# fmt: on
