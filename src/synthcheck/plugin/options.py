"""The plugin's options: every option as ``--synthcheck-NAME`` and, where no other
plugin has that flag, ``--NAME``, plus its ini key ``synthcheck_NAME``; ``--base-url``
is pytest-base-url's when that is installed."""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from typing import Any

import pytest

from synthcheck.config.options import OPTIONS, Option

# pytest-base-url (a dependency of pytest-playwright and pytest-selenium) owns
# ``--base-url``, the ``base_url`` ini key and the ``base_url`` fixture; with it
# installed synthcheck reads that option instead of registering a second one.
BASE_URL_PLUGIN = "base_url"  # its pytest11 entry-point name; its option's dest too


def prefixed_flag(option: Option) -> str:
    """``--synthcheck-env``: every option's name that no other plugin can take."""
    return f"--synthcheck-{option.flag.removeprefix('--')}"


def _taken_flags(parser: pytest.Parser) -> set[str]:
    # pytest has no public "is this flag registered" call; its groups are plain lists.
    groups = [parser._anonymous, *parser._groups]
    return {name for group in groups for opt in group.options for name in opt.names()}


def _base_url_plugin_coming(pluginmanager: pytest.PytestPluginManager) -> bool:
    """pytest-base-url registered, or about to be (synthcheck loaded early with ``-p``)."""
    if pluginmanager.has_plugin(BASE_URL_PLUGIN):
        return True
    if pluginmanager.is_blocked(BASE_URL_PLUGIN) or os.environ.get(
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD"
    ):
        return False
    return bool(entry_points(group="pytest11", name=BASE_URL_PLUGIN))


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Every option as ``--synthcheck-NAME``, and as ``--NAME`` unless another plugin
    has that flag (pytest-timeout's ``--timeout``); ``--base-url`` is shared with
    pytest-base-url when that is installed."""
    group = parser.getgroup("synthcheck", "synthcheck: runbook checks and deploy verification")
    taken = _taken_flags(parser)
    shared_base_url = _base_url_plugin_coming(pluginmanager) or "--base-url" in taken
    for option in OPTIONS:
        flags = [prefixed_flag(option)]
        if option.flag not in taken and not (option.dest == "base_url" and shared_base_url):
            flags.insert(0, option.flag)
        help_text = f"{option.help} [env: {option.env_var}]"
        group.addoption(
            *flags,
            dest=f"synthcheck_{option.dest}",
            default=None,
            help=help_text,
            **option.parser_kwargs(),
        )
        parser.addini(option.ini, help=help_text, default="")


def cli_value(config: pytest.Config, dest: str) -> Any:
    """An option's command-line value; ``--base-url`` is pytest-base-url's when that owns it."""
    value = config.getoption(f"synthcheck_{dest}")
    if dest == "base_url" and value is None and config.pluginmanager.has_plugin(BASE_URL_PLUGIN):
        value = config.getoption(BASE_URL_PLUGIN, None)
    return value


def ini_value(config: pytest.Config, key: str) -> Any:
    """An ini/pyproject key's value; None for a key no plugin registered (``base_url``
    without pytest-base-url)."""
    try:
        return config.getini(key)
    except ValueError:
        return None
