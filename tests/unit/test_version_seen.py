"""The versions a run's health answers report (``versions_seen``), before any verdict."""

from __future__ import annotations

from synthcheck.config.model import VersionSettings
from synthcheck.verdicts.version import versions_seen
from tests.support.exchanges import exchange


def test_answers_without_a_version_are_read_but_not_reported() -> None:
    answers = [exchange(200, {"version": "1.4.2"}), exchange(200, {"status": "ok"})]
    seen = versions_seen(answers, VersionSettings())
    assert seen.answered == 2
    assert seen.reports == (("1.4.2",),)


def test_each_answer_is_counted_under_its_most_specific_version() -> None:
    both = {"version": "1.5.0", "commit": "3f9a1c2d4e5f"}
    answers = [exchange(200, both), exchange(200, both), exchange(200, {"version": "1.4.2"})]
    seen = versions_seen(answers, VersionSettings())
    assert seen.shown == {"1.5.0": 2, "1.4.2": 1}
    # any version an answer reports may match: the SHA prefix matches the first two
    assert seen.not_matching("3f9a1c2") == ["1.4.2"]
    assert seen.not_matching("v1.4.2") == ["1.5.0", "1.5.0"]
