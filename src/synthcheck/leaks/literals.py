"""Is a value next to a secret's name a literal credential, and is the name a secret's?

Shared by the context rules (:mod:`synthcheck.leaks.context`) and the table columns
(:mod:`synthcheck.leaks.tables`). The value checks are strict because the name is the
only evidence: a literal with a letter and a digit or symbol (or random-looking mixed
case), no code expression, no template or reference, no URL, no hash prefix, no mask,
no value that spells a secret's name; and no name that says the value is a type, a
size, an endpoint or a CSRF token.
"""

from __future__ import annotations

import base64
import binascii
import re

from synthcheck.leaks import guards
from synthcheck.leaks.shapes import machine_random, random_case

__all__ = ["credential_literal", "name_parts", "secret_name_ok"]

# Parts of a name that say the value is not the secret itself (on top of
# guards.context_names_non_secret): token_type, token_endpoint, max_tokens, ...
_NON_SECRET_NAME_PARTS = frozenset(
    [
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
        "status",
    ]
)
# Values people write where the real one is not: defaults, words, well-known weak ones.
_PLACEHOLDER_VALUES = frozenset(
    [
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
        "demo",
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
    ]
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
# A reference, a template or an operator, not a literal ("*" alone is a character:
# a mask is two or more, see _masked).
_LEADING_NOT_VALUE = tuple("$%@!&~#=:|>{[(")
_GENERATED_LEADS = frozenset("!%#&~")
_WINDOWS_VARIABLE = re.compile(r"%[A-Za-z0-9_]+%.*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# "ab12…", "ab12...": a value cut short for display (the disclosed-prefix rules decide).
_ELLIPSIS = ("…", "...")


def name_parts(identifier: str) -> list[str]:
    spaced = _CAMEL.sub("_", identifier)
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


def _generated_after_lead(value: str) -> bool:
    """``%QFisqhfEyZjDDoyaKiuS``, ``!d*BJDTOU2hbLt``: a generated password whose first
    character happens to be a symbol, not ``%APPDATA%``, ``!Ref``, ``@Value`` or ``$VAR``."""
    return (
        value[0] in _GENERATED_LEADS
        and not _WINDOWS_VARIABLE.fullmatch(value)
        and machine_random(value[1:])
    )


def _masked(value: str) -> bool:
    """A mask ("ab12****") or a grammar ("1*tchar"); a lone ``*`` in a long random
    value (Django's and password generators' alphabets hold it) is a character."""
    return "**" in value or ("*" in value and len(value) < 12)


def credential_literal(value: str, *, decode: bool = True) -> bool:
    """A literal that looks like a credential, not code, a template or a word."""
    decoded = _as_text_of_base64(value) if decode else None
    if decoded is not None and not credential_literal(decoded, decode=False):
        # A Kubernetes Secret's data: base64 of a placeholder ("your-key-here", "demo")
        # is still a placeholder; base64 of a credential is judged as that credential.
        return False
    low = value.lower()
    if low in _PLACEHOLDER_VALUES:
        return False
    if value.startswith(_LEADING_NOT_VALUE) and not _generated_after_lead(value):
        return False
    if any(word in low for word in _NAMES_IN_VALUE):
        return False  # "secret_key_123", "password1", "my-token": an example, not a secret
    if _masked(value) or value.endswith(_ELLIPSIS):
        return False
    if value.startswith("eyJ"):
        return False  # a JWT: the jwt rule decides (an unsigned one is no credential)
    if "://" in value or _DOTTED.match(value) or _HASH_PREFIX.match(value):
        return False
    if guards.looks_like_non_secret(value):
        return False
    if value.startswith(("/", "./", "../")) or _REFERENCE.match(value):
        return False  # a file holding the secret, or a secret manager's reference
    letters = any(c.isalpha() for c in value)
    digits = any(c.isdigit() for c in value)
    symbols = bool(_SYMBOL.search(value))
    if not letters:
        return False
    if random_case(value):
        return True  # "KzkAXFCQDlQMBAY", "Fttu_cPbkPXfOUk#z": generated, no digit needed
    if not (digits or symbols):
        return False
    if not digits and not _PASSWORD_SYMBOL.search(value):
        return False  # words, paths, references: "not-set", "vault:secret/data/app#key"
    return len(value) >= 8 or (digits and symbols)


def secret_name_ok(identifier: str) -> bool:
    """The name is a secret's, not its type's, size's, endpoint's or status's."""
    parts = name_parts(identifier)
    parts += [p[:-1] for p in parts if p.endswith("s") and len(p) > 3]  # providers, types
    joined = "_".join(parts)
    return not any(p in _NON_SECRET_NAME_PARTS for p in parts) and "key_id" not in joined
