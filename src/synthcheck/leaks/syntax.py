"""The building blocks of the pattern rules: the :class:`Rule` record and the separators.

Shared by :mod:`synthcheck.leaks.rules` (the table), :mod:`synthcheck.leaks.providers`
and :mod:`synthcheck.leaks.context`, so all write "a key's name, then its value" the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "API_KEY",
    "CELL",
    "MASK_AFTER",
    "NOT_ALNUM_BEFORE",
    "QUOTE",
    "SEP",
    "Rule",
    "compile_rule",
]

# Between a key's name and its value: the rest of the name, a closing quote, an
# assignment (=, :, =>, :=, :-, a call's "(", a comma as in getenv("NAME", "value"),
# a fallback "||" / "??", "is"/"to" in prose, or a space), then optionally the
# "value:" / content= of a name-value pair (Kubernetes env, Postman, <meta>), then
# an opening quote. Covers .env, YAML, JSON, TOML, code, URLs, headers, CLIs, HTML.
_QUOTE = r"""(?:\\?["'`]|&quot;|&#0?39;|&#x27;|&#34;|&#x22;)?"""
# A settings table in an HTML debug page (Django, Flask-DebugToolbar): the name in one
# cell, the value in the next, perhaps inside <pre>/<code>.
_CELL = r"""(?:</t[dh]>\s*<t[dh][^>]{0,60}>\s*(?:<(?:pre|code|span)[^>]{0,40}>\s*)*)"""
_ASSIGN = rf"""(?:{_CELL}|=>|:=|:-|\|\||\?\?|=|:|,|\(|>|\s(?:is|to|as)\s|\s)"""
_PAIR = rf"""(?:{_QUOTE}(?:value|content)["'`]?\s*[:=]\s*)?"""
# A YAML block scalar (``key: |`` or ``key: >-``, the value on the next line).
_BLOCK = r"""(?:[|>][-+]?[ \t]*\n)?"""
_SEP = rf"""[A-Za-z0-9_.\-]*{_QUOTE}\]?\s*{_ASSIGN}\s*{_BLOCK}\s*{_PAIR}{_QUOTE}\s*"""
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
    name_check: Callable[[str], bool] | None = None  # with ``named``: is the name a secret's?
    # The match starts up to this many characters before an anchor (the anchor is the
    # distinctive middle of the token: "-us" of a Mailchimp key, "Q~" of an Azure secret).
    back: int = 0
    # ``validate`` applies the placeholder / mask guards itself (a Django key may hold
    # "%(", which the shared guards read as a template).
    own_guards: bool = False
    # A rule that finds its values itself (a table column), given the text and its
    # lower-cased copy: offsets of each value, with every check already applied;
    # ``pattern`` and ``anchors`` are then unused.
    locate: Callable[[str, str], Iterable[tuple[int, int]]] | None = None


def compile_rule(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


NOT_ALNUM_BEFORE = r"(?<![A-Za-z0-9])"
# What follows a key cut short or starred out (``e5c88c1b5c… (truncated)``,
# ``fce6f3bf****``): the characters before it were disclosed, and 8 are a leak.
MASK_AFTER = (
    r"(?=\s*(?:…|\.{3}|\*{3,}|•{3,}"
    r"|\[(?:truncated|redacted|masked)|\((?:truncated|redacted|masked)))"
)
QUOTE, SEP, API_KEY, CELL = _QUOTE, _SEP, _API_KEY, _CELL
