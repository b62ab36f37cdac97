"""Recorded exchanges: the probe client, pacing, and the recorder that runs a plan."""

from synthcheck.probe.client import RecordingClient, classify_error
from synthcheck.probe.exchange import Exchange, RedirectHop, TransportError, TransportErrorKind
from synthcheck.probe.recorder import Preflight, Recorder

__all__ = [
    "Exchange",
    "Preflight",
    "Recorder",
    "RecordingClient",
    "RedirectHop",
    "TransportError",
    "TransportErrorKind",
    "classify_error",
]
