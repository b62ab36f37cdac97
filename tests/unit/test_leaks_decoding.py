"""The file scanner's decoders: the pattern rules (and known values) read encoded text.

Percent (to depth 2), base64 and base64url (from the token's start or after a glued-on
name), hex, HTML numeric and named entities, JSON ``\\uXXXX`` and ``\\/`` escapes; and
the look-alikes that must stay quiet: binary base64 (SRI hashes, images), hex hashes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import urllib.parse

import pytest

from synthcheck.leaks import LeakScanner
from synthcheck.secrets import Secret
from synthcheck.secrets.decoding import MAX_DEPTH, decoded_spans

RNG = random.Random(77)
FRED = "".join(RNG.choice(string.ascii_lowercase + string.digits) for _ in range(30)) + "9z"
PASSWORD = "Qw7" + "".join(RNG.choice(string.ascii_letters + string.digits) for _ in range(13))
FRED_URL = f"https://api.stlouisfed.org/fred/series/observations?series_id=UNRATE&api_key={FRED}"
DB_URL = f"postgres://app:{PASSWORD}@db.acme.io:5432/app"
PATTERNS = LeakScanner([])


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def _entities(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


CASES: dict[str, tuple[str, str, str]] = {
    # name: (text, rule expected, encoding words in the description)
    "percent": (f"GET /proxy?u={_quote(FRED_URL)} 502", "fred-api-key", "percent-encoded"),
    "double percent": (
        f"GET /proxy?u={_quote(_quote(FRED_URL))} 502",
        "fred-api-key",
        "percent-encoded, percent-encoded",
    ),
    "base64 in a k8s secret": (
        f"data:\n  DATABASE_URL: {base64.b64encode(DB_URL.encode()).decode()}\n",
        "url-credentials",
        "base64-encoded",
    ),
    "base64url": (
        f"state={base64.urlsafe_b64encode(FRED_URL.encode()).decode().rstrip('=')}&x=1",
        "fred-api-key",
        "base64-encoded",
    ),
    "base64 glued to a name": (
        f"var data_{base64.b64encode(DB_URL.encode()).decode()};",
        "url-credentials",
        "base64-encoded",
    ),
    "base64 of a percent-encoded url": (
        base64.b64encode(_quote(FRED_URL).encode()).decode(),
        "fred-api-key",
        "base64-encoded, percent-encoded",
    ),
    "hex": (f"blob {DB_URL.encode().hex()}\n", "url-credentials", "hex-encoded"),
    "html numeric entities": (
        f"<p>{_entities(f'api_key={FRED}')}</p>",
        "fred-api-key",
        "as HTML entities",
    ),
    "html named entities": (
        f"<code>postgres&colon;&sol;&sol;app&colon;{PASSWORD}&commat;db.acme.io&sol;x</code>",
        "url-credentials",
        "as HTML entities",
    ),
    "json \\u escapes": (
        json.dumps({"u": f"api_key={FRED}"}, ensure_ascii=True).replace("=", "\\u003d"),
        "fred-api-key",
        "JSON",
    ),
    "json \\/ escapes": (
        json.dumps({"url": DB_URL}).replace("/", "\\/"),
        "url-credentials",
        "JSON",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rules_read_encoded_text(name: str) -> None:
    text, rule, words = CASES[name]
    findings = PATTERNS.scan(text)
    assert [f.rule for f in findings] == [rule], [(f.rule, f.describe()) for f in findings]
    described = findings[0].describe()
    assert words in described
    assert FRED not in described
    assert PASSWORD not in described


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_encoded_stretch_is_what_is_reported_and_masked(name: str) -> None:
    text, _, _ = CASES[name]
    (finding,) = PATTERNS.scan(text)
    masked = PATTERNS.mask(text)
    assert FRED not in masked
    assert PASSWORD not in masked
    for span in decoded_spans(masked):  # nothing left to decode back into the secret
        assert FRED not in span.text
        assert PASSWORD not in span.text
    assert finding.start < finding.end <= len(text)


def test_known_values_through_double_percent_and_hex() -> None:
    known = LeakScanner([Secret("DB_PASSWORD", PASSWORD)], deep=False)
    for text, encoding in [
        ("".join(f"%25{b:02X}" for b in f"p={PASSWORD}".encode()), "percent"),
        (f"x={f'DB_PASSWORD={PASSWORD}'.encode().hex()}", "hex"),
    ]:
        findings = known.scan(text)
        assert [f.rule for f in findings] == ["known-value"], text
        assert encoding in findings[0].encoding


NEGATIVES: dict[str, str] = {
    "sri hash": f'integrity="sha512-{base64.b64encode(RNG.randbytes(64)).decode()}"',
    "image data uri": f'src="data:image/png;base64,{base64.b64encode(RNG.randbytes(600)).decode()}"',
    "sha256 hex": f"sha256 {hashlib.sha256(b'a').hexdigest()}",
    "hex of binary": RNG.randbytes(40).hex(),
    "plain percent text": "width: 100%; height: 50%; a=%20b%20c &amp; &quot;x&quot;",
    "base64 of prose": base64.b64encode(b"the quick brown fox jumps over the lazy dog 12").decode(),
    "base64 of a placeholder": base64.b64encode(b"api_key=your_fred_api_key_here").decode(),
}


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_encoded_look_alikes_are_left_alone(name: str) -> None:
    assert PATTERNS.scan(NEGATIVES[name]) == []


def test_decoding_depth_is_bounded() -> None:
    text = f"api_key={FRED}"
    for _ in range(MAX_DEPTH + 2):
        text = base64.b64encode(text.encode()).decode()
    assert PATTERNS.scan(text) == []  # deeper than MAX_DEPTH: not decoded (bounded work)
    text = f"api_key={FRED}"
    for _ in range(MAX_DEPTH):
        text = base64.b64encode(text.encode()).decode()
    assert [f.rule for f in PATTERNS.scan(text)] == ["fred-api-key"]


def test_decoding_can_be_turned_off() -> None:
    text, _, _ = CASES["percent"]
    assert LeakScanner([], decode=False).scan(text) == []
