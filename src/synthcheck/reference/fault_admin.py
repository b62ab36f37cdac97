"""``/__faults__`` (only with ``enable_fault_admin``): read or replace the faults at runtime.

``GET`` answers the active spec; ``PUT`` with a spec body (``slow_all:ms=300;unhealthy``,
empty = none) replaces them. The endpoint bypasses every fault so a test can always
switch them off again; connection-level faults can only be set at startup.
"""

from __future__ import annotations

from typing import Any

from synthcheck.reference.applog import AppLog
from synthcheck.reference.asgi import Request, Response
from synthcheck.reference.fault_specs import FaultSpecError, parse_fault_specs
from synthcheck.reference.faults import FaultSet
from synthcheck.reference.replies import error_response

__all__ = ["ADMIN_PATH", "admin_response", "faults_body"]

ADMIN_PATH = "/__faults__"


def admin_response(faults: FaultSet, log: AppLog, request: Request) -> Response:
    method = request.method
    if method in ("GET", "HEAD"):
        return Response.json(faults_body(faults))
    if method != "PUT":
        response = error_response(405, "method not allowed")
        response.headers.set("Allow", "GET, HEAD, PUT")
        return response
    text = request.body.decode("utf-8", errors="replace")
    try:
        active = parse_fault_specs(text)
    except FaultSpecError as exc:
        return error_response(400, str(exc))
    probe = FaultSet(active)
    for target in ("app", "upstream"):
        found = probe.connection_mode(target)
        if found is not None:
            return error_response(
                400,
                f"fault '{found[1].name}' acts on connections and can only be set at "
                "startup (--fault or REFERENCE_FAULTS)",
            )
    faults.replace(active)
    log.event("INFO", "faults_changed", faults=faults.spec() or "none")
    return Response.json(faults_body(faults))


def faults_body(faults: FaultSet) -> dict[str, Any]:
    return {
        "spec": faults.spec(),
        "faults": [{"name": af.name, "params": af.params} for af in faults.active],
    }
