"""Scan recorded HTTP exchanges: body, every header, cookies, redirect ``Location``.

Each leak says where it sits (``body line 3, column 17``, ``header X-Debug-Token``,
``cookie dbg (Set-Cookie)``, ``redirect Location (hop 1, HTTP 302)``) so the on-call
engineer knows what to fix, and what it is, masked (``FRED_API_KEY (32 chars),
percent-encoded``). Identical bodies (a check samples the same endpoint many times)
are scanned once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from synthcheck.leaks.findings import Finding
from synthcheck.leaks.scanner import LeakScanner, line_and_column
from synthcheck.probe import Exchange

__all__ = ["ExchangeLeak", "ExchangeScanner"]


@dataclass(frozen=True)
class ExchangeLeak:
    target_id: str
    url: str  # the request URL (our own, never the leaking text)
    status: int | None
    where: str  # "body line 3, column 17", "header x-debug-token", ...
    finding: Finding

    @property
    def area(self) -> str:
        """``where`` without the position: one leak, seen in many samples, counts once."""
        return self.where.split(" line ", 1)[0]

    def describe(self) -> str:
        return f"{self.finding.describe()} in {self.where}"


def _header_place(name: str, value: str) -> str:
    lowered = name.lower()
    if lowered == "set-cookie":
        cookie = value.split("=", 1)[0].strip()
        return f"cookie {cookie} (Set-Cookie)"
    if lowered == "location":
        return "redirect Location"
    return f"header {name}"


class ExchangeScanner:
    def __init__(self, scanner: LeakScanner) -> None:
        self.scanner = scanner
        self._bodies: dict[str, list[tuple[str, Finding]]] = {}
        # Header lines repeat across samples too (Content-Type, Server, ...): ten or so
        # per exchange, scanned once each; a new Date line is a new key.
        self._header_lines: dict[str, list[Finding]] = {}

    def _header(self, name: str, value: str) -> list[Finding]:
        line = f"{name}: {value}"
        found = self._header_lines.get(line)
        if found is None:
            found = self._header_lines[line] = self.scanner.scan(line)
        return found

    def scan(self, exchange: Exchange) -> list[ExchangeLeak]:
        places: list[tuple[str, Finding]] = []
        seen_headers: set[tuple[str, str]] = set()
        for hop_number, hop in enumerate(exchange.redirects, start=1):
            hop_note = f"hop {hop_number}, HTTP {hop.status}"
            for name, value in hop.headers:
                seen_headers.add((name.lower(), value))
                where = _header_place(name, value)
                for finding in self._header(name, value):
                    places.append((f"{where} ({hop_note})", finding))
        for name, value in exchange.headers:
            if (name.lower(), value) in seen_headers:
                continue  # the last redirect, already scanned as a hop
            for finding in self._header(name, value):
                places.append((_header_place(name, value), finding))
        places += self._body(exchange)
        return [
            ExchangeLeak(exchange.target_id, exchange.url, exchange.status, where, finding)
            for where, finding in places
        ]

    def _body(self, exchange: Exchange) -> list[tuple[str, Finding]]:
        if not exchange.body:
            return []
        digest = hashlib.sha1(exchange.body, usedforsecurity=False).hexdigest()
        cached = self._bodies.get(digest)
        if cached is None:
            text = exchange.text
            cached = []
            for finding in self.scanner.scan(text):
                line, column = line_and_column(text, finding.start)
                cached.append((f"body line {line}, column {column}", finding))
            self._bodies[digest] = cached
        return cached
