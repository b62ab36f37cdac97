"""Run the reference app and the FRED stub in one process and event loop; the CLI.

Both listen on sockets bound here first (port 0 = a free port), so the READY
line can name the real URLs and connection-level faults (down / hang /
garbage) can take a socket over instead of the HTTP server.  uvicorn's own
per-server signal capture is disabled: one SIGTERM/SIGINT handler stops both
servers and the process exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import signal
import socket
import sys
import threading
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import uvicorn

from synthcheck.reference.app import ReferenceApp
from synthcheck.reference.applog import AppLog
from synthcheck.reference.faults import (
    ActiveFault,
    FaultSet,
    FaultSpecError,
    list_faults,
    parse_fault_specs,
)
from synthcheck.reference.fred_stub import FredStub
from synthcheck.reference.rawserver import RawFaultServer
from synthcheck.reference.settings import (
    DEFAULT_ALPHA_VANTAGE_BASE_URL,
    DEFAULT_APP_VERSION,
    Settings,
    generate_alpha_vantage_key,
    generate_fred_key,
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
_STARTUP_GUARD_S = 30.0


class UsageError(Exception):
    """Bad arguments or environment: reported on stderr, exit code 2."""


@dataclass
class ServePlan:
    host: str
    port: int
    upstream_port: int
    upstream_url: str | None  # None: start the stub
    stub_only: bool
    faults: list[ActiveFault]
    seed: int | None
    log_file: Path | None
    settings: Settings
    exit_after: float | None = None
    watch_stdin: bool = False
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


# --------------------------------------------------------------------------- arguments


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, got {value}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m synthcheck.reference",
        description="Reference FRED-data backend with a local FRED stub and switchable faults.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="listen address (loopback only by default)")
    add("--port", type=_port, default=None, help="app port; 0 = free port (default: $PORT or 0)")
    add("--upstream-port", type=_port, default=0, help="stub port; 0 = free port")
    add(
        "--fault",
        action="append",
        metavar="SPEC",
        default=None,
        help="enable a fault, `name` or `name:k=v,...`; repeatable; replaces $REFERENCE_FAULTS",
    )
    add(
        "--upstream-url",
        default=None,
        help="use this FRED-compatible upstream instead of starting the stub",
    )
    add("--stub-only", action="store_true", help="serve only the FRED stub (on --port)")
    add(
        "--log-file",
        type=Path,
        default=None,
        help="append the service log here (default: $REFERENCE_LOG_FILE or stderr)",
    )
    add("--app-version", default=DEFAULT_APP_VERSION, help="version reported by /api/health")
    add("--memory-limit-mb", type=_positive_int, default=512, help="memory.total in health")
    add("--cache-ttl", type=_non_negative_float, default=60.0, help="series cache TTL, seconds")
    add(
        "--upstream-timeout",
        type=_non_negative_float,
        default=3.0,
        help="timeout of one upstream request, seconds",
    )
    add("--seed", type=int, default=None, help="seed of the fault random generator")
    add(
        "--enable-fault-admin",
        action="store_true",
        help="enable GET/PUT /__faults__ to change faults at runtime",
    )
    add("--list-faults", action="store_true", help="print every fault and exit")
    add(
        "--allow-non-loopback",
        action="store_true",
        help="allow a non-loopback --host or upstream URL",
    )
    add(
        "--exit-after",
        type=_non_negative_float,
        default=None,
        help="stop by itself after this many seconds (a safety net for scripts)",
    )
    add(
        "--watch-stdin",
        action="store_true",
        help="stop when stdin reaches EOF (used by the launcher: parent died)",
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _env_port(env: Mapping[str, str]) -> int:
    raw = env.get("PORT", "").strip()
    if not raw:
        return 0
    try:
        return _port(raw)
    except (ValueError, argparse.ArgumentTypeError):
        raise UsageError(f"PORT must be a port number 0..65535, got {raw!r}") from None


def make_plan(args: argparse.Namespace, env: Mapping[str, str]) -> ServePlan:
    notes: list[tuple[str, dict[str, Any]]] = []
    host = "127.0.0.1" if args.host == "localhost" else args.host
    if not _is_loopback(host) and not args.allow_non_loopback:
        raise UsageError(
            f"refusing to listen on non-loopback host {args.host!r}; "
            "pass --allow-non-loopback to do it anyway"
        )
    specs: Sequence[str] = (
        args.fault if args.fault is not None else [env.get("REFERENCE_FAULTS", "")]
    )
    try:
        faults = parse_fault_specs(specs)
    except FaultSpecError as exc:
        raise UsageError(str(exc)) from None

    upstream_url = _choose_upstream(args, env, notes)
    fred_key = env.get("FRED_API_KEY", "").strip()
    if not fred_key:
        fred_key = generate_fred_key()
        notes.append(
            (
                "generated_api_key",
                {"variable": "FRED_API_KEY", "reason": "not set; using a random well-formed key"},
            )
        )
    av_key = env.get("ALPHA_VANTAGE_API_KEY", "").strip()
    if not av_key:
        av_key = generate_alpha_vantage_key()
        notes.append(
            (
                "generated_api_key",
                {"variable": "ALPHA_VANTAGE_API_KEY", "reason": "not set; using a random key"},
            )
        )
    log_file = args.log_file or (
        Path(env["REFERENCE_LOG_FILE"]) if env.get("REFERENCE_LOG_FILE") else None
    )
    settings = Settings(
        fred_api_key=fred_key,
        fred_base_url=upstream_url or "",  # filled in once the stub's port is known
        alpha_vantage_api_key=av_key,
        alpha_vantage_base_url=env.get("ALPHA_VANTAGE_BASE_URL", "").strip()
        or DEFAULT_ALPHA_VANTAGE_BASE_URL,
        app_version=args.app_version,
        memory_limit_mb=args.memory_limit_mb,
        cache_ttl=args.cache_ttl,
        upstream_timeout=args.upstream_timeout,
        enable_fault_admin=args.enable_fault_admin,
    )
    return ServePlan(
        host=host,
        port=args.port if args.port is not None else _env_port(env),
        upstream_port=args.upstream_port,
        upstream_url=upstream_url,
        stub_only=args.stub_only,
        faults=faults,
        seed=args.seed,
        log_file=log_file,
        settings=settings,
        exit_after=args.exit_after,
        watch_stdin=args.watch_stdin,
        notes=notes,
    )


def _choose_upstream(
    args: argparse.Namespace, env: Mapping[str, str], notes: list[tuple[str, dict[str, Any]]]
) -> str | None:
    """--upstream-url, else $FRED_BASE_URL if it is loopback, else None (start the stub).

    A non-loopback $FRED_BASE_URL (say the real FRED, exported for the verifier)
    is ignored rather than called: the embedded service must work offline and
    never send traffic off the machine unless explicitly allowed.
    """
    if args.stub_only:
        return None
    if args.upstream_url:
        url = str(args.upstream_url).rstrip("/")
        if not _is_loopback(urlsplit(url).hostname or "") and not args.allow_non_loopback:
            raise UsageError(
                f"refusing non-loopback --upstream-url {url!r}; pass --allow-non-loopback"
            )
        return url
    env_url = env.get("FRED_BASE_URL", "").strip().rstrip("/")
    if not env_url:
        return None
    if _is_loopback(urlsplit(env_url).hostname or "") or args.allow_non_loopback:
        return env_url
    notes.append(
        (
            "ignored_upstream",
            {
                "variable": "FRED_BASE_URL",
                "reason": "not loopback; starting the local stub instead",
            },
        )
    )
    return None


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
