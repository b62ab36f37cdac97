"""The family registry agrees with everything that repeats it.

``synthcheck.catalog`` (families) and ``synthcheck.config.sections`` (environment-file
sections) are the sources; the summary schema's enums and the README's table are
generated from them (``python -m synthcheck.reporting.family_docs``), and the
environment schema, the model, ``checks/``, the runbook, the docs and the alert rules
are compared with them name by name. Every failure says what to change.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest

from synthcheck.alerts.rules import _TUNABLE, configured_rules
from synthcheck.catalog import CATALOG, Category, CategoryInfo, Severity, info
from synthcheck.config.model import SUITES, Environment
from synthcheck.config.sections import NOT_FROM_FILE, SECTIONS, Section, family_settings
from synthcheck.load.profiles import PROFILES
from synthcheck.reporting import family_docs
from synthcheck.runbook import read_runbook

ROOT = Path(__file__).resolve().parents[2]
ENV_SCHEMA = json.loads(
    (ROOT / "src" / "synthcheck" / "config" / "environment.schema.json").read_text()
)
SUMMARY_SCHEMA = json.loads(family_docs.SUMMARY_SCHEMA.read_text())
RUNBOOK = read_runbook(ROOT / "docs" / "runbook.md")
FIX = f"regenerate with `{family_docs.COMMAND}`"
FAMILIES = list(CATALOG.values())


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert isinstance(ref, str), ref
    assert ref.startswith("#/$defs/"), ref
    resolved: Mapping[str, Any] = ENV_SCHEMA["$defs"][ref.removeprefix("#/$defs/")]
    return resolved


def _properties(node: Mapping[str, Any]) -> set[str]:
    return set(_resolve(node).get("properties", {}))


def _field_names(cls: type[Any]) -> set[str]:
    assert is_dataclass(cls), cls
    return {f.name for f in fields(cls)}


def _diff(
    where: str, left: set[str], right: set[str], right_name: str,
    left_name: str = "environment.schema.json",
) -> str:  # fmt: skip
    return (
        f"{where}: only in {left_name}: {sorted(left - right)};"
        f" only in {right_name}: {sorted(right - left)}"
    )


# --- generated outputs -------------------------------------------------------------


def test_checked_in_outputs_equal_what_the_registry_renders() -> None:
    stale = family_docs.stale_files()
    assert not stale, f"stale: {[str(p.relative_to(ROOT)) for p in stale]}; {FIX}"


def test_summary_schema_enums_are_the_registry_s() -> None:
    check = SUMMARY_SCHEMA["properties"]["checks"]["items"]["properties"]
    assert check["category"]["enum"] == [c.value for c in Category], FIX
    assert check["severity"]["enum"] == [s.value for s in Severity], FIX


def test_schema_enum_rewrite_changes_only_the_two_enums() -> None:
    stale = (
        '{"a": {"category": {"enum": ["availability", "gone"]},\n'
        '  "severity": {"enum": ["P9"]}, "outcome": {"enum": ["passed"]}}}'
    )
    fixed = json.loads(family_docs.with_schema_enums(stale))
    assert fixed["a"]["category"]["enum"] == [c.value for c in Category]
    assert fixed["a"]["severity"]["enum"] == ["P0", "P1", "P2", "P3"]
    assert fixed["a"]["outcome"] == {"enum": ["passed"]}


def test_schema_enum_rewrite_refuses_an_ambiguous_schema() -> None:
    with pytest.raises(ValueError, match='one "category"'):
        family_docs.with_schema_enums('{"severity": {"enum": []}}')


def test_block_rewrite_keeps_the_text_around_the_markers() -> None:
    text = f"before\n{family_docs.BEGIN}\nold table\n{family_docs.END}\nafter\n"
    assert family_docs.with_block(text, "new") == (
        f"before\n{family_docs.BEGIN}\nnew\n{family_docs.END}\nafter\n"
    )
    with pytest.raises(ValueError, match="no block"):
        family_docs.with_block("no markers here", "new")


def test_check_mode_reports_a_stale_readme_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"{family_docs.BEGIN}\n| stale |\n{family_docs.END}\n")
    assert family_docs.main(["--check", "--readme", str(readme)]) == 1
    assert "stale; regenerate with" in capsys.readouterr().out
    assert "| stale |" in readme.read_text()
    assert family_docs.main(["--readme", str(readme)]) == 0
    assert family_docs.main(["--check", "--readme", str(readme)]) == 0
    assert family_docs.markdown_table() in readme.read_text()


def test_table_has_one_well_formed_row_per_family() -> None:
    rows = family_docs.markdown_table().splitlines()[2:]
    assert [row.split(" | ")[0].strip("| `") for row in rows] == [c.value for c in Category]
    assert {row.count(" | ") for row in rows} == {6}  # no stray "|" in a cell
    empty = [f.category.value for f in FAMILIES if not (f.title and f.symptom and f.doc)]
    assert not empty, f"families without a title, symptom or doc: {empty}"


# --- the registry itself -----------------------------------------------------------


def test_every_category_has_one_entry_in_enum_order() -> None:
    assert list(CATALOG) == list(Category)
    assert all(key is family.category for key, family in CATALOG.items())


def test_unknown_category_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown check category 'latncy'; known: availability"):
        info("latncy")


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.category.value)
def test_family_names_an_existing_runbook_section(family: CategoryInfo) -> None:
    assert family.runbook in RUNBOOK, f"docs/runbook.md has no '## {family.runbook}'"


def _backticked(text: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", text))


@pytest.mark.parametrize("anchor", sorted(RUNBOOK))
def test_runbook_section_lists_exactly_its_families(anchor: str) -> None:
    body = RUNBOOK[anchor].text
    _, found, rest = body.partition("Checks:")
    listed = _backticked(rest.split("\n\n")[0]) & {c.value for c in Category}
    registered = {f.category.value for f in FAMILIES if f.runbook == anchor}
    assert found or not registered, f"docs/runbook.md#{anchor} has no 'Checks:' paragraph"
    assert listed == registered, (
        f"docs/runbook.md#{anchor} 'Checks:' names {sorted(listed)};"
        f" the registry points {sorted(registered)} here"
    )


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.category.value)
def test_family_doc_link_resolves(family: CategoryInfo) -> None:
    path, _, anchor = family.doc.partition("#")
    doc = ROOT / path
    assert doc.is_file(), f"{family.category}: {path} does not exist"
    if anchor:
        headings = re.findall(r"^#+\s+(.*)$", doc.read_text(), flags=re.MULTILINE)
        slugs = [_slug(heading) for heading in headings]
        assert anchor in slugs, f"{family.category}: {path} has no heading #{anchor}: {slugs}"


# --- families and checks/ ----------------------------------------------------------


def _declared_categories(module: Path) -> Iterator[str]:
    """The string arguments of every ``pytest.mark.category(...)`` in a module."""
    for node in ast.walk(ast.parse(module.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "category"
            and ast.unparse(node.func.value) == "pytest.mark"
        ):
            argument = node.args[0]
            assert isinstance(argument, ast.Constant), ast.unparse(node)
            assert isinstance(argument.value, str), ast.unparse(node)
            yield argument.value


def test_checks_declare_exactly_the_registry_s_categories() -> None:
    declared: dict[str, set[str]] = {}
    for module in sorted((ROOT / "checks").glob("test_*.py")):
        for category in _declared_categories(module):
            declared.setdefault(category, set()).add(module.stem)
    unknown = set(declared) - {c.value for c in Category}
    assert not unknown, f"checks/ mark categories not in synthcheck.catalog: {sorted(unknown)}"
    registered = {f.category.value: set(f.checks) for f in FAMILIES}
    for category, modules in registered.items():
        assert modules, f"{category}: the registry names no check module"
    differ = sorted(k for k in {*declared, *registered} if declared.get(k) != registered.get(k))
    assert not differ, "checks/ modules per category (marks vs synthcheck.catalog checks=): " + (
        "; ".join(
            f"{k}: {sorted(declared.get(k, ()))} vs {sorted(registered.get(k, ()))}" for k in differ
        )
    )


def _results_categories(module: Path) -> set[str]:
    """``Category.X`` members a module builds results with (``Category.KEY_LEAK`` ...)."""
    tree = ast.parse(module.read_text())
    return {
        Category[node.attr].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and ast.unparse(node.value).endswith("Category")
        and node.attr in Category.__members__
    }


@pytest.mark.parametrize(
    "module", sorted((ROOT / "checks").glob("test_*.py")), ids=lambda p: p.name
)
def test_results_a_check_module_builds_are_of_its_declared_categories(module: Path) -> None:
    declared = set(_declared_categories(module))
    assert declared, f"checks/{module.name} declares no pytest.mark.category"
    extra = _results_categories(module) - declared
    assert not extra, f"checks/{module.name} builds results of {sorted(extra)}, marked {declared}"


# --- families, sections, schema, model ---------------------------------------------


def test_schema_sections_are_the_table_s() -> None:
    schema = set(ENV_SCHEMA["properties"])
    table = {s.name for s in SECTIONS}
    assert schema == table, _diff("top level", schema, table, "config/sections.py SECTIONS")


def test_every_environment_field_is_filled_by_exactly_one_section() -> None:
    filled = Counter(name for s in SECTIONS for name in s.fields)
    model = {f.name for f in fields(Environment)} - set(NOT_FROM_FILE)
    assert set(filled) == model, _diff(
        "Environment fields", set(filled), model, "config/model.py", "config/sections.py"
    )
    assert [name for name, n in filled.items() if n > 1] == []


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.category.value)
def test_family_sections_exist(family: CategoryInfo) -> None:
    unknown = set(family.sections) - {s.name for s in SECTIONS}
    assert not unknown, f"{family.category}: no environment-file section {sorted(unknown)}"
    for settings in family_settings(family.category):
        assert is_dataclass(settings)


HINTS = get_type_hints(Environment)


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.settings], ids=lambda s: s.name)
def test_section_keys_match_its_settings_dataclass(section: Section) -> None:
    assert section.settings is not None
    holders = [name for name in section.fields if HINTS[name] is section.settings]
    assert len(holders) == 1, f"[{section.name}]: no Environment field of type {section.settings}"
    schema = _properties(ENV_SCHEMA["properties"][section.name])
    keys = set(section.file_keys())
    assert schema == keys, _diff(f"[{section.name}]", schema, keys, section.settings.__name__)
    for key, target in section.nested.items():
        node = ENV_SCHEMA["properties"][section.name]["properties"][key]
        for name, table in node["properties"].items():
            where = f"[{section.name}.{key}.{name}]"
            schema, code = _properties(table), _field_names(target)
            assert schema == code, _diff(where, schema, code, target.__name__)


@pytest.mark.parametrize(
    "section",
    [s for s in SECTIONS if not (s.settings or s.entries) and s.name != "alerts"],
    ids=lambda s: s.name,
)
def test_plain_section_keys_match(section: Section) -> None:
    """Scalars take no keys; ``[secrets]`` takes ``env`` (Environment.secret_env)."""
    schema = _properties(ENV_SCHEMA["properties"][section.name])
    keys = set(section.file_keys())
    assert schema == keys, _diff(f"[{section.name}]", schema, keys, "config/sections.py")
    assert set(section.renamed.values()) <= set(section.fields)


def test_suites_match_suite_settings() -> None:
    node = ENV_SCHEMA["properties"]["suites"]
    suites = next(s for s in SECTIONS if s.name == "suites")
    assert suites.entries is not None
    assert get_args(HINTS["suites"])[1] is suites.entries
    assert set(node["properties"]) == set(SUITES)
    for name, table in node["properties"].items():
        schema, code = _properties(table), _field_names(suites.entries)
        assert schema == code, _diff(f"[suites.{name}]", schema, code, "SuiteSettings")


def test_endpoints_match_endpoint() -> None:
    endpoints = next(s for s in SECTIONS if s.name == "endpoints")
    assert endpoints.entries is not None
    assert get_args(HINTS["endpoints"])[0] is endpoints.entries
    schema = _properties(ENV_SCHEMA["properties"]["endpoints"]["items"])
    code = _field_names(endpoints.entries)
    assert schema == code, _diff("[[endpoints]]", schema, code, "Endpoint")


def test_load_profiles_are_the_built_in_ones() -> None:
    node = ENV_SCHEMA["properties"]["load"]["properties"]["profiles"]
    assert set(node["properties"]) == set(PROFILES)


def test_alerts_match_the_alert_rules() -> None:
    node = ENV_SCHEMA["properties"]["alerts"]
    rules = configured_rules()
    assert set(node["properties"]) == {rule.name for rule in rules}
    for name, table in node["properties"].items():
        assert _properties(table) == _TUNABLE, f"[alerts.{name}]"
    for rule in rules:
        assert set(rule.categories) <= {c.value for c in Category}, rule.name
        assert rule.runbook in RUNBOOK, rule.name
        assert rule.severity in {s.value for s in Severity}, rule.name


# --- default secret names, once ----------------------------------------------------

SECRET_NAMES = {"FRED_API_KEY", "ALPHA_VANTAGE_API_KEY"}


def _default_name_lists(path: Path) -> Iterator[int]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            names = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            if names >= SECRET_NAMES:
                yield node.lineno


def test_default_secret_names_are_spelled_once_in_src() -> None:
    package = ROOT / "src" / "synthcheck"
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(package.rglob("*.py"))
        for line in _default_name_lists(path)
    ]
    where = {spot.partition(":")[0] for spot in found}
    assert where == {"src/synthcheck/config/model.py"}, (
        f"one list of the default secret names (config.DEFAULT_SECRET_ENV); found {found}"
    )
    assert len(found) == 1, found
