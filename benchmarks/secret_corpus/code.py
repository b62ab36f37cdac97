# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Source files: Python clients and Django settings, JavaScript, shell scripts, notebooks,
and test fixtures that are clearly fake."""

from __future__ import annotations

import json

from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.forms import SERIES, api_url
from benchmarks.secret_corpus.model import DECOY, POSITIVE, Doc, Item
from benchmarks.secret_corpus.plant import SERVICES, mixed_pairs

__all__ = [
    "django_settings",
    "js_module",
    "notebook",
    "python_module",
    "shell_script",
    "test_fixture",
]


def python_module(p: Planner, i: int) -> Doc:
    doc = Doc(f"src/{p.rng.choice(('fredclient', 'quotes', 'ingest'))}_{i}/client.py")
    doc.add(
        '"""Thin client for the upstream data APIs."""\n\nimport hashlib\nimport os\n\nimport requests\n'
    )
    family = p.pick_family(("fred", "alpha_vantage"))
    item = p.positive(family)
    env = "FRED_API_KEY" if family == "fred" else "ALPHA_VANTAGE_API_KEY"
    style = p.rng.randrange(3)
    if style == 0:
        doc.put(f'API_KEY = os.environ.get("{env}", "{item.value}")', item.value, item)
    elif style == 1:
        doc.put(f'{env} = "{item.value}"  # TODO move to vault', item.value, item)
    else:
        doc.add("\ndef session_params() -> dict[str, str]:")
        param = "api_key" if family == "fred" else "apikey"
        doc.put(f'    return {{"{param}": "{item.value}", "file_type": "json"}}', item.value, item)
    digest = p.tok.sha256()
    doc.put(
        f'\nEXPECTED_SHA256 = "{digest}"  # pinned dataset snapshot',
        digest,
        Item("generic", DECOY, "hash", digest),
    )
    decoy = f'os.environ["{env}"]'
    doc.put(f"KEY_FROM_ENV = {decoy}", decoy, Item(family, DECOY, "placeholder", decoy))
    if p.rng.random() < 0.6:
        pair = p.pair()
        doc.put(f'{pair.name} = "{pair.value}"', pair.value, pair.item)
    if p.rng.random() < 0.4:
        p.pick_family(("aws_access_key_id",))
        kid = p.positive("aws_access_key_id")
        p.pick_family(("aws_secret_key",))
        sec = p.positive("aws_secret_key")
        doc.add('\ns3 = boto3.client(\n    "s3",')
        doc.put(f'    aws_access_key_id="{kid.value}",', kid.value, kid)
        doc.put(f'    aws_secret_access_key="{sec.value}",', sec.value, sec)
        doc.add(")")
    doc.add(
        "\n\ndef cache_key(series_id: str) -> str:\n"
        '    return "fred:" + hashlib.md5(series_id.encode()).hexdigest()\n\n\n'
        "def observations(series_id: str) -> dict:\n"
        '    """api_key: your 32-character FRED key (https://fred.stlouisfed.org/docs/api/api_key.html)."""\n'
        '    return requests.get(BASE + "/series/observations", params={"series_id": series_id}, timeout=10).json()'
    )
    return doc


def django_settings(p: Planner, i: int) -> Doc:
    doc = Doc(f"site_{i}/settings/{p.rng.choice(('production', 'base', 'staging'))}.py")
    doc.add("from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n")
    if p.rng.random() < 0.7:
        p.pick_family(("django_secret_key",))
        item = p.positive("django_secret_key")
        doc.put(f"SECRET_KEY = '{item.value}'", item.value, item)
    else:
        decoy = "os.environ['DJANGO_SECRET_KEY']"
        doc.put(
            f"SECRET_KEY = {decoy}", decoy, Item("django_secret_key", DECOY, "placeholder", decoy)
        )
    doc.add(
        "DEBUG = False\nALLOWED_HOSTS = ['fred.example.org']\n\nDATABASES = {\n    'default': {"
    )
    doc.add(
        "        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'fred',\n        'USER': 'fred_app',"
    )
    if p.rng.random() < 0.6:
        p.pick_family(("password",))
        pw = p.positive("password")
        doc.put(f"        'PASSWORD': '{pw.value}',", pw.value, pw)
    else:
        decoy = "os.environ.get('DB_PASSWORD', '')"
        doc.put(
            f"        'PASSWORD': {decoy},", decoy, Item("password", DECOY, "placeholder", decoy)
        )
    doc.add("        'HOST': 'db.internal',\n        'PORT': 5432,\n    }\n}\n")
    doc.add(
        "AUTH_PASSWORD_VALIDATORS = [\n    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},\n]"
    )
    doc.add("PASSWORD_RESET_TIMEOUT = 259200\nSTATIC_URL = '/static/'")
    return doc


def js_module(p: Planner, i: int) -> Doc:
    doc = Doc(
        f"web/src/{p.rng.choice(('api', 'services', 'lib'))}-{i}/{p.rng.choice(('config.js', 'quotes.ts', 'client.mjs'))}"
    )
    doc.add("import axios from 'axios';\n")
    family = p.pick_family(("alpha_vantage", "fred", "google_api_key", "stripe_key"))
    item = p.positive(family)
    if family in ("alpha_vantage", "fred"):
        env = "ALPHA_VANTAGE_API_KEY" if family == "alpha_vantage" else "FRED_API_KEY"
        doc.put(f"const apiKey = process.env.{env} || '{item.value}';", item.value, item)
    elif family == "google_api_key":
        doc.put(f'export const MAPS_KEY = "{item.value}";', item.value, item)
    else:
        doc.put(f"const stripe = require('stripe')('{item.value}');", item.value, item)
    decoy = "${apiKey}"
    doc.put(
        f"const url = `https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=${{symbol}}&apikey={decoy}`;",
        decoy,
        Item("alpha_vantage", DECOY, "placeholder", decoy),
    )
    build = p.tok.build_id()
    doc.put(
        f"export const BUILD_ID = '{build}';",
        build,
        Item("alpha_vantage", DECOY, "build_id", build),
    )
    if p.rng.random() < 0.5:
        pair = p.pair()
        doc.put(f"  {pair.name.lower()}: '{pair.value}',", pair.value, pair.item)
    doc.add(
        "\nexport async function quote(symbol) {\n  const { data } = await axios.get(url, { timeout: 5000 });\n  return data['Global Quote'];\n}"
    )
    return doc


def shell_script(p: Planner, i: int) -> Doc:
    doc = Doc(f"scripts/{p.rng.choice(('fetch', 'release', 'backfill', 'rotate'))}-{i}.sh")
    doc.add("#!/usr/bin/env bash\nset -euo pipefail\n")
    for pair in mixed_pairs(p, p.rng.randrange(1, 3), 1):
        doc.put(f'export {pair.name}="{pair.value}"', pair.value, pair.item)
    doc.add(
        'curl -fsS "https://api.stlouisfed.org/fred/series/observations?series_id=UNRATE&api_key=${FRED_API_KEY}&file_type=json" -o data/unrate.json'
    )
    if p.rng.random() < 0.6:
        p.pick_family(("token_header",))
        item = p.positive("token_header")
        header = p.rng.choice(("X-Api-Token", "X-Auth-Token", "Authorization: Bearer"))
        sep = " " if header.endswith("Bearer") else ": "
        doc.put(
            f'curl -fsS -H "{header}{sep}{item.value}" https://internal.example.org/v1/refresh',
            item.value,
            item,
        )
    if p.rng.random() < 0.5:
        p.pick_family(("dockerhub_token",))
        item = p.positive("dockerhub_token")
        doc.put(f'echo "{item.value}" | docker login -u ci-bot --password-stdin', item.value, item)
    digest = p.tok.sha256()
    doc.put(
        f'echo "{digest}  dist/app.tar.gz" | sha256sum -c -',
        digest,
        Item("generic", DECOY, "hash", digest),
    )
    return doc


def notebook(p: Planner, i: int) -> Doc:
    doc = Doc(f"notebooks/{p.rng.choice(SERIES).lower()}-analysis-{i}.ipynb")
    family = p.pick_family(("fred", "alpha_vantage"))
    item = p.positive(family, "json_escaped")
    env = "FRED_API_KEY" if family == "fred" else "ALPHA_VANTAGE_API_KEY"
    doc.add('{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 1,')
    doc.add(f'   "id": "{p.tok.hex(8)}",\n   "metadata": {{}},\n   "outputs": [],\n   "source": [')
    doc.add('    "import os\\n",\n    "import pandas as pd\\n",')
    doc.put(f'    "os.environ[\\"{env}\\"] = \\"{item.value}\\"\\n",', item.value, item)
    doc.add(
        '    "df = load()"\n   ]\n  },\n  {\n   "cell_type": "code",\n   "execution_count": 2,\n   "metadata": {},\n   "outputs": [\n    {'
    )
    image = p.tok.image_data(900).removeprefix("data:image/png;base64,")
    doc.add('     "data": {')
    doc.put(
        f'      "image/png": "{image}",', image[:40], Item("generic", DECOY, "image_data", image)
    )
    doc.add(
        '      "text/plain": ["<Figure size 640x480 with 1 Axes>"]\n     },\n     "output_type": "display_data"\n    }'
    )
    if p.rng.random() < 0.5:
        url = json.dumps(api_url(family, p.positive(family).value, p.rng))[1:-1]
        key = url.split("api_key=" if family == "fred" else "apikey=")[1].split("&")[0]
        item2 = Item(family, POSITIVE, "json_escaped", key)
        doc.add('    ,{\n     "name": "stdout",\n     "output_type": "stream",\n     "text": [')
        doc.put(f'      "GET {url} -> 200\\n"', key, item2)
        doc.add("     ]\n    }")
    doc.add(
        '   ],\n   "source": ["df.plot()"]\n  }\n ],\n "metadata": {"kernelspec": {"name": "python3"}},\n "nbformat": 4,\n "nbformat_minor": 5\n}'
    )
    return doc


def test_fixture(p: Planner, i: int) -> Doc:
    doc = Doc(f"tests/{p.rng.choice(SERVICES).replace('-', '_')}_{i}/test_client.py")
    doc.add(
        '"""Unit tests; every key below is a fake fixture value, never a real credential."""\n\nimport pytest\n'
    )
    fakes = [
        (
            'FAKE_FRED_KEY = "deadbeefdeadbeefdeadbeefdeadbeef"  # fake',
            "deadbeefdeadbeefdeadbeefdeadbeef",
            "fred",
        ),
        ('FAKE_AV_KEY = "TESTKEY000000000"  # fake', "TESTKEY000000000", "alpha_vantage"),
        (
            'DUMMY_TOKEN = "ghp_000000000000000000000000000000000000"  # not a real token',
            "ghp_000000000000000000000000000000000000",
            "github_token",
        ),
        (
            'STRIPE_TEST_KEY = "sk_test_fake_not_a_real_key"',
            "sk_test_fake_not_a_real_key",
            "stripe_key",
        ),
        ('EXAMPLE_JWT = "header.payload.signature"', "header.payload.signature", "jwt"),
    ]
    for line, value, family in p.rng.sample(fakes, 3):
        doc.put(line, value, Item(family, DECOY, "fixture", value))
    doc.add(
        "\n\n@pytest.fixture\ndef api_key() -> str:\n    return 'test-api-key'\n\n\n"
        "def test_rejects_bad_key(api_key):\n    assert api_key != 'your-api-key-here'"
    )
    return doc
