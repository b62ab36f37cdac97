"""``[security]`` and ``[logs]``: header strictness, TLS expiry, leak probing, log source.

Parsed here so the loader stays one line per section; the JSON Schema has already
checked types and ranges, this adds the rule that relates two fields (a log source
is a file or a command, not both).
"""

from __future__ import annotations

from typing import Any

from synthcheck.config.errors import ConfigError
from synthcheck.config.model import LogSettings, SecuritySettings

__all__ = ["security_sections"]


def security_sections(raw: dict[str, Any], source: str) -> dict[str, Any]:
    logs = dict(raw.get("logs", {}))
    if logs.get("file") and logs.get("command"):
        raise ConfigError(
            source, ["logs: give either file or command, not both (one log source per run)"]
        )
    return {
        "security": SecuritySettings(**raw.get("security", {})),
        "logs": LogSettings(**logs),
    }
