"""Line numbers, columns and line texts of ascending offsets in one text."""

from __future__ import annotations

__all__ = ["Lines"]


class Lines:
    """Line numbers of ascending offsets in one text, counted from the last one asked.

    ``text.count`` from the start for every finding is quadratic in a file dense with
    findings (a log with thousands of planted values); the scanner's findings come
    sorted by offset, so each newline is counted once.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def at(self, offset: int) -> tuple[int, int, str]:
        """1-based line and column of ``offset``, and the text of its line."""
        text = self._text
        if offset < self._offset:  # not ascending (never from LeakScanner.scan): recount
            self._offset, self._line = 0, 1
        self._line += text.count("\n", self._offset, offset)
        self._offset = offset
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        return self._line, offset - start + 1, text[start : end if end != -1 else len(text)]
