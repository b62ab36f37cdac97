"""Load profiles: how many users, how fast they arrive, for how long, in which shape.

Every profile is a peak user count, a spawn rate, a duration and a list of stages
(fractions of the duration and of the peak), so one override (``--load-users``,
``--load-duration``) scales any shape. The environment's caps (``[load] max_users``,
``max_duration_s``) bound every profile and every override: a profile that would
exceed one is refused, never silently trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from synthcheck.config.errors import ConfigError
from synthcheck.config.load_flags import check_profile_name
from synthcheck.config.model import LoadProfileOverride, LoadSettings

__all__ = [
    "PROFILES",
    "Profile",
    "Stage",
    "resolve_profile",
]


@dataclass(frozen=True)
class Stage:
    """Until ``until`` x duration, run ``users`` x peak users.

    ``burst`` starts the stage's users at once (peak users per second): a spike.
    """

    until: float
    users: float
    burst: bool = False


STEADY = (Stage(1.0, 1.0),)


@dataclass(frozen=True)
class Profile:
    name: str
    users: int
    spawn_rate: float
    duration_s: float
    wait_min_s: float
    wait_max_s: float
    stages: tuple[Stage, ...] = STEADY
    purpose: str = ""

    def tick(self, elapsed_s: float) -> tuple[int, float] | None:
        """(users, spawn rate) at ``elapsed_s`` into the run; None once it is over."""
        if elapsed_s >= self.duration_s:
            return None
        for stage in self.stages:
            if elapsed_s < stage.until * self.duration_s:
                users = max(1, round(stage.users * self.users))
                rate = max(self.spawn_rate, float(self.users)) if stage.burst else self.spawn_rate
                return users, rate
        return None

    @property
    def shape(self) -> str:
        if self.stages == STEADY:
            return "steady"
        return " → ".join(f"{round(s.users * self.users)}" for s in self.stages) + " users"

    def describe(self) -> str:
        return (
            f"{self.name}: up to {self.users} users (+{self.spawn_rate:g}/s) for"
            f" {self.duration_s:g} s, {self.shape}, pauses"
            f" {self.wait_min_s * 1000:g}-{self.wait_max_s * 1000:g} ms"
        )


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "smoke",
            users=4,
            spawn_rate=4,
            duration_s=10,
            wait_min_s=0.05,
            wait_max_s=0.25,
            purpose="a short, gentle run: does it hold up under any concurrency at all",
        ),
        Profile(
            "load",
            users=20,
            spawn_rate=2,
            duration_s=60,
            wait_min_s=0.1,
            wait_max_s=0.5,
            purpose="expected production traffic for a minute",
        ),
        Profile(
            "stress",
            users=60,
            spawn_rate=5,
            duration_s=120,
            wait_min_s=0.05,
            wait_max_s=0.25,
            stages=(Stage(0.25, 0.25), Stage(0.5, 0.5), Stage(0.75, 0.75), Stage(1.0, 1.0)),
            purpose="steps past expected traffic to find where the budgets break",
        ),
        Profile(
            "spike",
            users=60,
            spawn_rate=5,
            duration_s=60,
            wait_min_s=0.05,
            wait_max_s=0.25,
            stages=(Stage(0.3, 0.1), Stage(0.6, 1.0, burst=True), Stage(1.0, 0.1)),
            purpose="a sudden burst to the peak and back: does it recover",
        ),
        Profile(
            "soak",
            users=10,
            spawn_rate=2,
            duration_s=1800,
            wait_min_s=0.5,
            wait_max_s=2.0,
            purpose="moderate traffic for half an hour: leaks and slow degradation",
        ),
    )
}


def _with_override(profile: Profile, override: LoadProfileOverride | None) -> Profile:
    if override is None:
        return profile

    def seconds(ms: float | None, default: float) -> float:
        return ms / 1000 if ms is not None else default

    return replace(
        profile,
        users=override.users or profile.users,
        spawn_rate=override.spawn_rate or profile.spawn_rate,
        duration_s=override.duration_s or profile.duration_s,
        wait_min_s=seconds(override.wait_min_ms, profile.wait_min_s),
        wait_max_s=seconds(override.wait_max_ms, profile.wait_max_s),
    )


def resolve_profile(
    name: str,
    load: LoadSettings,
    *,
    users: int | None = None,
    duration_s: float | None = None,
    source: str = "[load]",
) -> Profile:
    """The built-in profile, then the environment's numbers, then the command line; capped."""
    profile = _with_override(PROFILES[check_profile_name(name, source)], load.profiles.get(name))
    profile = replace(
        profile,
        users=users or profile.users,
        duration_s=duration_s or profile.duration_s,
    )
    if profile.wait_max_s < profile.wait_min_s:
        profile = replace(profile, wait_max_s=profile.wait_min_s)
    problems = []
    if profile.users > load.max_users:
        problems.append(
            f"profile {name}: {profile.users} users exceed the cap load.max_users ="
            f" {load.max_users}; lower --load-users or raise the cap in the environment file"
        )
    if profile.duration_s > load.max_duration_s:
        problems.append(
            f"profile {name}: {profile.duration_s:g} s exceeds the cap load.max_duration_s ="
            f" {load.max_duration_s:g}; lower --load-duration or raise the cap"
        )
    if problems:
        raise ConfigError(source, problems)
    return profile
