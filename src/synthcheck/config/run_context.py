"""What the harness's own parts tell each other about one run, instead of ``os.environ``.

The pytest plugin builds one :class:`RunContext` on the controller (the embedded
service's URL and its FRED stub, the keys it runs with, its log file); pytest-xdist
workers receive it through ``workerinput``, and a locust child process (and its own
workers) as one JSON value in ``$SYNTHCHECK_RUN_CONTEXT``, with the options the
controller resolved. Nothing is smuggled through the parent's environment.

The keys are secret values: they never appear in ``repr`` and only cross process
boundaries the harness starts itself (the worker channel, a child's environment),
exactly where the variables ``FRED_API_KEY``/``ALPHA_VANTAGE_API_KEY`` would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from synthcheck.config.errors import ConfigError
from synthcheck.config.precedence import variable

__all__ = ["LOG_VAR", "RUN_CONTEXT_VAR", "RunContext"]

# The one variable a child process of the harness reads the context from.
RUN_CONTEXT_VAR = "SYNTHCHECK_RUN_CONTEXT"
# What an environment file writes to name the embedded service's log
# (``[logs] file = "${SYNTHCHECK_REFERENCE_LOG}"`` in local.toml).
LOG_VAR = "SYNTHCHECK_REFERENCE_LOG"
_FIELDS = ("base_url", "upstream_url", "keys", "log_path", "results_path", "options")


@dataclass(frozen=True)
class RunContext:
    base_url: str | None = None  # the embedded service (None: the run verifies another)
    upstream_url: str | None = None  # the embedded service's FRED stub
    keys: Mapping[str, str] = field(default_factory=dict, repr=False)  # variable -> value
    log_path: str | None = None  # the embedded service's log file
    results_path: str | None = None  # where a locust child writes its results.json
    # For a child process: option dest -> the value the controller resolved (the
    # child's command-line level, so it builds the same workload).
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.base_url is not None

    def environ(self, base: Mapping[str, str]) -> dict[str, str]:
        """``base`` (a process's environment) as this run sees it: the run's keys where
        ``base`` has none, the embedded upstream as ``FRED_BASE_URL`` (its probes never
        reach the real FRED), the log file for ``${SYNTHCHECK_REFERENCE_LOG}``."""
        merged = dict(base)
        for name, value in self.keys.items():
            if variable(merged, name) is None:
                merged[name] = value
        if self.upstream_url:
            merged["FRED_BASE_URL"] = self.upstream_url
        if self.log_path:
            merged[LOG_VAR] = self.log_path
        return merged

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str, source: str = f"${RUN_CONTEXT_VAR}") -> RunContext:
        """The context a parent serialized; ConfigError (naming ``source``) otherwise."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict) or set(data) - set(_FIELDS):
            raise ConfigError(
                source,
                [f"not a synthcheck run context (a JSON object with keys {', '.join(_FIELDS)})"],
            )
        return cls(**data)
