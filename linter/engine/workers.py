"""Worker processes of a run (:mod:`linter.engine.pool` starts them): each
with a pipe to the run, stopped by it, and ended with it however it ends."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time


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
