"""Minimal raw-ASGI request/response plumbing shared by the app and the stub.

No web framework on purpose: the reference service must control every byte
and header it sends (faults remove security headers, stream 50 MiB bodies,
answer HTML where JSON is expected), and must stay dependency-light.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
BodyStream = Callable[[], AsyncIterator[bytes]]

JSON_TYPE = "application/json"
MAX_REQUEST_BODY = 64 * 1024


class Headers:
    """Ordered, case-insensitive response headers (display case preserved)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items: list[tuple[str, str]] = list(items)

    def get(self, name: str, default: str | None = None) -> str | None:
        lname = name.lower()
        for key, value in self._items:
            if key.lower() == lname:
                return value
        return default

    def set(self, name: str, value: str) -> None:
        self.remove(name)
        self._items.append((name, value))

    def add(self, name: str, value: str) -> None:
        self._items.append((name, value))

    def remove(self, name: str) -> None:
        lname = name.lower()
        self._items = [(k, v) for k, v in self._items if k.lower() != lname]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def raw(self) -> list[tuple[bytes, bytes]]:
        return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in self._items]


@dataclass
class Request:
    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def query(self) -> dict[str, str]:
        # First value wins, like most frameworks; blank values are kept so that
        # `series=` is reported as invalid rather than missing.
        result: dict[str, str] = {}
        for key, value in parse_qsl(self.query_string, keep_blank_values=True):
            result.setdefault(key, value)
        return result

    @classmethod
    async def from_scope(cls, scope: Scope, receive: Receive, *, read_body: bool) -> Request:
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        body = b""
        if read_body:
            body = await _read_body(receive)
        return cls(
            method=str(scope.get("method", "GET")).upper(),
            path=str(scope.get("path", "/")) or "/",
            query_string=bytes(scope.get("query_string", b"")).decode("latin-1"),
            headers=headers,
            body=body,
        )


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size <= MAX_REQUEST_BODY:
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


_NO_JSON = object()


@dataclass
class Response:
    """A response under construction.

    JSON payloads stay as Python objects until `finalize()` so that fault
    hooks can mutate them; streaming bodies are produced lazily so a 50 MiB
    fault body is never held in memory.
    """

    status: int = 200
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""
    payload: Any = _NO_JSON
    stream: BodyStream | None = None
    stream_length: int | None = None

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Response:
        response = cls(status=status, payload=payload)
        response.headers.set("Content-Type", JSON_TYPE)
        return response

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain") -> Response:
        response = cls(status=status, body=text.encode("utf-8"))
        response.headers.set("Content-Type", f"{content_type}; charset=utf-8")
        return response

    @classmethod
    def raw(cls, body: bytes, status: int, content_type: str) -> Response:
        response = cls(status=status, body=body)
        response.headers.set("Content-Type", content_type)
        return response

    @property
    def is_json(self) -> bool:
        return self.payload is not _NO_JSON

    def replace_body(self, body: bytes, content_type: str | None = None) -> None:
        """Drop any JSON payload or stream and send `body` instead."""
        self.payload = _NO_JSON
        self.stream = None
        self.stream_length = None
        self.body = body
        if content_type is not None:
            self.headers.set("Content-Type", content_type)

    def finalize(self) -> None:
        if self.is_json:
            self.body = json.dumps(self.payload, separators=(",", ":")).encode("utf-8")
            self.payload = _NO_JSON
        length = self.stream_length if self.stream is not None else len(self.body)
        if length is not None:
            self.headers.set("Content-Length", str(length))


async def send_response(send: Send, response: Response, *, head: bool = False) -> int:
    """Send a finalized response; returns the number of body bytes sent."""
    response.finalize()
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": response.headers.raw(),
        }
    )
    if head:
        await send({"type": "http.response.body", "body": b""})
        return 0
    if response.stream is None:
        await send({"type": "http.response.body", "body": response.body})
        return len(response.body)
    sent = 0
    async for chunk in response.stream():
        sent += len(chunk)
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
    return sent


async def lifespan(
    receive: Receive,
    send: Send,
    startup: Callable[[], Awaitable[None]],
    shutdown: Callable[[], Awaitable[None]],
) -> None:
    """Run the ASGI lifespan protocol around the given coroutines."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await startup()
            except Exception as exc:  # report to the server instead of dying silently
                await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return
