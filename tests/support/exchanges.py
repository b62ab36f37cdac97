"""Build recorded exchanges and targets by hand, for verdict tests."""

from __future__ import annotations

import json
from typing import Any

from synthcheck.config import Endpoint
from synthcheck.plan import ProbeTarget
from synthcheck.probe import Exchange, TransportError, TransportErrorKind


def target(
    role: str = "health", path: str = "/api/health", method: str = "GET", **kw: Any
) -> ProbeTarget:
    return ProbeTarget(Endpoint(name=role, role=role, method=method, path=path, **kw))  # type: ignore[arg-type]


def exchange(
    status: int | None = 200,
    body: Any = None,
    *,
    content_type: str = "application/json",
    total_ms: float = 5.0,
    error: TransportErrorKind | None = None,
    raw: bytes | None = None,
    truncated: bool = False,
    seq: int = 1,
) -> Exchange:
    payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    return Exchange(
        target_id="t",
        method="GET",
        url="http://svc/x",
        seq=seq,
        started_at=0.0,
        started_mono=0.0,
        status=status,
        headers=(("content-type", content_type),) if status is not None else (),
        body=payload,
        body_truncated=truncated,
        size=len(payload),
        total_ms=total_ms,
        ttfb_ms=total_ms,
        error=TransportError(error, error.value) if error else None,
    )
