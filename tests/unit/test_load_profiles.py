"""Load profiles: shapes over time, overrides, and the hard caps nothing gets past."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthcheck.config import ConfigError
from synthcheck.config.load_flags import PROFILE_NAMES, parse_duration
from synthcheck.config.model import LoadProfileOverride, LoadSettings
from synthcheck.load.profiles import PROFILES, resolve_profile


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("5m", 300), ("1h30m", 5400), ("1.5m", 90), (" 2M ", 120)],
)
def test_durations_parse(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "-5", "0", "abc", "5x", "m", "1h-3m"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_every_profile_is_bounded_by_the_default_caps() -> None:
    caps = LoadSettings()
    assert set(PROFILE_NAMES) == {"smoke", "load", "stress", "spike", "soak"}
    assert tuple(PROFILES) == PROFILE_NAMES  # config's list of names matches the profiles
    for profile in PROFILES.values():
        assert 0 < profile.users <= caps.max_users
        assert 0 < profile.duration_s <= caps.max_duration_s
        assert profile.tick(profile.duration_s) is None
        assert profile.purpose


def test_steady_profile_holds_its_users_then_ends() -> None:
    smoke = PROFILES["smoke"]
    assert smoke.tick(0) == (4, 4.0)
    assert smoke.tick(9.99) == (4, 4.0)
    assert smoke.tick(10) is None


def test_stress_steps_up_to_the_peak() -> None:
    stress = PROFILES["stress"]
    users = [stress.tick(t) for t in (0, 30, 60, 90, 119)]
    assert [u[0] for u in users if u] == [15, 30, 45, 60, 60]
    assert stress.shape == "15 → 30 → 45 → 60 users"


def test_spike_bursts_to_the_peak_and_back() -> None:
    spike = PROFILES["spike"]
    assert spike.tick(5) == (6, 5.0)
    assert spike.tick(25) == (60, 60.0)  # the whole peak arrives within a second
    assert spike.tick(50) == (6, 5.0)


def test_environment_numbers_then_command_line_override_the_built_in() -> None:
    load = LoadSettings(profiles={"load": LoadProfileOverride(users=30, wait_max_ms=900)})
    profile = resolve_profile("load", load)
    assert (profile.users, profile.duration_s, profile.wait_max_s) == (30, 60, 0.9)
    overridden = resolve_profile("load", load, users=12, duration_s=15)
    assert (overridden.users, overridden.duration_s) == (12, 15)
    assert "load: up to 12 users" in overridden.describe()


def test_a_profile_above_a_cap_is_refused_not_trimmed() -> None:
    load = LoadSettings(max_users=10, max_duration_s=60)
    with pytest.raises(ConfigError) as caught:
        resolve_profile("stress", load, source="env.toml")
    message = str(caught.value)
    assert message.startswith("env.toml: 2 problems")
    assert "60 users exceed the cap load.max_users = 10" in message
    assert "120 s exceeds the cap load.max_duration_s = 60" in message
    with pytest.raises(ConfigError, match="500 users exceed the cap"):
        resolve_profile("smoke", LoadSettings(), users=500)


def test_unknown_profile_suggests_the_closest() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_profile("sok", LoadSettings(), source="--load-profile")
    assert str(caught.value) == (
        "--load-profile: 'sok' is not a load profile. Did you mean 'soak'?"
        " Profiles: smoke, load, stress, spike, soak"
    )


def test_shipped_environments_keep_production_gentle(env_dir: Path) -> None:
    from synthcheck.config import load_environment

    production = load_environment("production", env_dir)
    with pytest.raises(ConfigError, match="exceed the cap"):
        resolve_profile("stress", production.load)
    assert resolve_profile("smoke", production.load).users <= production.load.max_users
