"""Value-shape checks shared by the provider and context rules."""

from __future__ import annotations

import base64
import binascii

from synthcheck.leaks import guards

__all__ = ["base64_user_password", "mixed"]


def mixed(value: str) -> bool:
    """Random tokens mix classes; placeholders (``sk-aaaa…``, ``SG.xxxx``) do not."""
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )
    return classes >= 2 and not guards.is_low_diversity(value)


def base64_user_password(value: str) -> bool:
    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    user, sep, password = text.partition(":")
    return bool(sep and user and len(password) >= 3 and text.isprintable())
