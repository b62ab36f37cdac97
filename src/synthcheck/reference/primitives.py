"""Fault primitives: small effect builders that faults are composed from.

Each builder returns one `Effect` bound to one hook, and declares the
parameters it reads with their defaults (so `delay(ms=800)` makes `ms` a
parameter of any fault using it, overridable as `slow_all:ms=300`).  Effect
functions read parameters from the `ActiveFault` at request time.

Why one module of ~300 lines: it is the whole vocabulary a fault can be made of,
one section per hook in hook order, so whoever adds a fault to `catalog.py`
reads one list to find the builder they need.
"""

from __future__ import annotations

import asyncio
import http
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from synthcheck.reference.asgi import JSON_TYPE, Response
from synthcheck.reference.faults import ActiveFault, Effect, Hook, ParamValue, RequestContext

Predicate = Callable[[ActiveFault, RequestContext], bool]
PayloadMutator = Callable[[ActiveFault, RequestContext, Any], Any]
HeaderBuilder = Callable[[ActiveFault, RequestContext], Mapping[str, str]]
BodyBuilder = Callable[[ActiveFault, RequestContext, Response], bytes]
TextTransform = Callable[[ActiveFault, RequestContext, str], str]
LocationBuilder = Callable[[ActiveFault, RequestContext], str]
LogAppender = Callable[[ActiveFault, RequestContext], str | None]

MIB = 1024 * 1024
_STREAM_CHUNK = 64 * 1024


def _always(af: ActiveFault, ctx: RequestContext) -> bool:
    return True


def query_equals(name: str) -> Predicate:
    """True when query parameter `name` equals the fault parameter of the same name."""

    def check(af: ActiveFault, ctx: RequestContext) -> bool:
        return ctx.request.query.get(name, "").strip().upper() == af.text(name).upper()

    return check


def error_payload(status: int) -> dict[str, object]:
    try:
        phrase = http.HTTPStatus(status).phrase.lower()
    except ValueError:
        phrase = "error"
    return {"error": phrase}


# --------------------------------------------------------------------------- BEFORE


def delay(*, ms: float, jitter_ms: float | None = None) -> Effect:
    """Sleep `ms` milliseconds (± uniform `jitter_ms`) before the request is routed."""
    params: dict[str, ParamValue] = {"ms": float(ms)}
    if jitter_ms is not None:
        params["jitter_ms"] = float(jitter_ms)

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        await asyncio.sleep(_delay_seconds(af, ctx))
        return None

    return Effect(Hook.BEFORE, run, params)


def _delay_seconds(af: ActiveFault, ctx: RequestContext) -> float:
    ms = af.num("ms")
    jitter = float(af.params.get("jitter_ms", 0.0))
    if jitter:
        ms += ctx.rng.uniform(-jitter, jitter)
    return max(ms, 0.0) / 1000.0


def respond(
    *,
    status: int,
    body: str | None = None,
    content_type: str = JSON_TYPE,
    when: Predicate = _always,
) -> Effect:
    """Short-circuit with `status` (a parameter) and a fixed body, when `when` holds."""

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        if not when(af, ctx):
            return None
        code = af.whole("status")
        if body is None:
            return Response.json(error_payload(code), code)
        return Response.raw(body.encode("utf-8"), code, content_type)

    return Effect(Hook.BEFORE, run, {"status": int(status)})


def redirect(location: LocationBuilder, *, status: int = 302) -> Effect:
    """Short-circuit with a redirect to `location(af, ctx)`."""

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        response = Response.json({"redirect": True}, status)
        response.headers.set("Location", location(af, ctx))
        return response

    return Effect(Hook.BEFORE, run)


def _padded_json(total: int, head: bytes, pause_s: float) -> Response:
    """A 200 JSON-looking body of ``total`` bytes, ``head`` then padding, streamed in
    chunks (never built whole) with ``pause_s`` between them."""
    tail = b'"}'
    filler = max(total - len(head) - len(tail), 0)

    async def chunks() -> AsyncIterator[bytes]:
        yield head
        left = filler
        block = b"x" * _STREAM_CHUNK
        while left > 0:
            piece = block if left >= _STREAM_CHUNK else block[:left]
            left -= len(piece)
            yield piece
            await asyncio.sleep(pause_s)  # 0: let other connections make progress
        yield tail

    response = Response(status=200, stream=chunks, stream_length=len(head) + filler + len(tail))
    response.headers.set("Content-Type", JSON_TYPE)
    return response


def stream_body(*, mb: int) -> Effect:
    """Short-circuit with a 200 JSON-looking body of `mb` MiB, streamed, never built whole."""

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        return _padded_json(af.whole("mb") * MIB, b'{"status":"healthy","padding":"', 0.0)

    return Effect(Hook.BEFORE, run, {"mb": int(mb)})


def slow_stream_body(*, mb: int, s: float) -> Effect:
    """Short-circuit with a 200 JSON body of `mb` MiB produced slowly, over `s` seconds.

    Headers go out at once; the body trickles (sleeping between chunks, so every other
    route stays responsive), like a service building a huge export on the fly.
    """

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        total = af.whole("mb") * MIB
        pause = af.num("s") * _STREAM_CHUNK / max(total, 1)
        return _padded_json(total, b'{"success":true,"padding":"', pause)

    return Effect(Hook.BEFORE, run, {"mb": int(mb), "s": float(s)})


# --------------------------------------------------------------------------- HEALTH / JSON


def mutate_health(fn: PayloadMutator, **params: ParamValue) -> Effect:
    """Rewrite the /api/health body (a dict, before serialization)."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Any:
        return fn(af, ctx, response.payload)

    return Effect(Hook.HEALTH, run, params)


def mutate_json(
    fn: PayloadMutator, *, statuses: tuple[int, ...] | None = None, **params: ParamValue
) -> Effect:
    """Rewrite any JSON body, optionally only for responses with one of `statuses`."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Any:
        if statuses is not None and response.status not in statuses:
            return response.payload
        return fn(af, ctx, response.payload)

    return Effect(Hook.JSON, run, params)


# --------------------------------------------------------------------------- AFTER


def set_status(*, status: int) -> Effect:
    """Change the response status to the `status` parameter."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        response.status = af.whole("status")
        return response

    return Effect(Hook.AFTER, run, {"status": int(status)})


def add_headers(build: HeaderBuilder, **params: ParamValue) -> Effect:
    """Add (or overwrite) the headers `build(af, ctx)` returns."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        for name, value in build(af, ctx).items():
            response.headers.set(name, value)
        return response

    return Effect(Hook.AFTER, run, params)


def remove_headers(*names: str) -> Effect:
    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        for name in names:
            response.headers.remove(name)
        return response

    return Effect(Hook.AFTER, run)


def replace_body(
    build: BodyBuilder, *, content_type: str, min_status: int = 0, **params: ParamValue
) -> Effect:
    """Replace the body with `build(...)` for responses with status >= `min_status`."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        if response.status >= min_status:
            response.replace_body(build(af, ctx, response), content_type)
        return response

    return Effect(Hook.AFTER, run, params)


def transform_text(fn: TextTransform, **params: ParamValue) -> Effect:
    """Rewrite a (non-streamed, non-JSON) text body, e.g. a served script."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        if response.stream is None and not response.is_json and response.status == 200:
            response.body = fn(af, ctx, response.body.decode("utf-8")).encode("utf-8")
        return response

    return Effect(Hook.AFTER, run, params)


# --------------------------------------------------------------------------- LOG


def log_append(fn: LogAppender, **params: ParamValue) -> Effect:
    """Append `fn(...)` to the request's log line (after masking: that is the leak)."""

    def run(af: ActiveFault, ctx: RequestContext, line: str) -> str:
        extra = fn(af, ctx)
        return f"{line} {extra}" if extra else line

    return Effect(Hook.LOG, run, params)


# --------------------------------------------------------------------------- upstream stub


def upstream_delay(*, ms: float) -> Effect:
    """The upstream stub sleeps `ms` before answering."""

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        await asyncio.sleep(af.num("ms") / 1000.0)
        return None

    return Effect(Hook.UPSTREAM_BEFORE, run, {"ms": float(ms)})


def upstream_fail(*, status: int) -> Effect:
    """The upstream stub answers `status` in FRED's error format (or refuses, `mode=refuse`)."""

    async def run(af: ActiveFault, ctx: RequestContext) -> Response | None:
        if af.text("mode") == "refuse":
            # In a real server the listener is closed at startup (see connection());
            # in-process (ASGI transport) the closest thing is a connection error.
            raise ConnectionRefusedError("upstream refused the connection")
        code = af.whole("status")
        message = str(error_payload(code)["error"]).title()
        return Response.json({"error_code": code, "error_message": f"{message}."}, code)

    return Effect(
        Hook.UPSTREAM_BEFORE,
        run,
        {"status": int(status), "mode": "status"},
        choices={"mode": ("status", "refuse")},
    )


def upstream_usage(*, usage: float) -> Effect:
    """The stub reports `usage` (0..1) of its rate limit as used."""

    def run(af: ActiveFault, ctx: RequestContext, response: Response) -> Response:
        limit_text = response.headers.get("X-RateLimit-Limit")
        remaining_text = response.headers.get("X-RateLimit-Remaining")
        if limit_text and remaining_text:
            limit = int(limit_text)
            # round(), not floor(): 120 * (1 - 0.9) is 11.999... in binary floating point
            reported = round(limit * (1.0 - min(af.num("usage"), 1.0)))
            response.headers.set("X-RateLimit-Remaining", str(min(int(remaining_text), reported)))
        return response

    return Effect(Hook.UPSTREAM_AFTER, run, {"usage": float(usage)})


# --------------------------------------------------------------------------- CONNECTION


def connection(
    mode: str, *, target: str = "app", when: Callable[[ActiveFault], bool] | None = None
) -> Effect:
    """Replace the `target` listener (app|upstream) by a raw fault server: down|hang|garbage."""

    def run(af: ActiveFault, wanted: str) -> str | None:
        if wanted != target or (when is not None and not when(af)):
            return None
        return mode

    return Effect(Hook.CONNECTION, run)
