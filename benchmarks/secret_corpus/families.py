"""The labelled families: which names a value sits next to, and the look-alikes of each.

`Planner` hands out positives evenly over the families a file kind can hold (the least
used first), and decoys of the kinds that really sit in such files.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.secret_corpus.model import DECOY, POSITIVE, Item
from benchmarks.secret_corpus.tokens import ALNUM, Tokens

__all__ = ["FAMILIES", "PAIR_FAMILIES", "Pair", "Planner"]


@dataclass(frozen=True)
class Pair:
    """A name = value assignment to plant; `item` labels the value."""

    name: str
    value: str
    item: Item


# family -> the variable names real projects use for it
NAMES: dict[str, tuple[str, ...]] = {
    "fred": ("FRED_API_KEY", "FRED_KEY", "FRED_APIKEY"),
    "alpha_vantage": ("ALPHA_VANTAGE_API_KEY", "ALPHAVANTAGE_API_KEY", "ALPHA_VANTAGE_KEY"),
    "aws_access_key_id": ("AWS_ACCESS_KEY_ID",),
    "aws_secret_key": ("AWS_SECRET_ACCESS_KEY",),
    "github_token": ("GITHUB_TOKEN", "GH_TOKEN", "GH_PAT", "RELEASE_TOKEN"),
    "gitlab_token": ("GITLAB_TOKEN", "GITLAB_PRIVATE_TOKEN", "GL_TOKEN"),
    "slack_token": ("SLACK_BOT_TOKEN", "SLACK_TOKEN", "SLACK_USER_TOKEN"),
    "slack_webhook": ("SLACK_WEBHOOK_URL", "ALERTS_WEBHOOK", "SLACK_HOOK"),
    "stripe_key": ("STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_RESTRICTED_KEY"),
    "google_api_key": ("GOOGLE_API_KEY", "GOOGLE_MAPS_API_KEY", "FIREBASE_API_KEY"),
    "openai_key": ("OPENAI_API_KEY", "OPENAI_KEY", "LLM_API_KEY"),
    "sendgrid_key": ("SENDGRID_API_KEY", "EMAIL_API_KEY", "SENDGRID_KEY"),
    "twilio": ("TWILIO_AUTH_TOKEN", "TWILIO_API_KEY"),
    "npm_token": ("NPM_TOKEN", "NODE_AUTH_TOKEN"),
    "pypi_token": ("PYPI_TOKEN", "TWINE_PASSWORD", "PYPI_API_TOKEN"),
    "dockerhub_token": ("DOCKERHUB_TOKEN", "DOCKER_PASSWORD", "REGISTRY_TOKEN"),
    "azure_storage": ("AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_KEY"),
    "jwt": ("SESSION_TOKEN", "SERVICE_JWT", "ACCESS_TOKEN"),
    "django_secret_key": ("DJANGO_SECRET_KEY", "SECRET_KEY"),
    "password": ("DB_PASSWORD", "POSTGRES_PASSWORD", "SMTP_PASSWORD", "ADMIN_PASSWORD"),
    "url_credentials": (
        "DATABASE_URL",
        "REDIS_URL",
        "CELERY_BROKER_URL",
        "MONGO_URI",
        "PIP_EXTRA_INDEX_URL",
    ),
    "generic_token": ("INTERNAL_API_TOKEN", "BILLING_API_TOKEN", "AUTH_TOKEN", "API_SECRET"),
}
PAIR_FAMILIES: tuple[str, ...] = tuple(NAMES)
# families planted only by their own contexts (multi-line blocks, headers, .npmrc lines)
FAMILIES: tuple[str, ...] = (
    *PAIR_FAMILIES,
    "private_key",
    "token_header",
    "basic_auth",
    "npmrc_auth",
)

DB_HOSTS = (
    "db.internal",
    "postgres.prod.svc.cluster.local",
    "10.20.4.17",
    "pg-main.rds.amazonaws.com",
)


class Planner:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tok = Tokens(rng)
        self.used: Counter[str] = Counter()

    def pick_family(self, allowed: Sequence[str]) -> str:
        low = min(self.used[f] for f in allowed)
        family = self.rng.choice([f for f in allowed if self.used[f] == low])
        self.used[family] += 1
        return family

    def positive(self, family: str, form: str = "plain") -> Item:
        return Item(family, POSITIVE, form, self.value(family))

    def value(self, family: str) -> str:
        t = self.tok
        makers: dict[str, Callable[[], str]] = {
            "fred": t.fred,
            "alpha_vantage": t.alpha_vantage,
            "aws_access_key_id": t.aws_access_key_id,
            "aws_secret_key": t.aws_secret_key,
            "github_token": t.github_token,
            "gitlab_token": t.gitlab_token,
            "slack_token": t.slack_token,
            "slack_webhook": t.slack_webhook,
            "stripe_key": t.stripe_key,
            "google_api_key": t.google_api_key,
            "openai_key": t.openai_key,
            "sendgrid_key": t.sendgrid_key,
            "twilio": t.twilio_secret,
            "npm_token": t.npm_token,
            "pypi_token": t.pypi_token,
            "dockerhub_token": t.dockerhub_token,
            "azure_storage": t.azure_account_key,
            "jwt": t.jwt,
            "django_secret_key": t.django_secret_key,
            "password": t.password,
            "url_credentials": t.url_password,
            "generic_token": t.opaque_token,
            "private_key": t.private_key,
            "token_header": t.opaque_token,
            "npmrc_auth": t.uuid,
            "basic_auth": lambda: f"{self.rng.choice(('ci', 'svc', 'admin'))}:{t.password()}",
        }
        return makers[family]()

    def pair(self, allowed: Sequence[str] = PAIR_FAMILIES) -> Pair:
        """A positive assignment; the label's value is the secret, shown is what is written."""
        family = self.pick_family(allowed)
        item = self.positive(family)
        name = self.rng.choice(NAMES[family])
        written = item.value
        if family == "twilio" and name == "TWILIO_API_KEY":
            item = Item(family, POSITIVE, "plain", self.tok.twilio_api_key())
            written = item.value
        elif family == "azure_storage" and name.endswith("CONNECTION_STRING"):
            written = (
                f"DefaultEndpointsProtocol=https;AccountName=st{self.tok.chars('abcdefgh', 8)};"
                f"AccountKey={item.value};EndpointSuffix=core.windows.net"
            )
        elif family == "url_credentials":
            written = self.credential_url(name, item.value)
        return Pair(name, written, item)

    def credential_url(self, name: str, password: str) -> str:
        host = self.rng.choice(DB_HOSTS)
        user = self.rng.choice(("app", "svc_fred", "reporting", "deploy"))
        if name == "REDIS_URL":
            return f"redis://:{password}@cache.internal:6379/0"
        if name == "CELERY_BROKER_URL":
            return f"amqp://{user}:{password}@rabbitmq.internal:5672/prod"
        if name == "PIP_EXTRA_INDEX_URL":
            return f"https://{user}:{password}@artifactory.example.com/api/pypi/pypi/simple"
        if name == "MONGO_URI":
            return f"mongodb+srv://{user}:{password}@cluster0.{self.tok.hex(5)}.mongodb.net/app"
        return f"postgres://{user}:{password}@{host}:5432/fred_cache"

    # --- decoys ---------------------------------------------------------------------------
    def decoy_pair(self) -> Pair:
        """A look-alike assignment of the kinds that sit in the same files as real keys."""
        t = self.tok
        choices: list[tuple[str, str, str, str]] = [
            # (name, value, family imitated, decoy form)
            ("FRED_API_KEY", "your_fred_api_key_here", "fred", "placeholder"),
            ("FRED_API_KEY", "<FRED_API_KEY>", "fred", "placeholder"),
            ("FRED_API_KEY", "${FRED_API_KEY}", "fred", "placeholder"),
            ("FRED_API_KEY", "x" * 32, "fred", "placeholder"),
            ("FRED_API_KEY", "abcdefghijklmnopqrstuvwxyz123456", "fred", "placeholder"),
            ("FRED_API_KEY", t.fred()[:4] + "*" * 28, "fred", "masked"),
            ("ALPHA_VANTAGE_API_KEY", "demo", "alpha_vantage", "placeholder"),
            ("ALPHA_VANTAGE_API_KEY", "YOUR_API_KEY", "alpha_vantage", "placeholder"),
            ("ALPHA_VANTAGE_API_KEY", "*" * 16, "alpha_vantage", "masked"),
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "aws_access_key_id", "example_key"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_secret_key",
                "example_key",
            ),
            ("GITHUB_TOKEN", "ghp_" + "x" * 36, "github_token", "placeholder"),
            ("STRIPE_SECRET_KEY", "sk_live_" + "*" * 24, "stripe_key", "masked"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_live_51" + t.chars(ALNUM, 22), "stripe_key", "public"),
            ("OPENAI_API_KEY", "sk-your-openai-key", "openai_key", "placeholder"),
            ("SENDGRID_API_KEY", "SG.xxxxxxxx.yyyyyyyy", "sendgrid_key", "placeholder"),
            (
                "SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/services/XXX/YYY/ZZZ",
                "slack_webhook",
                "placeholder",
            ),
            ("DB_PASSWORD", "changeme", "password", "placeholder"),
            ("DB_PASSWORD", "********", "password", "masked"),
            ("POSTGRES_PASSWORD", "${POSTGRES_PASSWORD}", "password", "placeholder"),
            (
                "DATABASE_URL",
                "postgres://user:password@localhost:5432/mydb",
                "url_credentials",
                "placeholder",
            ),
            (
                "DATABASE_URL",
                "postgres://app@db.internal:5432/fred_cache",
                "url_credentials",
                "no_password",
            ),
            ("REDIS_URL", "redis://localhost:6379/0", "url_credentials", "no_password"),
            ("SECRET_KEY", "${DJANGO_SECRET_KEY}", "django_secret_key", "placeholder"),
            ("GIT_COMMIT", t.sha1(), "generic", "hash"),
            ("ASSET_MD5", t.md5(), "fred", "hash"),
            ("ARTIFACT_SHA256", t.sha256(), "generic", "hash"),
            ("IMAGE_DIGEST", "sha256:" + t.sha256(), "generic", "hash"),
            ("TRACE_ID", t.trace_id(), "fred", "trace_id"),
            ("REQUEST_ID", t.uuid(), "generic", "uuid"),
            ("TENANT_ID", t.uuid(), "generic", "uuid"),
            ("BUILD_ID", t.build_id(), "alpha_vantage", "build_id"),
            ("APP_VERSION", t.version(), "generic", "version"),
            ("FRED_BASE_URL", "https://api.stlouisfed.org/fred", "fred", "docs"),
            (
                "ALPHA_VANTAGE_BASE_URL",
                "https://www.alphavantage.co/query",
                "alpha_vantage",
                "docs",
            ),
        ]
        name, value, family, form = self.rng.choice(choices)
        return Pair(name, value, Item(family, DECOY, form, value))

    def decoy(self, family: str, form: str, value: str) -> Item:
        return Item(family, DECOY, form, value)
