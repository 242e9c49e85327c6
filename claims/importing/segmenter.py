"""Split batches of articles into sentences here, or in worker processes meanwhile.

An import alternates between spaCy (segmentation) and the database (storing). With workers,
the next batches are segmented in other processes while this one stores the previous batch,
so a machine with two cores does both at once.
"""

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from array import array
from concurrent.futures import Future, ProcessPoolExecutor

from django.db import connections

from claims.nlp.segmentation import KINDS, Segment, get_nlp, segment_many


class Segmenter:
    """Segment in this process: the result is ready when submit() returns."""

    workers = 0

    def submit(self, texts: list[str]) -> "Future[list[list[Segment]]]":
        future: Future[list[list[Segment]]] = Future()
        future.set_result(list(segment_many(texts)))
        return future

    def close(self) -> None:
        pass


class ProcessSegmenter(Segmenter):
    """Segment in `workers` processes, started now, each with its own copy of the pipeline.

    On Linux they are forked, so they start at once with the pipeline this process loaded;
    this process's database connections are closed first, so that no child shares them.
    Elsewhere they are spawned and load the pipeline themselves (a second or two).
    """

    def __init__(self, workers: int):
        self.workers = workers
        fork = sys.platform == "linux"
        if fork:
            get_nlp()
            connections.close_all()  # reopened on the next query
        context = multiprocessing.get_context("fork" if fork else "spawn")
        self.pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=end_with_parent, initargs=(os.getpid(),)
        )
        self.pool.submit(int)  # start the workers now, before this process opens a connection

    def submit(self, texts: list[str]) -> "Future[list[list[Segment]]]":
        packed = self.pool.submit(worker_segment, texts)
        future: Future[list[list[Segment]]] = Future()
        packed.add_done_callback(lambda done: settle(future, done))
        return future

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def end_with_parent(parent: int) -> None:
    """Make this worker end when the import that started it ends, however it ends.

    A worker waits for batches on a pipe whose other end it holds itself, so it would never
    notice that the import was killed (`kill -9`) and would run on, holding its memory. On
    Linux the kernel signals it when the parent dies; elsewhere a thread watches the parent.
    """
    if not parent_death_signal(signal.SIGKILL):  # it holds nothing to clean up
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was arranged
        os._exit(1)


def parent_death_signal(number: int) -> bool:
    """Ask Linux to send this process the signal when its parent dies; return whether it could."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, number, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


PR_SET_PDEATHSIG = 1


def settle(future: Future, packed: Future) -> None:
    if (error := packed.exception()) is not None:
        future.set_exception(error)
    else:
        future.set_result([unpacked(segments) for segments in packed.result()])


# Below this much input a worker process is not worth starting.
WORKER_MIN_BYTES = 1_000_000


def segmenter_for(workers: int | None, input_bytes: int = 0) -> Segmenter:
    """Return a segmenter with that many workers (None: one if there are two or more cores
    and at least WORKER_MIN_BYTES of input). Inside a transaction, none: forking closes the
    connections, and with them the transaction."""
    if workers is None:
        workers = int((os.cpu_count() or 1) >= 2 and input_bytes >= WORKER_MIN_BYTES)
    if workers < 1 or any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        return Segmenter()
    return ProcessSegmenter(workers)


def worker_segment(texts: list[str]) -> list[bytes]:
    """Segment in a worker; each article's segments come back packed (see packed())."""
    return [packed(segments) for segments in segment_many(texts)]


# Segments cross between processes as flat integer arrays: pickling a hundred thousand named
# tuples each way cost a fifth of what the worker saved.
KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}


def packed(segments: list[Segment]) -> bytes:
    return array("q", [n for s in segments for n in (s.start, s.end, KIND_CODES[s.kind])]).tobytes()


def unpacked(data: bytes) -> list[Segment]:
    numbers = iter(array("q", data))
    triples = zip(numbers, numbers, numbers, strict=True)
    return [Segment(start, end, KINDS[kind]) for start, end, kind in triples]
