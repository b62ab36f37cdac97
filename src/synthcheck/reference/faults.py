"""Fault registry, the active FaultSet and the hook runners (parsing: ``fault_specs``).

A fault is a named list of *effects*; each effect is one primitive (see
`primitives.py`) attached to one hook point and declaring the parameters it
reads, with their defaults.  Registering a fault made of existing primitives
is one line in `catalog.py`:

    register("error_spike", respond(status=500), p=0.1, path="/api/fred-data", doc="...")

Hook order for one app request (documented in docs/reference-service.md):

    CONNECTION  (server start: down / hang / garbage replace the HTTP server)
    BEFORE      (app, before routing: delays, short-circuit responses)
    -- route handler (or the short-circuit response) + base headers --
    HEALTH      (app, /api/health body only, as a dict)
    JSON        (app, any JSON body, as a Python object)
    AFTER       (app, the whole response: status, headers, body)
    LOG         (app, the request's log line, after key masking)

and for one upstream stub request: UPSTREAM_BEFORE -> stub handler ->
UPSTREAM_AFTER.  Within one hook, effects run in the order the faults were
given; the first BEFORE effect that returns a response wins.

Every fault also takes two generic parameters, handled here and not by the
effects: `p` (probability that the fault applies to one request) and `path`
(request-path prefix it applies to).
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from synthcheck.reference.asgi import Request, Response
from synthcheck.reference.settings import Settings

ParamValue = bool | int | float | str


class Hook(StrEnum):
    CONNECTION = "connection"
    BEFORE = "before"
    HEALTH = "health"
    JSON = "json"
    AFTER = "after"
    LOG = "log"
    UPSTREAM_BEFORE = "upstream_before"
    UPSTREAM_AFTER = "upstream_after"


APP_HOOKS = frozenset({Hook.BEFORE, Hook.HEALTH, Hook.JSON, Hook.AFTER, Hook.LOG})
STUB_HOOKS = frozenset({Hook.UPSTREAM_BEFORE, Hook.UPSTREAM_AFTER})


@dataclass
class RequestContext:
    """What an effect may look at (and note things in) while handling a request."""

    request: Request
    settings: Settings
    rng: random.Random
    faults: list[ActiveFault] = field(default_factory=list)
    request_id: str = ""
    route: str = ""
    series: str | None = None
    # The unmasked upstream URL this request called (or would call); only
    # leak faults ever put it into a response or the log.
    upstream_url: str | None = None


# Effect function shapes, by hook (stored untyped in Effect.fn, cast by runners).
BeforeFn = Callable[["ActiveFault", RequestContext], Awaitable[Response | None]]
PayloadFn = Callable[["ActiveFault", RequestContext, Response], Any]
AfterFn = Callable[["ActiveFault", RequestContext, Response], Response]
LogFn = Callable[["ActiveFault", RequestContext, str], str]
ConnectionFn = Callable[["ActiveFault", str], str | None]


@dataclass(frozen=True)
class Effect:
    hook: Hook
    fn: Callable[..., Any]
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    # Allowed values for string parameters, checked when a spec is parsed.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FaultDef:
    name: str
    doc: str
    effects: tuple[Effect, ...]
    params: Mapping[str, ParamValue]  # every parameter with its default, p and path included
    choices: Mapping[str, tuple[str, ...]]

    @property
    def hooks(self) -> frozenset[Hook]:
        return frozenset(e.hook for e in self.effects)

    def describe(self) -> str:
        params = " ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}: {params} -- {self.doc}"


FAULTS: dict[str, FaultDef] = {}


def register(
    name: str,
    *effects: Effect,
    doc: str,
    p: float = 1.0,
    path: str = "/",
    choices: Mapping[str, tuple[str, ...]] | None = None,
    registry: dict[str, FaultDef] | None = None,
    **params: ParamValue,
) -> FaultDef:
    """Add a fault made of `effects`; keyword params override the effects' defaults."""
    target = FAULTS if registry is None else registry
    if name in target:
        raise ValueError(f"fault {name!r} is already registered")
    if not effects:
        raise ValueError(f"fault {name!r} needs at least one effect")
    merged: dict[str, ParamValue] = {}
    merged_choices: dict[str, tuple[str, ...]] = {}
    for effect in effects:
        for key, value in effect.params.items():
            merged.setdefault(key, value)
        merged_choices.update(effect.choices)
    merged.update(params)
    merged_choices.update(choices or {})
    merged["p"] = float(p)
    merged["path"] = path
    fault = FaultDef(name, doc, tuple(effects), merged, merged_choices)
    target[name] = fault
    return fault


@dataclass
class ActiveFault:
    """A fault switched on with concrete parameters, plus its runtime state."""

    fault: FaultDef
    params: dict[str, ParamValue]
    spec: str
    started: float = field(default_factory=time.monotonic)
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.fault.name

    @property
    def p(self) -> float:
        return float(self.params["p"])

    @property
    def path(self) -> str:
        return str(self.params["path"])

    def num(self, key: str) -> float:
        return float(self.params[key])

    def whole(self, key: str) -> int:
        return int(self.params[key])

    def text(self, key: str) -> str:
        return str(self.params[key])

    def canonical(self) -> str:
        """`name` or `name:k=v,...` listing only parameters that differ from the defaults."""
        changed = [
            f"{k}={_render(v)}" for k, v in self.params.items() if self.fault.params.get(k) != v
        ]
        return self.name if not changed else f"{self.name}:{','.join(changed)}"


def _render(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --------------------------------------------------------------------------- FaultSet


class FaultSet:
    """The faults currently on, shared by the app and the stub of one process.

    All randomness (the `p` draws, jitter, garbage bytes) comes from `rng`, one
    `random.Random` seeded by `--seed`, so a seeded run is reproducible.
    """

    def __init__(self, active: Sequence[ActiveFault] = (), *, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        self._active: list[ActiveFault] = list(active)

    @property
    def active(self) -> list[ActiveFault]:
        return list(self._active)

    def replace(self, active: Sequence[ActiveFault]) -> None:
        self._active = list(active)

    def spec(self) -> str:
        return ";".join(af.canonical() for af in self._active)

    def connection_mode(self, target: str) -> tuple[str, ActiveFault] | None:
        """The connection-level mode (`down`/`hang`/`garbage`) for `target` (app|upstream)."""
        for af in self._active:
            for effect in af.fault.effects:
                if effect.hook is Hook.CONNECTION:
                    mode = cast(ConnectionFn, effect.fn)(af, target)
                    if mode:
                        return mode, af
        return None

    def select(self, path: str, hooks: frozenset[Hook]) -> list[ActiveFault]:
        """Faults that apply to one request: right hooks, path prefix, and a `p` draw."""
        chosen: list[ActiveFault] = []
        for af in self._active:
            if not af.fault.hooks & hooks or not path.startswith(af.path):
                continue
            # Draw only for p < 1 so always-on faults do not shift the random sequence.
            if af.p < 1.0 and not self.rng.random() < af.p:
                continue
            chosen.append(af)
        return chosen


# --------------------------------------------------------------------------- hook runners


def effects_for(faults: Iterable[ActiveFault], hook: Hook) -> Iterator[tuple[ActiveFault, Effect]]:
    for af in faults:
        for effect in af.fault.effects:
            if effect.hook is hook:
                yield af, effect


async def run_before(ctx: RequestContext, hook: Hook = Hook.BEFORE) -> Response | None:
    for af, effect in effects_for(ctx.faults, hook):
        response = await cast(BeforeFn, effect.fn)(af, ctx)
        if response is not None:
            return response
    return None


def run_payload(ctx: RequestContext, response: Response, hook: Hook) -> None:
    """HEALTH / JSON hooks: each returns the new payload of a JSON response."""
    for af, effect in effects_for(ctx.faults, hook):
        if response.is_json:
            response.payload = cast(PayloadFn, effect.fn)(af, ctx, response)


def run_after(ctx: RequestContext, response: Response, hook: Hook = Hook.AFTER) -> Response:
    for af, effect in effects_for(ctx.faults, hook):
        response = cast(AfterFn, effect.fn)(af, ctx, response)
    return response


def run_log(ctx: RequestContext, line: str) -> str:
    for af, effect in effects_for(ctx.faults, Hook.LOG):
        line = cast(LogFn, effect.fn)(af, ctx, line)
    return line
