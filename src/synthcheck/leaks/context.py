"""Secrets that only their context marks: a name, a header, a flag, a file format.

Django ``SECRET_KEY``, ``.npmrc`` ``_authToken``, ``~/.docker/config.json`` ``auth``,
Dockerfile ``ENV``, token headers (``X-Api-Token:``), ``--password VALUE`` arguments and
``password`` / ``token`` / ``secret`` assignments in .env, YAML, TOML, JSON, XML and
code. These are the least specific rules (the last in the table), so their value checks
are strict: a literal with a letter and a digit or symbol, no code expression, no
template or reference, no URL, no hash prefix, no mask, no value that spells a secret's
name, and no name that says the value is a type, a size, an endpoint or a CSRF token.
"""

from __future__ import annotations

import base64
import binascii
import re

from synthcheck.leaks import guards
from synthcheck.leaks.shapes import base64_user_password as _base64_user_password
from synthcheck.leaks.shapes import mixed as _mixed
from synthcheck.leaks.syntax import API_KEY, CELL, Rule, compile_rule

__all__ = ["CONTEXT"]

# Parts of a name that say the value is not the secret itself (on top of
# guards.context_names_non_secret): token_type, token_endpoint, max_tokens, ...
_GENERIC_NON_SECRET = frozenset(
    {
        "type",
        "types",
        "endpoint",
        "uri",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "timeout",
        "lifetime",
        "count",
        "limit",
        "size",
        "max",
        "min",
        "header",
        "field",
        "param",
        "env",
        "var",
        "policy",
        "validator",
        "validation",
        "reset",
        "label",
        "mode",
        "enabled",
        "required",
        "version",
        "algorithm",
        "length",
        "store",
        "storage",
        "manager",
        "provider",
        "strength",
        "rotation",
        "usage",
        "used",
        "tokens",
        "tokenizer",
        "input",
        "output",
        "prompt",
        "confirm",
        "confirmation",
        "secrets",
        "ref",
        "arn",
        "location",
        "dir",
        "key_id",
        "csrf",
        "xsrf",
        "page",
        "next",
        "cursor",
        "continuation",
        "pagination",
        "idempotency",
        "encryption",
        "method",
        "scheme",
        "cipher",
        "mechanism",
        "hashing",
        "generator",
        "factory",
        "class",
        "handler",
        "helper",
        "util",
        "utils",
    }
)
_PLACEHOLDER_VALUES = frozenset(
    {
        "password",
        "passwd",
        "changeme",
        "changeit",
        "secret",
        "admin",
        "root",
        "guest",
        "test",
        "postgres",
        "mysql",
        "redis",
        "none",
        "null",
        "nil",
        "true",
        "false",
        "undefined",
        "required",
        "optional",
        "string",
        "password123",
        "secret123",
        "admin123",
        "test1234",
        "12345678",
        "123456",
    }
)
_DOTTED = re.compile(r"[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+\Z")
_HASH_PREFIX = re.compile(r"(?:sha1|sha256|sha384|sha512|md5|blake2b?)[:\-]", re.I)
_SYMBOL = re.compile(r"[^A-Za-z0-9]")
# A literal that spells a secret's name is an example: random secrets never do.
_NAMES_IN_VALUE = ("secret", "password", "passwd", "token", "apikey", "api_key", "api-key")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_PASSWORD_SYMBOL = re.compile(r"[!@$%^&*+=?~]")
_REFERENCE = re.compile(
    r"(?i:vault|arn|ssm|env|file|secrets?|op|sm|gcp|gcpsm|azure|aws|kms|keyvault|ref|k8s|sops)"
    r"[:/]"
)
_LEADING_NOT_VALUE = tuple("$%@!&*~#=:|>{[(")


def _name_parts(identifier: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", identifier)
    return [p for p in re.split(r"[^a-z0-9]+", spaced.lower()) if p]


def _as_text_of_base64(value: str) -> str | None:
    """A Kubernetes Secret's ``data:`` value decoded, when it is base64 of plain text."""
    if len(value) < 8 or len(value) % 4 or not _BASE64.fullmatch(value):
        return None
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    return text if text.isprintable() else None


def _generic_value(value: str) -> bool:
    """A literal that looks like a credential, not code, a template or a word."""
    decoded = _as_text_of_base64(value)
    if decoded is not None and (
        guards.looks_like_non_secret(decoded)
        or any(word in decoded.lower() for word in _NAMES_IN_VALUE)
    ):
        return False  # base64 of a placeholder ("your-key-here") is still a placeholder
    low = value.lower()
    if low in _PLACEHOLDER_VALUES or value.startswith(_LEADING_NOT_VALUE):
        return False
    if any(word in low for word in _NAMES_IN_VALUE):
        return False  # "secret_key_123", "password1", "my-token": an example, not a secret
    if "*" in value:
        return False  # a mask ("ab12****") or a grammar ("1*tchar"), not a literal secret
    if value.startswith("eyJ"):
        return False  # a JWT: the jwt rule decides (an unsigned one is no credential)
    if "://" in value or _DOTTED.match(value) or _HASH_PREFIX.match(value):
        return False
    if guards.looks_like_non_secret(value):
        return False
    letters = any(c.isalpha() for c in value)
    digits = any(c.isdigit() for c in value)
    symbols = bool(_SYMBOL.search(value))
    if not letters or not (digits or symbols):
        return False
    if not digits and not _PASSWORD_SYMBOL.search(value):
        return False  # words, paths, references: "not-set", "vault:secret/data/app#key"
    if value.startswith(("/", "./", "../")) or _REFERENCE.match(value):
        return False  # a file holding the secret, or a secret manager's reference
    return len(value) >= 8 or (digits and symbols)


def _generic_name_ok(identifier: str) -> bool:
    parts = _name_parts(identifier)
    parts += [p[:-1] for p in parts if p.endswith("s") and len(p) > 3]  # providers, types
    joined = "_".join(parts)
    return not any(p in _GENERIC_NON_SECRET for p in parts) and "key_id" not in joined


# The value: quoted (then the same quote closes it) or bare up to a delimiter. Printable
# ASCII without quotes, brackets, "&" (the next URL parameter), "," or ";".
_VALUE = (
    r"(?P<q>\\?[\"'`]|&#0?39;|&#x27;|&quot;|&#34;|&#x22;)?"
    # quoted: any printable character but the quote, a backslash or a space; bare: no
    # punctuation that ends a value in code, URLs or markup
    r"(?P<secret>(?(q)(?:(?!(?P=q))[!-\[\]-~]){6,128}|[A-Za-z0-9!#$%*+\-./:=?@^_|~]{6,128}))"
    r"(?(q)(?P=q)|(?=[\s,;&<\"'`)}\]]|\Z))"
)
# name: letters/digits/_.- around one of the secret words; then an assignment that is
# not a comparison (==, !=, <=, >=), and the value on the same line (a colon ending a
# line is a Python block or a YAML mapping, not an assignment).
_ENTITY_QUOTE = r"(?:&#0?39;|&#x27;|&quot;|&#34;|&#x22;)"
# A name-value pair: HAR / Postman JSON ("name": "X", "value": "…") and XML settings
# (<add key="X" value="…"/>): the name's closing quote, then the value's key.
_PAIR_VALUE = (
    r"""\\?["']\s*(?:,\s*\\?["']value\\?["']\s*:|\s+value\s*=)"""
    # Kubernetes env: "- name: DB_PASSWORD" then "value: …" on the next line
    r"""|["']?[ \t]*\n[ \t]*value[ \t]*:"""
    # an XML element: <password>…</password>
    r"""|>(?=[^<\s]{6,128}</)"""
)
_ASSIGN_ONLY = (
    rf"""[A-Za-z0-9_.\-]*(?:{_PAIR_VALUE}|(?:\\?["'`]|{_ENTITY_QUOTE})?\]?\s*"""
    rf"""(?:=>|:=|(?<![=!<>])=(?!=)|:|{CELL}))[ \t]*"""
)


def _named_value(group: str) -> str:
    return rf"""(?i:{group}){_ASSIGN_ONLY}{_VALUE}"""


CONTEXT: tuple[Rule, ...] = (
    Rule(
        "django-secret-key",
        "Django / Flask SECRET_KEY",
        "django",
        compile_rule(
            r"(?<![A-Za-z0-9_])(?i:(?:django[_-]?)?secret[_-]?key)[\"'`]?\]?\s*[:=]\s*"
            r"(?P<q>[\"'])?(?P<secret>(?(q)[^\"'\s\\]{20,100}|[^\"'\s\\]{30,100}))"
            r"(?(q)(?P=q)|(?=[ \t]*(?:\n|\Z)))"
        ),
        ("secret_key", "django", "secretkey"),
        named=True,
        validate=lambda v: not guards.looks_like_non_secret(v) and _mixed(v),
    ),
    Rule(
        "npmrc-auth-token",
        "npm registry auth token (.npmrc)",
        "npm",
        compile_rule(
            r"(?i:_authtoken)\s*=\s*[\"']?(?P<secret>[A-Za-z0-9_\-.+/=]{16,512})"
            r"(?![A-Za-z0-9_\-.+/=])"
        ),
        ("_authtoken",),
        validate=_mixed,
    ),
    Rule(
        "npmrc-auth",
        "npm registry credentials (.npmrc _auth)",
        "npm",
        compile_rule(
            r"(?<![A-Za-z0-9])_auth\s*=\s*[\"']?(?P<secret>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"
        ),
        ("_auth",),
        validate=_base64_user_password,
    ),
    Rule(
        "docker-config-auth",
        "registry credentials (~/.docker/config.json auth)",
        "docker",
        compile_rule(
            r"\"auth\"\s*:\s*\"(?P<secret>[A-Za-z0-9+/]{8,}={0,2})\"",
        ),
        ('"auth"',),
        validate=_base64_user_password,
    ),
    Rule(
        "dockerfile-env-secret",
        "secret in a Dockerfile ENV / ARG",
        "password",
        compile_rule(
            r"(?im:^[ \t]*(?:env|arg)[ \t]+[A-Za-z0-9_]*"
            r"(?:password|passwd|secret|token|api_?key)[A-Za-z0-9_]*[ \t]+)"
            r"(?P<q>[\"'])?(?P<secret>[A-Za-z0-9!#$%+\-./:=?@^_|~]{6,128})(?(q)(?P=q)|(?=\s|\Z))"
        ),
        ("env ", "arg "),
        validate=_generic_value,
    ),
    Rule(
        "terraform-variable-default",
        "secret as a Terraform variable's default",
        "password",
        compile_rule(
            r"variable\s+\"[A-Za-z0-9_\-]*(?i:password|passwd|secret|token|api_?key|auth)"
            r"[A-Za-z0-9_\-]*\"\s*\{[^}]{0,300}?(?<![A-Za-z0-9_])default\s*=\s*"
            r"\"(?P<secret>[^\"\s\\]{6,128})\""
        ),
        ("variable",),
        validate=_generic_value,
    ),
    Rule(
        "token-header",
        "API token header",
        "token_header",
        # Found by its "-token" / "-key" / "-secret" (few anchors: each costs a pass over
        # the text); the look-behind asks for the name's first word (api, auth, access,
        # app, client, private, secret, session, service, x) without a second pass.
        compile_rule(
            r"(?:(?<=api|uth|ess|app|ent|ate|ret|ion|ice)|(?<=[^a-z0-9]x))"
            r"-(?:token|key|secret)(?:[\"']\s*,\s*[\"']value[\"']\s*:|[\"']?\s*[:=]?)\s*[\"']?"
            r"(?P<secret>[a-z0-9_\-.+/=~]{16,256})(?![a-z0-9_\-.+/=~])"
        ),
        ("-token", "-key", "-secret"),
        lowered=True,
        named=True,
        validate=lambda v: _generic_value(v) and _mixed(v),
        name_check=_generic_name_ok,
    ),
    Rule(
        "token-header",
        "API token header",
        "token_header",
        compile_rule(
            r"authorization:\s*(?:token|api-?key)\s+[\"']?"
            r"(?P<secret>[a-z0-9_\-.+/=~]{16,256})(?![a-z0-9_\-.+/=~])"
        ),
        ("authorization:",),
        lowered=True,
        validate=lambda v: _generic_value(v) and _mixed(v),
    ),
    Rule(
        "cli-secret-argument",
        "secret passed as a command-line argument",
        "cli_argument",
        compile_rule(
            r"--(?i:(?:[a-z0-9]+-)*(?:api-?key|token|password|passwd|secret|key|pass))"
            r"(?:\s+|=)[\"']?(?P<secret>[A-Za-z0-9_\-.+/=~!@#%^*]{8,256})"
            r"(?![A-Za-z0-9_\-.+/=~!@#%^*])"
        ),
        ("--",),
        named=True,
        validate=_generic_value,
        name_check=_generic_name_ok,
    ),
    Rule(
        "password-assignment",
        "password",
        "password",
        compile_rule(_named_value(r"password|passwd|passphrase|pwd")),
        ("password", "passwd", "passphrase", "pwd"),
        named=True,
        validate=_generic_value,
        name_check=_generic_name_ok,
    ),
    Rule(
        "secret-assignment",
        "secret or token",
        "generic",
        compile_rule(
            _named_value(
                r"secret|token|api[_.\-]?key|apikey|access[_.\-]?key|auth[_.\-]?key"
                r"|private[_\-]?key|credentials?"
            )
        ),
        ("secret", "token", API_KEY, "access", "auth", "private", "credential"),
        named=True,
        validate=_generic_value,
        name_check=_generic_name_ok,
    ),
)
