"""``synthcheck load``: a longer load run (what ``scripts/load.sh`` runs).

The same pytest path as ``synthcheck verify --suite=load`` (availability first, then
one check per threshold, summary.json, JUnit, Allure, the self-scan for secrets), with
two differences: the profile defaults to ``load`` instead of the environment's
(``smoke`` in the shipped files), and locust's log is shown as the run goes.

Exit codes are verify's: 0 passed (warnings allowed), 1 a threshold broke or the
target is unreachable, 2 usage/config error or a closed safety gate, 3 crash,
130 interrupted (the reports written so far are kept).

An entry point beside ``cli.py`` (not inside ``load/``, which the checks import):
it runs :func:`synthcheck.verify.run`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from synthcheck import verify
from synthcheck.config.options import add_run_arguments, option
from synthcheck.config.precedence import Layers, resolve

__all__ = ["DEFAULT_PROFILE", "add_parser", "run"]

DEFAULT_PROFILE = "load"
# Options that make no sense for a load run: it is always the load suite, and the
# number of requests comes from the profile.
_NOT_HERE = {"suite", "samples", "smoke_load"}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "load",
        help="run a load test (locust) against a service: scripts/load.sh",
        description=(
            "Load-test a service with the environment's endpoints, weights and budgets."
            f" The profile defaults to {DEFAULT_PROFILE!r}. Extra pytest arguments go after `--`."
        ),
    )
    add_run_arguments(parser, skip=_NOT_HERE)


def run(ns: argparse.Namespace, extra: Sequence[str] = ()) -> int:
    ns.suite, ns.samples, ns.smoke_load = "load", None, None
    given = resolve(
        option("load_profile"), Layers(lambda dest: getattr(ns, dest, None), os.environ)
    )
    if not given.explicit:  # the flag and the variable beat this default, not the file
        ns.load_profile = DEFAULT_PROFILE
    # -s: locust's log (ramp-up, thresholds, final table) reaches the terminal as it runs.
    return verify.run(ns, ["-s", *extra])
