"""Per-record work spread over the machine's cores.

Records are independent of each other until related papers are computed, so reading, checking,
tagging, rendering and writing them split into runs of items that processes do side by side: this one
and forked children each take the next run not yet taken until none is left, so a process slowed down
(a busy core, costlier items) simply takes fewer. Children see the parent's data without it being
copied or pickled, and only their results travel back. Results are put back in the items' order, so
the output never depends on how many processes ran or which one computed what.

``CATALOG_JOBS`` sets the number of processes (``1``: all in this process). A child still at work on
another job of this process (a background job, the pages being written) takes one of them, so that
the processes at work never outnumber the cores: on two cores a map then runs here, with no child
forked to copy each page of memory this process writes meanwhile (5–8 µs a page on this machine's VM).
When the background job is done, the map forks a child then, for the oldest map begun and not yet
collected (the one begun so that a child would work on it meanwhile): a core is never left idle
waiting for this process to reach its next map.
Without ``fork`` (Windows) or from a process that runs other threads (``mkdocs serve``: a forked
child gets copies of their locks, held or not), the work runs here.
"""

from __future__ import annotations

import mmap
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from multiprocessing.reduction import ForkingPickler
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_WORKER = 250  # below this many items per process, starting one costs more than it saves
# The most items in a run. A function of a run (``in_runs``) can take its items through one step
# of its work after another, and each step's code and tables then stay in the processor's caches:
# reading 5 000 records so cost a fifth less CPU than taking each through every step in turn.
RUN = 64
MAX_JOBS = 8

most = 1  # the most processes one map has used since `used()` was last called
in_background = False  # this process is a background job's (see `background`): its maps run here
_at_work: set[int] = set()  # this process's children (pids) still computing: each takes a core
_running: list[Background] = []  # background jobs whose child may still be computing
_open: list[Started] = []  # maps begun and not yet collected, oldest first: a core freed goes to the oldest


def jobs() -> int:
    """Worker processes to use: CATALOG_JOBS, else the cores this process may run on (at most 8),
    less those that children still at work on another job take."""
    for job in list(_running):  # a job whose child has sent everything gives its core back
        job.take_in(wait=False)
    return max(1, _cores() - len(_at_work))


def _cores() -> int:
    if in_background:
        return 1
    wanted = os.environ.get("CATALOG_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, MAX_JOBS)


def _fork(context, target: Callable, args: tuple):
    """A child process at work on ``target(*args)``; it counts as taking a core until ``_joined``."""
    child = context.Process(target=_in_child, args=(target, args), daemon=True)
    child.start()
    _at_work.add(child.pid)
    return child


def _in_child(target: Callable, args: tuple) -> None:
    _at_work.clear()  # its parent's other children are not its own,
    _running.clear()  # nor are their pipes its to read,
    _open.clear()  # nor are its maps
    target(*args)


def _joined(child) -> None:
    """Wait for a child that has stopped computing (sent its last result, or failed)."""
    child.join()
    _at_work.discard(child.pid)


def used() -> int:
    """How many processes the largest map since the last call ran on (for the build's summary)."""
    global most
    count, most = most, 1
    return count


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def map_items(function: Callable[[T], R], items: Sequence[T], *, reuse: dict | None = None,
              key: Callable[[T], Hashable] | None = None, fork: bool = True,
              per_worker: int = MIN_PER_WORKER, in_runs: bool = False) -> list[R]:
    """``[function(item) for item in items]``, computed by up to ``jobs()`` processes.

    ``function`` may be any callable, a closure too: it is inherited by the fork, never pickled.
    Its results must pickle, and it should return problems rather than raise them.

    ``reuse`` is a table the caller keeps between builds (see memo.py): an item whose ``key`` is in
    it is not computed again. Afterwards the table holds exactly the keys of these items.
    ``fork=False`` keeps the work here, for results that cost more to pickle than to compute;
    ``per_worker`` is the fewest items worth a process (a few large items: 1).
    ``in_runs``: ``function`` takes a run of items (a list of up to ``RUN``) and returns their
    results in order, so that it can take them through its work one step at a time (see ``RUN``).
    """
    if not in_runs:
        function = _each(function)
    if reuse is None:
        return _map(function, items, fork, per_worker)
    keys = [_Key(key(item)) for item in items]
    found = [reuse.get(k, _MISSING) for k in keys]
    missing: dict[_Key, int] = {}  # each key to compute, and the first item that has it
    for i, (k, value) in enumerate(zip(keys, found)):
        if value is _MISSING:
            missing.setdefault(k, i)
    computed = dict(zip(missing, _map(function, [items[i] for i in missing.values()], fork, per_worker)))
    results = [computed[k] if value is _MISSING else value for k, value in zip(keys, found)]
    reuse.clear()
    reuse.update(zip(keys, results))
    return results


_MISSING = object()


class _Key:
    """A key whose hash is computed once: keys are tuples of records' parts, and a tuple hashes all
    of its parts again on every dict lookup (5 000 pages × several lookups per `mkdocs serve` build)."""

    __slots__ = ("value", "hash")

    def __init__(self, value: Hashable):
        self.value = value
        self.hash = hash(value)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.hash == other.hash and self.value == other.value


def _each(function: Callable[[T], R]) -> Callable[[Sequence[T]], list[R]]:
    """The function of a run of items that ``function`` computes one by one."""
    return lambda run: [function(item) for item in run]


def _map(compute: Callable[[Sequence[T]], list[R]], items: Sequence[T], fork: bool, per_worker: int) -> list[R]:
    with Started(compute, items, fork, per_worker) as started:
        return started.results()


def start(function: Callable[[T], R], items: Sequence[T], *, per_worker: int = MIN_PER_WORKER,
          in_runs: bool = False) -> Started:
    """A map begun now: forked children start on the items at once while this process does other work
    (imports, reading settings), then joins them with ``results()``, taking fewer items for being late.
    Use it as a context manager: leaving it stops children whose results were never asked for.
    ``in_runs``: as for ``map_items``."""
    return Started(function if in_runs else _each(function), items, True, per_worker)


class Started(Generic[T, R]):
    """A map whose children are at work; ``results()`` has this process join in and collects.
    ``compute`` gives the results of a run of items (``_each`` makes one of a function of an item)."""

    def __init__(self, compute: Callable[[Sequence[T]], list[R]], items: Sequence[T], fork: bool, per_worker: int):
        self.compute, self.items, self.per_worker = compute, items, per_worker
        self.began = time.perf_counter()
        self.most = min(_cores(), len(items) // per_worker)  # processes, once every core is free
        self.runs: _Runs | None = None
        self.children: list = []
        self.watched = 0  # children whose pipes ``results()`` reads (``_watch``)
        if self.most < 2 or not fork or not _can_fork():
            return
        self.context = multiprocessing.get_context("fork")
        try:
            self.runs = _Runs(self.context, len(items), self.most)
        except (OSError, ImportError):  # no shared semaphores on this system (no /dev/shm): one process
            return
        _open.append(self)
        _offer_free_cores()

    def _wants_child(self) -> bool:
        """Worth a fork: enough is left for a new child and this process to take a share each."""
        return (self.runs is not None and len(self.children) + 1 < self.most
                and self.runs.left() >= 2 * self.per_worker and _can_fork())

    def _fork_for_free_cores(self) -> None:
        """A child for each core free now (this process takes one), up to ``most`` processes in all."""
        try:
            for _ in range(min(self.most, jobs() + len(self.children)) - 1 - len(self.children)):
                reader, writer = self.context.Pipe(duplex=False)
                child = _fork(self.context, _run_share, (self.compute, self.items, self.runs, writer))
                writer.close()  # the child's end: a child that dies unsent is then an EOFError here, not a hang
                self.children.append((child, reader))
        except BaseException:
            self.close()
            raise

    def results(self) -> list[R]:
        global most
        if self.runs is None:  # all here, in runs all the same (RUN)
            return [result for start in range(0, len(self.items), RUN)
                    for result in self.compute(self.items[start:start + RUN])]
        # This process takes runs like its children: its results need no pickling, and no core waits
        # on a parent that only collects. Between its runs it takes in what the children sent, so
        # that little is left to unpickle once the last run is done, and forks a child for a core
        # that another job (a background one) has freed meanwhile: for the oldest map begun.
        compute, items = self.compute, self.items
        results: list = [None] * len(items)
        working: dict = {}
        for start, end in self.runs:
            self._watch(working)
            results[start:end] = compute(items[start:end])
            _take_in(working, results, wait=False)
            _offer_free_cores()
        self._collected()
        self._watch(working)
        while working:
            _take_in(working, results, wait=True)
        most = max(most, 1 + len(self.children))
        return results

    def _watch(self, working: dict) -> None:
        """Add to ``working`` the pipes of the children forked for this map since the last call: any
        map's loop forks for it (``_offer_free_cores``), one run inside its own compute too."""
        working.update((reader, child) for child, reader in self.children[self.watched:])
        self.watched = len(self.children)

    def _collected(self) -> None:
        if self in _open:
            _open.remove(self)

    def close(self) -> None:
        """Children still at work (after an error, or results never asked for) are stopped."""
        self._collected()
        for child, reader in self.children:
            reader.close()
            if child.exitcode is None:
                child.terminate()
            _joined(child)
        self.children = []

    def __enter__(self) -> Started:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class _Runs:
    """A map's items as consecutive runs, each handed to whichever process asks first.

    Runs are small enough that the processes finish within a run of each other, and large enough
    that asking (a lock shared through the fork) costs nothing next to computing them."""

    def __init__(self, context, total: int, processes: int):
        self.total = total
        self.size = max(1, min(RUN, total // (8 * processes)))
        # Where the next run starts, in memory the forked children share (anonymous: no file to clean up).
        self.next = mmap.mmap(-1, 8)
        self.lock = context.Lock()

    def left(self) -> int:
        """Items no process has taken yet."""
        return max(0, self.total - int.from_bytes(self.next[:8], "little"))

    def __iter__(self) -> Iterator[tuple[int, int]]:
        while True:
            with self.lock:
                start = int.from_bytes(self.next[:8], "little")
                self.next[:8] = (start + self.size).to_bytes(8, "little")
            if start >= self.total:
                return
            yield start, min(start + self.size, self.total)


def _offer_free_cores() -> None:
    """Children for the cores free now, for the maps begun and not yet collected, the oldest first:
    it was begun early so that a child would work on it while this process did the rest (the paper
    pages, while this process makes the exports, see build.py), and this process joins it last."""
    for started in list(_open):
        if started._wants_child():
            started._fork_for_free_cores()


def _take_in(working: dict, results: list, wait: bool) -> None:
    """Put the runs the children have sent in place, waiting for more when ``wait``; a child that
    sent its last run leaves ``working``."""
    for reader in multiprocessing.connection.wait(list(working), timeout=None if wait else 0):
        child = working[reader]
        while True:
            try:
                kind, start, values = reader.recv()
            except EOFError:
                _joined(child)
                raise RuntimeError(f"a worker process stopped without its results (exit code {child.exitcode})") from None
            if kind == "run":
                results[start:start + len(values)] = values
            elif kind == "error":
                raise values
            else:  # "done"
                _joined(child)
                del working[reader]
                break
            if not reader.poll():
                break


def _run_share(compute: Callable[[Sequence], list], items: Sequence, runs: _Runs, writer) -> None:
    """A forked child's part of a map: each run it takes is sent back as soon as it is computed
    (pickled here, beside the parent's work), then "done"; or the exception that stopped it."""
    sender = _Sender(writer)
    try:
        for start, end in runs:
            sender.send(("run", start, compute(items[start:end])))
        sender.send(("done", 0, None))
    except BaseException as exc:  # raised again in the parent
        sender.send_error(exc)
    sender.close()


def background(parts: Callable[[], Iterator[R]], *, fork: bool = True) -> Background[R]:
    """The parts that ``parts()`` yields, computed by a forked child while this process goes on with
    other work, for ``part()`` to collect in turn: what needs none of that work (the site's list pages
    need no related papers) keeps the second core busy while this process works alone. Each part
    is sent as soon as it is made, so the first can be used before the last is done; until the last
    is in, this process's maps count that core as taken (``jobs()``), and fork again once it is.
    Use it as a context manager: leaving it stops a child whose parts were never asked for.

    Only the parts come back: a generator that also fills tables this process keeps (a memo's)
    must run here, ``fork=False``, where each part is computed when asked for."""
    return Background(parts, fork)


class Background(Generic[R]):
    def __init__(self, parts: Callable[[], Iterator[R]], fork: bool = True):
        self.child = None
        self.received: deque[tuple[str, object]] = deque()  # (kind, value) sent and not yet asked for
        self.here: Iterator[R] | None = None  # the parts, when `part()` computes them here
        if not fork or jobs() < 2 or not _can_fork():
            self.here = iter(parts())
            return
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.child = _fork(context, _run_background, (parts, writer))
        writer.close()  # the child's end: a child that dies unsent is then an EOFError here, not a hang
        _running.append(self)

    def part(self) -> R:
        """The next part, waiting for it if need be."""
        global most
        if self.here is not None:
            return next(self.here)
        most = max(most, 2)
        while not self.received:
            self.take_in(wait=True)
        kind, value = self.received.popleft()
        if kind == "error":
            raise value
        return value

    def take_in(self, wait: bool) -> None:
        """Receive what the child has sent (waiting for one message when ``wait``); once the child is
        done, or has failed, it is joined: its core is free."""
        while self.child is not None and (wait or self.reader.poll()):
            wait = False
            try:
                kind, _, value = self.reader.recv()
            except EOFError:  # it died: its pipe closed as it exited
                self.child.join()
                kind, value = "error", RuntimeError(
                    f"a worker process stopped without its results (exit code {self.child.exitcode})")
            if kind != "done":
                self.received.append((kind, value))
            if kind != "part":
                self.close()

    def close(self) -> None:
        if self.child is not None:
            self.reader.close()
            if self.child.exitcode is None:
                self.child.terminate()
            _joined(self.child)
            _running.remove(self)
            self.child = None

    def __enter__(self) -> Background[R]:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _run_background(parts: Callable[[], Iterator], writer) -> None:
    """A background job's child: its maps run in it alone (the cores are busy with the parent's)."""
    global in_background
    in_background = True
    sender = _Sender(writer)
    try:
        for part in parts():
            sender.send(("part", 0, part))
        sender.send(("done", 0, None))
    except BaseException as exc:  # raised again in the parent
        sender.send_error(exc)
    sender.close()


class _Sender:
    """Sends a child's runs from a thread of their own, so that the child goes on computing while the
    parent is busy elsewhere and the pipe is full: the parent joins the records' reading only after
    its imports, and by then a child that waited on the pipe had sat idle for half of its time."""

    def __init__(self, writer):
        _widen(writer)
        self.writer = writer
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._send_all, daemon=True)
        self.thread.start()

    def send(self, message: tuple) -> None:
        self.queue.put(ForkingPickler.dumps(message))  # pickled here: a result that does not pickle raises here

    def send_error(self, exc: BaseException) -> None:
        try:
            self.send(("error", 0, exc))
        except Exception:  # an exception or result that does not pickle
            self.send(("error", 0, RuntimeError(f"a worker could not send its results back: {exc!r}")))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.writer.close()

    def _send_all(self) -> None:
        while (data := self.queue.get()) is not None:
            try:
                self.writer.send_bytes(data)
            except OSError:  # the parent stopped listening (it failed, or stopped this map): nothing to send to
                return


def _widen(writer) -> None:
    """A pipe that holds a run or two of results (Linux: 1 MiB, the default most an unprivileged
    process may ask for), so a child rarely waits for the parent to finish its own run and read."""
    try:
        import fcntl

        fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):  # another system, or a lower limit: the default size
        pass
