"""Worker processes of a run (:mod:`linter.engine.pool` starts them): each
with a pipe to the run, stopped by it, and ended with it however it ends."""

from __future__ import annotations

import marshal
import os
import signal
import sys
import threading
import time

from linter.engine.settings import InternalError

#: this platform's processes fork (they inherit what the forking one loaded)
FORKS = sys.platform.startswith("linux")

# a warm run's changed files are linted by one worker process as the lookups
# find them (Misses), up to this many characters of their paths and names
# (what that worker is sent fits a socket's buffer while it waits to answer)
MISS_NAMES = 32 * 1024


def start_workers(ctx, target, args: tuple, jobs: int, procs: list, conns: dict) -> None:
    """Start ``jobs`` daemon processes running ``target(conn, *args, parent,
    others)``, each with a pipe whose other end goes into ``conns`` (with an
    empty list: the numbers it has in flight) and each given the ends it must
    close (``others``: the workers started before it); ``procs`` gets the
    processes, as they start (a failure leaves the started ones to stop)."""
    for _ in range(jobs):
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(
            target=target, args=(theirs, *args, os.getpid(), [mine, *conns]), daemon=True
        )
        proc.start()
        theirs.close()
        procs.append(proc)
        conns[mine] = []


def stop_workers(procs: list, conns) -> None:
    """Tell each worker to stop (None), close the pipes, and reap the
    processes: one still alive a second later is terminated."""
    for conn in conns:
        try:
            conn.send(None)
        except OSError:
            pass
        conn.close()
    for proc in procs:
        proc.join(timeout=1)
        if proc.is_alive():
            proc.terminate()
            proc.join()


class Misses:
    """The files a warm run must lint, found as the files are looked up:
    sent at once to one worker process (started on the first, running
    ``serve``: the run's lint worker), which lints them while the run reads
    and renders the cached files before them; each result taken in its
    place (:meth:`take`). Linted in the run itself, the first would stop it
    for the rules' reference tables while the workers that render run out
    of batches. At most ``most`` files and :data:`MISS_NAMES` characters of
    names are sent (:meth:`send` says False: the run lints the rest as
    before)."""

    def __init__(self, settings, serve, most: int):
        self.settings, self.serve, self.most = settings, serve, most
        self.procs: list = []
        self.inflight: dict = {}  # the worker's end -> the files it holds
        self.sent: dict[int, str] = {}  # file number -> its path (for an error)
        self.size = 0  # characters of the paths and names sent
        self.ready: dict = {}  # file number -> its result, taken early

    def __contains__(self, k: int) -> bool:
        return k in self.sent

    def send(self, k: int, path, name: str) -> bool:
        """Have the worker lint file ``k`` (False: not sent)."""
        path = os.fspath(path)
        size = self.size + len(path) + len(name)
        if len(self.sent) >= self.most or size > MISS_NAMES:
            return False
        try:
            if not self.procs:
                import multiprocessing as mp

                args = (self.settings, None, None)
                start_workers(
                    mp.get_context("fork"), self.serve, args, 1, self.procs, self.inflight
                )
            conn = next(iter(self.inflight))
            conn.send((k, [(path, name)]))
        except (OSError, StopIteration):  # no process (a system limit), or it died
            self.most = 0  # the run lints the rest: no fork tried again for each
            return False
        self.inflight[conn].append(k)
        self.sent[k] = path
        self.size = size
        return True

    def take(self, k: int):
        """File ``k``'s result (it was sent), waited for."""
        while k not in self.ready:
            conn = next(iter(self.inflight))
            try:
                number, results = conn.recv()
            except (EOFError, OSError):  # the worker died (killed, out of memory)
                raise InternalError(
                    self.sent[k], "a worker process died while linting it"
                ) from None
            self.inflight[conn].remove(number)
            self.ready[number] = results[0]
        return self.ready.pop(k)

    def close(self) -> None:
        stop_workers(self.procs, self.inflight)


def in_parts(work, items: list, parts: int, *args, here: bool = True) -> list:
    """``work(items, *args)`` (a list, one answer per item, that ``marshal``
    can write), the items cut in up to ``parts`` consecutive parts worked out
    at the same time: all but the first by forked processes, which send
    their answers back through a pipe, the first by this one (``here=False``:
    every part by a forked process, so that what ``work`` loads or starts,
    threads included, ends with it). A part whose process cannot start or
    fails is worked out here after the others; where processes do not fork
    (:data:`FORKS`), every part is."""
    if not FORKS:
        return work(items, *args)
    size = -(-len(items) // max(1, parts)) or 1
    cuts = [items[i : i + size] for i in range(0, len(items), size)] or [items]
    away = cuts[1:] if here else cuts  # the parts for forked processes
    forked: list[tuple[int, int, list]] = []  # (pid, read end, part)
    try:
        for part in away:
            try:
                r, w = os.pipe()
            except OSError:
                continue  # (worked out here, below)
            try:
                pid = os.fork()
            except OSError:
                os.close(r)
                os.close(w)
                continue
            if pid == 0:  # the part's process: its answer, then gone (no exit handlers)
                status = 1
                try:
                    os.close(r)
                    view = memoryview(marshal.dumps(work(part, *args)))
                    while view:
                        view = view[os.write(w, view) :]
                    status = 0
                finally:
                    os._exit(status)
            os.close(w)
            forked.append((pid, r, part))
        out = work(cuts[0], *args) if here else []
        answers = {}
        while forked:
            pid, r, part = forked.pop(0)
            try:
                chunks = []
                while chunk := os.read(r, 1 << 20):
                    chunks.append(chunk)
            except OSError:
                chunks = None
            finally:
                os.close(r)
                ok = _reaped(pid)
            answer = None
            if ok and chunks is not None:
                try:
                    answer = marshal.loads(b"".join(chunks))
                except (EOFError, ValueError, TypeError):
                    answer = None
            if type(answer) is not list or len(answer) != len(part):
                answer = work(part, *args)  # the part's process failed: here
            answers[id(part)] = answer
        for part in away:
            out += answers[id(part)] if id(part) in answers else work(part, *args)
        return out
    finally:
        for pid, r, _ in forked:  # (a run interrupted: the processes ended, reaped)
            os.close(r)
            _reaped(pid)


def _reaped(pid: int) -> bool:
    """Wait for the forked process ``pid``; whether it exited with status 0."""
    try:
        return os.waitpid(pid, 0)[1] == 0
    except OSError:  # (not a child of this process any more)
        return False


def die_with_parent(parent: int, others) -> None:
    """Make this worker end when the parent does, however the parent ends
    (SIGKILL, an out-of-memory kill): the kernel sends SIGKILL on the parent's
    death (Linux ``PR_SET_PDEATHSIG``), a watcher thread checks the parent's
    pid elsewhere, and the parent's ends of the other workers' pipes are
    closed here, so that no worker keeps another's pipe (or the run's
    stdout) open after the parent is gone."""
    for conn in others:
        try:
            conn.close()
        except OSError:
            pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            _watch_parent(parent)
    else:  # pragma: no cover - no prctl
        _watch_parent(parent)
    if os.getppid() != parent:  # it died before the signal was armed
        os._exit(1)


def _watch_parent(parent: int) -> None:
    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
