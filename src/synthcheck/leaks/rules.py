"""Pattern rules for secrets whose value the verifier does not know.

One :class:`Rule` per secret shape. A rule runs only when one of its ``keywords``
occurs in the (lower-cased) text, a substring test that costs next to nothing, so
most files never see most regular expressions. The FRED and Alpha Vantage keys have
no prefix of their own (32 lower-case hex, 16 upper-case alphanumerics: the shapes of
an MD5 ETag and of many ids), so their rules demand a key context (``api_key=``,
``FRED_API_KEY:``, ``apikey=``, an Alpha Vantage mention nearby) and the guards in
:mod:`synthcheck.leaks.guards` reject hashes, ids, placeholders and masks.

The table is ordered by specificity: when two rules match the same text, the earlier
one is reported (a JWT after ``Bearer`` is a JWT).

Why one module past ~300 lines: the order of the table is its meaning (the first
matching rule wins), so it stays one table in one file; the few validity checks above
it belong to single rules, the shared syntax is in :mod:`synthcheck.leaks.syntax` and
the provider, cloud and context rule groups are in their own modules.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable

from synthcheck.leaks import guards
from synthcheck.leaks.cloud import CLOUD
from synthcheck.leaks.context import CONTEXT
from synthcheck.leaks.providers import PROVIDERS
from synthcheck.leaks.syntax import API_KEY as _API_KEY
from synthcheck.leaks.syntax import MASK_AFTER as _MASK_AFTER
from synthcheck.leaks.syntax import NOT_ALNUM_BEFORE as _NOT_ALNUM_BEFORE
from synthcheck.leaks.syntax import SEP as _SEP
from synthcheck.leaks.syntax import Rule
from synthcheck.leaks.syntax import compile_rule as _compile

__all__ = ["RULES", "Rule", "rule_ids"]


def _jwt_is_real(token: str) -> bool:
    """A signed JWT: its header is JSON with an ``alg`` other than ``none``."""
    header, payload = (_b64url_json(part) for part in token.split(".")[:2])
    if not isinstance(header, dict) or str(header.get("alg", "none")).lower() == "none":
        return False
    # jwt.io's famous example token is documentation, not a credential.
    return not (isinstance(payload, dict) and payload.get("name") == "John Doe")


def _b64url_json(part: str) -> object:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError):
        return None


def _basic_is_real(token: str) -> bool:
    """``Basic`` credentials decode to printable ``user:password``."""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        text = raw.decode("ascii")
    except (binascii.Error, ValueError):
        return False
    user, sep, password = text.partition(":")
    if not (sep and user and len(password) >= 3 and text.isprintable()):
        return False
    # RFC 7617's Aladdin:open sesame, user:password, admin:admin: documentation.
    return not (
        text.lower() in _DOCUMENTED_BASIC
        or password.lower() in _WEAK_PASSWORDS
        or password.lower() == user.lower()
        or guards.looks_like_non_secret(password)
    )


_DOCUMENTED_BASIC = frozenset({"aladdin:open sesame", "aladdin:opensesame"})
_WEAK_PASSWORDS = frozenset(
    {"password", "pass", "passwd", "secret", "changeme", "admin", "root", "test", "guest"}
)


def _decoded(value: str) -> str:
    try:
        return base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return ""


def _base64_of(shape: re.Pattern[str], check: Callable[[str], bool]) -> Callable[[str], bool]:
    """A value that is the base64 of a key of ``shape`` (a Kubernetes Secret's data)."""
    return lambda value: (
        bool(shape.fullmatch(_decoded(value)))
        and check(_decoded(value))
        and not guards.looks_like_non_secret(_decoded(value))
    )


def _either(plain: Callable[[str], bool], encoded: Callable[[str], bool]) -> Callable[[str], bool]:
    """``plain`` for the key itself, ``encoded`` for its base64 (ends with ``=``)."""
    return lambda value: encoded(value) if value.endswith("=") else plain(value)


def _has_letter(value: str) -> bool:
    return any(c.isalpha() for c in value)


def _fred_shaped(value: str) -> bool:
    return _has_letter(value) and any(c.isdigit() for c in value)


def _fred_value(value: str) -> bool:
    """A whole key mixes letters and digits; a disclosed prefix needs a letter at least."""
    return _fred_shaped(value) if len(value) >= 32 else _has_letter(value)


RULES: tuple[Rule, ...] = (
    Rule(
        "private-key",
        "private key (PEM/PGP block)",
        "private_key",
        _compile(
            r"-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----"
            r"(?:\\[rn]|[A-Za-z-]+: [^\n\\]*|[^A-Za-z0-9+/]){0,40}?"
            r"(?P<secret>[A-Za-z0-9+/]{40,}={0,2})"
        ),
        ("-----begin",),
    ),
    *CLOUD,
    Rule(
        "github-token",
        "GitHub token",
        "github",
        _compile(r"(?<![A-Za-z0-9_])(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})(?![A-Za-z0-9_])"),
        ("gh[pousr]_",),
        keep=4,
    ),
    Rule(
        "github-fine-grained-pat",
        "GitHub fine-grained personal access token",
        "github",
        _compile(r"(?<![A-Za-z0-9_])(?P<secret>github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])"),
        ("github_pat_",),
        keep=11,
    ),
    Rule(
        "slack-token",
        "Slack token",
        "slack",
        _compile(
            r"(?<![A-Za-z0-9-])(?P<secret>xox[abposr]-(?:[0-9]{6,}-){1,3}[A-Za-z0-9]{16,64})"
            r"(?![A-Za-z0-9-])"
        ),
        ("xox",),
        keep=5,
    ),
    Rule(
        "slack-app-token",
        "Slack app-level token",
        "slack",
        _compile(
            r"(?<![A-Za-z0-9-])(?P<secret>xapp-[0-9]-[A-Z0-9]{9,}-[0-9]{9,}-[a-f0-9]{32,})"
            r"(?![A-Za-z0-9-])"
        ),
        ("xapp-",),
        keep=5,
    ),
    Rule(
        "slack-webhook",
        "Slack incoming webhook URL",
        "slack",
        _compile(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/"
            r"(?P<secret>T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{20,})"
        ),
        (r"https://hooks\.slack\.com/",),
    ),
    Rule(
        "stripe-live-key",
        "Stripe live secret key",
        "stripe",
        _compile(r"(?<![A-Za-z0-9_])(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{24,99})(?![A-Za-z0-9])"),
        ("sk_live_", "rk_live_"),
        keep=8,
    ),
    Rule(
        "google-api-key",
        "Google API key",
        "google",
        _compile(r"(?<![A-Za-z0-9_-])(?P<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])"),
        ("aiza",),
        keep=4,
    ),
    *PROVIDERS,
    Rule(
        "jwt",
        "JSON Web Token",
        "jwt",
        _compile(
            r"(?<![A-Za-z0-9_-])(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"
            r"\.[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"
        ),
        ("eyj",),
        keep=3,
        validate=_jwt_is_real,
    ),
    Rule(
        "fred-api-key",
        "FRED API key",
        "fred",
        _compile(
            r"(?:fred[a-z0-9_ .\-:\n\"'\]]{0,24}?(?:key|token)|fred[a-z0-9_.]*(?=\()|api[_.\-]?key)"
            + _SEP
            + rf"(?P<secret>[a-z0-9]{{32}}(?![a-z0-9])|[a-z0-9]{{8,31}}{_MASK_AFTER}"
            + r"|[a-z0-9+/]{43}=(?![a-z0-9+/=]))"
        ),
        (_API_KEY, "fred"),
        lowered=True,
        # the key, 8+ characters of it before a mask, or its base64 (a Kubernetes Secret)
        value=_compile(r"[a-z0-9]{8,32}|[A-Za-z0-9+/]{43}="),
        named=True,
        validate=_either(_fred_value, _base64_of(re.compile(r"[a-z0-9]{32}"), _fred_shaped)),
    ),
    Rule(
        "alpha-vantage-api-key",
        "Alpha Vantage API key",
        "alpha_vantage",
        _compile(
            r"(?:api[_.\-]?key|alpha[_ .\-]?vantage[a-z0-9_ .\-:\n\"'\]]{0,24}?(?:key|token)"
            r"|(?<![a-z0-9])av[_.\-]?(?:api[_.\-]?)?key)"
            + _SEP
            + rf"(?P<secret>[a-z0-9]{{16}}(?![a-z0-9])|[a-z0-9]{{8,15}}{_MASK_AFTER}"
            + r"|[a-z0-9+/]{22}==(?![a-z0-9+/=]))"
        ),
        (_API_KEY, "alpha", r"av[_.\-]?(?:api[_.\-]?)?key"),
        lowered=True,
        value=_compile(r"[A-Z0-9]{8,16}|[A-Za-z0-9+/]{22}=="),
        named=True,
        validate=_either(_has_letter, _base64_of(re.compile(r"[A-Z0-9]{16}"), _has_letter)),
    ),
    Rule(
        "alpha-vantage-api-key",
        "Alpha Vantage API key",
        "alpha_vantage",
        _compile(r"(?:key|token)" + _SEP + r"(?P<secret>[a-z0-9]{16})(?![a-z0-9])"),
        ("key", "token"),
        lowered=True,
        value=_compile(r"[A-Z0-9]{8,16}"),
        requires=("alpha",),
        near=("alphavantage", "alpha_vantage", "alpha vantage", "alpha-vantage"),
        named=True,
        validate=_has_letter,
    ),
    Rule(
        "fred-api-key",
        "FRED API key (partly shown)",
        "fred",
        # "the first 8 characters for debugging": a prefix named as such is disclosed
        # even without a mask after it (DESIGN.md: 8+ characters are a leak).
        _compile(
            r"(?:fred[a-z0-9_ .\-]{0,12}?|api[_.\-]?)key[_ .\-]?"
            r"(?:prefix|\(?first[_ ]?(?:8|10|12|16)(?:[_ ]?(?:chars?|characters))?\)?)"
            r"[\"']?\s*[:=]\s*[\"']?(?P<secret>[a-z0-9]{8,31})(?![a-z0-9])"
        ),
        # Anchored on the rare word ("prefix", "first") and matched from up to 24
        # characters before it, so the many "fred" / "api_key" hits cost nothing here.
        ("prefix", "first"),
        back=24,
        requires=("key",),
        lowered=True,
        value=_compile(r"[a-z0-9]{8,31}"),
        validate=lambda v: _has_letter(v) and not guards.looks_like_non_secret(v),
    ),
    Rule(
        "url-credentials",
        "credentials in a URL",
        "url_credentials",
        _compile(
            r"://(?P<user>[^\s:@/?#\"'<>\\]{0,64}):(?P<secret>[^\s@/?#\"'<>\\]{3,128})@"
            r"(?P<host>[A-Za-z0-9][A-Za-z0-9.\-]*|\[[0-9A-Fa-f:.]+\])"
        ),
        ("://",),
        requires=("@",),
    ),
    Rule(
        "basic-auth",
        "HTTP Basic credentials",
        "basic_auth",
        _compile(
            _NOT_ALNUM_BEFORE
            + r"(?i:basic)\s+(?P<secret>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"
        ),
        ("basic",),
        validate=_basic_is_real,
    ),
    Rule(
        "bearer-token",
        "bearer token",
        "bearer",
        _compile(
            _NOT_ALNUM_BEFORE
            + r"(?i:bearer)\s+(?P<secret>[A-Za-z0-9\-._~+/]{20,}=*)(?![A-Za-z0-9\-._~+/=])"
        ),
        ("bearer",),
        min_classes=2,
    ),
    *CONTEXT,
)


def rule_ids() -> list[str]:
    return list(dict.fromkeys(rule.id for rule in RULES))
