"""Scan files in forked worker processes, results in the order the files were given.

The scanner is pure Python and CPU-bound, so one process uses one core. With
``--jobs N`` the files are handed to N forked workers in small batches; each worker
inherits the scanner (rules compiled, known secrets in memory: nothing is pickled
or written anywhere) and returns findings already masked, so no secret value
crosses a pipe. The parent keeps every decision that depends on order (the
allowlist, the report), so the output is the same as a serial scan's.

Workers are forked (the ``fork`` start method): where it is missing (Windows), or for
a single job, the scan runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["MAX_AUTO_JOBS", "MIN_PARALLEL_BYTES", "available_cpus", "ordered_map"]

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many bytes in all, starting workers costs more than it saves.
MIN_PARALLEL_BYTES = 2 * 1024 * 1024
# The default number of jobs is capped: each worker is a whole interpreter (~50 MiB).
MAX_AUTO_JOBS = 4
_BATCH = 8  # files per task: few enough to balance big and small files

_work: Callable[[object], object] | None = None


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _call(item: object) -> object:
    assert _work is not None  # set before the fork
    return _work(item)


def ordered_map(
    work: Callable[[Item], Result], items: Iterable[Item], jobs: int
) -> Iterator[Result]:
    """``map(work, items)``, spread over ``jobs`` forked processes when ``jobs > 1``."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(work, items)
        return
    global _work
    _work = work  # type: ignore[assignment]  # inherited by the forked workers
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        yield from pool.imap(_call, items, chunksize=_BATCH)
    _work = None
