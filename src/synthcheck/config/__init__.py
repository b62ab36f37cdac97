"""Environment files: load, validate, override."""

from synthcheck.config.errors import ConfigError, did_you_mean
from synthcheck.config.loader import (
    builtin_schema,
    find_environment_file,
    known_environments,
    load_environment,
)
from synthcheck.config.model import (
    DEFAULT_SECRET_ENV,
    SUITES,
    BaselineSettings,
    Budgets,
    Endpoint,
    Environment,
    ErrorRateSettings,
    HealthSettings,
    HistorySettings,
    HttpSettings,
    PredeploySettings,
    RateLimitSettings,
    StatisticsSettings,
    SuiteSettings,
    UpstreamProbeSettings,
)
from synthcheck.config.overrides import apply_overrides, parse_budget_overrides

__all__ = [
    "DEFAULT_SECRET_ENV",
    "SUITES",
    "BaselineSettings",
    "Budgets",
    "ConfigError",
    "Endpoint",
    "Environment",
    "ErrorRateSettings",
    "HealthSettings",
    "HistorySettings",
    "HttpSettings",
    "PredeploySettings",
    "RateLimitSettings",
    "StatisticsSettings",
    "SuiteSettings",
    "UpstreamProbeSettings",
    "apply_overrides",
    "builtin_schema",
    "did_you_mean",
    "find_environment_file",
    "known_environments",
    "load_environment",
    "parse_budget_overrides",
]
