"""Fault-spec parsing, the registry API and --list-faults output."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.reference import FAULTS, FaultSpecError, list_faults, parse_fault_specs
from synthcheck.reference.fault_specs import parse_fault_spec
from synthcheck.reference.faults import FaultDef, FaultSet, register
from synthcheck.reference.primitives import delay, respond

KNOWN = ", ".join(sorted(FAULTS))


def test_unknown_fault_message_names_spec_lists_faults_and_suggests():
    with pytest.raises(FaultSpecError) as info:
        parse_fault_specs("slow_tial:ms=5")
    assert str(info.value) == (
        f"unknown fault 'slow_tial'. Did you mean 'slow_tail'? Known faults: {KNOWN} "
        "(in spec 'slow_tial:ms=5')"
    )


def test_unknown_fault_without_close_match_has_no_suggestion():
    with pytest.raises(FaultSpecError) as info:
        parse_fault_specs("zzzzzz")
    assert str(info.value) == f"unknown fault 'zzzzzz'. Known faults: {KNOWN} (in spec 'zzzzzz')"


def test_unknown_parameter_message():
    with pytest.raises(FaultSpecError) as info:
        parse_fault_specs("slow_all:msx=3")
    assert str(info.value) == (
        "unknown parameter 'msx' for fault 'slow_all'. Did you mean 'ms'? "
        "Accepted parameters: ms, jitter_ms, p, path (in spec 'slow_all:msx=3')"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "slow_all:ms=fast",
            "parameter 'ms' of fault 'slow_all' expects float, got 'fast' "
            "(in spec 'slow_all:ms=fast')",
        ),
        (
            "huge_body:mb=1.5",
            "parameter 'mb' of fault 'huge_body' expects int, got '1.5' (in spec 'huge_body:mb=1.5')",
        ),
        (
            "slow_all:ms=-5",
            "parameter 'ms' of fault 'slow_all' must not be negative, got '-5' "
            "(in spec 'slow_all:ms=-5')",
        ),
        (
            "slow_tail:p=1.5",
            "parameter 'p' of fault 'slow_tail' must be between 0 and 1, got 1.5 "
            "(in spec 'slow_tail:p=1.5')",
        ),
        (
            "latency:path=api",
            "parameter 'path' of fault 'latency' must start with '/', got 'api' "
            "(in spec 'latency:path=api')",
        ),
        (
            "leak_header:key=github",
            "parameter 'key' of fault 'leak_header' must be one of fred, alpha_vantage, got 'github' "
            "(in spec 'leak_header:key=github')",
        ),
        ("slow_all:ms", "malformed parameter 'ms' in spec 'slow_all:ms': expected key=value"),
        (":ms=3", "empty fault name in spec ':ms=3'"),
    ],
)
def test_bad_specs_have_exact_messages(spec, message):
    with pytest.raises(FaultSpecError) as info:
        parse_fault_specs(spec)
    assert str(info.value) == message


def test_values_are_coerced_to_the_type_of_the_default():
    (af,) = parse_fault_specs("slow_all:ms=300,jitter_ms=0,p=0.5,path=/api/live")
    assert af.params == {"ms": 300.0, "jitter_ms": 0.0, "p": 0.5, "path": "/api/live"}
    (af,) = parse_fault_specs("huge_body:mb=2")
    assert af.params["mb"] == 2
    assert isinstance(af.params["mb"], int)
    (af,) = parse_fault_specs("series_errors:series=unrate,status=503")
    assert af.params["series"] == "unrate"
    assert af.params["status"] == 503


def test_bool_parameters_accept_common_spellings():
    registry: dict[str, FaultDef] = {}
    register("flag", respond(status=500), doc="test", registry=registry, verbose=False)
    for raw, expected in [("true", True), ("ON", True), ("1", True), ("no", False), ("0", False)]:
        assert parse_fault_spec(f"flag:verbose={raw}", registry).params["verbose"] is expected
    with pytest.raises(FaultSpecError, match="expects bool, got 'maybe'"):
        parse_fault_spec("flag:verbose=maybe", registry)


def test_several_specs_semicolons_lists_blanks_and_repeats():
    specs = parse_fault_specs(" slow_all:ms=10 ; ;unhealthy;slow_all:ms=20 ")
    assert [af.name for af in specs] == ["unhealthy", "slow_all"]
    assert specs[1].params["ms"] == 20.0  # a repeated fault replaces the earlier one
    names = [af.name for af in parse_fault_specs(["down", "garbage;hang"])]
    assert names == ["down", "garbage", "hang"]
    assert parse_fault_specs("") == []
    assert parse_fault_specs([]) == []


def test_canonical_spec_lists_only_changed_parameters():
    specs = parse_fault_specs("slow_all:ms=10;unhealthy;slow_tail:p=0.25")
    assert FaultSet(specs).spec() == "slow_all:ms=10.0;unhealthy;slow_tail:p=0.25"


def test_every_fault_has_p_path_a_doc_and_parses_by_name():
    assert len(FAULTS) >= 35
    for name, fault in FAULTS.items():
        assert "p" in fault.params
        assert str(fault.params["path"]).startswith("/")
        assert fault.doc
        (af,) = parse_fault_specs(name)
        assert af.params == dict(fault.params)


def test_defaults_from_the_brief():
    expected = {
        "unhealthy": {"status": 503},
        "slow_live": {"ms": 1000.0},
        "memory_high": {"pct": 92.0},
        "memory_leak": {"mb_per_s": 2.0},
        "huge_body": {"mb": 50},
        "slow_tail": {"p": 0.1, "ms": 1200.0},
        "slow_all": {"ms": 800.0, "jitter_ms": 50.0},
        "latency": {"ms": 50.0, "path": "/"},
        "error_spike": {"p": 0.1, "status": 500, "path": "/api/fred-data"},
        "series_errors": {"series": "GDPC1", "status": 502},
        "upstream_slow": {"ms": 2500.0},
        "upstream_down": {"status": 503, "mode": "status"},
        "rate_limit_high": {"usage": 0.9},
        "leak_header": {"key": "fred"},
    }
    for name, params in expected.items():
        for key, value in params.items():
            assert FAULTS[name].params[key] == value, (name, key)


def test_register_is_one_line_and_rejects_duplicates():
    registry: dict[str, FaultDef] = {}
    register("teapot", respond(status=418), path="/api/live", doc="a teapot", registry=registry)
    (af,) = parse_fault_specs("teapot:status=500,p=0.5", registry)
    assert af.params == {"status": 500, "p": 0.5, "path": "/api/live"}
    with pytest.raises(ValueError, match="already registered"):
        register("teapot", delay(ms=1), doc="again", registry=registry)
    with pytest.raises(ValueError, match="at least one effect"):
        register("empty", doc="nothing", registry=registry)


def test_list_faults_one_line_each_with_params_defaults_and_doc():
    lines = list_faults()
    assert len(lines) == len(FAULTS)
    by_name = {line.split(":", 1)[0]: line for line in lines}
    assert set(by_name) == set(FAULTS)
    assert by_name["slow_all"] == (
        "slow_all: ms=800.0 jitter_ms=50.0 p=1.0 path=/api/ -- "
        "every /api/ request is delayed by `ms` ± `jitter_ms`"
    )
    assert all("\n" not in line for line in lines)


def test_selection_honours_path_prefix_and_seeded_probability():
    def draws(seed):
        fault_set = FaultSet(parse_fault_specs("slow_tail:p=0.3"), seed=seed)
        return [
            bool(fault_set.select("/api/health", frozenset(FAULTS["slow_tail"].hooks)))
            for _ in range(200)
        ]

    first, again = draws(11), draws(11)
    assert first == again  # same seed, same sequence
    assert 30 <= sum(first) <= 90
    fault_set = FaultSet(parse_fault_specs("slow_tail:p=1"), seed=1)
    assert fault_set.select("/static/app.js", frozenset(FAULTS["slow_tail"].hooks)) == []
    never = FaultSet(parse_fault_specs("slow_tail:p=0"), seed=1)
    assert never.select("/api/health", frozenset(FAULTS["slow_tail"].hooks)) == []


def test_docs_fault_table_lists_every_fault_with_its_defaults():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reference-service.md").read_text()
    rows = {
        line.split("|")[1].strip(" `"): line for line in doc.splitlines() if line.startswith("| `")
    }
    for name, fault in FAULTS.items():
        assert name in rows, name
        for key, value in fault.params.items():
            if key not in ("p", "path"):
                assert f"`{key}={value}`" in rows[name], (name, key)
        assert f"| {fault.params['p']} | `{fault.params['path']}` |" in rows[name], name
