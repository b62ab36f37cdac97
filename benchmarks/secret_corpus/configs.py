# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Application configuration: .env, YAML, TOML, JSON, .npmrc, .pypirc, PEM files and
service-account JSON."""

from __future__ import annotations

import base64

from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.model import DECOY, Doc, Item
from benchmarks.secret_corpus.plant import SERVICES, mixed_pairs, plant_pairs, quote_if_needed

__all__ = [
    "dotenv",
    "json_app",
    "npmrc",
    "pem_file",
    "pypirc",
    "service_account",
    "toml_app",
    "yaml_app",
]


def _svc(p: Planner) -> str:
    return p.rng.choice(SERVICES)


def dotenv(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    path = p.rng.choice((f"{svc}-{i}/.env", f"{svc}-{i}/.env.production", f"deploy/{svc}-{i}.env"))
    doc = Doc(path)
    doc.add(f"# {svc} settings (production)\n# loaded by docker compose / systemd EnvironmentFile")
    pairs = mixed_pairs(p, p.rng.randrange(2, 5), p.rng.randrange(1, 4))
    plant_pairs(doc, p, pairs, lambda n, v: f"{n}={quote_if_needed(v, chr(39))}")
    return doc


def _yaml_key(name: str) -> str:
    return name.lower()


def yaml_app(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"{svc}-{i}/config/{p.rng.choice(('production', 'settings', 'app'))}.yaml")
    doc.add(f"app:\n  name: {svc}\n  port: 8080\n  workers: 4\nlogging:\n  level: info")
    if p.rng.random() < 0.6:
        family = p.pick_family(("fred", "alpha_vantage"))
        item = p.positive(family, "next_line" if p.rng.random() < 0.4 else "plain")
        section = "fred" if family == "fred" else "alpha_vantage"
        doc.add(
            f"{section}:\n  base_url: https://{'api.stlouisfed.org/fred' if family == 'fred' else 'www.alphavantage.co/query'}"
        )
        if item.form == "next_line":
            doc.put(f"  api_key: >-\n    {item.value}", item.value, item, tolerance=1)
        else:
            doc.put(f'  api_key: "{item.value}"', item.value, item)
    doc.add("credentials:")
    pairs = mixed_pairs(p, p.rng.randrange(1, 4), p.rng.randrange(1, 3))
    plant_pairs(doc, p, pairs, lambda n, v: f'  {_yaml_key(n)}: "{v}"', filler=2)
    return doc


def toml_app(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"{svc}-{i}/{p.rng.choice(('config.toml', 'settings.toml', 'secrets.toml'))}")
    doc.add(f'[service]\nname = "{svc}"\nport = 8080\n')
    family = p.pick_family(("fred", "alpha_vantage"))
    item = p.positive(family, "toml")
    section = "fred" if family == "fred" else "alphavantage"
    doc.add(f"[{section}]\ntimeout_s = 10")
    doc.put(f'api_key = "{item.value}"', item.value, item)
    doc.add("\n[secrets]")
    pairs = mixed_pairs(p, p.rng.randrange(1, 3), p.rng.randrange(1, 3))
    plant_pairs(doc, p, pairs, lambda n, v: f'{n.lower()} = "{v}"', filler=1)
    return doc


def _camel(name: str) -> str:
    head, *rest = name.lower().split("_")
    return head + "".join(part.title() for part in rest)


def json_app(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"{svc}-{i}/config/{p.rng.choice(('default', 'production', 'local'))}.json")
    doc.add('{\n  "service": "' + svc + '",\n  "port": 8080,\n  "secrets": {')
    pairs = mixed_pairs(p, p.rng.randrange(2, 4), p.rng.randrange(1, 3))
    for pair in pairs:
        value = pair.value.replace("\\", "\\\\").replace('"', '\\"')
        doc.put(f'    "{_camel(pair.name)}": "{value}",', value, pair.item)
    doc.add('    "region": "us-east-1"\n  }\n}')
    return doc


def npmrc(p: Planner, i: int) -> Doc:
    doc = Doc(f"web-{i}/.npmrc")
    doc.add("registry=https://registry.npmjs.org/\n@example:registry=https://npm.pkg.example.com/")
    style = p.rng.randrange(3)
    if style == 0:
        p.pick_family(("npm_token",))
        item = p.positive("npm_token")
        doc.put(f"//registry.npmjs.org/:_authToken={item.value}", item.value, item)
    elif style == 1:
        p.pick_family(("npmrc_auth",))
        item = p.positive("npmrc_auth")
        doc.put(f"//npm.pkg.example.com/:_authToken={item.value}", item.value, item)
    else:
        p.pick_family(("npmrc_auth",))
        secret = f"ci-publisher:{p.tok.password()}"
        blob = base64.b64encode(secret.encode()).decode()
        item = Item("npmrc_auth", "positive", "base64_value", secret)
        doc.put(f"//nexus.example.com/repository/npm-private/:_auth={blob}", blob, item)
    decoy = "${NPM_TOKEN}"
    doc.put(
        f"//npm.pkg.github.com/:_authToken={decoy}",
        decoy,
        Item("npm_token", DECOY, "placeholder", decoy),
    )
    doc.add("always-auth=true\nengine-strict=true")
    return doc


def pypirc(p: Planner, i: int) -> Doc:
    doc = Doc(f"pkg-{i}/.pypirc")
    doc.add("[distutils]\nindex-servers =\n    pypi\n    testpypi\n\n[pypi]\nusername = __token__")
    p.pick_family(("pypi_token",))
    item = p.positive("pypi_token")
    doc.put(f"password = {item.value}", item.value, item)
    decoy = p.rng.choice(("<your-testpypi-token>", "pypi-AgEIcHlwaS5vcmc...", "${TEST_PYPI_TOKEN}"))
    doc.add("\n[testpypi]\nrepository = https://test.pypi.org/legacy/\nusername = __token__")
    doc.put(f"password = {decoy}", decoy, Item("pypi_token", DECOY, "placeholder", decoy))
    return doc


def pem_file(p: Planner, i: int) -> Doc:
    if p.rng.random() < 0.7:
        p.pick_family(("private_key",))
        item = p.positive("private_key")
        name = p.rng.choice(("id_rsa", "deploy_key", "server.key", "jwt-signing.pem", "id_ed25519"))
        doc = Doc(f"deploy/keys-{i}/{name}")
        doc.put(item.value, item.value.split("\n")[0], item, tolerance=1)
        return doc
    doc = Doc(f"deploy/certs-{i}/{p.rng.choice(('ca.crt', 'server.pub', 'id_rsa.pub'))}")
    if doc.path.endswith(".crt"):
        body = p.tok.b64(600)
        rows = "\n".join(body[k : k + 64] for k in range(0, len(body), 64))
        text = f"-----BEGIN CERTIFICATE-----\n{rows}\n-----END CERTIFICATE-----"
        doc.put(
            text, "-----BEGIN CERTIFICATE-----", Item("private_key", DECOY, "public_key", text), 1
        )
    else:
        blob = "AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + p.tok.b64(300)
        text = f"ssh-rsa {blob} deploy@ci"
        doc.put(text, blob, Item("private_key", DECOY, "public_key", text))
    return doc


def service_account(p: Planner, i: int) -> Doc:
    doc = Doc(f"gcp-{i}/service-account.json")
    p.pick_family(("private_key",))
    pem = p.tok.private_key("PRIVATE KEY")
    item = Item("private_key", "positive", "json_escaped", pem)
    escaped = pem.replace("\n", "\\n") + "\\n"
    project = f"fred-dash-{p.tok.hex(6)}"
    doc.add('{\n  "type": "service_account",\n  "project_id": "' + project + '",')
    doc.put(f'  "private_key": "{escaped}",', escaped[:60], item)
    doc.add(
        f'  "client_email": "exporter@{project}.iam.gserviceaccount.com",\n'
        f'  "client_id": "{p.rng.randrange(10**20, 10**21)}",\n'
        '  "token_uri": "https://oauth2.googleapis.com/token"\n}'
    )
    return doc
