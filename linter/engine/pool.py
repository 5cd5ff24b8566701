"""Many files: worker processes (results streamed in order) and the results cache."""

from __future__ import annotations

import functools
import gc
import os
import time
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

from linter.engine.collection import CollectionIndex
from linter.engine.filelint import FileBrief, FileResult, Linter, RenderedFiles
from linter.engine.keylist import KeyList
from linter.engine.settings import InternalError, Settings, fails
from linter.engine.spool import Spool, Spooled
from linter.engine.workers import (
    FORKS,
    Misses,
    die_with_parent,
    in_parts,
    start_workers,
    stop_workers,
)

_WORKER: Linter | None = None
CHUNK_MAX = 64  # files per message to a worker
# ... when the workers also encode the cache entries: a chunk's findings, its
# rendered text and its entries are in memory together, in the worker and on
# the way (64 files: about 15 MB more at each process's peak, 10,000 records)
CHUNK_ENCODED = 16
PER_WORKER = 64  # files to lint for each worker process started (one: the run lints)
CACHE_BATCH = 500  # files looked up in the results cache per query
# a run's files' cache keys are worked out by several processes at once,
# each given at least this many (fewer: the run's own process, as it looks up)
KEYS_PER_PROCESS = 4096
# cached results read (decoded into findings) at a time: the findings of a
# batch are in memory together, and a record can have hundreds
LOAD_BATCH = 64
AHEAD = 2  # chunks in flight per worker
# a warm run's worker renders a batch in ~1.5 ms, while the parent looks up
# the next CACHE_BATCH files in ~3 ms: so many batches ahead keep it busy
RENDER_AHEAD = 4
#: the collector's thresholds while files are linted: a record's objects die
#: with it (no reference cycles), so collect rarely (the defaults, 700 new
#: objects a collection, cost a linting process about a tenth of its time)
GC_THRESHOLDS = (50_000, 50, 50)
# a warm run renders its cached files in worker processes (see _Renderers)
# when the results pack answers this many files at least ...
RENDER_MIN = 2048
RENDER_BATCH = 64  # ... this many consecutive cached files per message
RENDER_NAMES = 8 * 1024  # characters of paths and names per message to a worker (_runs)


def _serve(
    conn, settings: Settings, render=None, encode=None, parent: int | None = None, others=()
) -> None:
    """A worker process: lint the chunks of files it is sent, answer each with
    its results (with ``render``: a :class:`RenderedFiles` of them, unless a
    file had an internal error, with each file's cache entry as ``encode``
    makes it when given), stop at ``None``. A forked worker inherits
    the parent's warmed-up linter (see :func:`_lint_parallel`); it ends with
    its parent."""
    if parent is not None:
        die_with_parent(parent, others)
    linter = _WORKER if _WORKER is not None and _WORKER.settings is settings else None
    if linter is None:
        linter = Linter(settings)
    # a record's objects die with it (no reference cycles): collect rarely,
    # and never scan what the worker inherited or loaded before its first file
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        while True:
            msg = conn.recv()
            if msg is None:
                break
            number, chunk = msg
            results = [linter.lint_file(Path(p), n) for p, n in chunk]
            answer = results
            if render is not None and not any(r.error for r in results):
                try:
                    answer = _render_batch([n for _, n in chunk], results, render, settings.fail_on)
                    if encode is not None:
                        answer.entries = [encode(r) for r in results]
                except Exception:  # the parent renders (and encodes) them itself
                    answer = results
            conn.send((number, answer))
    except (EOFError, KeyboardInterrupt, OSError):
        pass  # the parent is gone or stopping: nothing left to do


def _render_batch(names: list[str], results, render, fail_on: str, spool=None, number=0):
    """A batch of files' results as a worker answers for them: the reporter's
    part (through ``spool`` when given and it can), the summary's counts,
    the collection index entries, whether one fails the run."""
    part, summary = render(results)
    if spool is not None and type(part) is bytes:
        part = spool.put(number, part)
    failed = any(
        r.fails(fail_on) if type(r) is FileBrief else fails(r.findings, fail_on) for r in results
    )
    return RenderedFiles(names, _index_of(names, results), part, summary, failed)


def _lint_parallel(
    todo: list[tuple[str, str]], settings: Settings, jobs: int, render=None, encode=None
):
    """Lint ``todo`` in ``jobs`` worker processes, yielding results in order
    (with ``render``, the workers render their chunks: a
    :class:`RenderedFiles` for each chunk, with the files' cache entries
    when ``encode`` is given, the results of one where a file had an
    internal error).

    The parent does the bookkeeping in one thread (no pool handler threads to
    compete with the workers for the CPU): each worker has at most ``AHEAD``
    chunks in flight; results wait in a small reorder buffer, so memory does
    not grow with the number of files."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    global _WORKER
    # lint the first file here: the imports, reference tables and caches it
    # loads are shared by every forked worker instead of loaded by each
    _WORKER = Linter(settings)
    yield _WORKER.lint_file(Path(todo[0][0]), todo[0][1])
    todo = todo[1:]
    if not todo:
        return
    _WORKER.warm()
    most = CHUNK_MAX if encode is None else CHUNK_ENCODED
    chunk = max(8, min(most, len(todo) // (jobs * 8) or 1))
    chunks = [todo[a:b] for a, b in _runs([True] * len(todo), todo, chunk)]
    mpctx = mp.get_context("fork" if FORKS else None)
    procs, inflight = [], {}
    sent = 0
    thresholds = gc.get_threshold()
    try:
        args = (settings, render, encode)
        start_workers(mpctx, _serve, args, min(jobs, len(chunks)), procs, inflight)
        for _ in range(AHEAD):
            for conn, numbers in inflight.items():
                if sent < len(chunks):
                    conn.send((sent, chunks[sent]))
                    numbers.append(sent)
                    sent += 1
        ready: dict[int, list[FileResult]] = {}
        want = 0
        # the results the parent unpacks die young; what it keeps (the
        # collection index) need not be scanned over and over
        gc.set_threshold(*GC_THRESHOLDS)
        while want < len(chunks):
            while want in ready:
                got = ready.pop(want)
                if type(got) is RenderedFiles:
                    yield got
                else:
                    yield from got
                want += 1
            if want >= len(chunks):
                break
            for conn in wait([c for c, numbers in inflight.items() if numbers]):
                try:
                    number, results = conn.recv()
                    inflight[conn].remove(number)
                    ready[number] = results
                    if sent < len(chunks):
                        inflight[conn].append(sent)
                        sent += 1
                        conn.send((sent - 1, chunks[sent - 1]))
                except (EOFError, OSError):  # the worker died (killed, out of memory)
                    lost = [n for k in inflight[conn] for _, n in chunks[k]]
                    raise InternalError(
                        lost[0], f"a worker process died while linting {len(lost)} file(s)"
                    ) from None
    finally:
        gc.set_threshold(*thresholds)
        _WORKER = None
        stop_workers(procs, inflight)


def _render_serve(conn, load, render, fail_on: str, spool, parent: int, others) -> None:
    """A warm run's worker process: read the cached results of the pack
    entries it is sent (``load``), render them (``render``: the reporter's
    part and summary counts; None: the collection index entries alone are
    wanted) and answer with a :class:`RenderedFiles`; None when an entry does
    not decode or anything goes wrong (the parent then does that batch).
    The text of a batch goes through ``spool`` when it can (:mod:`.spool`)."""
    die_with_parent(parent, others)
    gc.freeze()
    try:
        while True:
            msg = conn.recv()
            if msg is None:
                break
            number, entries, names = msg
            try:
                results = load(entries, names)
                if any(r is None for r in results):
                    answer = None
                elif render is None:
                    answer = RenderedFiles(names, _index_of(names, results), None, None, False)
                else:
                    answer = _render_batch(names, results, render, fail_on, spool, number)
            except Exception:  # the parent does the batch itself, and reports
                answer = None
            conn.send((number, answer))
    except (EOFError, KeyboardInterrupt, OSError):
        pass


def _index_of(names: list[str], results) -> CollectionIndex:
    """A batch's collection index entries, as columns (one pickled buffer
    each, which the run appends to its index whole)."""
    return CollectionIndex.of(zip(names, [r.index for r in results]))


class _Renderers:
    """The worker processes of a warm run: batches of cached files are sent
    in order, a few per worker in flight, and their answers taken in order
    (:meth:`result`). A worker that dies answers None for its batches."""

    def __init__(self, load, render, fail_on: str, jobs: int):
        import multiprocessing as mp
        from multiprocessing.connection import wait

        self._wait = wait
        self.procs: list = []
        self.inflight: dict = {}  # connection -> batch numbers it holds
        self.ready: dict[int, RenderedFiles | None] = {}
        # the batches' text, beside the pipes: a slot for each batch that
        # may be sent and not yet taken (see room())
        self.slots = jobs * RENDER_AHEAD + 2
        self.spool = Spool.open(self.slots)
        try:
            args = (load, render, fail_on, self.spool)
            start_workers(
                mp.get_context("fork"), _render_serve, args, jobs, self.procs, self.inflight
            )
        except BaseException:
            self.close()
            raise

    def room(self) -> bool:
        return any(len(numbers) < RENDER_AHEAD for numbers in self.inflight.values())

    def send(self, number: int, entries: list[int], names: list[str]) -> None:
        conn = min(self.inflight, key=lambda c: len(self.inflight[c]))
        try:
            conn.send((number, entries, names))
            self.inflight[conn].append(number)
        except OSError:
            self.ready[number] = None

    def result(self, number: int) -> RenderedFiles | None:
        """Batch ``number``'s answer, waited for (None: the batch falls back
        to the parent); its text read back from the spool, whose slot is then
        free (see :mod:`.spool`)."""
        while number not in self.ready:
            if not self._take(None):
                return None
        answer = self.ready.pop(number)
        if answer is not None and type(answer.part) is Spooled:
            text = self.spool.take(answer.part) if self.spool is not None else None
            if text is None:
                return None
            answer.part = text
        return answer

    def arrived(self, number: int) -> bool:
        """Whether batch ``number``'s answer is here (what has arrived is
        taken, without waiting)."""
        if number not in self.ready:
            self._take(0)
        return number in self.ready or not any(self.inflight.values())

    def _take(self, timeout) -> bool:
        """Take the answers that arrive within ``timeout`` seconds (None:
        wait for one); False when no worker holds a batch."""
        busy = [c for c, numbers in self.inflight.items() if numbers]
        if not busy:
            return False
        for conn in self._wait(busy, timeout):
            try:
                got, answer = conn.recv()
                self.inflight[conn].remove(got)
                self.ready[got] = answer
            except (EOFError, OSError):  # the worker died: its batches fall back
                for lost in self.inflight.pop(conn):
                    self.ready[lost] = None
                conn.close()
        return True

    def close(self) -> None:
        stop_workers(self.procs, self.inflight)
        if self.spool is not None:
            self.spool.close()


class _Lookups:
    """The files' cache keys (``keys``) and whether the cache answers each
    (``hit``), worked out :data:`CACHE_BATCH` files at a time, as far as
    asked (:meth:`upto`): a warm run's workers read the first files while
    the run looks up the next."""

    def __init__(self, files: list, cache, keys: KeyList, hit: bytearray, jobs: int = 1):
        self.files, self.cache, self.keys, self.hit = files, cache, keys, hit
        self.done = 0 if cache is not None else len(files)  # files looked up
        self.jobs = jobs
        self.ahead: list | None = None  # every file's key, worked out at once

    def upto(self, end: int) -> int:
        """Look the files up to ``end`` up (at least); how many are."""
        files, cache = self.files, self.cache
        if self.done < min(end, len(files)) and self.ahead is None:
            self.ahead = self._keys_in_parts()
        while self.done < min(end, len(files)):
            start = self.done
            batch = [path for path, _ in files[start : start + CACHE_BATCH]]
            if self.ahead:
                found = self.ahead[start : start + len(batch)]
            else:
                found = cache.keys(batch)
            self.keys.put(start, found)
            for i, current in enumerate(cache.lookup(batch, found), start):
                self.hit[i] = current
            self.done = start + len(batch)
        if self.done == len(files):
            self.ahead = []  # (the memory goes)
        return self.done

    def _keys_in_parts(self) -> list:
        """Every file's key, worked out by up to ``jobs`` processes at once
        (:func:`~.workers.in_parts`) when there are many files and the
        cache's keys allow it (``keys_apart``); else ``[]``: the keys are
        worked out here, a batch at a time. The clock is read once, before."""
        parts = min(self.jobs, len(self.files) // KEYS_PER_PROCESS)
        work = self.cache.keys_apart()
        if parts < 2 or work is None or not FORKS:
            return []
        return in_parts(work, [path for path, _ in self.files], parts, time.time_ns())


def lint_files(
    files: Iterable[tuple[Path, str]],
    settings: Settings,
    jobs: int | None = None,
    cache=None,
    miss_settings: Settings | None = None,
    render=None,
    index_only: bool = False,
) -> Iterator[FileResult | RenderedFiles]:
    """Lint files, in order, streaming results; uses several processes when
    there are many files to lint. With a :class:`~linter.pipeline.cache.Cache`, files
    whose entry is current are answered from it (read one at a time as they
    are yielded: memory does not grow with the cache), the others linted and
    their results written to it. With ``miss_settings``, the files the cache
    does not answer are linted with those settings instead (fewer rules: what
    ``--changed-since`` needs of unchanged files) and not written to it, and
    the cache's answers carry the collection index only, not the findings.

    With ``render`` (results -> (part, summary), made by the caller for its
    reporter), a warm run whose results pack answers many files reads and
    renders runs of consecutive cached files in worker processes and yields
    a :class:`RenderedFiles` for each run instead of its results, and a run
    without a cache, or one the cache answers for no file, that lints in
    worker processes has them render what they lint, a
    :class:`RenderedFiles` for each chunk (writing the cache, they also
    encode each file's entry: the run only seals and stores it); with
    ``miss_settings`` the workers read the runs' collection index entries
    alone (no ``render`` needed). With ``index_only`` (and no
    ``miss_settings``), only the results' collection index is used, as with
    ``miss_settings``, but every file is linted with ``settings`` and written
    to the cache: a cache of those settings alone (the collection rules')."""
    files = list(files)
    store = cache is not None and miss_settings is None
    if miss_settings is not None:
        settings = miss_settings
        index_only = True  # --changed-since's unchanged files: their index alone
    if index_only:
        render = None
    # a warm run may have its cached files read (and rendered) by workers
    warm = cache is not None and (render is not None or index_only) and FORKS
    keys = KeyList(len(files))
    hit = bytearray(len(files))
    if jobs is None:
        jobs = os.cpu_count() or 1
    lookups = _Lookups(files, cache, keys, hit, jobs)
    if (  # a warm run, by its first files: the workers start on them at once
        warm
        and jobs > 1
        and len(files) >= 2 * RENDER_MIN
        and lookups.upto(RENDER_MIN) == cache.pack_hits()
    ):
        local: list[Linter] = []
        render_jobs = min(jobs, len(files) // RENDER_BATCH)
        try:
            yield from _rendered(
                files, lookups, keys, cache, render, settings, render_jobs, None, local, store, jobs
            )
        finally:
            cache.save()
        return
    if cache is None and render is not None and jobs > 1 and FORKS:
        # no cache to write: the workers render what they lint (the parent
        # neither unpacks their findings nor renders them)
        todo = _as_str(files)
        if (workers := _lint_jobs(todo, jobs)) > 1:
            yield from _lint_parallel(todo, settings, workers, render)
            return
    lookups.upto(len(files))
    if store and render is not None and FORKS and 1 not in hit:
        # a cold run that writes the cache: the workers render what they
        # lint and encode its cache entries; the parent seals and stores them
        todo = _as_str(files)
        if (workers := _lint_jobs(todo, jobs)) > 1:
            linted = _lint_parallel(todo, settings, workers, render, cache.encoder())
            try:
                yield from _stored(files, keys, cache, linted)
            finally:
                linted.close()  # (its workers stopped at once, however the run ends)
                cache.save()
            return
    todo = _as_str(item for item, h in zip(files, hit) if not h)
    render_jobs = min(jobs, sum(hit) // RENDER_BATCH)
    jobs = _lint_jobs(todo, jobs)
    local: list[Linter] = []
    apart = warm and render_jobs > 1 and jobs == 1 and cache.pack_hits() >= RENDER_MIN
    if apart:  # its few files to lint go to one worker as they are met (Misses)
        fresh = None
    elif jobs == 1:
        local.append(Linter(settings))
        fresh = _lint_serial(todo, local[0])
    else:
        fresh = _lint_parallel(todo, settings, jobs)
    hits = array("q", (i for i, h in enumerate(hit) if h))  # not an int object each
    fetched = 0  # hits[:fetched] are read from the cache
    ready: dict[int, FileResult | None] = {}
    try:
        if apart:
            yield from _rendered(
                files, lookups, keys, cache, render, settings, render_jobs, None, local, store
            )
            return
        for i, (path, name) in enumerate(files):
            if hit[i]:
                if i not in ready:  # the next few dozen, in one query
                    chunk = hits[fetched : fetched + LOAD_BATCH]
                    fetched += len(chunk)
                    items = [(files[j][0], files[j][1], keys[j]) for j in chunk]
                    # not stored (--changed-since's unchanged files through the
                    # whole run's cache): their index is all that is used
                    loaded = cache.load(items, findings=store)
                    ready.update(zip(chunk, loaded))
                result = ready.pop(i)
                if result is None:  # changed or dropped since it was looked up
                    result = _lint_here(path, name, settings, local, cache if store else None)
            else:
                result = _linted(fresh, path, keys[i], cache if store else None)
            if result.filename == name:  # one string kept for the run, not two
                result.filename = name
            yield result
    finally:
        close = getattr(fresh, "close", None)
        if close is not None:
            close()
        if cache is not None:
            cache.save()


def _stored(files: list, keys: KeyList, cache, linted) -> Iterator[FileResult | RenderedFiles]:
    """What :func:`_lint_parallel` yields for ``files`` (all of them, in
    order), each file's entry stored in ``cache``: as its worker encoded it
    (a :class:`RenderedFiles`), or encoded here (a result)."""
    i = 0
    for got in linted:
        if type(got) is RenderedFiles:
            entries, got.entries = got.entries, None
            for entry in entries if entries is not None else [None] * len(got.names):
                cache.put_entry(files[i][0], keys[i], entry)  # (None: not stored)
                i += 1
        else:
            cache.put(files[i][0], keys[i], got)
            i += 1
        yield got


def _as_str(files) -> list[tuple[str, str]]:
    """``(path, name)`` pairs with the path as a ``str`` (what a worker is sent)."""
    return [item if type(item[0]) is str else (str(item[0]), item[1]) for item in files]


def _runs(take, files: list, most: int) -> list[tuple[int, int]]:
    """``(first, end)`` of the runs of consecutive ``files`` that ``take``
    holds (a true value each), cut at ``most`` files and at
    :data:`RENDER_NAMES` characters of their paths and names: what one
    message to a worker carries (two in flight fit a socket's buffer, so
    the parent never blocks sending to a worker blocked sending it an
    answer, however long the paths)."""
    n, i, out = len(files), 0, []
    fspath = os.fspath
    while i < n:
        if take[i]:
            j, size = i + 1, len(fspath(files[i][0])) + len(files[i][1])
            while j < n and take[j] and j - i < most and size < RENDER_NAMES:
                size += len(fspath(files[j][0])) + len(files[j][1])
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _lint_serial(todo: list, linter: Linter) -> Iterator[FileResult]:
    """The files linted in this process, in order, the collector set as in
    a worker process while they are (:data:`GC_THRESHOLDS`)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        for p, n in todo:
            yield linter.lint_file(Path(p), n)
    finally:
        gc.set_threshold(*thresholds)


def _lint_jobs(todo: list, jobs: int) -> int:
    """How many worker processes lint ``todo`` (1: the run itself)."""
    return max(1, min(jobs, len(todo) // PER_WORKER or 1))


def _linted(fresh, path, key, cache) -> FileResult:
    """The next file's result from the linting of the files the cache did
    not answer (``fresh``, in order), written to ``cache`` unless None."""
    result = next(fresh)
    if cache is not None:
        cache.put(path, key, result)
    return result


def _lint_here(path, name, settings, local: list, cache, key=None) -> FileResult:
    """A file linted here (one linter, made when first needed, in
    ``local``): one the cache answered when it was looked up but not when
    it was read, or, in a warm run, one it did not answer (its ``key``
    given); its result written to ``cache`` unless None."""
    if not local:
        local.append(Linter(settings))
    result = local[0].lint_file(Path(path), name)
    if cache is not None:
        cache.put(path, cache.key(path) if key is None else key, result)
    return result


def _key_of(keys: KeyList, start: int):
    """``j`` -> the key of file ``start + j`` (asked for the few files whose
    pack entry is not the next one met)."""
    return lambda j: keys[start + j]


def _rendered(
    files, lookups, keys, cache, render, settings, jobs, fresh, local, store, lint_jobs=0
):
    """:func:`lint_files` for a warm run: each run of consecutive cached
    files (at most :data:`RENDER_BATCH`) is read and rendered by a worker; a
    run the pack cannot answer, or that a worker could not render, is read
    here. The files to lint: ``fresh`` lints them in order; None: each is
    sent to one worker process as the lookups find it
    (:class:`~.workers.Misses`, within its limits), any other linted here
    until every file is looked up, then the rest in up to ``lint_jobs``
    worker processes when there are many. The files are looked up
    (``lookups``) while the workers read the first ones. With ``render``
    None, only the files' collection index entries are read; without
    ``store`` (``miss_settings``), nothing is written to the cache."""
    n, hit = len(files), lookups.hit
    runs: list[tuple[int, int]] = []  # (first, end) of each run of cached files ...
    ran = 0  # ... of the files before this one
    load = cache.pack_loader()
    if not store:
        load = functools.partial(load, findings=False)
    elif getattr(render, "brief", None):  # what the render needs of an entry, not findings
        load = functools.partial(load, brief=render.brief)
    pool = _Renderers(load, render, settings.fail_on, jobs)
    written = cache if store else None  # where fresh results go
    # the files to lint, sent to a worker as they are found
    misses = Misses(settings, _serve, PER_WORKER) if fresh is None else None
    entries_of: dict[int, list[int]] = {}
    sent = 0

    def items(a: int, b: int) -> list:
        return [(files[k][0], files[k][1], keys[k]) for k in range(a, b)]

    def look(end: int) -> None:  # look files up to ``end``, and find their runs
        nonlocal ran
        done = lookups.upto(end)
        if done > ran:
            found = _runs(hit[ran:done], files[ran:done], RENDER_BATCH)
            runs.extend((a + ran, b + ran) for a, b in found)
            k = hit.find(0, ran, done) if misses is not None else -1
            while k >= 0:  # the files to lint: to the worker at once
                if not misses.send(k, *files[k]):
                    break  # (the rest are linted as they come)
                k = hit.find(0, k + 1, done)
            ran = done

    def send() -> None:  # keep the workers busy, in order
        nonlocal sent
        # (no more batches sent and not yet taken than the spool has slots)
        while sent < len(runs) and pool.room() and sent < r + pool.slots:
            a, b = runs[sent]
            entries = cache.pack_entries([files[k][0] for k in range(a, b)], _key_of(keys, a))
            if entries is not None:
                entries_of[sent] = entries
                pool.send(sent, entries, [files[k][1] for k in range(a, b)])
            sent += 1

    try:
        r = i = 0
        while i < n:
            if i >= ran:
                look(i + 1)
            if fresh is None and ran == n and lint_jobs:  # every file looked up:
                rest = [  # the files still to lint, in workers when many
                    (os.fspath(files[k][0]), files[k][1])
                    for k in range(i, n)
                    if not hit[k] and (misses is None or k not in misses)
                ]
                if _lint_jobs(rest, lint_jobs) > 1:
                    fresh = _lint_parallel(rest, settings, _lint_jobs(rest, lint_jobs))
                lint_jobs = 0
            if r < len(runs) and runs[r][0] == i:
                send()
                a, b = runs[r]
                entries = entries_of.pop(r, None)
                while entries is not None and ran < n and not pool.arrived(r):
                    look(ran + CACHE_BATCH)  # while the workers read
                    send()
                out = pool.result(r) if entries is not None else None
                if out is not None:
                    if store:
                        cache.pack_loaded(entries)
                    yield out
                else:
                    for k, result in zip(range(a, b), cache.load(items(a, b), findings=store)):
                        path, name = files[k]
                        if result is None:  # changed or dropped since it was looked up
                            result = _lint_here(path, name, settings, local, written)
                        if result.filename == name:
                            result.filename = name
                        yield result
                r += 1
                i = b
            else:
                path, name = files[i]
                if misses is not None and i in misses:
                    result = misses.take(i)
                    if written is not None:
                        written.put(path, keys[i], result)
                elif fresh is None:
                    result = _lint_here(path, name, settings, local, written, keys[i])
                else:
                    result = _linted(fresh, path, keys[i], written)
                if result.filename == name:  # one string kept for the run, not two
                    result.filename = name
                yield result
                i += 1
    finally:
        pool.close()
        if misses is not None:
            misses.close()
        close = getattr(fresh, "close", None)
        if close is not None:
            close()
