"""The runbook's alert windows as a Prometheus alerting-rules file.

Teams that already run Prometheus want the canary's alerts next to their other
alerts, evaluated by their own Alertmanager, not only by the harness's evaluator
(:mod:`synthcheck.alerts`). This module turns the same rules, with an environment's
``[alerts.<rule>]`` tuning applied, into PromQL over the metrics that
:mod:`synthcheck.prometheus` exports (textfile or Pushgateway).

Two things do not translate one to one, and are handled here on purpose:

- the harness counts *runs* (``min_runs``: application down needs two failing runs
  in a row); Prometheus counts *time*. A rule's ``for:`` is therefore its window, or
  ``(min_runs - 1)`` canary intervals when that is longer;
- a pushed metric keeps its last value for ever, so a canary that stopped running
  would look healthy. ``SynthcheckCanaryStale`` fires when the last run is older
  than three intervals.

The file is emitted as YAML built from JSON scalars (every JSON string is a valid
YAML double-quoted scalar), so no YAML library is needed at run time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from synthcheck.alerts import AlertRule, TrendRule

__all__ = ["PromRule", "prometheus_rules", "render_rules_file"]

GROUP_NAME = "synthcheck-runbook"

# Which exported series answer each rule's question (names: synthcheck.prometheus).
_CHECK = "synthcheck_check_success"


@dataclass(frozen=True)
class PromRule:
    alert: str
    expr: str
    for_s: float
    severity: str
    summary: str
    description: str
    runbook_url: str
    rule: str  # the harness's own rule name, as a label for routing and dedup


def _regex(categories: Iterable[str]) -> str:
    return "|".join(sorted(categories))


def _failing(categories: Sequence[str], by: str) -> str:
    """1 → 0 of ``synthcheck_check_success`` for any check of these categories."""
    return f'min by ({by}) ({_CHECK}{{category=~"{_regex(categories)}"}}) == 0'


def _trend_expr(rule: TrendRule) -> str:
    """Growth over the window of at least ``threshold`` of the level, used memory first.

    PromQL has no Theil-Sen slope; ``deriv`` (least squares) over the window stands in,
    and the level is the window's median, as in the harness's own rule. Its
    ``min_runs`` becomes "the run timestamp changed that often inside the window".
    """
    window = _duration(rule.window_s)
    share = rule.threshold or 0.0

    def grows(series: str) -> str:
        return (
            f"(deriv({series}[{window}]) * {rule.window_s:g}"
            f" > {share:g} * quantile_over_time(0.5, {series}[{window}]))"
        )

    enough_runs = (
        f"changes(synthcheck_last_run_timestamp_seconds[{window}]) >= {max(rule.min_runs - 1, 1)}"
    )
    growing = f"{grows('synthcheck_memory_used')} or {grows('synthcheck_memory_percent')}"
    return f"({growing}) and on (env) ({enough_runs})"


def _threshold_expr(rule: AlertRule) -> str | None:
    """PromQL for a rule compared with a metric, or None when it has no metric."""
    if isinstance(rule, TrendRule):
        return _trend_expr(rule)
    if rule.threshold is None:
        return None
    t = rule.threshold
    if "p95_ms" in rule.metric_keys:
        seconds = t / 1000.0
        return (
            f'max by (env, endpoint) (synthcheck_latency_seconds{{quantile="0.95"}}) > {seconds:g}'
        )
    if "error_rate" in rule.metric_keys:
        return f"max by (env, endpoint) (synthcheck_error_ratio) > {t:g}"
    if "memory_percent" in rule.metric_keys:
        return f"max by (env) (synthcheck_memory_percent) > {t:g}"
    if {"usage", "usage_ratio"} & set(rule.metric_keys):
        return f"max by (env) (synthcheck_rate_limit_usage_ratio) > {t:g}"
    return None


def _alert_name(rule: str) -> str:
    return "Synthcheck" + "".join(part.capitalize() for part in rule.split("_"))


def _for_s(rule: AlertRule, interval_s: float) -> float:
    if isinstance(rule, TrendRule):
        return 0.0  # the window is inside the expression
    return max(rule.window_s, (max(rule.min_runs, 1) - 1) * interval_s)


def prometheus_rules(
    rules: Sequence[AlertRule],
    runbook_link: Callable[[str], str],
    *,
    interval_s: float = 300.0,
) -> list[PromRule]:
    """One Prometheus alert per enabled harness rule, plus the staleness alert.

    ``runbook_link`` is the environment's ``runbook_link(anchor)``.
    """
    link = runbook_link
    out: list[PromRule] = []
    for rule in rules:
        if not rule.enabled:
            continue
        expr = _threshold_expr(rule) or _failing(rule.categories, "env, category")
        if isinstance(rule, TrendRule):
            summary = "memory growing on {{ $labels.env }}"
        elif rule.threshold is not None and rule.name == "latency_p95":
            summary = f"P95 above {rule.threshold:g} ms on {{{{ $labels.endpoint }}}}"
        elif rule.threshold is not None:
            summary = f"{rule.description} on {{{{ $labels.env }}}}"
        else:
            summary = f"{rule.description}: {{{{ $labels.category }}}} on {{{{ $labels.env }}}}"
        out.append(
            PromRule(
                alert=_alert_name(rule.name),
                expr=expr,
                for_s=_for_s(rule, interval_s),
                severity=rule.severity,
                summary=summary,
                description=(
                    f"synthcheck rule {rule.name}: {rule.description}."
                    + (
                        f" Growth over {_duration(rule.window_s)}: {{{{ $value | humanize }}}}."
                        if isinstance(rule, TrendRule)
                        else " Observed value {{ $value }}."
                    )
                ),
                runbook_url=str(link(rule.runbook)),
                rule=rule.name,
            )
        )
    out.append(
        PromRule(
            alert="SynthcheckCanaryStale",
            expr=(
                "time() - max by (env) (synthcheck_last_run_timestamp_seconds)"
                f" > {3 * interval_s:g}"
            ),
            for_s=0,
            severity="P2",
            summary="no synthcheck run reported for {{ $labels.env }} in three intervals",
            description=(
                "The canary stopped reporting; its other alerts cannot fire meanwhile."
                " Last run {{ $value | humanizeDuration }} ago."
            ),
            runbook_url=str(link("application-down")),
            rule="canary_stale",
        )
    )
    return out


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole % 3600 == 0 and whole:
        return f"{whole // 3600}h"
    if whole % 60 == 0 and whole:
        return f"{whole // 60}m"
    return f"{whole}s"


def render_rules_file(rules: Sequence[PromRule], *, source: str) -> str:
    """The rules file text (``promtool check rules`` accepts it)."""
    q = json.dumps
    lines = [
        f"# Generated by `synthcheck prometheus-rules` from {source}; regenerate, do not edit.",
        "groups:",
        f"  - name: {q(GROUP_NAME)}",
        "    rules:",
    ]
    for rule in rules:
        lines += [
            f"      - alert: {q(rule.alert)}",
            f"        expr: {q(rule.expr)}",
        ]
        if rule.for_s > 0:
            lines.append(f"        for: {_duration(rule.for_s)}")
        lines += [
            "        labels:",
            f"          severity: {q(rule.severity)}",
            f"          synthcheck_rule: {q(rule.rule)}",
            "        annotations:",
            f"          summary: {q(rule.summary)}",
            f"          description: {q(rule.description)}",
            f"          runbook_url: {q(rule.runbook_url)}",
        ]
    return "\n".join(lines) + "\n"
