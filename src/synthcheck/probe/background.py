"""Work a run does once, started early on a thread so that its waits overlap the rest.

The direct FRED requests are paced (probe/upstream.py: never a burst against the
key's 120 a minute), so they mostly wait; sent while the app is sampled, those waits
cost the run nothing. The result is the same as sending them when first needed:
the same requests, in the same order, read once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar, cast

__all__ = ["Background"]

T = TypeVar("T")


class Background(Generic[T]):
    """``work()`` run at most once: on a daemon thread after :meth:`start`, else inline
    by the first :meth:`result`. An exception in ``work`` is raised by :meth:`result`."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._work = work
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is not None or self._done:
                return
            # A daemon: a run interrupted meanwhile must not wait for FRED's answers.
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread is not None or self._done

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to the reader, never lost on the thread
            self._error = exc
        finally:
            self._done = True

    def result(self) -> T:
        with self._lock:
            if self._thread is None and not self._done:
                self._run()  # never started: the caller does the work itself
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)  # set by the successful _run
