"""Secrets that only their context marks: a name, a header, a flag, a file format.

Django ``SECRET_KEY``, ``.npmrc`` ``_authToken``, ``~/.docker/config.json`` ``auth``,
Dockerfile ``ENV``, token headers (``X-Api-Token:``), ``--password VALUE`` arguments and
``password`` / ``token`` / ``secret`` assignments in .env, YAML, TOML, JSON, XML and
code. These are the least specific rules (the last in the table), so their value checks
are strict (:mod:`synthcheck.leaks.literals`).
"""

from __future__ import annotations

from synthcheck.leaks import guards
from synthcheck.leaks.django import DJANGO_RULES, in_django_alphabet
from synthcheck.leaks.literals import credential_literal as _generic_value
from synthcheck.leaks.literals import secret_name_ok as _generic_name_ok
from synthcheck.leaks.shapes import base64_user_password as _base64_user_password
from synthcheck.leaks.shapes import machine_random
from synthcheck.leaks.shapes import mixed as _mixed
from synthcheck.leaks.syntax import API_KEY, CELL, Rule, compile_rule
from synthcheck.leaks.tables import TABLE_RULES

__all__ = ["CONTEXT"]

# The value: quoted (then the same quote closes it) or bare up to a delimiter. Printable
# ASCII without quotes, brackets, "&" (the next URL parameter), "," or ";".
_VALUE = (
    r"(?P<q>\\?[\"'`]|&#0?39;|&#x27;|&quot;|&#34;|&#x22;)?"
    # quoted: any printable character but the quote, a backslash or a space; bare: no
    # punctuation that ends a value in code, URLs or markup; "&" only where no URL
    # parameter ("&user=") or entity ("&amp;") starts (a .properties password holds it)
    r"(?P<secret>(?(q)(?:(?!(?P=q))[!-\[\]-~]){6,128}"
    r"|(?:[A-Za-z0-9!#$%*+\-./:=?@^_|~]|&amp;|&(?![A-Za-z0-9_.\-]*[=;]|\s|\Z)){6,128}))"
    r"(?(q)(?P=q)|(?=[\s,;&<\"'`)}\]]|\Z))"
)
# name: letters/digits/_.- around one of the secret words; then an assignment that is
# not a comparison (==, !=, <=, >=), and the value on the same line (a colon ending a
# line is a Python block or a YAML mapping, not an assignment).
_ENTITY_QUOTE = r"(?:&#0?39;|&#x27;|&quot;|&#34;|&#x22;)"
# A name-value pair: HAR / Postman JSON ("name": "X", "value": "…") and XML settings
# (<add key="X" value="…"/>): the name's closing quote, then the value's key.
_PAIR_VALUE = (
    rf"""(?:\\?["']|{_ENTITY_QUOTE})\s*(?:,\s*\\?["']value\\?["']\s*:|\s+value\s*=)"""
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


_SECRET_WORDS = (
    r"password|passwd|secret|token|api[_.\-]?key|apikey|access[_.\-]?key|private[_\-]?key"
    r"|credentials?"
)
# "API_TOKEN:" ending its line, the value alone on the next (a YAML plain scalar folded
# onto the next line, a log that prints a name then its value): a generated-looking
# token only, since a word or an identifier there is the next key of a mapping.
_NEXT_LINE = (
    rf"""(?i:{_SECRET_WORDS})[A-Za-z0-9_.\-]*["']?[ \t]*[:=][ \t]*\r?\n[ \t]*"""
    r"""(?P<q>["'])?(?P<secret>[A-Za-z0-9_\-+/=.~!@#$%^&*]{16,256})(?(q)(?P=q))"""
    r"""[ \t]*(?=\r?\n|\Z)"""
)


def _next_line_value(value: str) -> bool:
    return machine_random(value) and _generic_value(value)


CONTEXT: tuple[Rule, ...] = (
    *DJANGO_RULES,
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
            r"variable\s+\"(?:[A-Za-z0-9_\-]*(?i:password|passwd|secret|token|api_?key|auth)"
            r"[A-Za-z0-9_\-]*|[A-Za-z0-9_\-]*[_-](?i:key))\"\s*\{"
            r"[^}]{0,300}?(?<![A-Za-z0-9_])default\s*=\s*"
            r"\"(?P<secret>[^\"\s\\]{6,128})\""
        ),
        ("variable",),
        # a Django key as a variable's default may hold "%(" by chance
        validate=lambda v: (
            in_django_alphabet(v) or (not guards.looks_like_non_secret(v) and _generic_value(v))
        ),
        own_guards=True,
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
    Rule(
        "secret-next-line",
        "secret or token (value on the next line)",
        "generic",
        compile_rule(_NEXT_LINE),
        ("password", "passwd", "secret", "token", API_KEY, "access", "private", "credential"),
        named=True,
        validate=_next_line_value,
        name_check=_generic_name_ok,
    ),
    *TABLE_RULES,
)
