"""Secrets in a table's column: a CSV / TSV export whose header names the secret.

``id,owner,service,key,status`` then ``3f1c…,ops@…,fred,<the key>,active``: the name is
in the header, the values in the rows below, where no ``name=value`` rule can see them.
A header is the text's first line or a line after a blank one, with two or more fields
split by ``,``, a tab, ``;`` or ``|``; its rows are the following lines with the same
number of fields (a Markdown table's ``| name | token |`` too). Only cells of a
column named like a secret (``key``, ``api_key``, ``token``, ``client_secret``,
``password``) are read, and a cell must look generated: a column named ``key`` also
holds dictionary keys and translation ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from synthcheck.leaks import guards
from synthcheck.leaks.literals import credential_literal, name_parts, secret_name_ok
from synthcheck.leaks.shapes import machine_random
from synthcheck.leaks.syntax import Rule, compile_rule
from synthcheck.secrets.finder import lower_same_length

__all__ = ["TABLE_RULES", "table_cells"]

_DELIMITERS = (",", "\t", ";", "|")
_SECRET_WORDS = frozenset(
    {"key", "apikey", "token", "secret", "password", "passwd", "pwd", "credential"}
)
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd"})
_TOKEN_CELL = re.compile(r"[A-Za-z0-9_\-+/=.~]{16,256}")
_HEX = re.compile(r"[0-9a-fA-F]+")
_HEADER_WORDS = ("key", "token", "secret", "passw", "pwd", "credential")
_MAX_HEADERS = 200  # header candidates per text: a source file has many blank lines
_MAX_ROWS = 100_000
_BINARY_SNIFF = 8192


def _fields(line: str, delimiter: str) -> list[tuple[int, int]]:
    """Spans of the fields of one line, inside their double quotes when quoted."""
    spans: list[tuple[int, int]] = []
    pos, end = 0, len(line)
    while pos <= end:
        if line.startswith('"', pos):
            close = line.find('"', pos + 1)
            while close != -1 and line.startswith('""', close):
                close = line.find('"', close + 2)
            if close == -1:
                return []  # a quote that never closes: not a table row
            spans.append((pos + 1, close))
            pos = close + 1
            if pos < end and line[pos] != delimiter:
                return []
        else:
            stop = line.find(delimiter, pos)
            stop = end if stop == -1 else stop
            spans.append((pos, stop))
            pos = stop
        pos += 1
    return spans


def _secret_column(name: str) -> str | None:
    """``password`` or ``token`` for a secret's column name, else None."""
    parts = name_parts(name.strip().strip("\"'"))
    if not parts or len(parts) > 4:
        return None
    last = parts[-1].removesuffix("s") if parts[-1] != "pwd" else "pwd"
    if last == "value" and len(parts) > 1:
        last = parts[-2]
    if last not in _SECRET_WORDS or guards.context_names_non_secret(name):
        return None
    if not secret_name_ok(name):
        return None
    return "password" if last in _PASSWORD_WORDS else "token"


def _cell_ok(value: str, column: str) -> bool:
    if len(value) > 256:
        return False
    if column == "password":
        return credential_literal(value)
    if not _TOKEN_CELL.fullmatch(value) or guards.looks_like_non_secret(value):
        return False
    if _HEX.fullmatch(value):
        # a hex key (FRED's 32) under a key's name; a hash column is named as one
        return len(value) >= 32 and any(c.isalpha() for c in value) and len(set(value)) > 8
    return machine_random(value) and credential_literal(value)


def _header_starts(text: str, low: str) -> Iterator[int]:
    """Where a line that may be a header starts: the text's first line, or a line after
    a blank one, with a delimiter and a secret's word (substring tests at C speed: most
    paragraphs of code and prose are neither)."""
    pos = 0
    for _ in range(_MAX_HEADERS):
        eol = text.find("\n", pos)
        line = low[pos : len(text) if eol == -1 else eol]
        if any(d in line for d in _DELIMITERS) and any(w in line for w in _HEADER_WORDS):
            yield pos
        pos = text.find("\n\n", pos)
        if pos == -1:
            return
        pos += 2


def _line_at(text: str, start: int) -> tuple[str, int]:
    """The line starting at ``start`` (without its CR) and where the next one starts."""
    stop = text.find("\n", start)
    stop = len(text) if stop == -1 else stop
    line = text[start:stop]
    return line.removesuffix("\r"), stop + 1


def table_cells(text: str, low: str | None = None) -> Iterator[tuple[int, int]]:
    """Offsets of the cells in secret-named columns that look like credentials."""
    if "\0" in text[:_BINARY_SNIFF]:
        return  # a binary file's bytes: its "lines" and "fields" are noise
    for start in _header_starts(text, lower_same_length(text) if low is None else low):
        header, row_start = _line_at(text, start)
        if len(header) > 1000:
            continue
        delimiter = next((d for d in _DELIMITERS if d in header), None)
        if delimiter is None:
            continue
        names = _fields(header, delimiter)
        columns = {
            i: kind
            for i, (a, b) in enumerate(names)
            if (kind := _secret_column(header[a:b])) is not None
        }
        if not columns or len(names) < 2:
            continue
        for _ in range(_MAX_ROWS):
            if row_start >= len(text):
                break
            line, following = _line_at(text, row_start)
            cells = _fields(line, delimiter)
            if len(cells) != len(names):
                break
            for index, column in columns.items():
                a, b = cells[index]
                cell = line[a:b]
                a += len(cell) - len(cell.lstrip())  # "| ci | <token> |": a Markdown table
                b -= len(cell) - len(cell.rstrip())
                if a < b and _cell_ok(line[a:b], column):
                    yield row_start + a, row_start + b
            row_start = following


TABLE_RULES: tuple[Rule, ...] = (
    Rule(
        "table-column-secret",
        "secret in a table column (CSV / TSV)",
        "generic",
        compile_rule(r"(?!)"),  # never matches: table_cells finds the values
        (),
        locate=table_cells,
    ),
)
