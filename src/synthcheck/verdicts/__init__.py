"""Verdicts: pure functions from recorded exchanges to a :class:`CheckResult`.

They never send traffic and never print; the pytest suites in ``checks/`` call them
and the plugin turns results into reports.
"""

from synthcheck.verdicts.result import CheckResult, Outcome

__all__ = ["CheckResult", "Outcome"]
