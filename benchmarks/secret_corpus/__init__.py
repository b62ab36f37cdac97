"""An independent labelled corpus of realistic files with secrets and their look-alikes.

Written from how these files look in real projects, apart from the scanner's rules:
``generate(seed, out_dir)`` writes about 200 files and returns one `Label` per planted
value (positives and decoys) with its path, line, family and form. The values are fresh
random strings of the published shapes; they live only in the generated tree and in
memory (or a labels file the caller writes next to the tree, never inside it).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from benchmarks.secret_corpus import code, configs, deploy, docs, ecosystems, logs, pages
from benchmarks.secret_corpus.families import FAMILIES, Planner
from benchmarks.secret_corpus.model import DECOY, POSITIVE, Doc, Label, load_labels, write_labels

__all__ = [
    "DECOY",
    "FAMILIES",
    "KINDS",
    "POSITIVE",
    "Label",
    "generate",
    "generate_docs",
    "load_labels",
    "write_labels",
]

Kind = Callable[[Planner, int], Doc]

# file kind -> how many per seed (about 230 files)
KINDS: tuple[tuple[Kind, int], ...] = (
    (configs.dotenv, 12),
    (configs.yaml_app, 9),
    (configs.toml_app, 8),
    (configs.json_app, 8),
    (deploy.k8s_deployment, 8),
    (deploy.k8s_secret, 6),
    (deploy.compose, 8),
    (deploy.gha_workflow, 6),
    (configs.npmrc, 6),
    (configs.pypirc, 4),
    (deploy.dockerfile, 6),
    (deploy.terraform, 6),
    (configs.pem_file, 9),
    (configs.service_account, 3),
    (code.python_module, 9),
    (code.django_settings, 4),
    (code.js_module, 8),
    (code.shell_script, 8),
    (code.notebook, 5),
    (code.test_fixture, 5),
    (logs.app_log, 10),
    (logs.json_log, 6),
    (logs.ci_log, 9),
    (docs.docs_md, 9),
    (docs.csv_export, 5),
    (docs.har, 4),
    (pages.django_debug, 5),
    (pages.werkzeug_debug, 5),
    (pages.express_error, 6),
    (pages.index_html, 3),
    (pages.css, 3),
    (pages.lockfile, 4),
    (ecosystems.web_config, 4),
    (ecosystems.spring_properties, 4),
    (ecosystems.maven_settings, 3),
    (ecosystems.aws_credentials, 3),
    (ecosystems.docker_config, 3),
    (ecosystems.git_credentials, 4),
    (ecosystems.env_pem, 4),
)


def generate_docs(seed: int) -> list[Doc]:
    """The corpus of one seed, in memory (same seed, same files, same labels)."""
    planner = Planner(random.Random(seed))
    docs: list[Doc] = []
    index = 0
    for kind, count in KINDS:
        for _ in range(count):
            index += 1
            docs.append(kind(planner, index))
    paths = [doc.path for doc in docs]
    if len(set(paths)) != len(paths):
        raise AssertionError("generated paths collide")
    return docs


def generate(seed: int, out_dir: Path) -> list[Label]:
    """Write the corpus of `seed` under `out_dir`; return its labels."""
    labels: list[Label] = []
    for doc in generate_docs(seed):
        target = out_dir / doc.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(doc.render(), encoding="utf-8")
        labels.extend(doc.labels)
    return labels
