"""Key-leak detection: known secret values and secret-shaped patterns, in any text.

:class:`LeakScanner` is the entry point; :mod:`synthcheck.leaks.exchanges` applies it
to recorded HTTP exchanges (body, headers, redirects, cookies);
:mod:`synthcheck.reporting.output_guard` applies it to the harness's own terminal output.
"""

from synthcheck.leaks.findings import KNOWN_RULE, Finding, fingerprint, mask
from synthcheck.leaks.rules import RULES, Rule, rule_ids
from synthcheck.leaks.scanner import LeakScanner, line_and_column

__all__ = [
    "KNOWN_RULE",
    "RULES",
    "Finding",
    "LeakScanner",
    "Rule",
    "fingerprint",
    "line_and_column",
    "mask",
    "rule_ids",
]
