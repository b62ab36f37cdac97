"""The pytest plugin's parts; :mod:`synthcheck.pytest_plugin` is the module pytest loads.

pytest finds hooks and fixtures among a plugin module's attributes, so
``synthcheck.pytest_plugin`` re-exports them from here:

- :mod:`.options`: the ``--synthcheck-NAME`` / ``--NAME`` flags and ini keys, and
  coexistence with pytest-base-url's ``--base-url``;
- :mod:`.state`: where the run lives (pytest's stash) and what a test item says about
  itself (its check id, its category);
- :mod:`.activation`: ``pytest_configure`` turns the session into a verification run
  (settings, environment, embedded reference service, xdist worker context);
- :mod:`.collection`: parametrizing the checks with the plan's targets, suite selection,
  the upstream prefetch;
- :mod:`.fixtures`: ``run``, ``require_reachable``, ``verdict`` (and the Allure labels);
- :mod:`.report`: each check's result into its test report, and the controller's
  reporter that hands them to :mod:`synthcheck.endofrun`.
"""
