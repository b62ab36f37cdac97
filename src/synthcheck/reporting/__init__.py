"""Reports: summary.json, the terminal summary, the self-scan."""

from synthcheck.reporting.console import explain, render_summary
from synthcheck.reporting.selfscan import ReportLeak, scan_reports
from synthcheck.reporting.summary import RunInfo, build_summary, write_summary

__all__ = [
    "ReportLeak",
    "RunInfo",
    "build_summary",
    "explain",
    "render_summary",
    "scan_reports",
    "write_summary",
]
