"""Cloud credentials: AWS access keys, secret keys and session tokens; Azure storage
account keys, connection strings and shared access signatures.

Formats (facts from the providers' documentation and public rule sets): an AWS access
key id is ``AKIA``/``ASIA``/``ABIA``/``ACCA`` and 16 base32 characters, its secret 40
base64 characters; an Azure storage account key is 64 random bytes in base64 (86
characters and ``==``), written alone under a storage key's name, as ``AccountKey=`` in
a connection string (``DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…``), or
signed into a SAS URL's ``sig=``. A Kubernetes Secret holds each of them base64-encoded
once more, under the same name: those values are decoded and checked here, because the
shared decoder leaves short tokens alone and a decoded key has lost its name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from synthcheck.leaks import guards
from synthcheck.leaks.shapes import base64_text, mixed
from synthcheck.leaks.syntax import NOT_ALNUM_BEFORE, SEP, Rule, compile_rule

__all__ = ["CLOUD"]

_ACCESS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}")
_AZURE_KEY = re.compile(r"[A-Za-z0-9+/]{86}==")
# Names of an Azure storage key: AZURE_STORAGE_KEY, AZURE_STORAGE_ACCOUNT_KEY,
# storageAccountKey, primary_access_key (Terraform's azurerm_storage_account), ...
_AZURE_KEY_NAME = r"(?i:(?:azure|storage|primary|secondary)[A-Za-z0-9_.\-]{0,30}?key)"


def _base64_of(shape: re.Pattern[str], *, classes: bool = True) -> Callable[[str], bool]:
    """The value is base64 of a key of ``shape`` (mixing classes unless ``classes`` is
    off: an AWS key id's base32 may hold no digit)."""

    def check(value: str) -> bool:
        decoded = base64_text(value)
        return (
            decoded is not None
            and bool(shape.fullmatch(decoded))
            and (mixed(decoded) or not classes)
            and not guards.looks_like_non_secret(decoded)  # AKIAIOSFODNN7EXAMPLE
        )

    return check


CLOUD: tuple[Rule, ...] = (
    Rule(
        "aws-access-key-id",
        "AWS access key id",
        "aws",
        compile_rule(
            NOT_ALNUM_BEFORE + r"(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])"
        ),
        ("AKIA|ASIA|ABIA|ACCA",),
        case_anchors=True,
        keep=4,
    ),
    Rule(
        "aws-secret-access-key",
        "AWS secret access key",
        "aws",
        compile_rule(
            r"(?:aws[_.\-]?secret[_.\-]?(?:access[_.\-]?)?key|secret[_.\-]?access[_.\-]?key)"
            + SEP
            + r"(?P<secret>[a-z0-9/+]{40})(?![a-z0-9/+=])"
        ),
        ("aws", "secret"),
        lowered=True,
        value=compile_rule(r"[A-Za-z0-9/+]{40}"),
        named=True,
        min_classes=2,
    ),
    Rule(
        "aws-secret-access-key",
        "AWS secret access key",
        "aws",
        # Terraform's AWS provider and many SDK configs call it secret_key.
        compile_rule(r"secret[_.\-]?key" + SEP + r"(?P<secret>[a-z0-9/+]{40})(?![a-z0-9/+=])"),
        ("secret",),
        lowered=True,
        value=compile_rule(r"[A-Za-z0-9/+]{40}"),
        named=True,
        min_classes=2,
        near=("aws", "akia", "asia", "amazon", "s3"),
    ),
    Rule(
        "aws-session-token",
        "AWS session token",
        "aws",
        compile_rule(
            r"aws[_.\-]?(?:session|security)[_.\-]?token"
            + SEP
            + r"(?P<secret>[a-z0-9/+]{100,}={0,2})(?![a-z0-9/+=])"
        ),
        ("aws",),
        lowered=True,
        value=compile_rule(r"[A-Za-z0-9/+]{100,}={0,2}"),
        named=True,
        min_classes=2,
    ),
    Rule(
        "aws-access-key-id",
        "AWS access key id (base64, a Kubernetes Secret)",
        "aws",
        compile_rule(
            r"aws[_.\-]?access[_.\-]?key[_.\-]?id"
            + SEP
            + r"(?P<secret>[a-z0-9+/]{27}=)(?![a-z0-9+/=])"
        ),
        ("aws",),
        lowered=True,
        value=re.compile(r"[A-Za-z0-9+/]{27}="),
        validate=_base64_of(_ACCESS_KEY_ID, classes=False),
    ),
    Rule(
        "azure-storage-key",
        "Azure storage / Service Bus key",
        "azure",
        compile_rule(
            r"(?i:accountkey|sharedaccesskey)[\"']?\s*[=:]\s*[\"']?"
            r"(?P<secret>[A-Za-z0-9+/]{40,}={0,2})(?![A-Za-z0-9+/=])"
        ),
        ("accountkey", "sharedaccesskey"),
        validate=mixed,
    ),
    Rule(
        "azure-storage-key",
        "Azure storage account key",
        "azure",
        # The key alone under a storage key's name.
        compile_rule(_AZURE_KEY_NAME + SEP + r"(?P<secret>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])"),
        ("azure", "storage", "primary", "secondary"),
        named=True,
        validate=mixed,
    ),
    Rule(
        "azure-storage-key",
        "Azure storage account key (base64, a Kubernetes Secret)",
        "azure",
        compile_rule(_AZURE_KEY_NAME + SEP + r"(?P<secret>[A-Za-z0-9+/]{118}==)(?![A-Za-z0-9+/=])"),
        ("azure", "storage", "primary", "secondary"),
        named=True,
        validate=_base64_of(_AZURE_KEY),
    ),
    Rule(
        "azure-sas-signature",
        "Azure shared access signature",
        "azure",
        compile_rule(
            r"(?<![A-Za-z0-9_])sig=(?P<secret>(?:[A-Za-z0-9+/]|%2[BbFf]){30,}(?:%3[Dd]|=){0,2})"
            r"(?![A-Za-z0-9+/%=])"
        ),
        ("sig=",),
        requires=("sv=",),
        near=("sv=", "se=", "sp="),
        validate=mixed,
    ),
)
