"""Run the reference app and the FRED stub in one process and event loop; ``main``.

The command line is in ``serve_args``, what it asks for (a ``ServePlan``) in
``serve_plan``; this module binds, serves and stops.

Both listen on sockets bound here first (port 0 = a free port), so the READY
line can name the real URLs and connection-level faults (down / hang /
garbage) can take a socket over instead of the HTTP server.  uvicorn's own
per-server signal capture is disabled: one SIGTERM/SIGINT handler stops both
servers and the process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import threading
from collections.abc import Generator, Sequence
from dataclasses import replace
from typing import Any, Literal

import uvicorn

from synthcheck.reference.app import ReferenceApp
from synthcheck.reference.applog import AppLog
from synthcheck.reference.fault_specs import list_faults
from synthcheck.reference.faults import FaultSet
from synthcheck.reference.fred_stub import FredStub
from synthcheck.reference.rawserver import RawFaultServer
from synthcheck.reference.serve_args import build_parser
from synthcheck.reference.serve_plan import ServePlan, UsageError, make_plan
from synthcheck.reference.settings import Settings

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "bind_socket", "main", "run", "url_of"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
_STARTUP_GUARD_S = 30.0


# --------------------------------------------------------------------------- serving


class _Server(uvicorn.Server):
    """uvicorn server that leaves signal handling to `run()` (one handler, two servers)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _uvicorn_config(app: Any, host: str, lifespan: Literal["on", "off"]) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        log_level="warning",
        access_log=False,  # the app writes its own request log
        server_header=False,
        date_header=True,
        lifespan=lifespan,
        proxy_headers=False,
        http="h11",
        ws="none",
        timeout_graceful_shutdown=3,
    )


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY only on sockets whose proto is
    # IPPROTO_TCP (accepted sockets inherit it). With proto 0, Nagle holds the body
    # segment until the client's delayed ACK: every keep-alive response took ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Listeners:
    """Everything started by run(), stopped in reverse order."""

    def __init__(self) -> None:
        self.servers: list[tuple[_Server, asyncio.Task[None]]] = []
        self.raw: list[RawFaultServer] = []

    async def serve(
        self, app: Any, sock: socket.socket, host: str, lifespan: Literal["on", "off"]
    ) -> None:
        server = _Server(_uvicorn_config(app, host, lifespan))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        self.servers.append((server, task))
        deadline = asyncio.get_running_loop().time() + _STARTUP_GUARD_S
        while not server.started:
            if task.done() or asyncio.get_running_loop().time() > deadline:
                raise RuntimeError("server failed to start")
            await asyncio.sleep(0.01)

    async def raw_fault(self, sock: socket.socket, mode: str, faults: FaultSet) -> None:
        raw = RawFaultServer(sock, mode, faults.rng)
        await raw.start()
        self.raw.append(raw)

    def tasks(self) -> list[asyncio.Task[None]]:
        return [task for _, task in self.servers]

    async def stop(self) -> None:
        for server, _ in self.servers:
            server.should_exit = True
        for raw in self.raw:
            await raw.close()
        tasks = self.tasks()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=10.0)
            for task in pending:
                task.cancel()


async def _listen(
    listeners: _Listeners,
    app: Any,
    sock: socket.socket,
    plan: ServePlan,
    faults: FaultSet,
    targets: Sequence[str],
    lifespan: Literal["on", "off"],
) -> None:
    for target in targets:
        found = faults.connection_mode(target)
        if found is not None:
            await listeners.raw_fault(sock, found[0], faults)
            return
    await listeners.serve(app, sock, plan.host, lifespan)


def _watch_stdin(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    def wait_for_eof() -> None:
        # os.read on the raw fd, not sys.stdin: a daemon thread blocked inside a
        # buffered reader aborts the interpreter at exit (it holds the buffer lock).
        with contextlib.suppress(OSError):
            while os.read(0, 4096):
                pass
        with contextlib.suppress(RuntimeError):  # the loop may already be closed
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_eof, name="stdin-eof-watch", daemon=True).start()


async def run(plan: ServePlan) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if plan.watch_stdin:
        _watch_stdin(loop, stop)
    if plan.exit_after is not None:
        loop.call_later(plan.exit_after, stop.set)

    log = AppLog(plan.log_file, mask=plan.settings.mask)
    for event, fields in plan.notes:
        log.event("WARNING", event, **fields)
    faults = FaultSet(plan.faults, seed=plan.seed)
    listeners = _Listeners()
    try:
        upstream_url = plan.upstream_url
        if upstream_url is None:
            stub_sock = bind_socket(plan.host, plan.port if plan.stub_only else plan.upstream_port)
            upstream_url = url_of(stub_sock, plan.host)
            targets = ("upstream", "app") if plan.stub_only else ("upstream",)
            stub = FredStub(faults, fresh=True)  # recent dates: see freshdates.py
            await _listen(listeners, stub, stub_sock, plan, faults, targets, "off")
        if plan.stub_only:
            ready = f"READY upstream={upstream_url}"
        else:
            settings = _with_upstream(plan.settings, upstream_url)
            app = ReferenceApp(settings, faults, log=log)
            app_sock = bind_socket(plan.host, plan.port)
            app_url = url_of(app_sock, plan.host)
            await _listen(listeners, app, app_sock, plan, faults, ("app",), "on")
            ready = f"READY app={app_url} upstream={upstream_url}"
        print(ready, flush=True)
        return await _wait(stop, listeners)
    finally:
        await listeners.stop()
        log.close()


def _with_upstream(settings: Settings, upstream_url: str) -> Settings:
    return replace(settings, fred_base_url=upstream_url)


async def _wait(stop: asyncio.Event, listeners: _Listeners) -> int:
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopper, *listeners.tasks()], return_when=asyncio.FIRST_COMPLETED)
    if stopper in done:
        return EXIT_OK
    stopper.cancel()
    return EXIT_FAILURE  # a server stopped by itself: something is wrong


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.list_faults:
        for line in list_faults():
            print(line)
        return EXIT_OK
    try:
        plan = make_plan(args, os.environ)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return asyncio.run(run(plan))
    except OSError as exc:  # e.g. the port is taken
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_OK
