"""The known-value finder: every form a key leaks in, exact spans, and no false hits."""

from __future__ import annotations

import base64
import json

import pytest

from synthcheck.secrets import Redactor, Secret
from synthcheck.secrets.finder import ValueFinder, lower_same_length

FRED = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
AV = "QW3RTY7UIOP4ASDF"
SECRETS = [Secret("FRED_API_KEY", FRED), Secret("ALPHA_VANTAGE_API_KEY", AV)]
DEEP = ValueFinder(SECRETS)
SHALLOW = ValueFinder(SECRETS, deep=False)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _jwt_with(value: str) -> str:
    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    payload = json.dumps({"upstream": f"?api_key={value}"}).encode()
    return ".".join([part(b'{"alg":"HS256"}'), part(payload), part(b"signature-bytes-here")])


@pytest.mark.parametrize(
    ("text", "name", "encoding", "part"),
    [
        (f"url?api_key={FRED}&file_type=json", "FRED_API_KEY", "plain", "whole"),
        (f'"key_prefix": "{FRED[:8]}"', "FRED_API_KEY", "plain", "prefix"),
        (f"tail {FRED[-9:]}.", "FRED_API_KEY", "plain", "suffix"),
        (f"mid {FRED[5:15]} mid", "FRED_API_KEY", "plain", "middle"),
        (FRED.upper(), "FRED_API_KEY", "plain (case changed)", "whole"),
        (AV.lower(), "ALPHA_VANTAGE_API_KEY", "plain (case changed)", "whole"),
        ("".join(f"%{b:02X}" for b in FRED.encode()), "FRED_API_KEY", "percent", "whole"),
        ("".join(f"%{b:02x}" for b in AV.encode()), "ALPHA_VANTAGE_API_KEY", "percent", "whole"),
        ("".join(f"\\u{ord(c):04x}" for c in FRED), "FRED_API_KEY", "json-escape", "whole"),
        ("".join(f"\\x{ord(c):02x}" for c in FRED), "FRED_API_KEY", "hex-escape", "whole"),
        ("".join(f"&#{ord(c)};" for c in AV), "ALPHA_VANTAGE_API_KEY", "html-entity", "whole"),
        ("".join(f"&#x{ord(c):x};" for c in FRED), "FRED_API_KEY", "html-entity", "whole"),
        (_b64(FRED.encode()), "FRED_API_KEY", "base64", "whole"),
        (_b64(b"k=" + FRED.encode()), "FRED_API_KEY", "base64", "whole"),
        (_b64(b"key=" + AV.encode() + b"&"), "ALPHA_VANTAGE_API_KEY", "base64", "whole"),
        (
            base64.urlsafe_b64encode(b"\xfb\xff" + FRED.encode()).decode(),
            "FRED_API_KEY",
            "base64",
            "whole",
        ),
    ],
    ids=[
        "url-then-ampersand",
        "prefix8",
        "suffix9",
        "middle10",
        "upper",
        "lower",
        "percent",
        "percent-lowercase-hex",
        "json-escape",
        "hex-escape",
        "html-decimal",
        "html-hex",
        "base64-align0",
        "base64-align1",
        "base64-align2",
        "base64-urlsafe",
    ],
)
def test_every_form_is_found_with_its_encoding(
    text: str, name: str, encoding: str, part: str
) -> None:
    for finder in (DEEP, SHALLOW):
        hits = finder.hits(text)
        assert [(h.secret_name, h.encoding, h.part) for h in hits] == [(name, encoding, part)], text


def test_spans_cover_exactly_the_leaked_characters() -> None:
    text = f"before {FRED} after"
    (hit,) = DEEP.hits(text)
    assert text[hit.start : hit.end] == FRED
    assert hit.whole
    assert hit.length == 32
    escaped = "x=" + "".join(f"%{b:02X}" for b in FRED.encode()) + "&y"
    (hit,) = DEEP.hits(escaped)
    assert escaped[hit.start : hit.end] == escaped[2:-2]


def test_mixed_escapes_and_plain_characters_decode_together() -> None:
    secret = Secret("DB_PASSWORD", "p@ss/word-2024!")
    finder = ValueFinder([secret])
    quoted = "postgres://app:p%40ss%2Fword-2024%21@db/app"
    (hit,) = finder.hits(quoted)
    assert (hit.secret_name, hit.encoding, hit.whole) == ("DB_PASSWORD", "percent", True)


def test_deep_mode_decodes_base64_tokens_for_partial_keys_and_jwt_payloads() -> None:
    prefix_only = _b64(f"p={FRED[:12]}".encode())
    assert SHALLOW.hits(prefix_only) == []
    (hit,) = DEEP.hits(prefix_only)
    assert (hit.encoding, hit.part) == ("base64", "prefix")
    token = _jwt_with(FRED)
    assert [h.secret_name for h in DEEP.hits(f"Authorization: Bearer {token}")] == ["FRED_API_KEY"]


@pytest.mark.parametrize(
    "text",
    [
        f"seven {FRED[:7]} only",
        'ETag: "9f86d081884c7d659a2feaa0c55ad015"',
        "request 7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "%20%3C%2F&#39;&#x3c;\\u0020 ordinary escapes",
        _b64(b"an unrelated base64 payload of some length"),
        "",
    ],
    ids=["seven-chars", "etag", "uuid", "escapes", "base64", "empty"],
)
def test_near_misses_are_not_hits(text: str) -> None:
    assert DEEP.hits(text) == []


def test_secrets_shorter_than_the_window_match_only_whole() -> None:
    finder = ValueFinder([Secret("PIN", "4a7z9")])
    assert [h.whole for h in finder.hits("pin=4a7z9;")] == [True]
    assert finder.hits("pin=4a7z") == []


def test_lower_same_length_keeps_positions() -> None:
    text = "İstanbul KEY"  # str.lower() would lengthen the dotted capital I
    assert len(lower_same_length(text)) == len(text)
    assert lower_same_length("ABC") == "abc"


def test_redactor_masks_every_hit_and_keeps_the_rest() -> None:
    redactor = Redactor(SECRETS)
    text = f"a={FRED} b={_b64(b'k=' + AV.encode())} c=plain"
    redacted = redactor.redact(text)
    assert redacted == "a=[REDACTED:FRED_API_KEY] b=[REDACTED:ALPHA_VANTAGE_API_KEY] c=plain"
    assert redactor.contains_secret(text)
    assert not redactor.contains_secret(redacted)
