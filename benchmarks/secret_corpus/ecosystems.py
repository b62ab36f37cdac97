# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Files of other ecosystems: .NET web.config, Spring application.properties, Maven
settings.xml, ~/.aws/credentials, ~/.docker/config.json, .git-credentials, and a JWT
signing key pasted into a .env with escaped newlines."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, unescape

from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.model import DECOY, POSITIVE, Doc, Item
from benchmarks.secret_corpus.plant import SERVICES, mixed_pairs

__all__ = [
    "aws_credentials",
    "docker_config",
    "env_pem",
    "git_credentials",
    "maven_settings",
    "spring_properties",
    "web_config",
]


def _xml(item: Item, written: str) -> tuple[str, Item]:
    """The value as an XML attribute or text holds it; an escaped value gets its own form."""
    shown = escape(written, {'"': "&quot;"})
    if shown != written and item.kind == POSITIVE:
        item = Item(item.family, item.kind, "xml_escaped", item.value)
    return shown, item


def _unescape(shown: str) -> str:
    return unescape(shown, {"&quot;": '"'})


def _dotted(name: str) -> str:
    return name.lower().replace("_", ".")


def web_config(p: Planner, i: int) -> Doc:
    doc = Doc(f"dotnet/{p.rng.choice(SERVICES)}-{i}/Web.config")
    doc.add('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>')
    for pair in mixed_pairs(p, p.rng.randrange(1, 3), 1):
        value, item = _xml(pair.item, pair.value)
        key = "".join(part.title() for part in pair.name.lower().split("_"))
        doc.put(f'    <add key="{key}" value="{value}" />', value, item)
    doc.add(
        '    <add key="webpages:Version" value="3.0.0.0" />\n  </appSettings>\n  <connectionStrings>'
    )
    if p.rng.random() < 0.7:
        p.pick_family(("password",))
        shown, item = _xml(p.positive("password"), p.value("password").replace(";", ""))
        item = Item(item.family, item.kind, item.form, _unescape(shown))
        text = f'    <add name="FredDb" connectionString="Server=sql01.internal;Database=fred;User Id=fred_app;Password={shown};" providerName="System.Data.SqlClient" />'
        doc.put(text, shown, item)
    else:
        value = "Integrated Security=SSPI"
        doc.put(
            f'    <add name="FredDb" connectionString="Server=sql01.internal;Database=fred;{value};" />',
            value,
            Item("password", DECOY, "no_password", value),
        )
    doc.add("  </connectionStrings>\n</configuration>")
    return doc


def spring_properties(p: Planner, i: int) -> Doc:
    doc = Doc(f"java/{p.rng.choice(SERVICES)}-{i}/src/main/resources/application.properties")
    doc.add(
        "server.port=8080\nspring.application.name=fred-ingest\nspring.datasource.url=jdbc:postgresql://db.internal:5432/fred"
    )
    doc.add("spring.datasource.username=fred_app")
    if p.rng.random() < 0.6:
        p.pick_family(("password",))
        item = p.positive("password")
        doc.put(f"spring.datasource.password={item.value}", item.value, item)
    else:
        value = "${DB_PASSWORD}"
        doc.put(
            f"spring.datasource.password={value}",
            value,
            Item("password", DECOY, "placeholder", value),
        )
    for pair in mixed_pairs(p, p.rng.randrange(1, 3), 1):
        doc.put(f"{_dotted(pair.name)}={pair.value}", pair.value, pair.item)
    doc.add("management.endpoints.web.exposure.include=health,info\nlogging.level.root=INFO")
    return doc


def maven_settings(p: Planner, i: int) -> Doc:
    doc = Doc(f"java/ci-{i}/settings.xml")
    doc.add(
        '<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">\n  <servers>\n    <server>\n      <id>corp-releases</id>\n      <username>ci-deployer</username>'
    )
    p.pick_family(("password",))
    shown, item = _xml(p.positive("password"), p.value("password"))
    item = Item(item.family, item.kind, item.form, _unescape(shown))
    doc.put(f"      <password>{shown}</password>", shown, item)
    doc.add(
        "    </server>\n    <server>\n      <id>corp-snapshots</id>\n      <username>${env.MAVEN_USER}</username>"
    )
    value = "${env.MAVEN_PASSWORD}"
    doc.put(
        f"      <password>{value}</password>", value, Item("password", DECOY, "placeholder", value)
    )
    doc.add("    </server>\n  </servers>\n</settings>")
    return doc


def aws_credentials(p: Planner, i: int) -> Doc:
    doc = Doc(f"home-{i}/.aws/credentials")
    for profile in ("default", p.rng.choice(("deploy", "fred-prod", "readonly"))):
        doc.add(f"[{profile}]")
        p.pick_family(("aws_access_key_id",))
        kid = p.positive("aws_access_key_id")
        doc.put(f"aws_access_key_id = {kid.value}", kid.value, kid)
        p.pick_family(("aws_secret_key",))
        sec = p.positive("aws_secret_key")
        doc.put(f"aws_secret_access_key = {sec.value}", sec.value, sec)
        doc.add("region = us-east-1\n")
    return doc


def docker_config(p: Planner, i: int) -> Doc:
    doc = Doc(f"home-{i}/.docker/config.json")
    p.pick_family(("basic_auth",))
    secret = f"ci-bot:{p.tok.password()}"
    blob = base64.b64encode(secret.encode()).decode()
    item = Item("basic_auth", POSITIVE, "base64_value", secret)
    doc.add('{\n  "auths": {\n    "registry.example.com": {')
    doc.put(f'      "auth": "{blob}"', blob, item)
    doc.add('    },\n    "https://index.docker.io/v1/": {}\n  },\n  "credsStore": "desktop",')
    doc.add('  "currentContext": "default"\n}')
    return doc


def git_credentials(p: Planner, i: int) -> Doc:
    doc = Doc(f"home-{i}/.git-credentials")
    family = p.pick_family(("github_token", "gitlab_token", "url_credentials"))
    item = p.positive(family)
    host = {"github_token": "github.com", "gitlab_token": "gitlab.com"}.get(
        family, "git.example.com"
    )
    user = {"github_token": "x-access-token", "gitlab_token": "oauth2"}.get(family, "deploy")
    doc.put(f"https://{user}:{item.value}@{host}", item.value, item)
    return doc


def env_pem(p: Planner, i: int) -> Doc:
    """A signing key pasted into .env with \\n escapes, a public key beside it."""
    doc = Doc(f"auth-{i}/.env")
    doc.add("JWT_ISSUER=https://auth.example.org\nJWT_AUDIENCE=fred-api")
    p.pick_family(("private_key",))
    pem = p.tok.private_key(p.rng.choice(("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY")))
    escaped = pem.replace("\n", "\\n")
    doc.put(
        f'JWT_PRIVATE_KEY="{escaped}"',
        escaped[:40],
        Item("private_key", POSITIVE, "json_escaped", pem),
    )
    public = "-----BEGIN PUBLIC KEY-----\\n" + p.tok.b64(200) + "\\n-----END PUBLIC KEY-----"
    doc.put(
        f'JWT_PUBLIC_KEY="{public}"', public[:40], Item("private_key", DECOY, "public_key", public)
    )
    if p.rng.random() < 0.5:
        p.pick_family(("basic_auth",))
        secret = f"metrics:{p.tok.password()}"
        blob = base64.b64encode(secret.encode()).decode()
        doc.put(
            f'METRICS_AUTH_HEADER="Basic {blob}"',
            blob,
            Item("basic_auth", POSITIVE, "base64_value", secret),
        )
    return doc
