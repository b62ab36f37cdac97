"""Connection-level fault servers: `down`, `hang` and `garbage`, on raw asyncio sockets.

They take over a pre-bound listening socket instead of the HTTP server, so the
URL printed in the READY line is the one that misbehaves.  All of them stop
when `close()` is called (on SIGTERM/SIGINT), holding no connection open.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket

_READ_LIMIT = 64 * 1024
_READ_TIMEOUT_S = 2.0


def garbage_bytes(rng: random.Random, size: int = 512) -> bytes:
    """Random bytes that can never be mistaken for an HTTP status line."""
    data = bytearray(rng.getrandbits(8) for _ in range(size))
    if data[:4] == b"HTTP":
        data[0] = 0
    return bytes(data)


class RawFaultServer:
    def __init__(self, sock: socket.socket, mode: str, rng: random.Random) -> None:
        if mode not in ("down", "hang", "garbage"):
            raise ValueError(f"unknown connection mode {mode!r}")
        self.sock = sock
        self.mode = mode
        self.rng = rng
        self._server: asyncio.Server | None = None
        self._stop = asyncio.Event()
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        if self.mode == "down":
            # The port was bound only to learn (and report) its number; closing
            # it makes every connection attempt fail with "connection refused".
            self.sock.close()
            return
        self._server = await asyncio.start_server(self._handle, sock=self.sock)

    async def close(self) -> None:
        self._stop.set()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), timeout=2.0)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            await self._read_request(reader)
            if self.mode == "garbage":
                writer.write(garbage_bytes(self.rng))
                await writer.drain()
            else:  # hang: hold the connection, answer nothing, until stopped
                await self._stop.wait()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), timeout=1.0)

    async def _read_request(self, reader: asyncio.StreamReader) -> None:
        """Read up to the end of the request head (or give up after a short while)."""
        with contextlib.suppress(
            asyncio.TimeoutError, asyncio.LimitOverrunError, asyncio.IncompleteReadError
        ):
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=_READ_TIMEOUT_S)
