"""The embedded reference service: a FRED-data backend with switchable faults.

`python -m synthcheck.reference --help` runs it; `start_reference_service()` /
`reference_service()` start it as a subprocess; `FAULTS` lists the faults.
"""

from synthcheck.reference import catalog as _catalog  # noqa: F401  (fills FAULTS on import)
from synthcheck.reference.fault_specs import FaultSpecError, list_faults, parse_fault_specs
from synthcheck.reference.faults import FAULTS
from synthcheck.reference.launcher import (
    ReferenceServiceError,
    RunningService,
    reference_service,
    start_reference_service,
)

__all__ = [
    "FAULTS",
    "FaultSpecError",
    "ReferenceServiceError",
    "RunningService",
    "list_faults",
    "parse_fault_specs",
    "reference_service",
    "start_reference_service",
]
