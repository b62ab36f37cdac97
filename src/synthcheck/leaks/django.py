"""Django's (and Flask's) ``SECRET_KEY``, wherever a project writes it.

``django.core.management.utils.get_random_secret_key`` draws 50 characters from
``abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)``; ``startproject`` prefixes the key
it writes into settings.py with ``django-insecure-``. The name is the evidence (settings.py,
.env, YAML, Kubernetes env, ``<add key=… value=…/>``, .properties ``secret.key=``), and a
value in Django's own alphabet is accepted even where it holds ``%(`` or ``$(``, which
elsewhere mark a template.
"""

from __future__ import annotations

import html
import re

from synthcheck.leaks import guards
from synthcheck.leaks.shapes import mixed
from synthcheck.leaks.syntax import Rule, compile_rule

__all__ = ["DJANGO_RULES", "django_key", "in_django_alphabet"]

_INSECURE = "django-insecure-"
_DJANGO_ALPHABET = re.compile(r"[a-z0-9!@#$%^&*(\-_=+)]{40,64}")
# Where Django's alphabet holds a template or mask mark by chance: "%(", "%s", "$(",
# "***" (what is left must still be 40 characters: a masked key is not).
_CHANCE_MARKS = re.compile(r"%[s(]|\$\(|\*{3,}")

# After the name: an assignment, or the value's key of a name-value pair (Kubernetes
# ``- name: SECRET_KEY`` / ``value: …``, ``<add key="SecretKey" value="…"/>``, HAR).
_ASSIGN = (
    r"""(?:[\"'`]?\]?\s*[:=]\s*"""
    r"""|[\"']\s+value\s*=\s*"""
    r"""|[\"']?[ \t]*\n[ \t]*value[ \t]*:[ \t]*"""
    r"""|\\?[\"']\s*,\s*\\?[\"']value\\?[\"']\s*:\s*)"""
)


def in_django_alphabet(value: str) -> bool:
    """Drawn from Django's alphabet (letters and digits mixed), template marks by chance."""
    body = html.unescape(value).removeprefix(_INSECURE)
    return (
        _DJANGO_ALPHABET.fullmatch(body) is not None
        and any(c.isdigit() for c in body)
        and any(c.isalpha() for c in body)
        and len(unmarked := _CHANCE_MARKS.sub("", body)) >= 40
        and not guards.looks_like_non_secret(unmarked)
    )


def django_key(value: str) -> bool:
    """A Django secret key, or another framework's random secret under that name."""
    body = html.unescape(value).removeprefix(_INSECURE)
    if _DJANGO_ALPHABET.fullmatch(body):
        return in_django_alphabet(value)
    return not guards.looks_like_non_secret(value) and mixed(value)


DJANGO_RULES: tuple[Rule, ...] = (
    Rule(
        "django-secret-key",
        "Django / Flask SECRET_KEY",
        "django",
        compile_rule(
            r"(?<![A-Za-z0-9_])(?i:(?:django[_.\-]?)?secret[_.\-]?key)"
            + _ASSIGN
            + r"(?P<q>[\"'])?(?P<secret>(?(q)[^\"'\s\\]{20,100}|[^\"'\s\\]{30,100}))"
            r"(?(q)(?P=q)|(?=[ \t]*(?:\n|\Z)))"
        ),
        ("django", r"secret[_.\-]?key"),
        named=True,
        validate=django_key,
        own_guards=True,
    ),
)
