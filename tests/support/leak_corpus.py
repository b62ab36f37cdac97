"""A labelled corpus for the leak scanner: secrets in realistic places, and hard negatives.

Generated from a seed instead of committed, so the repository itself holds no
secret-shaped string (and no push protection or scanner trips over it). Three parts:

- :func:`positives`: every secret family the rules know, each in many contexts (.env,
  YAML, JSON, TOML, INI, Python, JavaScript, shell, Dockerfile, Kubernetes, logs,
  HTML, Markdown, curl, Terraform), with the labelled value(s) in each sample;
- :func:`negatives`: the hard cases: ETags and content hashes (32 hex, a FRED key's
  shape), commit SHAs, UUIDs, trace and request ids, hashed asset names, redaction
  markers, placeholders, documented example keys, hashes named like keys,
  credential-free URLs, templated credentials, plus ordinary source files;
- :func:`known_value_cases`: a known key leaked whole, partly and encoded (and
  near-misses that must not match), for the known-value search.

Used by ``benchmarks/bench_leaks.py`` (precision/recall) and the project's tests.
"""

from __future__ import annotations

import base64
import json
import random
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Sample", "corpus", "known_value_cases", "negatives", "positives"]

HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
B64 = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True)
class Sample:
    kind: str  # the secret family, or "negative"
    context: str  # what the text looks like (template name or trap name)
    text: str
    secrets: tuple[str, ...] = ()  # labelled values, each an exact substring of text


def _pick(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# ------------------------------------------------------------------ secret values
def fred_key(rng: random.Random) -> str:
    return _pick(rng, HEX, 32)


def av_key(rng: random.Random) -> str:
    while True:
        value = _pick(rng, UPPER_ALNUM, 16)
        if any(c.isalpha() for c in value):
            return value


def aws_id(rng: random.Random) -> str:
    return rng.choice(["AKIA", "ASIA"]) + _pick(rng, string.ascii_uppercase + "234567", 16)


def aws_secret(rng: random.Random) -> str:
    return _pick(rng, B64, 40)


def github_token(rng: random.Random) -> str:
    return rng.choice(["ghp", "gho", "ghs", "ghu", "ghr"]) + "_" + _pick(rng, ALNUM, 36)


def github_pat(rng: random.Random) -> str:
    return f"github_pat_{_pick(rng, ALNUM, 22)}_{_pick(rng, ALNUM, 59)}"


def slack_token(rng: random.Random) -> str:
    if rng.random() < 0.5:
        digits = f"{_pick(rng, string.digits, 12)}-{_pick(rng, string.digits, 13)}"
        return f"xoxb-{digits}-{_pick(rng, ALNUM, 24)}"
    digits = "-".join(_pick(rng, string.digits, 12) for _ in range(3))
    return f"xoxp-{digits}-{_pick(rng, HEX, 32)}"


def slack_webhook(rng: random.Random) -> str:
    ids = f"T{_pick(rng, UPPER_ALNUM, 8)}/B{_pick(rng, UPPER_ALNUM, 10)}"
    return f"https://hooks.slack.com/services/{ids}/{_pick(rng, ALNUM, 24)}"


def stripe_key(rng: random.Random) -> str:
    return f"sk_live_{_pick(rng, ALNUM, rng.choice([24, 99]))}"


def google_key(rng: random.Random) -> str:
    return "AIza" + _pick(rng, ALNUM + "_-", 35)


def pem_block(rng: random.Random) -> str:
    label = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    body = base64.b64encode(rng.randbytes(rng.choice([121, 609, 1190]))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(rng: random.Random) -> str:
    header = {"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {
        "sub": str(uuid.UUID(int=rng.getrandbits(128))),
        "iat": 1_700_000_000 + rng.randrange(10**7),
        "exp": 1_800_000_000 + rng.randrange(10**7),
        "scope": rng.choice(["read", "read write", "admin"]),
    }
    parts = [json.dumps(header).encode(), json.dumps(payload).encode(), rng.randbytes(32)]
    return ".".join(_b64url(p) for p in parts)


def password(rng: random.Random) -> str:
    while True:
        value = _pick(rng, ALNUM + "!*-_.~", rng.randrange(12, 24))
        if sum(c.isdigit() for c in value) and sum(c.isalpha() for c in value) > 3:
            return value


def opaque_token(rng: random.Random) -> str:
    return _pick(rng, ALNUM + "-_", rng.choice([32, 40, 43, 64]))


# ------------------------------------------------------------------ contexts
Template = Callable[[random.Random, str], str]


def _host(rng: random.Random) -> str:
    return f"{rng.choice(['db', 'cache', 'mq', 'api'])}-{rng.randrange(1, 9)}.prod.acme-corp.io"


FRED_TEMPLATES: dict[str, Template] = {
    ".env": lambda r, v: f"PORT=8080\nFRED_API_KEY={v}\nNODE_ENV=production\n",
    ".env quoted": lambda r, v: (
        f'FRED_BASE_URL="https://api.stlouisfed.org/fred"\nFRED_API_KEY="{v}"\n'
    ),
    "shell export": lambda r, v: f"#!/bin/sh\nexport FRED_API_KEY='{v}'\nexec node server.js\n",
    "yaml": lambda r, v: f"fred:\n  base_url: https://api.stlouisfed.org/fred\n  api_key: {v}\n",
    "yaml nested key": lambda r, v: f"providers:\n  fred:\n    key: {v}\n    timeout: 5\n",
    "json config": lambda r, v: json.dumps({"fred": {"apiKey": v, "cacheTtl": 3600}}, indent=2),
    "python client": lambda r, v: (
        f"from fredapi import Fred\n\nfred = Fred(api_key='{v}')\nseries = fred.get_series('UNRATE')\n"
    ),
    "python getenv default": lambda r, v: f'import os\nKEY = os.getenv("FRED_API_KEY", "{v}")\n',
    "js const": lambda r, v: f'const FRED_KEY = "{v}";\nexport async function load() {{}}\n',
    "js fallback": lambda r, v: f'const key = process.env.FRED_API_KEY || "{v}";\n',
    "url followed by &": lambda r, v: (
        "fetch(`https://api.stlouisfed.org/fred/series/observations?series_id=UNRATE"
        f"&api_key={v}&file_type=json`)\n"
    ),
    "log line": lambda r, v: (
        f"2024-05-01T12:00:03.120Z WARN upstream_error url=https://api.stlouisfed.org/fred/series"
        f"?series_id=GDPC1&api_key={v}&file_type=json status=429\n"
    ),
    "curl": lambda r, v: (
        f'curl -s "https://api.stlouisfed.org/fred/series?series_id=CPIAUCSL&api_key={v}&file_type=json"\n'
    ),
    "docker env": lambda r, v: (
        f'FROM node:20-alpine\nENV FRED_API_KEY={v}\nCMD ["node", "server.js"]\n'
    ),
    "k8s env": lambda r, v: (
        f'env:\n  - name: FRED_API_KEY\n    value: "{v}"\n  - name: PORT\n    value: "8080"\n'
    ),
    "toml": lambda r, v: f'[fred]\napi_key = "{v}"\nseries = ["UNRATE", "GDPC1"]\n',
    "r script": lambda r, v: (
        f'library(fredr)\nfredr_set_key("{v}")\nunrate <- fredr(series_id = "UNRATE")\n'
    ),
    "html inline": lambda r, v: (
        f'<script>\n  window.config = {{ fredApiKey: "{v}" }};\n</script>\n'
    ),
    "markdown prose": lambda r, v: f"Your FRED key is {v}; keep it out of git.\n",
    "terraform": lambda r, v: (
        f'resource "aws_ssm_parameter" "fred" {{\n  name  = "/app/fred_api_key"\n  value = "{v}"\n}}\n'
    ),
    "csharp client": lambda r, v: (
        f'var client = new FredClient("{v}");\nvar s = await client.GetSeriesAsync("UNRATE");\n'
    ),
    "ecs task definition": lambda r, v: json.dumps(
        {"environment": [{"name": "FRED_API_KEY", "value": v}, {"name": "PORT", "value": "80"}]}
    ),
    "jupyter cell": lambda r, v: json.dumps({"source": [f'fred = Fred(api_key="{v}")\n']}),
    "java constant": lambda r, v: f'private static final String FRED_API_KEY = "{v}";\n',
    "github actions": lambda r, v: f"jobs:\n  build:\n    env:\n      FRED_API_KEY: {v}\n",
}

AV_TEMPLATES: dict[str, Template] = {
    ".env": lambda r, v: f"ALPHA_VANTAGE_API_KEY={v}\n",
    "url apikey=": lambda r, v: (
        f"https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=IBM&apikey={v}\n"
    ),
    "url then &": lambda r, v: (
        f"GET /query?function=TIME_SERIES_DAILY&apikey={v}&symbol=MSFT HTTP/1.1\n"
    ),
    "python client": lambda r, v: (
        "from alpha_vantage.timeseries import TimeSeries\n\n"
        f"ts = TimeSeries(key='{v}', output_format='pandas')\n"
    ),
    "json config": lambda r, v: json.dumps({"alphaVantage": {"apiKey": v}}, indent=2),
    "json provider": lambda r, v: json.dumps(
        {"provider": "alphavantage", "key": v, "symbols": ["IBM"]}
    ),
    "yaml": lambda r, v: f"quotes:\n  alpha_vantage_key: {v}\n  refresh: 60\n",
    "js const": lambda r, v: f'const AV_API_KEY = "{v}";\n',
    "cli flag": lambda r, v: f"./quotes --av-key {v} --symbol IBM\n",
    "docker-compose": lambda r, v: (
        f"services:\n  app:\n    environment:\n      - ALPHA_VANTAGE_API_KEY={v}\n"
    ),
}

AWS_TEMPLATES: dict[str, Callable[[random.Random], tuple[str, tuple[str, ...]]]] = {
    "credentials file": lambda r: (
        lambda i, s: (f"[default]\naws_access_key_id = {i}\naws_secret_access_key = {s}\n", (i, s))
    )(aws_id(r), aws_secret(r)),
    "env": lambda r: (
        lambda i, s: (
            f"AWS_ACCESS_KEY_ID={i}\nAWS_SECRET_ACCESS_KEY={s}\nAWS_REGION=us-east-1\n",
            (i, s),
        )
    )(aws_id(r), aws_secret(r)),
    "sts json": lambda r: (
        lambda i, s: (
            json.dumps(
                {"Credentials": {"AccessKeyId": i, "SecretAccessKey": s, "SessionToken": "x"}}
            ),
            (i, s),
        )
    )(aws_id(r), aws_secret(r)),
    "python boto3": lambda r: (
        lambda i, s: (
            f"s3 = boto3.client('s3', aws_access_key_id='{i}', aws_secret_access_key='{s}')\n",
            (i, s),
        )
    )(aws_id(r), aws_secret(r)),
    "id in log": lambda r: (
        lambda i: (f"auth failed for access key {i} (region eu-west-1)\n", (i,))
    )(aws_id(r)),
}

# context group -> (family, value maker, templates)
SIMPLE: dict[str, tuple[str, Callable[[random.Random], str], dict[str, Template]]] = {
    "github": (
        "github",
        github_token,
        {
            "env": lambda r, v: f"GITHUB_TOKEN={v}\n",
            "npmrc": lambda r, v: f"//npm.pkg.github.com/:_authToken={v}\n",
            "git remote": lambda r, v: f"git clone https://{v}@github.com/acme/infra.git\n",
            "header": lambda r, v: (
                f'curl -H "Authorization: token {v}" https://api.github.com/user\n'
            ),
            "yaml": lambda r, v: f"github:\n  token: {v}\n",
        },
    ),
    "github_pat": (
        "github",
        github_pat,
        {
            "env": lambda r, v: f"GH_TOKEN={v}\n",
            "json": lambda r, v: json.dumps({"auth": {"github": v}}),
        },
    ),
    "slack": (
        "slack",
        slack_token,
        {
            "env": lambda r, v: f"SLACK_BOT_TOKEN={v}\n",
            "python": lambda r, v: f'client = WebClient(token="{v}")\n',
            "yaml": lambda r, v: f"notify:\n  slack_token: '{v}'\n",
        },
    ),
    "slack_webhook": (
        "slack",
        slack_webhook,
        {
            "yaml": lambda r, v: f"alerts:\n  webhook: {v}\n",
            "curl": lambda r, v: f'curl -X POST -d \'{{"text":"deploy done"}}\' {v}\n',
        },
    ),
    "stripe": (
        "stripe",
        stripe_key,
        {
            "env": lambda r, v: f"STRIPE_SECRET_KEY={v}\n",
            "js": lambda r, v: f"const stripe = require('stripe')('{v}');\n",
        },
    ),
    "google": (
        "google",
        google_key,
        {
            "html": lambda r, v: (
                f'<script src="https://maps.googleapis.com/maps/api/js?key={v}&callback=init"></script>\n'
            ),
            "json": lambda r, v: json.dumps({"firebase": {"apiKey": v, "projectId": "acme-prod"}}),
        },
    ),
    "private_key": (
        "private_key",
        pem_block,
        {
            "key file": lambda r, v: v + "\n",
            "gcp json": lambda r, v: json.dumps(
                {"type": "service_account", "project_id": "acme", "private_key": v + "\n"}
            ),
            "yaml block": lambda r, v: (
                "tls:\n  key: |\n" + "".join(f"    {line}\n" for line in v.splitlines())
            ),
        },
    ),
    "jwt": (
        "jwt",
        jwt,
        {
            "header": lambda r, v: f"Authorization: Bearer {v}\n",
            "cookie": lambda r, v: f"Set-Cookie: session={v}; Path=/; HttpOnly\n",
            "js storage": lambda r, v: f"localStorage.setItem('token', '{v}');\n",
            "log": lambda r, v: f"2024-05-01 12:00:00 DEBUG auth token={v} user=42\n",
        },
    ),
    "url_credentials": (
        "url_credentials",
        password,
        {
            "database url": lambda r, v: (
                f"DATABASE_URL=postgres://app_user:{v}@{_host(r)}:5432/app\n"
            ),
            "mongo": lambda r, v: (
                f'MONGO_URI="mongodb+srv://svc-reader:{v}@{_host(r)}/prod?retryWrites=true"\n'
            ),
            "redis": lambda r, v: f"cache:\n  url: redis://default:{v}@{_host(r)}:6379/0\n",
            "amqp": lambda r, v: f"BROKER_URL = 'amqp://worker:{v}@{_host(r)}:5672//'\n",
        },
    ),
    "basic_auth": (
        "basic_auth",
        lambda r: base64.b64encode(f"deploy-bot:{password(r)}".encode()).decode(),
        {
            "header": lambda r, v: f"Authorization: Basic {v}\n",
            "js": lambda r, v: f"headers: {{ Authorization: 'Basic {v}' }},\n",
        },
    ),
    "bearer": (
        "bearer",
        opaque_token,
        {
            "curl": lambda r, v: (
                f'curl -H "Authorization: Bearer {v}" https://api.acme-corp.io/v1/orders\n'
            ),
            "python": lambda r, v: f'headers = {{"Authorization": "Bearer {v}"}}\n',
            "http dump": lambda r, v: (
                f"GET /v1/me HTTP/1.1\nHost: api.acme-corp.io\nAuthorization: Bearer {v}\n\n"
            ),
        },
    ),
}


def _k8s_secret(rng: random.Random, name: str, value: str) -> tuple[str, tuple[str, ...]]:
    """A Kubernetes Secret manifest: the value only base64-encoded (not encrypted)."""
    encoded = base64.b64encode(value.encode()).decode()
    text = f"apiVersion: v1\nkind: Secret\ndata:\n  {name}: {encoded}\n"
    return text, (encoded,)


def positives(seed: int = 2024, repeat: int = 4) -> list[Sample]:
    rng = random.Random(seed)
    samples: list[Sample] = []
    for _ in range(repeat):
        for name, template in FRED_TEMPLATES.items():
            value = fred_key(rng)
            samples.append(Sample("fred", name, template(rng, value), (value,)))
        for name, template in AV_TEMPLATES.items():
            value = av_key(rng)
            samples.append(Sample("alpha_vantage", name, template(rng, value), (value,)))
        text, values = _k8s_secret(rng, "FRED_API_KEY", fred_key(rng))
        samples.append(Sample("fred", "k8s secret (base64)", text, values))
        text, values = _k8s_secret(rng, "ALPHA_VANTAGE_API_KEY", av_key(rng))
        samples.append(Sample("alpha_vantage", "k8s secret (base64)", text, values))
        for name, build in AWS_TEMPLATES.items():
            text, values = build(rng)
            samples.append(Sample("aws", name, text, values))
        for kind, make, templates in SIMPLE.values():
            for name, template in templates.items():
                value = make(rng)
                # A PEM block is re-wrapped by JSON and YAML; its first body line is not.
                label = value.splitlines()[1] if kind == "private_key" else value
                samples.append(Sample(kind, name, template(rng, value), (label,)))
    return samples


# ------------------------------------------------------------------ hard negatives
def _sha(rng: random.Random, n: int) -> str:
    return _pick(rng, HEX, n)


NEGATIVES: dict[str, Callable[[random.Random], str]] = {
    "etag header": lambda r: f'HTTP/1.1 200 OK\nETag: "{_sha(r, 32)}"\nCache-Control: max-age=60\n',
    "etag json": lambda r: json.dumps({"etag": _sha(r, 32), "size": r.randrange(10**6)}),
    "md5sum output": lambda r: f"{_sha(r, 32)}  fred-dashboard-1.4.2.tar.gz\n",
    "checksum yaml": lambda r: (
        f"artifact:\n  url: https://cdn.acme-corp.io/app.tgz\n  md5: {_sha(r, 32)}\n"
    ),
    "content hash in key context": lambda r: f'api_key_hash = "{_sha(r, 32)}"\n',
    "cache key": lambda r: f'fred_cache_key = "{_sha(r, 32)}"\n',
    "key id": lambda r: f"fred_api_key_id: {_sha(r, 32)}\n",
    "commit sha": lambda r: f"commit {_sha(r, 40)}\nAuthor: Dev <dev@acme-corp.io>\n",
    "short sha": lambda r: f"deployed revision {_sha(r, 7)} (build {_sha(r, 12)})\n",
    "uuid": lambda r: f'{{"request_id": "{uuid.UUID(int=r.getrandbits(128))}"}}\n',
    "uuid no dashes": lambda r: f"X-Request-Id: {uuid.UUID(int=r.getrandbits(128)).hex}\n",
    "traceparent": lambda r: f"traceparent: 00-{_sha(r, 32)}-{_sha(r, 16)}-01\n",
    "trace id log": lambda r: (
        f"2024-05-01T12:00:00Z INFO trace_id={_sha(r, 32)} span_id={_sha(r, 16)} ok\n"
    ),
    "asset name": lambda r: f'<script src="/static/js/main.{_sha(r, 32)}.js"></script>\n',
    "chunk name": lambda r: (
        f"static/js/2.{_sha(r, 8)}.chunk.js static/css/main.{_sha(r, 20)}.css\n"
    ),
    "redacted star": lambda r: "FRED_API_KEY=***REDACTED***\napikey=****\n",
    "redacted marker": lambda r: '{"api_key": "[REDACTED]", "apikey": "<redacted>"}\n',
    "masked url": lambda r: "GET /fred/series?series_id=UNRATE&api_key=****&file_type=json 200\n",
    "placeholder your": lambda r: (
        "FRED_API_KEY=your_fred_api_key_here\nALPHA_VANTAGE_API_KEY=YOUR_KEY\n"
    ),
    "placeholder angle": lambda r: 'api_key: "<your-api-key>"\napikey=<ALPHA_VANTAGE_KEY>\n',
    "placeholder template": lambda r: (
        'FRED_API_KEY="${FRED_API_KEY}"\napi_key: {{ fred_api_key }}\n'
    ),
    "placeholder x": lambda r: "apikey=XXXXXXXXXXXXXXXX\nFRED_API_KEY=" + "x" * 32 + "\n",
    "placeholder zeros": lambda r: "FRED_API_KEY=" + "0" * 32 + "\n",
    "placeholder sequence": lambda r: (
        "FRED_API_KEY=0123456789abcdef0123456789abcdef\napikey=ABCDEFGHIJKLMNOP\n"
    ),
    "av demo key": lambda r: (
        "https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=demo\n"
    ),
    "aws docs example": lambda r: (
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    ),
    "aws user id": lambda r: (
        f'{{"UserId": "AIDA{_pick(r, string.ascii_uppercase + "234567", 17)}"}}\n'
    ),
    "github placeholder": lambda r: "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    "slack placeholder": lambda r: (
        "SLACK_BOT_TOKEN=xoxb-your-bot-token\nwebhook: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n"
    ),
    "pem header in code": lambda r: (
        'if line.startswith("-----BEGIN RSA PRIVATE KEY-----"):\n    raise ValueError("no private keys here")\n'
    ),
    "pem public key": lambda r: (
        "-----BEGIN PUBLIC KEY-----\n"
        + base64.b64encode(r.randbytes(270)).decode()[:64]
        + "\n-----END PUBLIC KEY-----\n"
    ),
    "jwt unsigned": lambda r: (
        _b64url(b'{"alg":"none","typ":"JWT"}') + "." + _b64url(b'{"sub":"123"}') + ".\n"
    ),
    "url no credentials": lambda r: f"https://{_host(r)}/api/v1/series?id=UNRATE&format=json\n",
    "url user only": lambda r: (
        f"ssh://git@github.com/acme/repo.git and https://deploy@{_host(r)}/\n"
    ),
    "url templated password": lambda r: "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app\n",
    "url placeholder password": lambda r: (
        "postgres://user:password@localhost:5432/db\nredis://:changeme@localhost\n"
    ),
    # Documentation's typed passwords at a reserved host (a generated password at an
    # example host is reported: a real one with the company's domain scrubbed).
    "url example host": lambda r: (
        "mysql://admin:s3cr3t-pa55@db.example.com/shop\n"
        f"https://alice:{r.choice(('MyP4ssw0rd', 'Hunter2Hunter2', 'letmein42'))}@example.org/\n"
    ),
    "url port not password": lambda r: "http://localhost:8080@evil.test and http://a:80@b/\n",
    "bearer placeholder": lambda r: (
        "Authorization: Bearer <token>\nAuthorization: Bearer ${API_TOKEN}\n"
    ),
    "bearer prose": lambda r: (
        "The client sends a bearer token obtained from the identity provider.\n"
    ),
    "basic prose": lambda r: (
        "Basic authentication is disabled; see the Basic configuration section.\n"
    ),
    "basic realm": lambda r: 'WWW-Authenticate: Basic realm="restricted"\n',
    "integrity sha512": lambda r: (
        f'"integrity": "sha512-{base64.b64encode(r.randbytes(64)).decode()}",\n'
    ),
    "data uri": lambda r: (
        f'<img src="data:image/png;base64,{base64.b64encode(r.randbytes(300)).decode()}">\n'
    ),
    "upper ids": lambda r: (
        f'{{"order_id": "{_pick(r, UPPER_ALNUM, 16)}", "sku": "{_pick(r, UPPER_ALNUM, 16)}"}}\n'
    ),
    "hex color and ids": lambda r: f".btn {{ color: #{_sha(r, 6)}; }} /* build {_sha(r, 32)} */\n",
    "session id": lambda r: f"Set-Cookie: sid={_sha(r, 32)}; Path=/\n",
    "api key env name": lambda r: (
        'api_key_env = "FRED_API_KEY"\nkey = os.environ["ALPHA_VANTAGE_API_KEY"]\n'
    ),
    "docs key format": lambda r: (
        "FRED keys are 32 lower-case alphanumeric characters; Alpha Vantage keys 16.\n"
    ),
    "sops encrypted": lambda r: (
        f"fred_api_key: ENC[AES256_GCM,data:{base64.b64encode(r.randbytes(32)).decode()},iv:{base64.b64encode(r.randbytes(12)).decode()},type:str]\n"
    ),
    "sealed secret": lambda r: (
        f"  encryptedData:\n    FRED_API_KEY: Ag{base64.b64encode(r.randbytes(180)).decode()}\n"
    ),
    "sha256 in key context": lambda r: f"api_key_sha256: {_sha(r, 64)}\n",
    "vault reference": lambda r: (
        "FRED_API_KEY=$(vault kv get -field=key secret/fred)\napi_key: vault:secret/data/fred#key\n"
    ),
    "docker digest": lambda r: (
        f"image: registry.acme-corp.io/fred-dashboard@sha256:{_sha(r, 64)}\n"
    ),
    "git lfs pointer": lambda r: (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{_sha(r, 64)}\nsize {r.randrange(10**7)}\n"
    ),
    "react list keys": lambda r: json.dumps(
        [{"key": _sha(r, 32), "label": "Home"}, {"key": _sha(r, 32), "label": "Series"}]
    ),
    "k8s secret reference": lambda r: (
        "env:\n  - name: FRED_API_KEY\n    valueFrom:\n      secretKeyRef:\n        name: fred\n        key: api-key\n"
    ),
}

CLEAN_FILES: tuple[str, ...] = (
    "import os\nimport json\n\n\ndef load(path):\n    with open(path) as handle:\n        return json.load(handle)\n",
    "export function render(series) {\n  return series.observations.map((o) => `${o.date}: ${o.value}`);\n}\n",
    "server {\n  listen 443 ssl;\n  ssl_certificate /etc/ssl/certs/app.pem;\n  ssl_certificate_key /etc/ssl/private/app.key;\n}\n",
    "# Runbook\n\nRotate the key with `synthcheck` after an exposure; never paste keys in tickets.\n",
    "date,value\n2024-01-01,3.7\n2024-02-01,3.9\n2024-03-01,3.8\n",
)


def negatives(seed: int = 2024, repeat: int = 4) -> list[Sample]:
    rng = random.Random(seed + 1)
    samples = [
        Sample("negative", name, make(rng))
        for _ in range(repeat)
        for name, make in NEGATIVES.items()
    ]
    samples += [Sample("negative", "clean source", text) for text in CLEAN_FILES]
    return samples


def corpus(seed: int = 2024, repeat: int = 4) -> list[Sample]:
    return positives(seed, repeat) + negatives(seed, repeat)


# ------------------------------------------------------------------ known values
def _percent(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode())


def known_value_cases(fred: str, av: str, seed: int = 2024) -> list[tuple[str, str, bool]]:
    """(what, text, must the known-value search flag it?) for two known keys."""
    rng = random.Random(seed + 2)
    cases: list[tuple[str, str, bool]] = []
    for name, key in (("fred", fred), ("av", av)):
        pad = "" if len(key) % 3 == 0 else "x"
        cases += [
            (f"{name} whole", f"debug: {key}", True),
            (f"{name} in URL then &", f"?api_key={key}&file_type=json", True),
            (f"{name} first 8", f'"key_prefix": "{key[:8]}"', True),
            (f"{name} last 9", f"...{key[-9:]}", True),
            (f"{name} middle 10", f"id={key[3:13]}", True),
            (f"{name} upper", key.upper(), True),
            (f"{name} lower", key.lower(), True),
            (f"{name} percent", _percent(key), True),
            (f"{name} percent lower", _percent(key).lower(), True),
            (f"{name} json escape", "".join(f"\\u{ord(c):04x}" for c in key), True),
            (f"{name} html dec", "".join(f"&#{ord(c)};" for c in key), True),
            (f"{name} html hex", "".join(f"&#x{ord(c):x};" for c in key), True),
            (f"{name} hex escape", "".join(f"\\x{ord(c):02x}" for c in key), True),
            (f"{name} base64 a0", base64.b64encode(key.encode()).decode(), True),
            (f"{name} base64 a1", base64.b64encode(b"k=" + key.encode()).decode(), True),
            (
                f"{name} base64 a2",
                base64.b64encode(b"key=" + key.encode() + pad.encode()).decode(),
                True,
            ),
            (
                f"{name} base64 urlsafe",
                base64.urlsafe_b64encode(b"\xfb\xff" + key.encode()).decode(),
                True,
            ),
            (f"{name} base64 of prefix", base64.b64encode(f"p={key[:12]}".encode()).decode(), True),
            (f"{name} in jwt payload", jwt_with(rng, key), True),
            (f"{name} 7 chars", f"short {key[:7]} only", False),
            (f"{name} other key same shape", f"debug: {_other(rng, key)}", False),
        ]
    return cases


def jwt_with(rng: random.Random, value: str) -> str:
    parts = [
        b'{"alg":"HS256","typ":"JWT"}',
        json.dumps({"upstream": value}).encode(),
        rng.randbytes(32),
    ]
    return ".".join(_b64url(p) for p in parts)


def _other(rng: random.Random, key: str) -> str:
    alphabet = HEX if key.islower() else UPPER_ALNUM
    while True:
        other = _pick(rng, alphabet, len(key))
        if all(other[i : i + 8].lower() not in key.lower() for i in range(len(other) - 7)):
            return other
