"""Which environment-file section fills which part of :class:`Environment`.

The config layer's half of the family registry: ``synthcheck.catalog`` names the
sections each check family reads (it sits below config and cannot import it); this
table names the dataclass that holds each section. tests/unit/test_family_registry.py
checks it, key by key, against ``environment.schema.json`` and the model, so a section
or field added to one and not the other fails with the place to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from synthcheck.catalog import Category, info
from synthcheck.config.model import (
    BaselineSettings,
    Budgets,
    DataSettings,
    Endpoint,
    ErrorRateSettings,
    HealthSettings,
    HistorySettings,
    HttpSettings,
    LoadProfileOverride,
    LoadSettings,
    LogSettings,
    MetricsSettings,
    NotifySettings,
    PredeploySettings,
    RateLimitSettings,
    SecuritySettings,
    StatisticsSettings,
    SuiteSettings,
    UpstreamProbeSettings,
    VersionSettings,
)

__all__ = [
    "NOT_FROM_FILE",
    "SECTIONS",
    "UPSTREAM_PROBE_KEYS",
    "Section",
    "family_settings",
    "section",
]

# Environment fields no file key fills: the path the environment was read from.
NOT_FROM_FILE: tuple[str, ...] = ("source",)


@dataclass(frozen=True)
class Section:
    """One top-level key of an environment file."""

    name: str  # as the file and environment.schema.json spell it
    fields: tuple[str, ...]  # the Environment fields it fills
    settings: type[Any] | None = None  # dataclass whose fields are the section's keys
    entries: type[Any] | None = None  # a list or table of named tables: each one's dataclass
    nested: Mapping[str, type[Any]] = field(default_factory=dict)  # key -> its tables' dataclass
    renamed: Mapping[str, str] = field(default_factory=dict)  # file key -> field, where they differ
    direct: tuple[str, ...] = ()  # file keys that are Environment fields of the same name
    derived: tuple[str, ...] = ()  # settings fields the loader computes, never in the file

    def file_keys(self) -> frozenset[str]:
        """The keys the section takes (those of ``settings``, renamed, plus the others)."""
        if self.settings is None:
            return frozenset((*self.renamed, *self.direct))
        by_field = {target: key for key, target in self.renamed.items()}
        own = (f.name for f in fields(self.settings) if f.name not in self.derived)
        return frozenset((*(by_field.get(name, name) for name in own), *self.direct))


def _plain(name: str, settings: type[Any] | None = None, **more: Any) -> Section:
    return Section(name, (name,), settings, **more)


# The direct upstream probe's keys sit in [upstreams] with a ``probe`` prefix.
UPSTREAM_PROBE_KEYS: Mapping[str, str] = {
    "probe": "enabled",
    "probe_series": "series",
    "probe_samples": "samples",
    "probe_budget_ms": "budget_ms",
}

SECTIONS: tuple[Section, ...] = (
    Section("schema_version", ()),  # the file format's version: validated, not kept
    _plain("name"),
    _plain("description"),
    _plain("base_url"),
    _plain("production"),
    _plain("runbook_url"),
    Section(
        "upstreams",
        ("fred_base_url", "alpha_vantage_base_url", "upstream_probe"),
        UpstreamProbeSettings,
        renamed=UPSTREAM_PROBE_KEYS,
        direct=("fred_base_url", "alpha_vantage_base_url"),
    ),
    Section("secrets", ("secret_env",), renamed={"env": "secret_env"}),
    _plain("http", HttpSettings, derived=("user_agent",)),  # [http] headers' User-Agent
    _plain("budgets", Budgets),
    _plain("suites", entries=SuiteSettings),
    _plain("health", HealthSettings),
    _plain("statistics", StatisticsSettings),
    _plain("error_rate", ErrorRateSettings),
    _plain("rate_limit", RateLimitSettings),
    _plain("security", SecuritySettings),
    _plain("logs", LogSettings),
    _plain("load", LoadSettings, nested={"profiles": LoadProfileOverride}),
    _plain("history", HistorySettings),
    _plain("alerts"),  # [alerts.<rule>]: the rules live after the run (synthcheck.alerts)
    _plain("notify", NotifySettings),
    _plain("metrics", MetricsSettings),
    _plain("predeploy", PredeploySettings),
    _plain("baseline", BaselineSettings),
    _plain("data", DataSettings),
    _plain("version", VersionSettings),
    _plain("endpoints", entries=Endpoint),
)

_BY_NAME: dict[str, Section] = {s.name: s for s in SECTIONS}


def section(name: str) -> Section:
    """The section called ``name``; raises KeyError naming the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(_BY_NAME)
        raise KeyError(f"no environment-file section {name!r}; known: {known}") from None


def _types(sections: Iterable[Section]) -> tuple[type[Any], ...]:
    found = (t for s in sections for t in (s.settings, s.entries, *s.nested.values()) if t)
    return tuple(dict.fromkeys(found))


def family_settings(category: Category | str) -> tuple[type[Any], ...]:
    """The settings dataclasses that tune a check family, in the catalog's section order."""
    return _types(section(name) for name in info(category).sections)
