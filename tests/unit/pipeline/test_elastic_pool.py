"""A pool that follows a changing share of cores (`pipeline/elastic_pool.py`)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from tests.waiting import wait_until
from vidjil_local.core.genes import GermlineSet
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import DetectionSettings, make_runner
from vidjil_local.pipeline.elastic_pool import ElasticPool

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"


def _nothing() -> None:
    return None


def _held_pid(release: str) -> int:
    """A chunk that keeps its process until every chunk was given out (`release` exists): none
    is done before the next is given, so each goes to the least busy process, however fast or
    loaded the machine."""
    while not os.path.exists(release):
        time.sleep(0.005)
    return os.getpid()


def _pids(pool: ElasticPool, count: int) -> set[int]:
    with tempfile.TemporaryDirectory() as folder:
        release = Path(folder) / "given-out"
        futures = [pool.submit(_held_pid, str(release)) for _ in range(count)]
        release.touch()
        return {future.result() for future in futures}


def test_the_pool_uses_the_share_minus_this_process_and_follows_it() -> None:
    share = [3]
    with ElasticPool(lambda: share[0], 4, _nothing, ()) as pool:
        pids = _pids(pool, 12)
        assert len(pids) == 2 and os.getpid() not in pids
        assert pool.workers() == 2
        share[0] = 1  # another job started: no pool process may take new chunks
        assert pool.workers() == 0
        pool.submit(os.getpid).result()
        assert pool.started() == 1  # the second one was shut down once idle
        share[0] = 9  # more than the limit: limit - 1 processes
        assert len(_pids(pool, 12)) == 3
        assert pool.workers() == 3 and pool.started() == 3
    assert pool.started() == 0


def _pool_then_wait(pids: Path) -> None:
    with ElasticPool(lambda: 3, 3, _nothing, ()) as pool:
        pids.write_text(" ".join(str(pid) for pid in _pids(pool, 8)))
        signal.pause()  # until killed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not status.exists() or status.read_text().split()[2] != "Z"


def test_the_pool_processes_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    parent = multiprocessing.get_context("spawn").Process(target=_pool_then_wait, args=(pids,))
    parent.start()
    try:
        found = wait_until(
            lambda: pids.read_text() if pids.exists() else "", timeout=60, what="no pool"
        )
        workers = [int(pid) for pid in found.split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    finally:
        parent.kill()  # as a cancelled job's process is
        parent.join()
    wait_until(lambda: not any(_alive(pid) for pid in workers), timeout=10, what="orphans live")


@pytest.fixture(scope="module")
def igh() -> GermlineSet:
    return load_germline("human:IGH").germline_set


def test_a_share_changing_during_a_run_gives_the_serial_result(igh: GermlineSet) -> None:
    paths = [GOLDEN / "igh.fastq", GOLDEN / "reverse.fastq"]
    serial = make_runner(igh, DetectionSettings(), 1).run(paths, 20)
    calls = [0]

    def share() -> int:  # 1, 3, 1, 3...: the pool grows and shrinks between chunks
        calls[0] += 1
        return 1 if (calls[0] // 4) % 2 == 0 else 3

    elastic = make_runner(igh, DetectionSettings(), 3, share=share).run(paths, 20)
    assert calls[0] > 8
    for alone, shared in zip(serial, elastic, strict=True):
        assert alone.statistics.__reduce__() == shared.statistics.__reduce__()
        assert {window: stats.count for window, stats in alone.windows.items()} == {
            window: stats.count for window, stats in shared.windows.items()
        }
