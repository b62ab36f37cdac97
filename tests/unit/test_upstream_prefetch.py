"""The run's direct FRED requests, sent on a thread from collection: the same requests,
in the same order, sent once, as when the checks send them on first use."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from synthcheck.config import UpstreamProbeSettings, load_environment
from synthcheck.config.options import resolve_settings
from synthcheck.plan import build_plan
from synthcheck.secrets import KnownSecrets
from synthcheck.session import VerificationRun

ROOT = Path(__file__).resolve().parents[2]
KEY = "0123456789abcdef0123456789abcdef"


@contextmanager
def fred_stub() -> Iterator[tuple[str, list[str]]]:
    """A FRED-shaped server on loopback that records each request (path and series)."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            series = parse_qs(parts.query).get("series_id", ["?"])[0]
            seen.append(f"{parts.path} {series}")
            if parts.path.endswith("/series"):
                body = {"seriess": [{"id": series, "frequency_short": "M"}]}
            else:
                body = {"observations": [{"date": "2026-11-01", "value": "4.1"}]}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/fred", seen
    finally:
        server.shutdown()
        server.server_close()


def _run(fred_url: str, tmp_path: Path) -> VerificationRun:
    cli = {"env": "local", "env_dir": str(ROOT / "environments"), "reports_dir": str(tmp_path)}
    settings = resolve_settings(cli.get, ROOT)
    env = load_environment("local", ROOT / "environments")
    env = replace(
        env,
        base_url="http://127.0.0.1:9",  # never contacted: only the FRED requests go out
        fred_base_url=fred_url,
        upstream_probe=UpstreamProbeSettings(enabled=True, samples=3),
    )
    secrets = KnownSecrets.from_environ(("FRED_API_KEY",), {"FRED_API_KEY": KEY})
    return VerificationRun(
        settings=settings, env=env, plan=build_plan(env, "postdeploy"), secrets=secrets
    )


def _read(run: VerificationRun) -> tuple[int, list[str]]:
    probe, reference = run.upstream, run.series_reference
    return len(probe.exchanges), sorted(reference)


def test_prefetched_requests_equal_the_ones_sent_on_first_use(tmp_path: Path) -> None:
    with fred_stub() as (url, lazy_seen):
        lazy = _read(_run(url, tmp_path / "lazy"))
    with fred_stub() as (url, early_seen):
        run = _run(url, tmp_path / "early")
        run.prefetch_upstream(series=True)
        early = _read(run)
        again = _read(run)  # read once: no second round of requests
        sent = list(early_seen)
    assert early == lazy == again
    assert sent == lazy_seen  # the same requests, in the same order
    series = sorted(early[1])
    assert sent[:3] == ["/fred/series/observations UNRATE"] * 3  # the probes first
    assert sorted(sent[3:]) == sorted(
        f"/fred/{path} {s}" for s in series for path in ("series", "series/observations")
    )


def test_prefetch_of_the_probe_alone_leaves_the_series_requests_to_first_use(
    tmp_path: Path,
) -> None:
    with fred_stub() as (url, seen):
        run = _run(url, tmp_path)
        run.prefetch_upstream(series=False)
        assert len(run.upstream.exchanges) == 3
        assert len(seen) == 3  # nothing for the data checks until they ask
        run.series_reference  # noqa: B018 (the first use sends them)
        assert len(seen) > 3
