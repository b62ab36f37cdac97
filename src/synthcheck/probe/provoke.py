"""Requests that walk the error paths, and the page's own scripts, for the leak scans.

Keys leak where nobody looks: the error message that echoes an upstream URL, the
debug page of an unknown route, the dashboard's bundled JavaScript and its source
map. :class:`LeakProbes` sends, once per run and through the run's recorder (so every
exchange is kept like any other):

- error paths, derived from the environment's first data endpoint: an unknown
  series, a malformed and an oversized parameter, the parameter left out, a ``POST``
  with an empty body and one with a small JSON body, and two unknown paths: about
  eight requests, sent together (one slow route costs one timeout, not one each);
- the same-origin scripts the page loads (``<script src>``, module preloads) and
  their source maps, at most ``max_scripts`` of them, each read up to the
  environment's ``http.max_body_bytes``.

Nothing here ever leaves the target's origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qsl, urljoin, urlsplit

from synthcheck.config import Endpoint
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe.exchange import Exchange
from synthcheck.probe.recorder import Recorder

__all__ = ["LeakProbes", "Provocation", "provocations", "script_urls", "source_map_url"]

UNKNOWN_SERIES = "SYNTHCHECK_NO_SUCH_SERIES"
MALFORMED_VALUE = "%ZZ'\"<"
OVERSIZED_LENGTH = 4096
UNKNOWN_NAME = "synthcheck-no-such-path"

_SCRIPT_SRC = re.compile(r"<script\b[^>]*?\bsrc\s*=\s*([\"']?)([^\"'\s>]+)\1", re.IGNORECASE)
_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"\b(rel|as|href)\s*=\s*([\"']?)([^\"'\s>]+)\2", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL\s*=\s*([^\s'\"*]+)")


@dataclass(frozen=True)
class Provocation:
    label: str  # "unknown series", "oversized parameter (4096 characters)", ...
    target: ProbeTarget
    json_body: object = None  # sent as the request body (POST), None: no body


def _with_first_param(target: ProbeTarget, value: str) -> ProbeTarget:
    (name, _), *rest = target.query
    return ProbeTarget(target.endpoint, ((name, value), *rest), target.method_override)


def _path_target(path: str) -> ProbeTarget:
    endpoint = Endpoint(name=f"provoke:{path}", role="other", method="GET", path=path)
    return ProbeTarget(endpoint)


def _unknown_api_path(path: str) -> str:
    parent = path.rstrip("/").rsplit("/", 1)[0]
    return f"{parent}/{UNKNOWN_NAME}"


def provocations(plan: ProbePlan) -> list[Provocation]:
    """The error-path requests for this plan (none that equal a plan target)."""
    gets = [t for t in plan.targets if t.method == "GET"]
    base = next((t for t in gets if t.role == "data"), gets[0] if gets else None)
    if base is None:
        return []
    wanted: list[Provocation] = []
    if base.query:
        name = base.query[0][0]
        wanted += [
            Provocation(
                f"unknown value ({name}={UNKNOWN_SERIES})", _with_first_param(base, UNKNOWN_SERIES)
            ),
            Provocation(f"malformed parameter ({name})", _with_first_param(base, MALFORMED_VALUE)),
            Provocation(
                f"oversized parameter ({name}, {OVERSIZED_LENGTH} characters)",
                _with_first_param(base, "A" * OVERSIZED_LENGTH),
            ),
            Provocation(f"missing parameter ({name})", ProbeTarget(base.endpoint)),
        ]
    wanted += [
        # Not "wrong method": plenty of handlers answer a POST like a GET.
        Provocation("POST with an empty body", ProbeTarget(base.endpoint, base.query, "POST")),
        Provocation(
            "POST with a small JSON body",
            ProbeTarget(base.endpoint, (), "POST"),
            json_body=dict(base.query) or {"probe": "synthcheck"},
        ),
        Provocation("unknown API path", _path_target(_unknown_api_path(base.path))),
        Provocation("unknown page", _path_target(f"/{UNKNOWN_NAME}")),
    ]
    planned = {t.id for t in plan.targets}
    return [p for p in wanted if p.target.id not in planned]


def script_urls(page_html: str, page_url: str) -> list[str]:
    """Absolute URLs of the scripts a page loads, in page order, without repeats."""
    found: list[str] = [unescape(m.group(2)) for m in _SCRIPT_SRC.finditer(page_html)]
    for tag in _LINK.finditer(page_html):
        attrs = {name.lower(): value for name, _, value in _ATTR.findall(tag.group(0))}
        rel = attrs.get("rel", "").lower()
        if "href" in attrs and (
            rel == "modulepreload" or (rel == "preload" and attrs.get("as", "").lower() == "script")
        ):
            found.append(unescape(attrs["href"]))
    absolute = [urljoin(page_url, src) for src in found if not src.startswith("data:")]
    return list(dict.fromkeys(absolute))


def source_map_url(script: Exchange) -> str | None:
    """The script's source map (``SourceMap`` header or trailing comment), absolute."""
    declared = script.header("sourcemap") or script.header("x-sourcemap")
    if declared is None:
        matches = _SOURCE_MAP.findall(script.text[-4096:])
        declared = matches[-1] if matches else None
    if not declared or declared.startswith("data:"):
        return None  # an inline map is part of the script body, scanned with it
    return urljoin(script.url, declared)


def _display(url: str) -> str:
    """A URL without credentials or query string (either could carry a secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"


def _relative_target(url: str, base_url: str) -> ProbeTarget | None:
    """A ProbeTarget for ``url`` if it lies under ``base_url`` (same origin), else None."""
    target, base = urlsplit(url), urlsplit(base_url)
    same_origin = (target.scheme, target.hostname, target.port) == (
        base.scheme,
        base.hostname,
        base.port,
    )
    prefix = base.path.rstrip("/")
    if not same_origin or not target.path.startswith(prefix + "/"):
        return None
    path = target.path[len(prefix) :]
    endpoint = Endpoint(name=f"script:{path}", role="other", method="GET", path=path)
    return ProbeTarget(endpoint, tuple(parse_qsl(target.query, keep_blank_values=True)))


@dataclass
class LeakProbes:
    """Error-path and served-script exchanges, fetched on first use, once per run."""

    recorder: Recorder
    plan: ProbePlan
    max_scripts: int = 10
    provoke: bool = True
    _provoked: list[tuple[Provocation, list[Exchange]]] | None = None
    _scripts: list[Exchange] | None = None
    skipped_scripts: list[str] = field(default_factory=list)
    not_sent: dict[str, str] = field(default_factory=dict)  # provocation label -> why

    def provoked(self) -> list[tuple[Provocation, list[Exchange]]]:
        if self._provoked is None:
            self._provoked = []
            if self.provoke:
                wanted = provocations(self.plan)
                # A route that keeps timing out would only time out again: not sent, and
                # named as not examined by the leak check.
                slow = self.recorder.slow_paths()
                for provocation in wanted:
                    if provocation.target.path in slow:
                        self.not_sent[provocation.label] = (
                            f"not sent: {provocation.target.path} keeps timing out (see latency)"
                        )
                    if provocation.json_body is not None:
                        self.recorder.set_body(provocation.target, provocation.json_body)
                send = [p for p in wanted if p.label not in self.not_sent]
                self.recorder.collect_many([(p.target, 1) for p in send])
                self._provoked = [(p, self.recorder.exchanges(p.target)) for p in wanted]
        return self._provoked

    def page(self) -> Exchange | None:
        """The first HTML answer of a page endpoint in the plan."""
        for target in self.plan.by_role("page", methods=("GET",)):
            for exchange in self.recorder.exchanges(target):
                if exchange.ok and "html" in exchange.content_type:
                    return exchange
        return None

    def scripts(self) -> list[Exchange]:
        """The page's same-origin scripts, then their source maps (bounded in number)."""
        if self._scripts is None:
            self._scripts = []
            page = self.page()
            if page is not None:
                self._fetch(script_urls(page.text, page.url))
                maps = [source_map_url(e) for e in self._scripts if e.ok]
                self._fetch([url for url in maps if url is not None])
        return self._scripts

    def _fetch(self, urls: list[str]) -> None:
        assert self._scripts is not None
        for url in urls:
            target = _relative_target(url, self.plan.base_url)
            if target is None:
                self.skipped_scripts.append(f"{_display(url)} (other origin: not fetched)")
                continue
            if len(self._scripts) >= self.max_scripts:
                self.skipped_scripts.append(
                    f"{_display(url)} (over the limit of {self.max_scripts})"
                )
                continue
            self._scripts.extend(self.recorder.collect(target, 1)[-1:])
