"""One verification run: the environment, its probe plan, the recorder and the results.

Created once per pytest session by :func:`synthcheck.pytest_plugin.activate`; the
fixtures in ``checks/`` read from it, and the reports are written from it.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from synthcheck.config import ConfigError, Environment, load_environment
from synthcheck.config.clock import run_clock
from synthcheck.config.options import Settings
from synthcheck.config.run_context import RunContext
from synthcheck.history import resolve_location
from synthcheck.history.records import target_key
from synthcheck.plan import ProbePlan, ProbeTarget
from synthcheck.probe import Exchange, Recorder
from synthcheck.probe.background import Background
from synthcheck.probe.cors import CorsProbe, probe_cors
from synthcheck.probe.curl import curl_command, curl_tls_options, request_headers
from synthcheck.probe.deadline import Deadline
from synthcheck.probe.provoke import LeakProbes
from synthcheck.probe.sampling import AdaptiveSampler
from synthcheck.probe.upstream import (
    SeriesReference,
    UpstreamProbe,
    probe_fred,
    reference_series,
)
from synthcheck.secrets import KnownSecrets, Redactor
from synthcheck.verdicts import CheckResult
from synthcheck.verdicts.data import asked_series
from synthcheck.verdicts.evidence import all_decided, samples_needed
from synthcheck.verdicts.upstream import assess

__all__ = ["LocalService", "VerificationRun"]


class LocalService(Protocol):
    """A service this run started itself (``synthcheck.reference.RunningService``).

    Named by its shape, not imported: the reference service is a standalone program
    above the checks' layer (tests/unit/test_layers.py).
    """

    @property
    def process(self) -> subprocess.Popen[str]: ...


@dataclass
class VerificationRun:
    settings: Settings
    env: Environment
    plan: ProbePlan
    secrets: KnownSecrets
    reference: LocalService | None = None
    embedded: bool = False  # verifies the embedded reference service (also on xdist workers)
    context: RunContext = field(default_factory=RunContext)  # what the harness's parts share
    started_at: float = field(default_factory=time.time)
    results: list[CheckResult] = field(default_factory=list)
    _recorder: Recorder | None = None
    _redactor: Redactor | None = None
    _sampler: AdaptiveSampler | None = None
    _upstream_job: Background[UpstreamProbe] | None = None
    _leak_probes: LeakProbes | None = None
    started_mono: float = field(default_factory=time.monotonic)
    _deadline: Deadline | None = None
    _series_job: Background[dict[str, SeriesReference]] | None = None
    _cors: CorsProbe | None = None

    @property
    def base_url(self) -> str:
        return self.plan.base_url

    @property
    def environ(self) -> dict[str, str]:
        """The process's environment as this run sees it (the run context's keys, the
        embedded upstream, its log file): for ``${VAR}`` expansion and variable checks."""
        return self.context.environ(os.environ)

    @property
    def reports_dir(self) -> Path:
        return self.settings.reports_dir

    @property
    def history_location(self) -> str | None:
        """Where this run's history is kept (--history, else [history]); None when off."""
        return resolve_location(str(self.settings.history_setting(self.env).value))

    @property
    def target(self) -> str:
        """What this run verifies, as the history keys it (alert windows, rollback, baseline)."""
        return target_key(self.base_url, embedded=self.embedded)

    def target_of(self, env_name: str) -> str:
        """The history target of ``env_name``: this run's for its own environment, else the
        base URL that environment's file names (a ``--base-url`` run never stands in)."""
        if env_name == self.env.name:
            return self.target
        other = load_environment(env_name, self.settings.env_dir)
        return target_key(other.base_url, embedded=other.embedded)

    @property
    def redactor(self) -> Redactor:
        if self._redactor is None:
            self._redactor = Redactor(self.secrets)
        return self._redactor

    @property
    def deadline(self) -> Deadline:
        """The suite's wall-clock budget, counted from the start of the run."""
        if self._deadline is None:
            budget = self.env.suite(self.plan.suite).deadline_s
            self._deadline = Deadline(budget, started_mono=self.started_mono)
        return self._deadline

    @property
    def recorder(self) -> Recorder:
        if self._recorder is None:
            self._recorder = Recorder(
                self.plan,
                self.env.http,
                deadline=self.deadline,
                settled=lambda target, exchanges: all_decided(target, exchanges, self.env),
            )
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

    def _fred_jobs(
        self,
    ) -> tuple[Background[UpstreamProbe], Background[dict[str, SeriesReference]]]:
        if self._upstream_job is None or self._series_job is None:
            self._upstream_job = Background(lambda: probe_fred(self.env, self.secrets), "fred")
            self._series_job = Background(self._fetch_series_reference, "fred-series")
        return self._upstream_job, self._series_job

    def prefetch_upstream(self, *, series: bool) -> None:
        """Send the direct FRED requests now, on a thread: their paced waits then overlap
        the preflight and the sampling instead of adding ~1 s (``series``: the data
        checks' reference requests too, after the probes, as when sent on first use)."""
        upstream, reference = self._fred_jobs()
        (reference if series else upstream).start()

    @property
    def upstream(self) -> UpstreamProbe:
        """The run's direct probes of the FRED upstream (sent once, on first use)."""
        return self._fred_jobs()[0].result()

    @property
    def series_reference(self) -> dict[str, SeriesReference]:
        """FRED's frequency and newest observation for each data series (sent once)."""
        return self._fred_jobs()[1].result()

    def _fetch_series_reference(self) -> dict[str, SeriesReference]:
        targets = self.plan.by_role("data", methods=("GET",))
        series = [s for t in targets if (s := asked_series(t))]
        health = assess(self.upstream, self.env.upstream_probe.budget_ms)
        if health.failing:  # no more requests to a failing upstream: upstream.fred says it
            note = f"the FRED upstream is failing ({health.summary})"
            return {
                s.upper(): SeriesReference(s.upper(), self.upstream.display, skipped=note)
                for s in series
            }
        return reference_series(self.env, self.secrets, series)

    @property
    def cors(self) -> CorsProbe:
        """A CORS preflight and a GET with a foreign Origin (two requests, sent once)."""
        if self._cors is None:
            self.sampler.settle()  # the slow endpoints are known once sampling is done
            self._cors = probe_cors(
                self.plan,
                self.env.http,
                skip_paths=self.recorder.slow_paths(),
                deadline=self.deadline,
            )
        return self._cors

    @property
    def today(self) -> date:
        """The run's date: $SYNTHCHECK_CLOCK (epoch seconds: replays, tests) or now."""
        try:
            clock = run_clock(os.environ)
        except ConfigError:
            clock = None  # reported as a config error by the after-run step
        return datetime.fromtimestamp(time.time() if clock is None else clock, UTC).date()

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
        """Measured (non-warm-up) exchanges of one target; samples the run on first use
        (the plan, then adaptive rounds until the verdicts decide or the deadline)."""
        self.sampler.settle()
        return self.recorder.exchanges(target)

    def recorded(self) -> dict[str, list[Exchange]]:
        return {t.id: self.exchanges(t) for t in self.plan.targets}

    def runbook_link(self, anchor: str) -> str:
        return self.env.runbook_link(anchor)

    def reproduce(self, method: str, url: str) -> str:
        """``curl`` for one request: the [http] and endpoint headers, secrets as ``${VAR}``."""
        endpoint = next(
            (t.endpoint.headers for t in self.plan.targets if t.url(self.base_url) == url), ()
        )
        return curl_command(
            method,
            url,
            headers=request_headers(self.env.http, endpoint),
            secrets=self.secrets,
            max_time_s=self.env.http.total_timeout_s,
            redactor=self.redactor,
            options=curl_tls_options(self.env.http),
        )

    def reproduce_target(self, target: ProbeTarget) -> str:
        return self.reproduce(target.method, target.url(self.base_url))

    def close(self) -> None:
        if self._recorder is not None:
            self._recorder.close()
            self._recorder = None
