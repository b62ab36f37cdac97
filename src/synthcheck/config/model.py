"""The validated environment: what to probe, how hard, and against which budgets.

Defaults here are the runbook's numbers (P95 500 ms, critical 1000 ms, errors 5 %,
memory 80 %); an environment file overrides them field by field.

Why one module past ~300 lines: it holds declarations only, one frozen dataclass per
section of the environment file in the file's order, with no behaviour beyond
defaults and lookups. Kept together they read as the file's whole shape next to
``environment.schema.json``; the logic that builds each section (parsing,
expansion, validation) lives in the ``*_sections.py`` modules and ``loader.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "DEFAULT_SECRET_ENV",
    "SUITES",
    "BaselineSettings",
    "Budgets",
    "DataSettings",
    "Endpoint",
    "Environment",
    "ErrorRateSettings",
    "HealthSettings",
    "HistorySettings",
    "HttpSettings",
    "LoadProfileOverride",
    "LoadSettings",
    "LogSettings",
    "MetricsSettings",
    "NotifySettings",
    "PredeploySettings",
    "RateLimitSettings",
    "Role",
    "SecuritySettings",
    "StatisticsSettings",
    "SuiteSettings",
    "UpstreamProbeSettings",
    "VersionSettings",
]

# The service's own keys: known secrets and required variables unless a file says else.
DEFAULT_SECRET_ENV: tuple[str, ...] = ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY")

Role = Literal["health", "ready", "live", "data", "page", "other"]
SUITES: tuple[str, ...] = ("predeploy", "postdeploy", "canary", "load")


@dataclass(frozen=True)
class Budgets:
    p50_ms: float | None = None
    p95_ms: float = 500.0
    p95_critical_ms: float = 1000.0
    p99_ms: float | None = None
    error_rate: float = 0.05
    memory_percent: float = 80.0
    liveness_ms: float = 250.0
    response_bytes: int = 1_048_576

    def merged(self, overrides: Mapping[str, Any]) -> Budgets:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in overrides.items() if k in known})


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0
    total_timeout_s: float = 10.0
    max_body_bytes: int = 1_048_576
    max_redirects: int = 3
    concurrency: int = 4
    max_rps: float = 50.0
    verify_tls: bool = True
    preflight_attempts: int = 3
    # Sent with every request (config/request_sections.py: ${VAR} already expanded).
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # may hold secrets
    user_agent: str = "synthcheck"  # the loader names the version and environment
    ca_bundle: Path | None = None  # trusted in addition to the system's CAs
    client_cert: Path | None = None  # mTLS: both or neither
    client_key: Path | None = None


@dataclass(frozen=True)
class SuiteSettings:
    samples: int
    warmup: int
    # Adaptive sampling tops an endpoint up from `samples` until its latency and
    # error-rate verdicts are decided, never past `max_samples` measured requests.
    max_samples: int = 300
    # Wall-clock budget of the run's probing (docs/deadlines.md): sampling stops at it
    # and what it cut short is an inconclusive warning. The load suite's locust run is
    # bounded by its own duration rules; this bounds its probes.
    deadline_s: float = 60.0


DEFAULT_SUITES: dict[str, SuiteSettings] = {
    "predeploy": SuiteSettings(samples=5, warmup=1, max_samples=150, deadline_s=120.0),
    "postdeploy": SuiteSettings(samples=20, warmup=2, max_samples=300, deadline_s=60.0),
    "canary": SuiteSettings(samples=5, warmup=0, max_samples=100, deadline_s=30.0),
    "load": SuiteSettings(samples=5, warmup=1, max_samples=100, deadline_s=60.0),
}


@dataclass(frozen=True)
class HealthSettings:
    status_field: str = "status"
    # Common spellings of "all good" across frameworks: ours, Kubernetes-style
    # health handlers, the IETF health-check draft ("pass") and Spring ("UP").
    healthy_values: tuple[str, ...] = ("healthy", "ok", "pass", "up", "green", "alive")
    degraded_values: tuple[str, ...] = ("degraded", "warn", "warning", "yellow")
    checks_fields: tuple[str, ...] = ("checks", "components", "details")
    memory_used_field: str = "memory.used"
    # Allocated memory (a managed heap's total): shown as information, never judged.
    memory_total_field: str = "memory.total"
    memory_percent_field: str = ""
    # used / limit IS a utilization: judged against the memory budget.
    memory_limit_field: str = "memory.limit"
    memory_limit_mb: float = 0.0  # a configured limit for memory_used_field (bytes)
    degraded_is_failure: bool = False
    # Which health format the body speaks: "auto" detects it per answer
    # (verdicts/health_model.py FORMATS, docs/health-formats.md).
    format: str = "auto"


@dataclass(frozen=True)
class LoadProfileOverride:
    """``[load.profiles.<name>]``: the environment's numbers for one built-in load profile."""

    users: int | None = None
    spawn_rate: float | None = None
    duration_s: float | None = None
    wait_min_ms: float | None = None
    wait_max_ms: float | None = None


@dataclass(frozen=True)
class LoadSettings:
    """``[load]``: the locust run's default profile, end-of-run thresholds and hard caps.

    Thresholds left unset come from the budgets (the same numbers the checks use);
    caps bound every profile and every command-line override.
    """

    profile: str = "smoke"
    error_rate: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    min_rps: float | None = None
    min_requests: int = 20
    max_users: int = 200
    max_duration_s: float = 3600.0
    cpu_percent: float = 80.0
    cpu_percent_field: str = "cpu.percent"
    memory_growth_mib: float = 4.0
    sample_interval_s: float = 1.0
    cooldown_s: float = 5.0
    profiles: Mapping[str, LoadProfileOverride] = field(default_factory=dict)


@dataclass(frozen=True)
class StatisticsSettings:
    """How sure a latency verdict must be (docs/statistics.md)."""

    # pass: 1 - confidence = chance to pass a quantile with twice its allowed share
    # of requests over budget (the sequential test, stats/tail_test.py)
    confidence: float = 0.95
    fail_confidence: float = 0.999  # of the reported lower bound of the quantile
    min_batch: int = 10  # adaptive sampling sends at least this many more per round
    tail_false_fail: float = 0.01  # at most this chance to fail a quantile exactly on budget
    tail_failing_multiple: float = 2.0  # the test is tuned for 2 x the allowed share over


@dataclass(frozen=True)
class ErrorRateSettings:
    """What counts as an error, and the sequential test (SPRT) that judges the rate."""

    expected_4xx: tuple[int, ...] = ()  # never errors, e.g. 404 from an optional resource
    healthy_fraction: float = 0.4  # SPRT p0 = 0.4 x budget (2 % for a 5 % budget)
    failing_multiple: float = 1.8  # SPRT p1 = 1.8 x budget (9 %)
    false_fail: float = 0.01  # chance to fail an endpoint whose true rate is p0
    false_pass: float = 0.01  # chance to pass an endpoint whose true rate is p1


@dataclass(frozen=True)
class RateLimitSettings:
    warn_usage: float = 0.8  # runbook: alert at > 80 % API rate-limit usage
    fail_usage: float = 1.0
    health_field: str = "checks.fred_api.rate_limit"  # {limit, remaining} in the health body


@dataclass(frozen=True)
class UpstreamProbeSettings:
    """Probing the FRED upstream directly, to tell its failures from the app's."""

    enabled: bool = False
    series: str = "UNRATE"
    samples: int = 3  # per run; FRED allows 120 requests a minute per key
    budget_ms: float = 1000.0  # median latency of the direct probes


@dataclass(frozen=True)
class SecuritySettings:
    """``[security]``: how strict the header checks are, TLS expiry, leak probing."""

    headers: Literal["warn", "fail"] = "warn"  # missing security headers, version banners
    tls_min_days: int = 14  # fail when the certificate expires sooner
    provoke: bool = True  # send error-path requests (unknown series, bad params, ...)
    max_scripts: int = 10  # same-origin scripts and source maps fetched from the page


@dataclass(frozen=True)
class LogSettings:
    """``[logs]``: where the service's log is read from (a file, or a command's output)."""

    file: str = ""  # path; ${VAR} is expanded when the check runs
    command: str = ""  # e.g. "docker logs --tail 1000 app" (no shell; ${VAR} expanded)
    lines: int = 1000  # the last N lines are scanned
    max_bytes: int = 8_388_608  # and at most this much of them
    timeout_s: float = 15.0  # for the command
    since_minutes: float | None = None  # drop lines with an older leading timestamp
    top_errors: int = 5  # most frequent error lines reported

    @property
    def configured(self) -> bool:
        return bool(self.file or self.command)


@dataclass(frozen=True)
class HistorySettings:
    """``[history]``: where every run is kept (alert windows, trends, rollback targets)."""

    # A SQLite file (relative to the working directory), a postgresql:// URL, or "off".
    # --history and $SYNTHCHECK_HISTORY override it (a URL with a password belongs there).
    location: str = ".synthcheck/history.sqlite"


@dataclass(frozen=True)
class NotifySettings:
    """``[notify]``: the webhook that hears about alert transitions."""

    webhook_url_env: str = "SYNTHCHECK_WEBHOOK_URL"  # the URL is a secret: read from here
    timeout_s: float = 2.0
    retries: int = 2
    budget_s: float = 8.0  # all deliveries of one run together


@dataclass(frozen=True)
class MetricsSettings:
    """``[metrics]``: Prometheus text-format export."""

    textfile: str = "synthcheck.prom"  # relative to the reports directory; "" turns it off
    pushgateway_url_env: str = "SYNTHCHECK_PUSHGATEWAY_URL"


@dataclass(frozen=True)
class PredeploySettings:
    """``[predeploy]``: the runbook's pre-deployment checklist as checks."""

    # Variables that must be present and well-formed (formats: synthcheck.verdicts.predeploy).
    required_env: tuple[str, ...] = DEFAULT_SECRET_ENV
    scan_paths: tuple[str, ...] = (".",)  # the repository tree (relative to the working dir)
    build_paths: tuple[str, ...] = ()  # build output, e.g. ("dist",)
    scan_exclude: tuple[str, ...] = (
        ".venv/*",
        ".synthcheck/*",
        ".mypy_cache/*",  # tool caches hold copies of the tree's own strings
        ".ruff_cache/*",
        ".pytest_cache/*",
        "node_modules/*",
        "*/node_modules/*",
    )
    allowlist: str = ".synthcheck-allowlist.toml"  # accepted findings; "" for none
    rollback_env: str = ""  # whose history names the rollback target (default: this one)
    require_rollback_target: bool = False  # no target known: a warning, or a failure
    require_notification: bool = False  # no webhook configured: a warning, or a failure


@dataclass(frozen=True)
class BaselineSettings:
    """``[baseline]``: the stable version a candidate's latency is compared with."""

    url: str = ""  # probe this deployment side by side (e.g. production), or:
    history_env: str = ""  # the newest passing run of this environment in the history
    samples: int = 60  # requests per endpoint to the baseline URL
    allowed_increase: float = 1.2  # candidate/baseline above this: marginal (a warning)
    critical_increase: float = 1.5  # above this: fail
    alpha: float = 0.01  # one-sided Mann-Whitney U significance


# Freshness budgets by FRED frequency_short: a little over one period plus the usual
# publication lag (UNRATE for May is published early June: ~35 days at best).
DEFAULT_MAX_AGE_DAYS: dict[str, float] = {
    "D": 10, "W": 21, "BW": 35, "M": 75, "Q": 200, "SA": 380, "A": 400,
}  # fmt: skip


@dataclass(frozen=True)
class DataSettings:
    """``[data]``: where a data body names its series and observations, how fresh they must be.

    Paths are dotted JSON paths tried in order (the first that exists wins); the
    defaults cover FRED's own shape, ``{success, data}`` wrappers and ``meta`` blocks.
    """

    series_paths: tuple[str, ...] = (
        "series", "series_id", "seriesId", "series.id", "id", "data.series", "data.series_id",
        "data.seriesId", "data.id", "meta.series_id", "meta.series", "metadata.series_id",
    )  # fmt: skip
    observations_paths: tuple[str, ...] = (
        "observations", "data.observations", "data", "results", "values", "series_data",
        "data.values",
    )  # fmt: skip
    date_fields: tuple[str, ...] = ("date", "observation_date", "period", "time", "timestamp")
    value_fields: tuple[str, ...] = ("value", "val", "v", "close")
    max_age_days: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MAX_AGE_DAYS))
    series_max_age_days: dict[str, float] = field(default_factory=dict)  # per series id
    series_frequency: dict[str, str] = field(default_factory=dict)  # id -> D/W/BW/M/Q/SA/A


@dataclass(frozen=True)
class VersionSettings:
    """``[version]``: where a health answer reports the deployed version."""

    paths: tuple[str, ...] = ()  # tried before the built-in fields (version, build.version, ...)
    header: str = ""  # e.g. "X-App-Version": read from the health response's headers


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: Role
    method: str
    path: str
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    expect_status: tuple[int, ...] = (200,)
    content_type: str | None = None
    schema: Path | None = None
    budgets: Budgets = field(default_factory=Budgets)
    weight: float = 1.0
    suites: frozenset[str] = frozenset(SUITES)
    # Over [http] headers, for this endpoint only; may hold secrets, so never in a repr.
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Environment:
    name: str
    source: Path
    base_url: str  # "embedded" until the reference service is started
    endpoints: tuple[Endpoint, ...]
    description: str = ""
    production: bool = False
    runbook_url: str = ""
    fred_base_url: str = "https://api.stlouisfed.org/fred"
    alpha_vantage_base_url: str = "https://www.alphavantage.co"
    secret_env: tuple[str, ...] = DEFAULT_SECRET_ENV
    http: HttpSettings = field(default_factory=HttpSettings)
    budgets: Budgets = field(default_factory=Budgets)
    suites: Mapping[str, SuiteSettings] = field(default_factory=lambda: dict(DEFAULT_SUITES))
    health: HealthSettings = field(default_factory=HealthSettings)
    load: LoadSettings = field(default_factory=LoadSettings)
    statistics: StatisticsSettings = field(default_factory=StatisticsSettings)
    error_rate: ErrorRateSettings = field(default_factory=ErrorRateSettings)
    rate_limit: RateLimitSettings = field(default_factory=RateLimitSettings)
    upstream_probe: UpstreamProbeSettings = field(default_factory=UpstreamProbeSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    logs: LogSettings = field(default_factory=LogSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    alerts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # [alerts.<rule>]
    notify: NotifySettings = field(default_factory=NotifySettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    predeploy: PredeploySettings = field(default_factory=PredeploySettings)
    baseline: BaselineSettings = field(default_factory=BaselineSettings)
    data: DataSettings = field(default_factory=DataSettings)
    version: VersionSettings = field(default_factory=VersionSettings)

    @property
    def embedded(self) -> bool:
        return self.base_url == "embedded"

    def suite(self, name: str) -> SuiteSettings:
        return self.suites.get(name, DEFAULT_SUITES["postdeploy"])

    def runbook_link(self, anchor: str) -> str:
        return f"{self.runbook_url}#{anchor}" if self.runbook_url else f"#{anchor}"
