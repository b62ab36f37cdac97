"""A static status page from the run history: uptime windows, trends, incidents, badges."""

from synthcheck.statuspage.model import Incident, StatusData, Uptime, build_status
from synthcheck.statuspage.site import write_site

__all__ = ["Incident", "StatusData", "Uptime", "build_status", "write_site"]
