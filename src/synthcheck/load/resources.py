"""Sample CPU and memory while the load runs, and for a cool-down after it.

Two sources, each optional:

- the health body (any target): memory from the environment's health fields, CPU
  from ``[load] cpu_percent_field`` (the reference service reports ``cpu.percent``);
- the process itself when the target is the local reference service: CPU time and
  resident memory from ``/proc/<pid>/stat`` and ``/proc/<pid>/statm``.

A daemon thread with a plain (synchronous) httpx client: no event loop, nothing
shared with the harness's recorder.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from synthcheck.config.model import HealthSettings
from synthcheck.load.trend import ResourceSample
from synthcheck.verdicts.jsonbody import lookup
from synthcheck.verdicts.memory import memory_percent

__all__ = ["HealthProbe", "ProcessProbe", "ResourceSampler", "listener_pid"]

Reading = dict[str, float | None]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


_TCP_LISTEN = "0A"


def _listening_inodes(port: int, proc: Path) -> set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == _TCP_LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


def listener_pid(port: int, proc: Path = Path("/proc")) -> int | None:
    """The pid of this user's process listening on a local TCP port (Linux /proc), if any."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port, proc)}
    if not wanted:
        return None
    for entry in proc.iterdir():
        if entry.name.isdigit() and wanted & _socket_links(entry / "fd"):
            return int(entry.name)
    return None


def _socket_links(fd_dir: Path) -> set[str]:
    links: set[str] = set()
    try:
        fds = list(fd_dir.iterdir())
    except OSError:  # another user's process, or it just exited
        return links
    for fd in fds:
        try:
            links.add(os.readlink(fd))
        except OSError:  # closed meanwhile
            continue
    return links


class ProcessProbe:
    """CPU percent (of one core) and RSS of a local process, from /proc."""

    source = "process"

    def __init__(self, pid: int, proc: Path = Path("/proc")) -> None:
        self._stat = proc / str(pid) / "stat"
        self._statm = proc / str(pid) / "statm"
        self._ticks = os.sysconf("SC_CLK_TCK")
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._last: tuple[float, float] | None = self._cpu_seconds()

    def _cpu_seconds(self) -> tuple[float, float] | None:
        try:
            # The command name (field 2) may hold spaces: split after its closing ")".
            fields = self._stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        utime, stime = int(fields[11]), int(fields[12])
        return time.monotonic(), (utime + stime) / self._ticks

    def read(self) -> Reading | None:
        now = self._cpu_seconds()
        try:
            rss = int(self._statm.read_text().split()[1]) * self._page
        except (OSError, IndexError, ValueError):
            return None
        cpu = None
        if now is not None and self._last is not None and now[0] > self._last[0]:
            cpu = max(0.0, (now[1] - self._last[1]) / (now[0] - self._last[0]) * 100.0)
        self._last = now
        return {"cpu_percent": cpu, "memory_bytes": float(rss), "memory_percent": None}


class HealthProbe:
    """Memory and CPU as the service reports them in its health body."""

    source = "health"

    def __init__(
        self,
        url: str,
        health: HealthSettings,
        cpu_field: str,
        timeout_s: float = 2.0,
        *,
        headers: Mapping[str, str] | None = None,  # the probes' User-Agent, auth headers
        verify: ssl.SSLContext | bool = True,  # [http] ca_bundle, client certificate
    ) -> None:
        self._url = url
        self._health = health
        self._cpu_field = cpu_field
        self._client = httpx.Client(
            timeout=timeout_s, trust_env=False, headers=headers, verify=verify
        )

    def read(self) -> Reading | None:
        try:
            body = self._client.get(self._url).json()
        except (httpx.HTTPError, ValueError):
            return None
        percent, _ = memory_percent(body, self._health)
        used = _number(lookup(body, self._health.memory_used_field))
        cpu = _number(lookup(body, self._cpu_field)) if self._cpu_field else None
        return {"cpu_percent": cpu, "memory_bytes": used, "memory_percent": percent}

    def close(self) -> None:
        self._client.close()


Probe = ProcessProbe | HealthProbe


class ResourceSampler:
    """Samples every ``interval_s`` until stopped; ``load_stopped()`` starts the cool-down."""

    def __init__(
        self, probes: list[Probe], interval_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._probes = probes
        self._interval = interval_s
        self._clock = clock
        self._started = clock()
        self._after = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._samples: list[ResourceSample] = []
        self._thread = threading.Thread(target=self._loop, name="load-resources", daemon=True)

    def start(self) -> ResourceSampler:
        if self._probes:
            self._thread.start()
        return self

    def _take(self) -> None:
        after = self._after.is_set()
        for probe in self._probes:
            reading = probe.read()
            if reading is not None:
                sample = ResourceSample(
                    round(self._clock() - self._started, 3), after, probe.source, **reading
                )
                with self._lock:
                    self._samples.append(sample)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._take()
            self._stop.wait(self._interval)

    def load_stopped(self) -> None:
        self._after.set()

    def cool_down(self, seconds: float) -> None:
        """Keep sampling ``seconds`` after the load stopped (Ctrl-C cuts it short)."""
        self.load_stopped()
        if self._probes and seconds > 0:
            self._stop.wait(seconds + self._interval / 2)

    def stop(self) -> list[ResourceSample]:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5.0)
        for probe in self._probes:
            if isinstance(probe, HealthProbe):
                probe.close()
        with self._lock:
            return list(self._samples)
