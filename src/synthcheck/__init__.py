"""synthcheck: the production runbook of a FRED data backend as executable checks."""

__version__ = "0.1.0"
