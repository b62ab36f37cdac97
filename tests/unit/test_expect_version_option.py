"""--expect-version: flag over $SYNTHCHECK_EXPECT_VERSION over nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from synthcheck.config.options import OPTIONS, Settings, resolve_settings


def settings(cli: dict[str, Any], environ: dict[str, str]) -> Settings:
    return resolve_settings(cli.get, Path("."), environ)


def test_the_flag_wins_over_the_variable() -> None:
    got = settings({"expect_version": "abc1234"}, {"SYNTHCHECK_EXPECT_VERSION": "v1.4.2"})
    assert got.expect_version == "abc1234"
    assert got.sources["expect_version"] == "--expect-version"


def test_the_variable_is_read() -> None:
    got = settings({}, {"SYNTHCHECK_EXPECT_VERSION": " v1.4.2 "})
    assert got.expect_version == "v1.4.2"
    assert got.sources["expect_version"] == "$SYNTHCHECK_EXPECT_VERSION"


def test_unset_means_no_expectation() -> None:
    assert settings({}, {}).expect_version is None
    assert settings({}, {"SYNTHCHECK_EXPECT_VERSION": "  "}).expect_version is None


def test_the_option_is_documented_once() -> None:
    (option,) = [o for o in OPTIONS if o.dest == "expect_version"]
    assert option.flag == "--expect-version"
    assert "SHA" in option.help
