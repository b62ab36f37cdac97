"""The load part of a verification run: prepare, run locust, sample, collect.

``run_load(run)`` is what the ``load`` checks' session fixture calls: it builds the
workload from the run's environment, clears ``reports/load/``, starts the resource
sampler, runs locust (standalone or master + workers) with the run's options in its
environment, samples a cool-down, and returns a :class:`LoadOutcome` that the
verdicts read. Under pytest-xdist, :func:`run_load_once` lets the first worker run
the load and the others read its outcome.
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from synthcheck.config.run_context import RUN_CONTEXT_VAR
from synthcheck.load.gates import is_local, load_mode
from synthcheck.load.request_options import probe_headers
from synthcheck.load.resources import (
    HealthProbe,
    Probe,
    ProcessProbe,
    ResourceSampler,
    listener_pid,
)
from synthcheck.load.results import LoadPaths, LoadResults
from synthcheck.load.runner import LocustJob, run_locust
from synthcheck.load.trend import ResourceTrend, summarize
from synthcheck.load.workload import Workload, build_workload
from synthcheck.probe.tls_context import client_ssl_context
from synthcheck.session import VerificationRun

__all__ = ["LoadOutcome", "locustfile_path", "run_load", "run_load_once"]

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SRC_DIR = Path(__file__).resolve().parents[2]


@dataclass
class LoadOutcome:
    profile: str
    command: str  # how to run this load again
    directory: str
    exit_code: int | None
    seconds: float
    interrupted: bool = False
    timed_out: bool = False
    log_tail: list[str] = field(default_factory=list)
    results: LoadResults | None = None
    trend: ResourceTrend | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("results", "trend")}
        data["results"] = self.results.to_dict() if self.results else None
        data["trend"] = self.trend.to_dict() if self.trend else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LoadOutcome:
        plain = {k: v for k, v in data.items() if k not in ("results", "trend")}
        return cls(
            **plain,
            results=LoadResults.from_dict(data["results"]) if data["results"] else None,
            trend=ResourceTrend.from_dict(data["trend"]) if data["trend"] else None,
        )


def locustfile_path() -> Path:
    """``./loadtests/locustfile.py`` when run from a project checkout, else this project's."""
    here = Path.cwd() / "loadtests" / "locustfile.py"
    return here if here.is_file() else PROJECT_ROOT / "loadtests" / "locustfile.py"


def _workload(run: VerificationRun) -> Workload:
    smoke = load_mode(run.settings.suite, run.settings.load) == "smoke"
    return build_workload(run.env, run.settings.load, run.settings.budgets, smoke_only=smoke)


def _child_environ(run: VerificationRun, workload: Workload, paths: LoadPaths) -> dict[str, str]:
    """The locust process's environment: the verifier's, without its ``SYNTHCHECK_*``
    variables, plus the run context in one variable: the options this run resolved
    (the child's command-line level) and where its results go."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SYNTHCHECK_")}
    flags = run.settings.load
    options = {
        "env": str(run.env.source.resolve()),
        "reports_dir": str(run.reports_dir.resolve()),
        "load_profile": workload.profile.name,
        "load_users": flags.users,
        "load_duration": f"{flags.duration_s:g}" if flags.duration_s else None,
        "budget": [f"{k}={v}" for k, v in run.settings.budgets.items()],
        "allow_remote_load": flags.allow_remote,
        "confirm_production_load": flags.confirm_production,
    }
    context = replace(
        run.context,
        results_path=str(paths.results.resolve()),
        options={k: v for k, v in options.items() if v not in (None, [], False, "")},
    )
    environ[RUN_CONTEXT_VAR] = context.to_json()
    environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(SRC_DIR), environ.get("PYTHONPATH", "")) if p
    )
    return environ


def _reproduce(run: VerificationRun, workload: Workload) -> str:
    settings, flags = run.settings, run.settings.load
    parts = ["./scripts/load.sh", f"--env={settings.env}"]
    if settings.base_url:
        parts.append(f"--base-url={settings.base_url}")
    parts.append(f"--load-profile={workload.profile.name}")
    if flags.users:
        parts.append(f"--load-users={flags.users}")
    if flags.duration_s:
        parts.append(f"--load-duration={flags.duration_s:g}s")
    if flags.workers:
        parts.append(f"--workers={flags.workers}")
    parts += [f"--budget={k}={v}" for k, v in settings.budgets.items()]
    parts += [f"--reference-fault={spec}" for spec in settings.reference_faults]
    if flags.allow_remote:
        parts.append("--allow-remote-load")
    if flags.confirm_production:
        parts.append(f"--confirm-production-load={flags.confirm_production}")
    return " ".join(shlex.quote(p) for p in parts)


def _service_pid(run: VerificationRun) -> int | None:
    """The target's process when it runs on this machine: the embedded service, or
    whatever listens on the target's loopback port (also for an xdist worker, which has
    no handle on the service its controller started)."""
    if run.reference is not None:
        return int(run.reference.process.pid)
    parts = urlsplit(run.base_url)
    if not is_local(run.base_url) or parts.port is None:
        return None
    return listener_pid(parts.port)


def _probes(run: VerificationRun) -> list[Probe]:
    probes: list[Probe] = []
    pid = _service_pid(run)
    if pid is not None and Path(f"/proc/{pid}/stat").is_file():
        probes.append(ProcessProbe(pid))
    health = next(
        (ep for ep in run.env.endpoints if ep.role == "health" and ep.method == "GET"), None
    )
    if health is not None:
        url = run.base_url + health.path
        probes.append(
            HealthProbe(
                url,
                run.env.health,
                run.env.load.cpu_percent_field,
                headers=probe_headers(run.env.http, health.headers),
                verify=client_ssl_context(run.env.http),
            )
        )
    return probes


def _reset(directory: Path) -> None:
    """``reports/load/`` holds one run: an old results.json must never pass for a new one."""
    if directory.is_dir():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)


def run_load(run: VerificationRun, *, echo: IO[str] | None = None) -> LoadOutcome:
    workload = _workload(run)
    load = run.env.load
    paths = LoadPaths.under(run.reports_dir)
    _reset(paths.directory)
    sampler = ResourceSampler(_probes(run), load.sample_interval_s).start()
    job = LocustJob(
        locustfile=locustfile_path(),
        host=run.base_url,
        paths=paths,
        environ=_child_environ(run, workload, paths),
        duration_s=workload.profile.duration_s,
        workers=run.settings.load.workers,
    )
    locust = run_locust(job, redact=run.redactor.redact, echo=echo)
    interrupted = locust.interrupted
    try:
        if not interrupted:
            sampler.cool_down(load.cooldown_s)
    except KeyboardInterrupt:
        interrupted = True
    samples = sampler.stop()
    trend = summarize(
        samples,
        cpu_limit=load.cpu_percent,
        growth_limit_mib=load.memory_growth_mib,
        memory_budget_percent=run.env.budgets.memory_percent,
    )
    paths.resources.write_text(
        json.dumps({"trend": trend.to_dict(), "samples": [s.to_dict() for s in samples]}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    return LoadOutcome(
        profile=workload.profile.describe(),
        command=_reproduce(run, workload),
        directory=str(paths.directory),
        exit_code=locust.exit_code,
        seconds=round(locust.seconds, 3),
        interrupted=interrupted,
        timed_out=locust.timed_out,
        log_tail=locust.log_tail,
        results=LoadResults.read(paths.results),
        trend=trend,
    )


def run_load_once(
    run: VerificationRun, shared_dir: Path, key: str, *, echo: IO[str] | None = None
) -> LoadOutcome:
    """pytest-xdist gives each worker its own session fixtures: only the first runs the load.

    ``shared_dir`` is common to the workers of one test run and ``key`` names the run.
    """
    shared_dir.mkdir(parents=True, exist_ok=True)
    done = shared_dir / f"load-outcome-{key}.json"
    with (shared_dir / "load.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.is_file():
            return LoadOutcome.from_dict(json.loads(done.read_text(encoding="utf-8")))
        outcome = run_load(run, echo=echo)
        done.write_text(json.dumps(outcome.to_dict()), encoding="utf-8")
        return outcome
