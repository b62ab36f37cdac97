"""One verification run: the environment, its probe plan, the recorder and the results.

Created once per pytest session by :func:`synthcheck.pytest_plugin.activate`; the
fixtures in ``checks/`` read from it, and the reports are written from it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from synthcheck.config import Environment
from synthcheck.history import resolve_location
from synthcheck.options import Settings
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe import Exchange, Recorder
from synthcheck.probe.provoke import LeakProbes
from synthcheck.probe.sampling import AdaptiveSampler
from synthcheck.probe.upstream import UpstreamProbe, probe_fred
from synthcheck.reporting import curl_command
from synthcheck.secrets import KnownSecrets, Redactor
from synthcheck.verdicts import CheckResult
from synthcheck.verdicts.evidence import samples_needed

if TYPE_CHECKING:
    from synthcheck.reference import RunningService

__all__ = ["VerificationRun"]


@dataclass
class VerificationRun:
    settings: Settings
    env: Environment
    plan: ProbePlan
    secrets: KnownSecrets
    reference: RunningService | None = None
    started_at: float = field(default_factory=time.time)
    results: list[CheckResult] = field(default_factory=list)
    _recorder: Recorder | None = None
    _redactor: Redactor | None = None
    _sampler: AdaptiveSampler | None = None
    _upstream: UpstreamProbe | None = None
    _leak_probes: LeakProbes | None = None

    @property
    def base_url(self) -> str:
        return self.plan.base_url

    @property
    def reports_dir(self) -> Path:
        return self.settings.reports_dir

    @property
    def history_location(self) -> str | None:
        """Where this run's history is kept (--history, else [history]); None when off."""
        return resolve_location(self.settings.history or self.env.history.location)

    @property
    def redactor(self) -> Redactor:
        if self._redactor is None:
            self._redactor = Redactor(self.secrets)
        return self._redactor

    @property
    def recorder(self) -> Recorder:
        if self._recorder is None:
            self._recorder = Recorder(self.plan, self.env.http)
        return self._recorder

    @property
    def sampler(self) -> AdaptiveSampler:
        """Tops endpoints up until their latency and error-rate verdicts decide."""
        if self._sampler is None:
            self._sampler = AdaptiveSampler(
                self.recorder,
                self.plan.targets,
                lambda target, exchanges: samples_needed(target, exchanges, self.env),
                max_samples=self.env.suite(self.plan.suite).max_samples,
                min_batch=self.env.statistics.min_batch,
            )
        return self._sampler

    @property
    def upstream(self) -> UpstreamProbe:
        """The run's direct probes of the FRED upstream (sent once, on first use)."""
        if self._upstream is None:
            self._upstream = probe_fred(self.env, self.secrets)
        return self._upstream

    @property
    def leak_probes(self) -> LeakProbes:
        """Error-path requests and the page's scripts, for the leak and disclosure checks."""
        if self._leak_probes is None:
            security = self.env.security
            self._leak_probes = LeakProbes(
                self.recorder, self.plan, security.max_scripts, security.provoke
            )
        return self._leak_probes

    def exchanges(self, target: ProbeTarget) -> list[Exchange]:
        """Measured (non-warm-up) exchanges of one target; sends the plan on first use."""
        return self.recorder.exchanges(target)

    def recorded(self) -> dict[str, list[Exchange]]:
        return {t.id: self.exchanges(t) for t in self.plan.targets}

    def runbook_link(self, anchor: str) -> str:
        return self.env.runbook_link(anchor)

    def reproduce(self, method: str, url: str) -> str:
        return curl_command(
            method,
            url,
            headers=self.env.http.headers,
            secrets=self.secrets,
            max_time_s=self.env.http.total_timeout_s,
            redactor=self.redactor,
        )

    def reproduce_target(self, target: ProbeTarget) -> str:
        return self.reproduce(target.method, target.url(self.base_url))

    def close(self) -> None:
        if self._recorder is not None:
            self._recorder.close()
            self._recorder = None
