"""Load tests with locust: the same endpoints and budgets as the checks, under traffic.

Layout (the harness side never imports locust or gevent: gevent's monkey-patching
would break the harness's asyncio/httpx code, so locust always runs as a subprocess):

(the environment file's ``[load]`` section and the load options are settings: they
live in :mod:`synthcheck.config.load_section` and :mod:`synthcheck.config.load_flags`)

- ``profiles``  smoke, load, stress, spike, soak: users over time, with hard caps
- ``expect``    what makes one response a failure (status, JSON, schema, type)
- ``workload``  environment → weighted requests, profile and thresholds
- ``thresholds`` where P95/P99/failure ratio/throughput are decided
- ``gates``     safety: local targets only, unless explicitly allowed
- ``results``   the structured result a locust run leaves in ``reports/load/``
- ``resources`` CPU/memory sampling during the run and its trend
- ``runner``    starts locust (standalone or master + N workers), stops it cleanly
- ``verdicts``  results → :class:`~synthcheck.verdicts.CheckResult` for the summary
- ``locust_support`` the locust side; imported only by ``loadtests/locustfile.py``

(``synthcheck load``, what ``scripts/load.sh`` runs, is an entry point:
:mod:`synthcheck.load_command`)
"""
