"""Load test of the FRED backend: the environment file's endpoints, weights and budgets.

Thin on purpose: what to send, how to judge a response and the thresholds all come
from the environment file through the synthcheck library, the same file and code the
checks use. Run it through ``./scripts/load.sh`` or ``./scripts/deploy-verify.sh
--suite=load``; by hand (the variables are the harness's own option names):

    SYNTHCHECK_ENV=local SYNTHCHECK_LOAD_PROFILE=smoke \
        locust -f loadtests/locustfile.py --headless --host http://127.0.0.1:8000

Distributed: the same file on the master (``--master``) and on every worker
(``--worker --master-host=...``); see docs/load-tests.md.
"""

from typing import ClassVar

from locust import FastHttpUser, LoadTestShape

from synthcheck.load import request_options
from synthcheck.load.locust_support import install, load_context, tasks_of, wait_time_of

CONTEXT = load_context()  # exits 2 on a bad environment file or option
install(CONTEXT)  # safety gates at start-up; thresholds -> exit code when the run ends


class FredBackendUser(FastHttpUser):
    """One visitor: requests drawn by the endpoints' weights, with a pause between them.

    Every query variant of an endpoint lands in one statistics row (``name=`` its
    path); a wrong status, a non-JSON body or a schema violation counts as a failure.
    """

    tasks = tasks_of(CONTEXT)
    wait_time = wait_time_of(CONTEXT)
    # The environment's [http] settings, as the checks' probe applies them.
    connection_timeout = CONTEXT.env.http.connect_timeout_s
    network_timeout = CONTEXT.env.http.read_timeout_s
    max_redirects = CONTEXT.env.http.max_redirects
    insecure = not CONTEXT.env.http.verify_tls  # FastHttpUser skips TLS checks by default
    ssl_context_factory = staticmethod(request_options.ssl_context_factory(CONTEXT.env.http))
    # The harness's User-Agent and the [http] headers (${VAR} expanded), as the probes send.
    default_headers: ClassVar[dict[str, str]] = request_options.default_headers(CONTEXT.env.http)


class ProfileShape(LoadTestShape):
    """The profile's users over time (steady, steps or a spike); None ends the run."""

    def tick(self) -> tuple[int, float] | None:
        return CONTEXT.workload.profile.tick(self.get_run_time())
