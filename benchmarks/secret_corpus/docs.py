# ruff: noqa: E501  (templates reproduce the long lines of the real files they imitate)
"""Text people keep beside the code: README/docs with curl commands, CSV exports of keys,
HAR captures of a browser session."""

from __future__ import annotations

import base64

from benchmarks.secret_corpus.families import Planner
from benchmarks.secret_corpus.forms import SERIES, api_url
from benchmarks.secret_corpus.model import DECOY, POSITIVE, Doc, Item

__all__ = ["csv_export", "docs_md", "har"]


def docs_md(p: Planner, i: int) -> Doc:
    doc = Doc(f"docs/{p.rng.choice(('quickstart', 'api', 'operations', 'README'))}-{i}.md")
    doc.add("# Fetching data\n\nGet a FRED API key (a 32-character lower-case hex string) from")
    doc.add(
        "https://fred.stlouisfed.org/docs/api/api_key.html and export it before running:\n\n```bash"
    )
    decoy = p.rng.choice(("<your key>", "YOUR_FRED_API_KEY", "abcdefghijklmnopqrstuvwxyz123456"))
    doc.put(f"export FRED_API_KEY={decoy}", decoy, Item("fred", DECOY, "placeholder", decoy))
    doc.add("```\n\nQuick check against the upstream:\n\n```bash")
    family = p.pick_family(
        ("fred", "alpha_vantage", "twilio", "openai_key", "sendgrid_key", "slack_webhook")
    )
    item = p.positive(family)
    if family in ("fred", "alpha_vantage"):
        item = Item(family, POSITIVE, "url", item.value)
        doc.put(f'curl "{api_url(family, item.value, p.rng)}"', item.value, item)
    elif family == "twilio":
        sid = p.tok.twilio_sid()
        doc.put(
            f"curl -X POST https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json -u {sid}:{item.value}",
            item.value,
            item,
        )
    elif family == "openai_key":
        doc.put(
            f'curl https://api.openai.com/v1/models -H "Authorization: Bearer {item.value}"',
            item.value,
            item,
        )
    elif family == "sendgrid_key":
        doc.put(
            f'curl --request POST https://api.sendgrid.com/v3/mail/send --header "Authorization: Bearer {item.value}"',
            item.value,
            item,
        )
    else:
        doc.put(
            f"curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"deploy done\"}}' {item.value}",
            item.value,
            item,
        )
    doc.add("```\n\nThe Alpha Vantage demo key only works for IBM:\n\n```bash")
    demo = "demo"
    doc.put(
        f'curl "https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=IBM&apikey={demo}"',
        "apikey=demo",
        Item("alpha_vantage", DECOY, "placeholder", demo),
    )
    if p.rng.random() < 0.4:
        doc.add("```\n\nBasic auth works too (the docs' example credentials):\n\n```http")
        creds = p.rng.choice(("user:password", "Aladdin:open sesame", "username:password"))
        example = base64.b64encode(creds.encode()).decode()
        doc.put(
            f"Authorization: Basic {example}",
            example,
            Item("basic_auth", DECOY, "placeholder", example),
        )
    doc.add(
        "```\n\nNever commit keys; the scanner runs in CI (`synthcheck scan .`). A leaked key must be rotated."
    )
    if p.rng.random() < 0.5:
        doc.add(
            "\nAWS credentials for the exporter look like this (example values from the AWS docs):\n\n```ini\n[default]"
        )
        doc.put(
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "AKIAIOSFODNN7EXAMPLE",
            Item("aws_access_key_id", DECOY, "example_key", "AKIAIOSFODNN7EXAMPLE"),
        )
        v = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        doc.put(f"aws_secret_access_key = {v}", v, Item("aws_secret_key", DECOY, "example_key", v))
        doc.add("```")
    return doc


def csv_export(p: Planner, i: int) -> Doc:
    doc = Doc(f"exports/api-keys-{i}.csv")
    doc.add("id,owner,service,key,status,created_at")
    for n in range(p.rng.randrange(4, 9)):
        rid = p.tok.hex(8)
        created = f"2026-0{1 + n % 9}-1{n % 10}"
        if p.rng.random() < 0.5:
            family = p.pick_family(("fred", "alpha_vantage", "generic_token"))
            item = p.positive(family)
            service = {"fred": "fred", "alpha_vantage": "alphavantage"}.get(family, "internal")
            doc.put(
                f"{rid},ops@example.org,{service},{item.value},active,{created}", item.value, item
            )
        else:
            v = p.tok.fred()[:4] + "…" + p.tok.hex(4)
            doc.put(
                f"{rid},ops@example.org,fred,{v},revoked,{created}",
                v,
                Item("fred", DECOY, "masked", v),
            )
    return doc


def har(p: Planner, i: int) -> Doc:
    doc = Doc(f"captures/session-{i}.har")
    doc.add('{\n  "log": {\n    "version": "1.2",\n    "entries": [')
    count = p.rng.randrange(2, 4)
    for n in range(count):
        doc.add('      {\n        "request": {\n          "method": "GET",')
        doc.add(
            f'          "url": "https://fred.example.org/api/fred-data?series={p.rng.choice(SERIES)}",\n          "headers": ['
        )
        if p.rng.random() < 0.6:
            family = p.pick_family(("token_header", "jwt"))
            item = p.positive(family, "next_line")
            name = (
                "Authorization"
                if family == "jwt"
                else p.rng.choice(("X-Api-Token", "X-Api-Key", "Authorization"))
            )
            prefix = "Bearer " if name == "Authorization" else ""
            doc.add(f'            {{\n              "name": "{name}",')
            doc.put(f'              "value": "{prefix}{item.value}"', item.value, item, tolerance=1)
            doc.add("            },")
        v = p.tok.uuid()
        doc.add('            {\n              "name": "X-Request-Id",')
        doc.put(f'              "value": "{v}"', v, Item("generic", DECOY, "uuid", v), tolerance=1)
        doc.add("            }\n          ]\n        },")
        doc.add(
            f'        "response": {{"status": 200, "headers": [{{"name": "ETag", "value": "\\"{p.tok.md5()}\\""}}]}}'
        )
        doc.add("      }" + ("," if n < count - 1 else ""))
    doc.add("    ]\n  }\n}")
    return doc
