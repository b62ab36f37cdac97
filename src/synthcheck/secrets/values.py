"""Secret values that refuse to print themselves."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

__all__ = ["MIN_WINDOW", "KnownSecrets", "Secret"]

# A leak of this many consecutive characters of a key counts as a leak: the runbook's
# "first 8 characters for debugging" is exactly how keys half-leak.
MIN_WINDOW = 8


class Secret:
    """A secret value; ``str()`` and ``repr()`` show stars, ``reveal()`` the value."""

    __slots__ = ("_value", "name")

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __str__(self) -> str:
        return "********"

    def __repr__(self) -> str:
        return f"Secret({self.name!r}, '********')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and (other.name, other._value) == (self.name, self._value)

    def __hash__(self) -> int:
        return hash((self.name, self._value))

    def __reduce__(self) -> str | tuple[object, ...]:
        # Never let a secret travel through pickle (xdist, multiprocessing) by accident.
        raise TypeError("Secret values are not picklable")


@dataclass(frozen=True)
class KnownSecrets:
    """The secret values the verifier knows, read from its own environment."""

    secrets: tuple[Secret, ...] = ()
    # Variables that were named but are unset or too short to scan for; reported, never fatal.
    missing: tuple[str, ...] = field(default=())

    @classmethod
    def from_environ(
        cls, names: Iterable[str], environ: Mapping[str, str] | None = None
    ) -> KnownSecrets:
        env = os.environ if environ is None else environ
        found: list[Secret] = []
        missing: list[str] = []
        for name in dict.fromkeys(names):  # keep order, drop repeats
            value = env.get(name, "").strip()
            if len(value) >= 4:
                found.append(Secret(name, value))
            else:
                missing.append(name)
        return cls(tuple(found), tuple(missing))

    def __iter__(self) -> Iterator[Secret]:
        return iter(self.secrets)

    def __len__(self) -> int:
        return len(self.secrets)

    def names(self) -> list[str]:
        return [s.name for s in self.secrets]
