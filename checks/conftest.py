"""Turns a pytest run over this directory into a verification run.

The synthcheck plugin is not a pytest11 entry point: it is loaded here (and only
here), so that no other pytest suite in the same environment sees its options,
fixtures or hooks; loading it activates it. Loaded from this initial conftest, it
registers after every installed plugin and shares ``--base-url`` with
pytest-base-url. A check directory of your own needs the same line.
"""

pytest_plugins = ["synthcheck.pytest_plugin"]
