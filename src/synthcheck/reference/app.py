"""The reference FRED-data backend: a raw ASGI app implementing the runbook contract.

Request pipeline (see faults.py for the hook order): select the faults that
apply to this request -> BEFORE hooks -> route -> base headers -> HEALTH /
JSON / AFTER hooks -> send -> log line (LOG hooks).  The fault admin endpoint
(`/__faults__` in fault_admin.py, only with enable_fault_admin) bypasses every fault so a test
can always switch them off again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
import uuid
from collections.abc import Awaitable, Callable
from importlib import resources

import httpx

from synthcheck.reference.applog import AppLog
from synthcheck.reference.asgi import (
    Receive,
    Request,
    Response,
    Scope,
    Send,
    lifespan,
    send_response,
)
from synthcheck.reference.cache import TTLCache
from synthcheck.reference.fault_admin import ADMIN_PATH, admin_response
from synthcheck.reference.faults import (
    APP_HOOKS,
    FaultSet,
    Hook,
    RequestContext,
    run_after,
    run_before,
    run_log,
    run_payload,
)
from synthcheck.reference.health import (
    CpuSampler,
    build_health_body,
    build_ready_body,
    health_http_status,
    read_rss_bytes,
)
from synthcheck.reference.replies import (
    MAX_LIMIT,
    SERIES_RE,
    error_response,
    parse_limit,
    series_response,
)
from synthcheck.reference.settings import Settings
from synthcheck.reference.upstream import SeriesNotFound, UpstreamClient, UpstreamError

Handler = Callable[[RequestContext], Awaitable[Response]]

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
)
STATIC_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "application/javascript; charset=utf-8"),
    "/static/app.js.map": ("app.js.map", "application/json"),
}


@functools.cache
def static_bytes(name: str) -> bytes:
    return resources.files("synthcheck.reference").joinpath("static", name).read_bytes()


class ReferenceApp:
    def __init__(
        self,
        settings: Settings,
        faults: FaultSet | None = None,
        *,
        log: AppLog | None = None,
        upstream_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.faults = faults if faults is not None else FaultSet()
        self.log = log if log is not None else AppLog(None)
        self.log.set_mask(settings.mask)  # every line is masked before it is written
        self.upstream = UpstreamClient(settings, self.log, transport=upstream_transport)
        self.cache = TTLCache(settings.cache_ttl)
        self.cpu = CpuSampler()
        self.started_at = time.monotonic()
        self.ready = False
        self._refresh: asyncio.Task[None] | None = None
        self.routes: dict[str, dict[str, Handler]] = {
            "/api/health": {"GET": self.health},
            "/api/ready": {"GET": self.readiness},
            "/api/live": {"GET": self.live},
            "/api/fred-data": {"GET": self.fred_data},
            **{path: {"GET": self.static} for path in STATIC_FILES},
        }

    # ------------------------------------------------------------------ lifecycle

    async def startup(self) -> None:
        """First upstream probe (bounded by the upstream timeout), then ready."""
        await self.upstream.probe()
        self.ready = True
        self.log.event(
            "INFO",
            "startup",
            version=self.settings.app_version,
            upstream=self.settings.fred_base_url,
            faults=self.faults.spec() or "none",
        )

    async def aclose(self) -> None:
        if self._refresh is not None and not self._refresh.done():
            self._refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresh
        await self.upstream.aclose()

    # ------------------------------------------------------------------ ASGI entry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, self.startup, self.aclose)
            return
        if scope["type"] != "http":
            return
        started = time.monotonic()
        is_admin = self.settings.enable_fault_admin and scope.get("path") == ADMIN_PATH
        request = await Request.from_scope(scope, receive, read_body=is_admin)
        ctx = RequestContext(
            request=request,
            settings=self.settings,
            rng=self.faults.rng,
            faults=[] if is_admin else self.faults.select(request.path, APP_HOOKS),
            request_id=str(uuid.uuid4()),
        )
        response = (
            admin_response(self.faults, self.log, request) if is_admin else await self.handle(ctx)
        )
        if is_admin:
            self.base_headers(ctx, response)
        await send_response(send, response, head=request.method == "HEAD")
        self.log_request(ctx, response, started)

    async def handle(self, ctx: RequestContext) -> Response:
        try:
            response = await run_before(ctx)
            if response is None:
                response = await self.route(ctx)
        except Exception as exc:  # never leak internals by default; log the type only
            self.log.event("ERROR", "unhandled_error", id=ctx.request_id, error=type(exc).__name__)
            response = error_response(500, "internal server error")
        self.base_headers(ctx, response)
        if ctx.route == "health":
            run_payload(ctx, response, Hook.HEALTH)
        run_payload(ctx, response, Hook.JSON)
        return run_after(ctx, response)

    async def route(self, ctx: RequestContext) -> Response:
        methods = self.routes.get(ctx.request.path)
        if methods is None:
            return error_response(404, "not found", path=ctx.request.path)
        method = "GET" if ctx.request.method == "HEAD" else ctx.request.method
        handler = methods.get(method)
        if handler is None:
            response = error_response(405, "method not allowed")
            response.headers.set("Allow", _allow(methods))
            return response
        return await handler(ctx)

    def base_headers(self, ctx: RequestContext, response: Response) -> None:
        for name, value in SECURITY_HEADERS:
            response.headers.set(name, value)
        response.headers.set("X-Request-Id", ctx.request_id)
        if ctx.request.path.startswith("/api/") or ctx.request.path == ADMIN_PATH:
            response.headers.set("Cache-Control", "no-store")
        elif "Cache-Control" not in response.headers:
            response.headers.set("Cache-Control", "no-cache")

    def log_request(self, ctx: RequestContext, response: Response, started: float) -> None:
        fields: dict[str, object] = {
            "id": ctx.request_id,
            "method": ctx.request.method,
            "path": ctx.request.path,  # never the query string: it is the caller's business
            "status": response.status,
            "duration_ms": round((time.monotonic() - started) * 1000.0, 1),
            "series": ctx.series,
            "cache": response.headers.get("X-Cache"),
        }
        self.log.write(run_log(ctx, self.log.line("INFO", "request", fields)))

    # ------------------------------------------------------------------ routes

    async def health(self, ctx: RequestContext) -> Response:
        ctx.route = "health"
        await self._fresh_enough_upstream_status()
        body = build_health_body(
            version=self.settings.app_version,
            uptime_s=time.monotonic() - self.started_at,
            used=read_rss_bytes(),
            total=self.settings.memory_limit_bytes,
            cpu_percent=self.cpu.percent(),
            upstream=self.upstream.status.view(),
            cache_entries=len(self.cache),
        )
        return Response.json(body, health_http_status(body))

    async def _fresh_enough_upstream_status(self) -> None:
        """Health reports the last upstream result; it only waits for the very first one."""
        status = self.upstream.status
        if status.ok is None:
            await asyncio.shield(self._start_refresh())
        elif time.monotonic() - status.checked_at > self.settings.health_refresh_s:
            self._start_refresh()

    def _start_refresh(self) -> asyncio.Task[None]:
        # Single flight: concurrent health calls share one probe.
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self.upstream.probe())
        return self._refresh

    async def readiness(self, ctx: RequestContext) -> Response:
        ctx.route = "ready"
        status, body = build_ready_body(started=self.ready, upstream_ok=self.upstream.status.ok)
        return Response.json(body, status)

    async def live(self, ctx: RequestContext) -> Response:
        ctx.route = "live"
        return Response.json({"alive": True})

    async def static(self, ctx: RequestContext) -> Response:
        ctx.route = "static"
        name, content_type = STATIC_FILES[ctx.request.path]
        return Response.raw(static_bytes(name), 200, content_type)

    async def fred_data(self, ctx: RequestContext) -> Response:
        ctx.route = "fred-data"
        response = await self._fred_data(ctx)
        for name, value in self.upstream.status.rate_limit_headers().items():
            response.headers.set(name, value)
        return response

    async def _fred_data(self, ctx: RequestContext) -> Response:
        query = ctx.request.query
        raw = query.get("series", "").strip()
        if not raw:
            return error_response(400, "missing required query parameter 'series'")
        if not SERIES_RE.match(raw):
            return error_response(400, "invalid series id: expected 1-40 letters, digits or '_'")
        limit = parse_limit(query.get("limit"))
        if limit is None:
            return error_response(400, f"limit must be an integer between 1 and {MAX_LIMIT}")
        series = ctx.series = raw.upper()
        ctx.upstream_url = self.settings.fred_url("series/observations", series)
        cached = self.cache.get(series)
        if cached is not None and cached[1]:
            return series_response(cached[0], "HIT", limit)
        try:
            value = await self.upstream.fetch_series(series)
        except SeriesNotFound:
            return error_response(404, "unknown series", series=series)
        except UpstreamError:
            if cached is not None:
                return series_response(cached[0], "STALE", limit)
            return error_response(502, "upstream unavailable")
        return series_response(self.cache.put(series, value), "MISS", limit)


def _allow(methods: dict[str, Handler]) -> str:
    names = list(methods)
    if "GET" in names:
        names.append("HEAD")
    return ", ".join(names)
