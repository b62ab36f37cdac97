"""Known secret values, their encoded forms, and the one redaction step.

Every byte the harness writes or prints passes through :class:`Redactor`; the
values themselves live in :class:`Secret`, which cannot print itself.
"""

from synthcheck.secrets.forms import SecretForm, forms_of
from synthcheck.secrets.redact import REDACTION_MARK, Redactor
from synthcheck.secrets.values import MIN_WINDOW, KnownSecrets, Secret

__all__ = [
    "MIN_WINDOW",
    "REDACTION_MARK",
    "KnownSecrets",
    "Redactor",
    "Secret",
    "SecretForm",
    "forms_of",
]
