"""Real Python health libraries, configured as their READMEs show, serving GET /health.

    python -m tests.support.healthlib_apps <library> <healthy|failing> <port>

The libraries (the ``healthlibs`` extra) are used unmodified; only the application's
own check (is the database reachable?) is ours, and it answers as ``mode`` says.
"""

from __future__ import annotations

import sys
from typing import Any


def _database_ok(failing: bool) -> bool:
    return not failing


def py_healthcheck(failing: bool) -> Any:
    from flask import Flask
    from healthcheck import HealthCheck  # type: ignore[import-untyped]

    app = Flask(__name__)
    health = HealthCheck()

    def database_available() -> tuple[bool, str]:
        if _database_ok(failing):
            return True, "database ok"
        return False, "database: connection refused"

    health.add_check(database_available)
    app.add_url_rule("/health", "healthcheck", view_func=lambda: health.run())
    return app


def flask_healthz(failing: bool) -> Any:
    from flask import Flask
    from flask_healthz import HealthError, healthz  # type: ignore[import-untyped]

    app = Flask(__name__)
    app.register_blueprint(healthz, url_prefix="/")

    def readiness() -> None:
        if not _database_ok(failing):
            raise HealthError("Can't connect to the database")

    # The blueprint serves /<name>: "health" is the check this app registers.
    app.config.update(HEALTHZ={"health": readiness})
    return app


def fastapi_health(failing: bool) -> Any:
    from fastapi import Depends, FastAPI
    from fastapi_health import health  # type: ignore[import-untyped]

    def get_session() -> bool:
        return _database_ok(failing)

    def is_database_online(session: bool = Depends(get_session)) -> bool:
        return session

    app = FastAPI()
    app.add_api_route("/health", health([is_database_online]))
    return app


APPS = {
    "py-healthcheck": py_healthcheck,
    "flask-healthz": flask_healthz,
    "fastapi-health": fastapi_health,
}


def main(argv: list[str]) -> None:
    library, mode, port = argv
    app = APPS[library](mode == "failing")
    if library == "fastapi-health":
        import uvicorn

        uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning")
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", int(port), app, threaded=True)


if __name__ == "__main__":
    main(sys.argv[1:])
