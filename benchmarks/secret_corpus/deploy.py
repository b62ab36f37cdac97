# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Deployment files: Kubernetes Deployment and Secret manifests, docker-compose, GitHub
Actions workflows, Dockerfiles and Terraform."""

from __future__ import annotations

import base64

from benchmarks.secret_corpus.families import Pair, Planner
from benchmarks.secret_corpus.model import DECOY, Doc, Item
from benchmarks.secret_corpus.plant import SERVICES, mixed_pairs, plant_pairs, quote_if_needed

__all__ = ["compose", "dockerfile", "gha_workflow", "k8s_deployment", "k8s_secret", "terraform"]


def _svc(p: Planner) -> str:
    return p.rng.choice(SERVICES)


def k8s_deployment(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"k8s/{svc}-{i}/deployment.yaml")
    digest = p.tok.sha256()
    doc.add(
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {svc}\n  labels:\n"
        f"    app: {svc}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n"
        f"        - name: {svc}"
    )
    doc.put(
        f"          image: ghcr.io/example/{svc}@sha256:{digest}",
        digest,
        Item("generic", DECOY, "hash", digest),
    )
    doc.add("          env:")
    for pair in mixed_pairs(p, p.rng.randrange(1, 4), p.rng.randrange(1, 3)):
        item = pair.item
        if item.kind != DECOY:
            item = Item(item.family, item.kind, "next_line", item.value)
        doc.add(f"            - name: {pair.name}")
        doc.put(f'              value: "{pair.value}"', pair.value, item, tolerance=1)
    doc.add(
        "            - name: FRED_API_KEY_FROM_SECRET\n              valueFrom:\n"
        "                secretKeyRef:\n                  name: fred\n                  key: api-key"
    )
    return doc


def k8s_secret(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"k8s/{svc}-{i}/secret.yaml")
    doc.add(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-env\ntype: Opaque\ndata:")
    pairs = [*mixed_pairs(p, p.rng.randrange(1, 4), 0), _stored_decoy(p)]
    p.rng.shuffle(pairs)
    for pair in pairs:
        blob = base64.b64encode(pair.value.encode()).decode()
        item = pair.item
        if item.kind != DECOY:
            item = Item(item.family, item.kind, "base64_value", item.value)
        doc.put(f"  {pair.name}: {blob}", blob, item)
    doc.add("stringData:")
    for pair in mixed_pairs(p, 1, 1):
        doc.put(f'  {pair.name}: "{pair.value}"', pair.value, pair.item)
    return doc


def _stored_decoy(p: Planner) -> Pair:
    """A look-alike that is really stored in a Secret (no template syntax, nothing masked)."""
    while True:
        pair = p.decoy_pair()
        if pair.item.form != "masked" and not pair.value.startswith(("$", "<")):
            return pair


def compose(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"{svc}-{i}/docker-compose.yml")
    digest = p.tok.sha256()
    doc.add(f"services:\n  {svc}:")
    doc.put(
        f"    image: example/{svc}@sha256:{digest}", digest, Item("generic", DECOY, "hash", digest)
    )
    doc.add('    restart: unless-stopped\n    ports:\n      - "8080:8080"\n    environment:')
    list_style = p.rng.random() < 0.5
    pairs = mixed_pairs(p, p.rng.randrange(2, 4), p.rng.randrange(1, 3))
    if list_style:
        plant_pairs(doc, p, pairs, lambda n, v: f"      - {n}={v}", filler=2)
    else:
        plant_pairs(doc, p, pairs, lambda n, v: f'      {n}: "{v}"', filler=2)
    doc.add('  redis:\n    image: redis:7.2-alpine\n    command: ["redis-server", "--save", ""]')
    return doc


def gha_workflow(p: Planner, i: int) -> Doc:
    doc = Doc(f".github/workflows/{p.rng.choice(('ci', 'deploy', 'nightly'))}-{i}.yml")
    sha = p.tok.sha1()
    doc.add(
        "name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:"
    )
    for name in p.rng.sample(
        ("FRED_API_KEY", "ALPHA_VANTAGE_API_KEY", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN"), 2
    ):
        value = "${{ secrets." + name + " }}"
        family = {"FRED_API_KEY": "fred", "ALPHA_VANTAGE_API_KEY": "alpha_vantage"}.get(
            name, "generic"
        )
        doc.put(f"      {name}: {value}", value, Item(family, DECOY, "placeholder", value))
    pair = p.pair()
    doc.put(f'      {pair.name}: "{pair.value}"', pair.value, pair.item)
    doc.add("    steps:")
    doc.put(
        f"      - uses: actions/checkout@{sha} # v4.2.2", sha, Item("generic", DECOY, "hash", sha)
    )
    doc.add(
        "      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n"
        "      - run: pip install -r requirements.txt\n      - run: ./scripts/deploy-verify.sh --env=production"
    )
    return doc


def dockerfile(p: Planner, i: int) -> Doc:
    svc = _svc(p)
    doc = Doc(f"{svc}-{i}/Dockerfile")
    digest = p.tok.sha256()
    doc.put(
        f"FROM python:3.12-slim@sha256:{digest} AS base",
        digest,
        Item("generic", DECOY, "hash", digest),
    )
    doc.add("WORKDIR /app\nCOPY requirements.txt .")
    if p.rng.random() < 0.5:
        p.pick_family(("url_credentials",))
        item = p.positive("url_credentials")
        url = f"https://build:{item.value}@pypi.example.com/simple/"
        doc.put(f"ARG PIP_INDEX_URL={url}", url, item)
    doc.add("RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .")
    pairs = mixed_pairs(p, p.rng.randrange(1, 3), 1)
    plant_pairs(doc, p, pairs, lambda n, v: f"ENV {n}={quote_if_needed(v)}", filler=1)
    doc.add('EXPOSE 8080\nCMD ["gunicorn", "app:create_app()", "-b", "0.0.0.0:8080"]')
    return doc


def terraform(p: Planner, i: int) -> Doc:
    doc = Doc(f"infra/{_svc(p)}-{i}/main.tf")
    doc.add(
        'terraform {\n  required_version = ">= 1.6"\n}\n\nprovider "aws" {\n  region     = "us-east-1"'
    )
    if p.rng.random() < 0.6:
        p.pick_family(("aws_access_key_id",))
        key_id = p.positive("aws_access_key_id")
        doc.put(f'  access_key = "{key_id.value}"', key_id.value, key_id)
        p.pick_family(("aws_secret_key",))
        secret = p.positive("aws_secret_key")
        doc.put(f'  secret_key = "{secret.value}"', secret.value, secret)
    doc.add("}\n")
    pair = p.pair()
    var = pair.name.lower()
    doc.add(f'variable "{var}" {{\n  type      = string\n  sensitive = true')
    doc.put(f'  default   = "{pair.value}"', pair.value, pair.item)
    doc.add("}\n")
    blob = base64.b64encode(bytes.fromhex(p.tok.sha256())).decode()
    doc.add(
        'resource "aws_lambda_function" "fetch" {\n  function_name    = "fred-fetch"\n  filename         = "build/fetch.zip"'
    )
    doc.put(f'  source_code_hash = "{blob}"', blob, Item("generic", DECOY, "hash", blob))
    doc.add('  runtime          = "python3.12"\n}')
    return doc
