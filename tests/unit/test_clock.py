"""$SYNTHCHECK_CLOCK: one reader for the history stamp and the data checks' day."""

from __future__ import annotations

import pytest

from synthcheck.config import ConfigError
from synthcheck.config.clock import run_clock


def test_unset_or_blank_means_now() -> None:
    assert run_clock({}) is None
    assert run_clock({"SYNTHCHECK_CLOCK": "  "}) is None


def test_epoch_seconds_are_read() -> None:
    assert run_clock({"SYNTHCHECK_CLOCK": " 1780000000.5 "}) == 1780000000.5


def test_a_bad_value_names_the_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        run_clock({"SYNTHCHECK_CLOCK": "soon"})
    assert "$SYNTHCHECK_CLOCK" in str(caught.value)
    assert "'soon' is not a time in epoch seconds" in str(caught.value)
