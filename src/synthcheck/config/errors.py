"""Configuration errors that name the file, the field, the bad value and what is accepted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = ["ConfigError", "did_you_mean"]


def did_you_mean(value: str, accepted: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest accepted value, or an empty string."""
    close = difflib.get_close_matches(str(value), list(accepted), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


class ConfigError(Exception):
    """A bad environment file, CLI flag or environment variable (exit code 2).

    ``problems`` holds one line per problem, each ``<field>: <what is wrong>``;
    ``source`` is where the value came from (a file path, ``--flag`` or ``$VAR``).
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        lines = [f"{self.source}: {len(self.problems)} problems"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
