"""The status page in a real headless browser (Debian's chromium).

Served from a loopback HTTP server that records every request, so the test sees
what a visitor's browser fetches: only the site's own files, all of them found,
nothing from anywhere else, no console message, and a screenshot in which the
charts' lines and the badges are drawn. The screenshot is kept under reports/
when the test fails.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from synthcheck.cli import main
from synthcheck.history import open_store
from tests.support.browser import png_colours, render
from tests.unit.test_status_page import NOW, _history

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CHART_BLUE = (0x15, 0x65, 0xC0)  # the first series' colour (statuspage/svg.py)
BADGE_GREEN = (0x2E, 0x7D, 0x32)


@contextmanager
def _serve(directory: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    requests: list[tuple[str, int]] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            requests.append((self.path, int(code)))

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def test_the_status_page_renders_with_its_charts_and_no_errors(tmp_path: Path) -> None:
    history = str(tmp_path / "history.sqlite")
    with open_store(history) as store:
        for run in _history():
            store.append_run(run)
    site = tmp_path / "site"
    assert main(["status-page", "--out", str(site), "--history", history, "--now", str(NOW)]) == 0
    shot = tmp_path / "status-page.png"
    with _serve(site) as (url, requests):
        page = render(f"{url}/index.html", shot)
    try:
        assert page.console == []
        assert 'id="state"' in page.dom
        assert page.dom.count('class="series"') >= 2  # P95 and error-rate lines
        fetched = {path for path, _ in requests}
        assert {"/index.html", "/badges/status.svg", "/badges/uptime-30d.svg"} <= fetched
        assert [(p, c) for p, c in requests if c != 200] == []
        colours = png_colours(shot)
        assert colours[CHART_BLUE] > 300, "no chart line in the screenshot"
        assert colours[BADGE_GREEN] > 300, "no green badge in the screenshot"
    except AssertionError:
        kept = ROOT / "reports" / "status-page-failure.png"
        kept.parent.mkdir(exist_ok=True)
        shutil.copy(shot, kept)
        raise


def test_the_browser_check_sees_console_errors_and_missing_files(tmp_path: Path) -> None:
    """The checks above can fail: a page with a console error and a missing image."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><p>x</p><img src="gone.svg"><script>console.error("boom")</script>'
    )
    with _serve(tmp_path) as (url, requests):
        page = render(f"{url}/index.html", tmp_path / "shot.png", width=400, height=300)
    assert any("boom" in line for line in page.console)
    assert ("/gone.svg", 404) in requests
