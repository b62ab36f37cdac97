"""Secrets never print themselves; the redactor finds them in every form they leak in."""

from __future__ import annotations

import base64
import html
import pickle
import urllib.parse

import pytest

from synthcheck.probe.curl import curl_command
from synthcheck.secrets import KnownSecrets, Redactor, Secret

FRED = Secret("FRED_API_KEY", "0123456789abcdef0123456789abcdef")
AV = Secret("ALPHA_VANTAGE_API_KEY", "Q1W2E3R4T5Y6U7I8")
REDACTOR = Redactor([FRED, AV])
KEY = FRED.reveal()


def test_secret_prints_as_stars() -> None:
    assert str(FRED) == "********"
    assert KEY not in repr(FRED)
    assert KEY not in f"{FRED}"
    with pytest.raises(TypeError):
        pickle.dumps(FRED)


def _b64(prefix: bytes) -> str:
    return base64.b64encode(prefix + KEY.encode() + b"&x=1").decode()


@pytest.mark.parametrize(
    "text",
    [
        f"https://api.stlouisfed.org/fred/series?api_key={KEY}&file_type=json",
        f"key prefix for debugging: {KEY[:8]}",
        f"tail: {KEY[-9:]}",
        KEY.upper(),
        "".join(f"%{b:02X}" for b in KEY.encode()),
        urllib.parse.quote(KEY, safe=""),
        "".join(f"\\u{ord(c):04x}" for c in KEY),
        "".join(f"&#{ord(c)};" for c in KEY),
        "".join(f"&#x{ord(c):x};" for c in KEY),
        _b64(b""),
        _b64(b"a"),
        _b64(b"ab"),
        base64.urlsafe_b64encode(b"k=" + KEY.encode()).decode(),
        f"apikey={AV.reveal()}",
        "".join(f"%25{b:02X}" for b in KEY.encode()),
        f"k={KEY}".encode().hex(),
        base64.b64encode(urllib.parse.quote(f"u=a&k={KEY}", safe="").encode()).decode(),
    ],
    ids=[
        "url",
        "prefix8",
        "suffix9",
        "upper",
        "percent-upper",
        "percent-quote",
        "json-escape",
        "html-dec",
        "html-hex",
        "base64-0",
        "base64-1",
        "base64-2",
        "base64-urlsafe",
        "alpha-vantage",
        "double-percent",
        "hex",
        "base64-of-percent",
    ],
)
def test_redactor_masks_every_form(text: str) -> None:
    redacted = REDACTOR.redact(text)
    assert "[REDACTED:" in redacted
    assert not REDACTOR.hits(redacted), redacted
    assert KEY[:8] not in redacted.lower()


@pytest.mark.parametrize(
    "text",
    [
        "0123456 is seven characters",  # shorter than the 8-character window
        'ETag: "9f86d081884c7d659a2feaa0c55ad015"',
        "request id 7c9e6679-7425-40de-944b-e07fc1f90ae7",
        html.escape("<b>nothing secret</b>"),
    ],
)
def test_redactor_leaves_other_text_alone(text: str) -> None:
    assert REDACTOR.redact(text) == text


def test_redact_obj_walks_json() -> None:
    body = {"debug": {"url": f"?api_key={KEY}"}, KEY: [1, f"x{KEY}"]}
    assert KEY not in str(REDACTOR.redact_obj(body))


def test_known_secrets_from_environ_skips_unset_and_short() -> None:
    known = KnownSecrets.from_environ(
        ["FRED_API_KEY", "ALPHA_VANTAGE_API_KEY", "EXTRA"], {"FRED_API_KEY": KEY, "EXTRA": "abc"}
    )
    assert known.names() == ["FRED_API_KEY"]
    assert known.missing == ("ALPHA_VANTAGE_API_KEY", "EXTRA")


def test_curl_uses_variable_references_not_values() -> None:
    command = curl_command(
        "GET",
        f"http://127.0.0.1:1/fred/series/observations?series_id=UNRATE&api_key={KEY}",
        headers={"Authorization": f"Bearer {AV.reveal()}"},
        secrets=[FRED, AV],
        redactor=REDACTOR,
    )
    assert KEY not in command
    assert AV.reveal() not in command
    assert "api_key=${FRED_API_KEY}" in command
    assert '-H "Authorization: Bearer ${ALPHA_VANTAGE_API_KEY}"' in command
    assert command.startswith("curl -sS -i --max-time 10 ")


def test_curl_head_and_quoting() -> None:
    command = curl_command("HEAD", 'http://h/a"$b', secrets=[])
    assert command == 'curl -sS -I --max-time 10 "http://h/a\\"\\$b"'
