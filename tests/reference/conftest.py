"""Fixtures for the reference-service tests: the app and the stub wired in-process.

The app's upstream client talks to the stub through httpx.ASGITransport, so
routes and every fault can be exercised without sockets; the few subprocess
tests use the launcher instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from synthcheck.reference.app import ReferenceApp
from synthcheck.reference.applog import AppLog
from synthcheck.reference.asgi import Receive, Scope, Send
from synthcheck.reference.fault_specs import parse_fault_specs
from synthcheck.reference.faults import FaultSet
from synthcheck.reference.fred_stub import FredStub, RateLimiter
from synthcheck.reference.settings import Settings

FRED_KEY = "0123456789abcdef0123456789abcdef"
AV_KEY = "AV0KEY1TEST2ZZ34"
UPSTREAM_BASE = "http://upstream.test/fred"


class CountingStub:
    """Wraps the stub to record which upstream paths the app called."""

    def __init__(self, stub: FredStub) -> None:
        self.stub = stub
        self.calls: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.calls.append(scope["path"])
        await self.stub(scope, receive, send)


@dataclass
class Harness:
    app: ReferenceApp
    stub: FredStub
    counter: CountingStub
    faults: FaultSet
    client: httpx.AsyncClient
    log_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        return self.app.settings

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""


@contextlib.asynccontextmanager
async def running_stack(
    faults: str = "",
    *,
    log_path: Path,
    seed: int = 7,
    cache_ttl: float = 60.0,
    upstream_timeout: float = 1.0,
    admin: bool = False,
    limiter: RateLimiter | None = None,
    startup: bool = True,
) -> AsyncIterator[Harness]:
    fault_set = FaultSet(parse_fault_specs(faults), seed=seed)
    stub = FredStub(fault_set, limiter=limiter)
    counter = CountingStub(stub)
    settings = Settings(
        fred_api_key=FRED_KEY,
        fred_base_url=UPSTREAM_BASE,
        alpha_vantage_api_key=AV_KEY,
        cache_ttl=cache_ttl,
        upstream_timeout=upstream_timeout,
        enable_fault_admin=admin,
    )
    log = AppLog(log_path)
    transport = httpx.ASGITransport(app=counter)
    app = ReferenceApp(settings, fault_set, log=log, upstream_transport=transport)
    try:
        if startup:
            await app.startup()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://app.test"
        ) as client:
            yield Harness(app, stub, counter, fault_set, client, log_path)
    finally:
        await app.aclose()
        log.close()


StackContext = contextlib.AbstractAsyncContextManager[Harness]
StackFactory = Callable[..., StackContext]


@pytest.fixture
def stack(tmp_path: Path) -> StackFactory:
    """`async with stack("fault:spec", **options) as h:` -> a running in-process Harness."""

    def factory(faults: str = "", **options: Any) -> StackContext:
        return running_stack(faults, log_path=tmp_path / "app.log", **options)

    return factory
