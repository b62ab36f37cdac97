"""Read a file as text for scanning, in bounded pieces, whatever it holds.

Text is decoded as UTF-8 (bad bytes replaced). A file with a NUL byte in its first
8 KiB is binary: it is read as Latin-1, one character per byte, so a key stored in
a build artifact is still found and its line is counted as ``grep -a`` would. Files
larger than one piece are read piece by piece with an overlap longer than any
secret, so memory stays bounded and nothing straddling a boundary is missed.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CHUNK_BYTES", "OVERLAP_CHARS", "Piece", "is_binary", "pieces"]

CHUNK_BYTES = 8 * 1024 * 1024
OVERLAP_CHARS = 8192  # longer than any secret the rules match (PEM bodies are cut at one line)
_SNIFF = 8192


@dataclass(frozen=True)
class Piece:
    text: str
    own_from: int  # text[:own_from] repeats the previous piece's end (the overlap)
    first_line: int  # line number of text[0]
    last: bool = True  # the file ends with this piece (else text ends mid-file)
    binary: bool = False  # a NUL in the file's first 8 KiB: read as Latin-1


def is_binary(head: bytes) -> bool:
    return b"\0" in head[:_SNIFF]


def pieces(path: Path) -> Iterator[Piece]:
    """The file's text piece by piece, opened once (the sniff reads the first piece)."""
    with path.open("rb") as handle:
        data = handle.read(CHUNK_BYTES)
        binary = is_binary(data)
        decoder = codecs.getincrementaldecoder("latin-1" if binary else "utf-8")(errors="replace")
        carry = ""
        line = 1
        while True:
            # Read one piece ahead, so a piece knows whether the file ends with it.
            following = handle.read(CHUNK_BYTES) if data else b""
            text = decoder.decode(data, final=not following)
            if not text and not data:
                return
            window = carry + text
            yield Piece(window, len(carry), line, last=not following, binary=binary)
            if not following:
                return
            next_carry = window[-OVERLAP_CHARS:]
            line += window.count("\n", 0, len(window) - len(next_carry))
            carry = next_carry
            data = following
