"""Background: once-only work started early; readers wait for it, errors reach them."""

from __future__ import annotations

import threading

import pytest

from synthcheck.probe.background import Background


def test_started_work_runs_once_on_another_thread_and_readers_wait() -> None:
    release = threading.Event()
    calls: list[str] = []

    def work() -> int:
        calls.append(threading.current_thread().name)
        release.wait(timeout=5)
        return 42

    job = Background(work, "fred")
    job.start()
    job.start()  # idempotent
    results: list[int] = []
    readers = [threading.Thread(target=lambda: results.append(job.result())) for _ in range(3)]
    for reader in readers:
        reader.start()
    release.set()
    for reader in readers:
        reader.join(timeout=5)
    assert results == [42, 42, 42]
    assert calls == ["fred"]  # one run, on the job's own thread
    assert job.result() == 42


def test_never_started_work_runs_inline_in_the_first_reader() -> None:
    calls: list[str] = []

    def work() -> str:
        calls.append(threading.current_thread().name)
        return "done"

    job = Background(work, "fred")
    assert not job.started
    assert job.result() == "done"
    assert job.result() == "done"
    assert calls == [threading.current_thread().name]
    job.start()  # after the result: nothing more to do
    assert calls == [threading.current_thread().name]


def test_an_error_in_the_work_reaches_every_reader() -> None:
    def work() -> int:
        raise ValueError("bad answer")

    job = Background(work, "fred")
    job.start()
    for _ in range(2):
        with pytest.raises(ValueError, match="bad answer"):
            job.result()
