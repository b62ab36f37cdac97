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
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RULES", "Rule", "rule_ids"]

# Between a key's name and its value: the rest of the name, a closing quote, an
# assignment (=, :, =>, :=, :-, a call's "(", a comma as in getenv("NAME", "value"),
# a fallback "||" / "??", "is"/"to" in prose, or a space), then optionally the
# "value:" / content= of a name-value pair (Kubernetes env, Postman, <meta>), then
# an opening quote. Covers .env, YAML, JSON, TOML, code, URLs, headers, CLIs, HTML.
_QUOTE = r"""(?:\\?["'`]|&quot;)?"""
_ASSIGN = r"""(?:=>|:=|:-|\|\||\?\?|=|:|,|\(|>|\s(?:is|to|as)\s|\s)"""
_PAIR = rf"""(?:{_QUOTE}(?:value|content)["'`]?\s*[:=]\s*)?"""
_SEP = rf"""[A-Za-z0-9_.\-]*{_QUOTE}\]?\s*{_ASSIGN}\s*{_PAIR}{_QUOTE}\s*"""
_API_KEY = r"api[_.\-]?key"


@dataclass(frozen=True)
class Rule:
    """One secret shape.

    The scanner searches for each of ``anchors`` (short expressions with a literal
    start, which the regex engine finds at memory-scan speed) in the lower-cased
    text, or in the original with ``case_anchors``, and tries ``pattern`` *at* each
    hit (``pattern.match``): the full expression never scans the whole text. With
    ``lowered`` the pattern runs on the lower-cased text (case-insensitive names)
    and ``value`` re-checks the secret's case in the original.
    """

    id: str
    title: str
    kind: str  # the family reported and measured: fred, alpha_vantage, aws, github, ...
    pattern: re.Pattern[str]  # group "secret" is the value
    anchors: tuple[str, ...]  # expressions (lower-case) for where a match starts
    case_anchors: bool = False  # search the anchors in the original text
    lowered: bool = False
    value: re.Pattern[str] | None = None  # fullmatch on the original value
    requires: tuple[str, ...] = ()  # lower-case words the text must also contain
    keep: int = 0  # leading characters of the value shown when masked (a public prefix)
    near: tuple[str, ...] = ()  # lower-case words that must occur close to the match
    named: bool = False  # the value follows a name: reject names of hashes and ids
    min_classes: int = 0  # of lower / upper / digit the value must mix
    validate: Callable[[str], bool] | None = None


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


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
    return bool(sep and user and len(password) >= 3 and text.isprintable())


def _decoded(value: str) -> str:
    try:
        return base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return ""


def _base64_of(shape: re.Pattern[str], check: Callable[[str], bool]) -> Callable[[str], bool]:
    """A value that is the base64 of a key of ``shape`` (a Kubernetes Secret's data)."""
    return lambda value: bool(shape.fullmatch(_decoded(value))) and check(_decoded(value))


def _has_letter(value: str) -> bool:
    return any(c.isalpha() for c in value)


def _fred_shaped(value: str) -> bool:
    return _has_letter(value) and any(c.isdigit() for c in value)


_NOT_ALNUM_BEFORE = r"(?<![A-Za-z0-9])"

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
    Rule(
        "aws-access-key-id",
        "AWS access key id",
        "aws",
        _compile(
            _NOT_ALNUM_BEFORE + r"(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])"
        ),
        ("AKIA|ASIA|ABIA|ACCA",),
        case_anchors=True,
        keep=4,
    ),
    Rule(
        "aws-secret-access-key",
        "AWS secret access key",
        "aws",
        _compile(
            r"(?:aws[_.\-]?secret[_.\-]?(?:access[_.\-]?)?key|secret[_.\-]?access[_.\-]?key)"
            + _SEP
            + r"(?P<secret>[a-z0-9/+]{40})(?![a-z0-9/+=])"
        ),
        ("aws", "secret"),
        lowered=True,
        value=_compile(r"[A-Za-z0-9/+]{40}"),
        named=True,
        min_classes=2,
    ),
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
            r"(?:fred[a-z0-9_ .\-:\n\"']{0,24}?(?:key|token)|fred[a-z0-9_.]*(?=\()|api[_.\-]?key)"
            + _SEP
            + r"(?P<secret>[a-z0-9]{32})(?![a-z0-9])"
        ),
        (_API_KEY, "fred"),
        lowered=True,
        value=_compile(r"[a-z0-9]{32}"),
        named=True,
        validate=_fred_shaped,
    ),
    Rule(
        "alpha-vantage-api-key",
        "Alpha Vantage API key",
        "alpha_vantage",
        _compile(
            r"(?:api[_.\-]?key|alpha[_ .\-]?vantage[a-z0-9_ .\-:\n\"']{0,24}?(?:key|token)"
            r"|(?<![a-z0-9])av[_.\-]?(?:api[_.\-]?)?key)"
            + _SEP
            + r"(?P<secret>[a-z0-9]{16})(?![a-z0-9])"
        ),
        (_API_KEY, "alpha", r"av[_.\-]?(?:api[_.\-]?)?key"),
        lowered=True,
        value=_compile(r"[A-Z0-9]{16}"),
        named=True,
        validate=_has_letter,
    ),
    Rule(
        "alpha-vantage-api-key",
        "Alpha Vantage API key",
        "alpha_vantage",
        _compile(r"(?:key|token)" + _SEP + r"(?P<secret>[a-z0-9]{16})(?![a-z0-9])"),
        ("key", "token"),
        lowered=True,
        value=_compile(r"[A-Z0-9]{16}"),
        requires=("alpha",),
        near=("alphavantage", "alpha_vantage", "alpha vantage", "alpha-vantage"),
        named=True,
        validate=_has_letter,
    ),
    Rule(
        "fred-api-key",
        "FRED API key (base64-encoded)",
        "fred",
        _compile(
            r"(?i:fred[a-z0-9_ .\-:\n\"']{0,24}?(?:key|token)|api[_.\-]?key)"
            + _SEP
            + r"(?P<secret>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])"
        ),
        (_API_KEY, "fred"),
        named=True,
        validate=_base64_of(re.compile(r"[a-z0-9]{32}"), lambda v: _fred_shaped(v)),
    ),
    Rule(
        "alpha-vantage-api-key",
        "Alpha Vantage API key (base64-encoded)",
        "alpha_vantage",
        _compile(
            r"(?i:api[_.\-]?key|alpha[_ .\-]?vantage[a-z0-9_ .\-:\n\"']{0,24}?(?:key|token))"
            + _SEP
            + r"(?P<secret>[A-Za-z0-9+/]{22}==)(?![A-Za-z0-9+/=])"
        ),
        (_API_KEY, "alpha"),
        named=True,
        validate=_base64_of(re.compile(r"[A-Z0-9]{16}"), _has_letter),
    ),
    Rule(
        "url-credentials",
        "credentials in a URL",
        "url_credentials",
        _compile(
            r"://(?P<user>[^\s:@/?#\"'<>\\]{1,64}):(?P<secret>[^\s@/?#\"'<>\\]{3,128})@"
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
)


def rule_ids() -> list[str]:
    return list(dict.fromkeys(rule.id for rule in RULES))
