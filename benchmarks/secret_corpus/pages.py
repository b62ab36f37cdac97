# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Web output: Django debug pages, Werkzeug and Express tracebacks, a static page with SRI
hashes, a stylesheet with inline images, and lockfiles full of checksums."""

from __future__ import annotations

import html

from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.forms import api_url, encode
from benchmarks.secret_corpus.model import DECOY, POSITIVE, Doc, Item

__all__ = ["css", "django_debug", "express_error", "index_html", "lockfile", "werkzeug_debug"]

MASK = "********************"  # what Django prints for settings whose names look sensitive


def _row(name: str, value: str) -> str:
    return f'<tr><td>{name}</td><td class="code"><pre>{value}</pre></td></tr>'


def django_debug(p: Planner, i: int) -> Doc:
    doc = Doc(f"error-pages/django-{i}.html")
    doc.add(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta http-equiv="content-type" content="text/html; charset=utf-8">'
    )
    doc.add('  <title>HTTPError at /api/fred-data</title>\n</head>\n<body>\n<div id="summary">')
    doc.add(
        '  <h1>HTTPError at /api/fred-data</h1>\n  <pre class="exception_value">400 Client Error: Bad Request</pre>\n</div>'
    )
    doc.add(
        '<div id="traceback">\n<table class="vars">\n<thead><tr><th>Variable</th><th>Value</th></tr></thead>\n<tbody>'
    )
    family = p.pick_family(("fred", "alpha_vantage"))
    key = p.value(family)
    url = html.escape(f"'{api_url(family, key, p.rng)}'")
    doc.put(_row("url", url), key, Item(family, POSITIVE, "django_debug", key))
    doc.add(_row("series_id", "&#x27;UNRATE&#x27;") + "\n" + _row("timeout", "10"))
    doc.add(
        '</tbody>\n</table>\n</div>\n<div id="requestinfo">\n<h3 id="meta-info">META</h3>\n<table class="req">\n<tbody>'
    )
    if p.rng.random() < 0.6:
        fam2 = p.pick_family(("fred", "alpha_vantage"))
        k2 = p.value(fam2)
        qs = api_url(fam2, k2, p.rng).split("?", 1)[1]
        doc.put(
            _row("QUERY_STRING", html.escape(f"'{qs}'")),
            k2,
            Item(fam2, POSITIVE, "django_debug", k2),
        )
    doc.put(
        _row("HTTP_AUTHORIZATION", f"&#x27;{MASK}&#x27;"),
        MASK,
        Item("token_header", DECOY, "masked", MASK),
    )
    doc.add(_row("HTTP_USER_AGENT", "&#x27;synthcheck/1.4&#x27;"))
    doc.add(
        '</tbody>\n</table>\n<h3 id="settings-info">Settings</h3>\n<table class="req">\n<tbody>'
    )
    doc.add(_row("ALLOWED_HOSTS", "[&#x27;fred.example.org&#x27;]"))
    doc.put(_row("FRED_API_KEY", f"&#x27;{MASK}&#x27;"), MASK, Item("fred", DECOY, "masked", MASK))
    if p.rng.random() < 0.7:
        p.pick_family(("url_credentials",))
        item = p.positive("url_credentials", "django_debug")
        doc.put(
            _row("CELERY_BROKER_URL", f"&#x27;redis://:{item.value}@cache.internal:6379/1&#x27;"),
            item.value,
            item,
        )
    db = (
        "{&#x27;default&#x27;: {&#x27;ENGINE&#x27;: &#x27;django.db.backends.postgresql&#x27;, &#x27;NAME&#x27;: &#x27;fred&#x27;, &#x27;PASSWORD&#x27;: &#x27;"
        + MASK
        + "&#x27;}}"
    )
    doc.put(_row("DATABASES", db), MASK, Item("password", DECOY, "masked", MASK))
    doc.put(
        _row("SECRET_KEY", f"&#x27;{MASK}&#x27;"),
        MASK,
        Item("django_secret_key", DECOY, "masked", MASK),
    )
    doc.add(
        _row("STATIC_URL", "&#x27;/static/&#x27;") + "\n" + _row("TIME_ZONE", "&#x27;UTC&#x27;")
    )
    doc.add(
        "</tbody>\n</table>\n</div>\n<p>You\u2019re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>\n</body>\n</html>"
    )
    return doc


def werkzeug_debug(p: Planner, i: int) -> Doc:
    doc = Doc(f"error-pages/werkzeug-{i}.html")
    family = p.pick_family(("fred", "alpha_vantage"))
    key = p.value(family)
    param = "api_key" if family == "fred" else "apikey"
    doc.add(
        "<!doctype html>\n<html lang=en>\n  <head>\n    <title>requests.exceptions.HTTPError: 400 Client Error</title>"
    )
    doc.add(
        '    <link rel="stylesheet" href="?__debugger__=yes&amp;cmd=resource&amp;f=style.css">\n  </head>\n  <body style="background-color: #fff">'
    )
    doc.add(
        '<div class="debugger">\n<h1>requests.exceptions.HTTPError</h1>\n<div class="traceback">\n<ul>'
    )
    doc.add(
        '<li><div class="frame" id="frame-140211"><h4>File <cite class="filename">"/app/fred_client.py"</cite>, line <em class="line">42</em>, in <code class="function">observations</code></h4>'
    )
    src = html.escape(
        f'    params = {{"series_id": series_id, "{param}": "{key}"}}', quote=True
    ).replace("&quot;", "&#34;")
    doc.put(
        f'  <div class="source"><pre class="line before"><span class="ws"></span>{src}</pre>',
        key,
        Item(family, POSITIVE, "traceback", key),
    )
    doc.add(
        '<pre class="line current"><span class="ws">    </span>resp.raise_for_status()</pre></div>\n</div></li>\n</ul>'
    )
    message = html.escape(f"400 Client Error: Bad Request for url: {api_url(family, key, p.rng)}")
    doc.put(
        f"<blockquote>requests.exceptions.HTTPError: {message}</blockquote>",
        key,
        Item(family, POSITIVE, "traceback", key),
    )
    doc.add("</div>\n  </body>\n</html>")
    return doc


def express_error(p: Planner, i: int) -> Doc:
    doc = Doc(f"error-pages/express-{i}.html")
    family = p.pick_family(("alpha_vantage", "fred"))
    key = p.value(family)
    form = p.pick_family(("url", "html_entities"))
    if form == "url":
        url, shown = html.escape(api_url(family, key, p.rng)), key
    else:
        url, shown = encode("html_entities", family, key, p.rng)
    stack = " &nbsp; &nbsp;at settle (/app/node_modules/axios/lib/core/settle.js:19:12)<br> &nbsp; &nbsp;at IncomingMessage.handleStreamEnd (/app/node_modules/axios/lib/adapters/http.js:599:11)"
    doc.add(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>'
    )
    doc.put(
        f"<pre>AxiosError: Request failed with status code 401 ({url})<br>{stack}</pre>",
        shown,
        Item(family, POSITIVE, form, key),
    )
    doc.add("</body>\n</html>")
    return doc


def index_html(p: Planner, i: int) -> Doc:
    doc = Doc(f"public-{i}/index.html")
    doc.add(
        '<!doctype html>\n<html>\n<head>\n  <meta charset="utf-8">\n  <title>FRED dashboard</title>'
    )
    for lib in ("react@18.3.1/umd/react.production.min.js", "chart.js@4.4.1/dist/chart.umd.min.js"):
        sri = p.tok.sri()
        doc.put(
            f'  <script src="https://cdn.jsdelivr.net/npm/{lib}" integrity="{sri}" crossorigin="anonymous"></script>',
            sri,
            Item("generic", DECOY, "hash", sri),
        )
    if p.rng.random() < 0.6:
        p.pick_family(("google_api_key",))
        item = p.positive("google_api_key")
        doc.put(
            f'  <script async src="https://maps.googleapis.com/maps/api/js?key={item.value}&callback=initMap"></script>',
            item.value,
            item,
        )
    doc.add(
        '</head>\n<body>\n  <div id="root"></div>\n  <script src="/static/js/main.8f3a2c1e.js"></script>\n</body>\n</html>'
    )
    return doc


def css(p: Planner, i: int) -> Doc:
    doc = Doc(f"public-{i}/static/css/main.{p.tok.hex(8)}.css")
    doc.add(
        ":root{--accent:#1f6feb;--muted:#6e7781}\nbody{margin:0;font-family:system-ui,sans-serif}"
    )
    for n in range(p.rng.randrange(2, 5)):
        data = p.tok.image_data(p.rng.randrange(120, 900))
        doc.put(
            f'.icon-{n}{{background-image:url("{data}")}}',
            data[:48],
            Item("generic", DECOY, "image_data", data),
        )
    return doc


def lockfile(p: Planner, i: int) -> Doc:
    if p.rng.random() < 0.5:
        doc = Doc(f"web-{i}/package-lock.json")
        doc.add('{\n  "name": "dashboard",\n  "lockfileVersion": 3,\n  "packages": {')
        for n, pkg in enumerate(
            p.rng.sample(
                (
                    "axios",
                    "chart.js",
                    "react",
                    "react-dom",
                    "zod",
                    "dayjs",
                    "follow-redirects",
                    "form-data",
                ),
                5,
            )
        ):
            sri = p.tok.sri()
            doc.add(
                f'    "node_modules/{pkg}": {{\n      "version": "{p.tok.version()}",\n      "resolved": "https://registry.npmjs.org/{pkg}/-/{pkg}-1.0.0.tgz",'
            )
            doc.put(f'      "integrity": "{sri}"', sri, Item("generic", DECOY, "hash", sri))
            doc.add("    }" + ("," if n < 4 else ""))
        doc.add("  }\n}")
        return doc
    doc = Doc(f"py-{i}/poetry.lock")
    for pkg in p.rng.sample(("httpx", "pandas", "numpy", "requests", "pydantic", "fredapi"), 3):
        doc.add(
            f'[[package]]\nname = "{pkg}"\nversion = "{p.tok.version()}"\noptional = false\nfiles = ['
        )
        digest = p.tok.sha256()
        doc.put(
            f'    {{file = "{pkg}-py3-none-any.whl", hash = "sha256:{digest}"}},',
            digest,
            Item("generic", DECOY, "hash", digest),
        )
        doc.add("]\n")
    return doc
