"""Where the run history is, for the commands that read it (``history``, ``status-page``).

The same precedence as a verification run (:mod:`synthcheck.config.precedence`):
``--history`` > ``$SYNTHCHECK_HISTORY`` > the environment file's ``[history] location``
> the default, so ``synthcheck history`` reads the store the runs wrote, and says so
when the environment file turned it ``off``. The environment file is the one
``--env`` names (else ``$SYNTHCHECK_ENV``, else ``local``), when this checkout has it:
history can hold environments whose files live elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from synthcheck.config.errors import ConfigError
from synthcheck.config.loader import find_environment_file, load_environment
from synthcheck.config.model import Environment, HistorySettings
from synthcheck.config.options import file_source, option
from synthcheck.config.precedence import Layers, Level, Resolved, resolve

__all__ = ["DEFAULT_HISTORY", "environment_if_any", "history_setting"]

DEFAULT_HISTORY = HistorySettings().location


def environment_if_any(name: str, env_dir: Path) -> Environment | None:
    """The environment file of that name, when there is one (a bad one is a ConfigError)."""
    try:
        find_environment_file(name, env_dir)
    except ConfigError:
        return None  # an environment this checkout has no file for
    return load_environment(name, env_dir)


def history_setting(
    history: str | None,
    *,
    env: str | None,
    env_dir: Path | None,
    default_env_dir: Path,
    environ: Mapping[str, str],
) -> Resolved:
    """The history location (possibly ``off``) and where it was set.

    ``history``, ``env`` and ``env_dir`` are the command's flags (None: not given).
    """
    flags = {"history": history, "env": env, "env_dir": env_dir}
    layers = Layers(lambda dest: flags.get(dest), environ)
    found = resolve(option("history"), layers)
    if found.explicit:
        return found  # the environment file is not even read
    name = str(resolve(option("env"), layers).value)
    directory = resolve(option("env_dir"), layers).value
    environment = environment_if_any(name, Path(directory) if directory else default_env_dir)
    if environment is None:
        return Resolved(DEFAULT_HISTORY, "default", Level.DEFAULT)
    return found.over_file(
        environment.history.location, file_source(environment.source, "[history] location")
    )
