"""The engine: runs the selected rules over records and stamps their findings.

Everything that is the same for every rule happens here, once: rule selection,
per-file ignores, inline suppression (and FM199 for unused suppressions),
folding schema complaints into more specific findings, severity overrides,
parallelism over files, applying fixes and re-linting until stable.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from linter.base.model import SEVERITY_RANK, Finding, Fix, Problem, Span
from linter.engine import fingerprint
from linter.reading.annotations import attach as attach_annotations
from linter.reading.generation import detect as detect_generation
from linter.reading.reader import DEFAULT_MAX_SIZE, ReadResult, Record, parse_bytes, read_file
from linter.rules.registry import Rule, all_rules

SUPPRESS_RE = re.compile(
    r"(?:^|\s)#\s*pfocr-lint:\s*disable=([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)"
)
MAX_FIX_PASSES = 10
SUPPRESS_KEY = "_suppressions"  # index entry: a record's suppressions of XR codes
ANNOTATION_FAMILIES = frozenset({"KW", "GN", "CH", "DI"})


class InternalError(Exception):
    """A bug (or an environment failure) while linting ``filename``."""

    def __init__(self, filename: str, detail: str):
        super().__init__(f"{filename}: internal error: {detail}")
        self.filename = filename
        self.detail = detail


@dataclass
class Settings:
    """Resolved configuration: what to run and how to report it."""

    select: frozenset[str]
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    fail_on: str = "warning"
    max_size: int = DEFAULT_MAX_SIZE
    root: Path = field(default_factory=Path.cwd)
    options: dict = field(default_factory=dict)  # rule and collection options

    def ignored_for(self, filename: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        rel = _relative(filename, self.root)
        out: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if _glob_match(rel, pattern):
                out |= codes
        return frozenset(out)


def _relative(filename: str, root: Path) -> str:
    p = Path(filename)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _glob_match(rel: str, pattern: str) -> bool:
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if "/" not in pattern:  # a bare pattern matches the file name anywhere
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
    return False


class Context:
    """What rules may consult besides the record: their options, the run's
    settings and lazily loaded shared resources (schema, reference data)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.options = settings.options
        self._cache: dict = {}

    def resource(self, name: str, factory):
        """A per-process cached resource, built by ``factory()`` on first use."""
        if name not in self._cache:
            self._cache[name] = factory()
        return self._cache[name]

    def selected(self, code: str) -> bool:
        return code in self.settings.select

    def index_values(self, code: str, filename: str):
        """The full index value of collection rule ``code`` for ``filename``
        (what its ``index`` function returns), read again from the file: the
        index kept for every file holds digests only (its ``compact`` form),
        so a collection rule reads the few files of a suspicious group again.
        None when the file gives none (or can no longer be read)."""
        memo = self._cache.setdefault("_index_values", {})
        if filename not in memo:
            memo[filename] = values = {}
            rec = self.reread(filename)
            if rec is not None:
                for r in all_rules().values():
                    extract = r.options.get("index")
                    if r.scope == "collection" and extract is not None and self.selected(r.code):
                        values[r.code] = extract(rec, self)
        return memo[filename].get(code)

    def reread(self, filename: str) -> Record | None:
        """``filename`` read and parsed again (a file's name is its path, as
        given on the command line), kept for the run; None when it can no
        longer be read or parsed."""
        memo = self._cache.setdefault("_records", {})
        if filename not in memo:
            rec = None
            try:
                rec = read_file(Path(filename), filename, self.settings.max_size).record
            except Exception:  # noqa: BLE001 - gone or unreadable since
                pass
            if rec is not None:
                rec.fs_path = Path(filename)
            memo[filename] = rec
        return memo[filename]


@dataclass
class FileResult:
    filename: str
    findings: list[Finding]
    index: dict | None = None  # collection index entries, by rule code
    generation: str | None = None
    error: str | None = None  # internal error message (exit 2)

    def __reduce__(self):
        packed = [f.pack() for f in self.findings]
        return (_unpack_result, (self.filename, packed, self.index, self.generation, self.error))


def _unpack_result(filename, packed, index, generation, error) -> FileResult:
    unpack = Finding.unpack
    return FileResult(filename, [unpack(f) for f in packed], index, generation, error)


class Linter:
    """Lints single files with a fixed configuration (one per process)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.rules = all_rules()
        self.ctx = Context(settings)
        sel = settings.select
        self.record_rules = [
            r for r in self.rules.values() if r.scope == "record" and r.code in sel
        ]
        # sidecar tables are read only when a selected rule looks at annotations
        self.needs_annotations = any(
            "annotations" in r.needs or r.family in ANNOTATION_FAMILIES for r in self.record_rules
        )
        self.collection_rules = [
            r for r in self.rules.values() if r.scope == "collection" and r.code in sel
        ]

    def warm(self) -> None:
        """Load what selected rules load only for some records (their ``warm``
        option), so that forked workers share it instead of each loading it."""
        for r in self.record_rules:
            warm = r.options.get("warm")
            if warm is not None:
                try:
                    warm(self.ctx)
                except Exception:  # noqa: BLE001 - the rule reports it on the record
                    pass

    # -- one file ---------------------------------------------------------------
    def lint_file(self, path: Path, filename: str) -> FileResult:
        try:
            result = read_file(path, filename, self.settings.max_size)
        except OSError as exc:
            return FileResult(filename, [], error=f"{filename}: cannot read: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - a reader bug: exit 2, naming the file
            return _internal(filename, "while reading", exc)
        return self._lint_read(result, filename, path)

    def lint_text(self, text: str, filename: str, path: Path | None = None) -> FileResult:
        try:
            result = parse_bytes(text.encode("utf-8"), filename)
        except Exception as exc:  # noqa: BLE001
            return _internal(filename, "while reading", exc)
        return self._lint_read(result, filename, path)

    def _lint_read(self, result: ReadResult, filename: str, path: Path | None) -> FileResult:
        try:
            return self._lint(result, filename, path)
        except InternalError as exc:
            return FileResult(filename, [], error=str(exc))
        except Exception as exc:  # noqa: BLE001 - reported, exit 2
            return _internal(filename, "", exc)

    def _lint(self, result: ReadResult, filename: str, path: Path | None):
        rules = self.rules
        sel = self.settings.select
        findings: list[Finding] = []
        rec = result.record
        for code, message, span, fix in result.issues:
            if code in sel:
                r = rules[code]
                findings.append(Finding(code, r.name, r.severity, message, filename, "", span, fix))
        index = None
        if rec is not None:
            rec.fs_path = path
            self._prepare(rec)
            findings.extend(self._run_record_rules(rec, filename))
            if self.collection_rules:
                index = {}
                xr_codes = {r.code for r in self.collection_rules}
                marks = [c for c in parse_suppressions(rec) if xr_codes & set(c.codes)]
                if marks:
                    index[SUPPRESS_KEY] = marks
                for r in self.collection_rules:
                    extract = r.options.get("index")
                    if extract is not None:
                        value = extract(rec, self.ctx)
                        if value is not None:
                            compact = r.options.get("compact")
                            index[r.code] = value if compact is None else compact(value)
        findings = self._post(findings, rec, filename)
        return FileResult(
            filename, findings, index=index, generation=rec.generation if rec else None
        )

    def _prepare(self, rec: Record) -> None:
        """Attach derived facts (generation, annotations) before the rules run."""
        rec.generation = detect_generation(rec.data)
        if self.needs_annotations:
            attach_annotations(rec, self.ctx)

    def _run_record_rules(self, rec: Record, filename: str) -> list[Finding]:
        findings = []
        for r in self.record_rules:
            try:
                problems = list(r.func(rec, self.ctx))
            except Exception as exc:  # noqa: BLE001 - turned into an internal error
                detail = f"rule {r.code} ({r.name}) failed: {type(exc).__name__}: {exc}"
                if os.environ.get("PFOCR_LINT_DEBUG"):
                    detail += "\n" + traceback.format_exc()
                raise InternalError(filename, detail) from exc
            for p in problems:
                findings.append(self.stamp(r, p, rec, filename))
        return findings

    def stamp(self, r: Rule, p: Problem, rec: Record | None, filename: str) -> Finding:
        span = p.span
        if span is None and rec is not None and (p.file is None or p.file == filename):
            span = rec.span(p.path, key=p.key)
        severity = p.severity if p.severity in SEVERITY_RANK else r.severity
        f = Finding(r.code, r.name, severity, p.message, p.file or filename, p.path, span, p.fix)
        if p.about_value:
            f.extra["about_value"] = True
        if p.related:
            f.extra["related"] = tuple(  # tuples: what the results cache gives back
                (msg, filename, (s.line, s.col, s.end_line, s.end_col, s.start, s.end))
                for msg, s in p.related
            )
        return f

    def _post(self, findings: list[Finding], rec: Record | None, filename: str) -> list[Finding]:
        # one defect, one finding: a schema complaint about a node's own value is
        # folded into a more specific finding on the same node
        if any(f.code == "SC101" for f in findings):
            specific = {f.path for f in findings if f.code != "SC101" and f.filename == filename}
            findings = [
                f
                for f in findings
                if not (f.code == "SC101" and f.extra.get("about_value") and f.path in specific)
            ]
        ignored = self.settings.ignored_for(filename)
        if ignored:
            findings = [f for f in findings if f.code not in ignored]
        if self.settings.per_file_ignores and any(f.filename != filename for f in findings):
            # a sidecar table's findings: its own path's patterns apply too
            findings = [
                f
                for f in findings
                if f.filename == filename or f.code not in self.settings.ignored_for(f.filename)
            ]
        if rec is not None:
            findings = self._suppress(findings, rec, filename, ignored)
        sev = self.settings.severity
        tables: dict[str, str | None] = {}
        for f in findings:
            f.extra.pop("about_value", None)
            if f.code in sev:
                f.severity = sev[f.code]
            # the file-local part of the finding's stable key (baseline, CI formats)
            if f.filename == filename:
                f.extra[fingerprint.EXTRA] = fingerprint.in_record(f, rec)
            else:  # a sidecar table's finding
                if f.filename not in tables:
                    tables[f.filename] = fingerprint.read_text(
                        f.filename, self.settings.max_size + 1
                    )
                f.extra[fingerprint.EXTRA] = fingerprint.in_table(f, tables[f.filename])
        findings.sort(key=Finding.sort_key)
        return findings

    def _suppress(self, findings, rec: Record, filename: str, ignored) -> list[Finding]:
        comments = parse_suppressions(rec)
        if not comments:
            return findings
        # suppressions of collection-scope (XR) codes are judged in the
        # collection pass, which sees those findings
        deferred = {c for c, r in self.rules.items() if r.scope == "collection"}
        return apply_suppressions(
            findings, comments, filename, self.settings, self.rules, ignored, skip=deferred
        )


def apply_suppressions(
    findings, comments, filename: str, settings: Settings, rules, ignored, skip=frozenset()
) -> list[Finding]:
    """Drop the findings of ``filename`` that a suppression comment covers and
    report (FM199) the suppressions that covered nothing; codes in ``skip`` are
    not reported as unused here. Findings in another file (the record's
    sidecar tables) are covered by the whole-record comments."""
    kept = []
    used: set[tuple[int, str]] = set()
    whole = [(c.line, code) for c in comments if c.whole_record for code in c.codes]
    by_line: dict[int, list] = {}
    for c in comments:
        if not c.whole_record:
            by_line.setdefault(c.line, []).append(c)
    for f in findings:
        if f.code == "FM199":
            kept.append(f)
            continue
        hit = None
        # a finding in the record's sidecar table: only whole-record comments
        line = f.span.line if f.span and f.filename == filename else None
        if line is not None:
            for c in by_line.get(line, ()):
                if f.code in c.codes:
                    hit = (c.line, f.code)
                    break
        if hit is None:
            hit = next(((cl, code) for cl, code in whole if code == f.code), None)
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    if "FM199" in settings.select and "FM199" not in ignored:
        r = rules["FM199"]
        for c in comments:
            for code, (start, end) in zip(c.codes, c.code_spans):
                if (c.line, code) in used or code in skip:
                    continue
                if code not in rules:
                    why = f"unknown rule code {code!r} in suppression"
                elif code not in settings.select:
                    why = f"unused suppression of {code}: the rule is not enabled"
                else:
                    why = f"unused suppression of {code}: no {code} finding "
                    why += "in this record" if c.whole_record else "on this line"
                span = Span(c.line, start + 1, c.line, end + 1, 0, 0)
                kept.append(Finding("FM199", r.name, r.severity, why, filename, "", span))
    return kept


def _internal(filename: str, when: str, exc: BaseException) -> FileResult:
    detail = f"{when + ': ' if when else ''}{type(exc).__name__}: {exc}"
    if os.environ.get("PFOCR_LINT_DEBUG"):
        detail += "\n" + traceback.format_exc()
    return FileResult(filename, [], error=f"{filename}: internal error: {detail}")


@dataclass
class Suppression:
    line: int
    whole_record: bool
    codes: list[str]
    code_spans: list[tuple[int, int]]  # 0-based columns of each code on its line


def parse_suppressions(rec: Record) -> list[Suppression]:
    fm = rec.text[rec.fm_start : rec.fm_end]
    if "pfocr-lint" not in fm:
        return []
    out = []
    for i, line in enumerate(fm.split("\n")):
        if "pfocr-lint" not in line:
            continue
        m = SUPPRESS_RE.search(line)
        if not m:
            continue
        lineno = rec.fm_first_line + i
        # inside a multi-line scalar? then it is text, not a comment
        if _inside_scalar(rec, lineno, m.start(1)):
            continue
        whole = line[: m.start()].strip() == ""
        codes, spans = [], []
        for cm in re.finditer(r"[A-Za-z0-9_]+", m.group(1)):
            codes.append(cm.group().upper())
            spans.append((m.start(1) + cm.start(), m.start(1) + cm.end()))
        out.append(Suppression(lineno, whole, codes, spans))
    return out


def _inside_scalar(rec: Record, line: int, col0: int) -> bool:
    for s in rec.multiline_scalars:
        if (
            s.line <= line <= s.end_line
            and s.line != s.end_line
            and (s.line, s.col) < (line, col0 + 1) < (s.end_line, s.end_col)
        ):
            return True
    return False


# -- many files ----------------------------------------------------------------------
_WORKER: Linter | None = None
CHUNK_MAX = 64  # files per message to a worker
CACHE_BATCH = 500  # files looked up in the results cache per query
AHEAD = 2  # chunks in flight per worker


def _serve(conn, settings: Settings) -> None:
    """A worker process: lint the chunks of files it is sent, answer each with
    its results, stop at ``None``. A forked worker inherits the parent's
    warmed-up linter (see :func:`_lint_parallel`)."""
    linter = _WORKER if _WORKER is not None and _WORKER.settings is settings else None
    if linter is None:
        linter = Linter(settings)
    # a record's objects die with it (no reference cycles): collect rarely,
    # and never scan what the worker inherited or loaded before its first file
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)
    try:
        while True:
            msg = conn.recv()
            if msg is None:
                break
            number, chunk = msg
            conn.send((number, [linter.lint_file(Path(p), n) for p, n in chunk]))
    except (EOFError, KeyboardInterrupt, OSError):
        pass  # the parent is gone or stopping: nothing left to do


def _lint_parallel(todo: list[tuple[str, str]], settings: Settings, jobs: int):
    """Lint ``todo`` in ``jobs`` worker processes, yielding results in order.

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
    chunk = max(8, min(CHUNK_MAX, len(todo) // (jobs * 8) or 1))
    chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
    mpctx = mp.get_context("fork" if sys.platform.startswith("linux") else None)
    procs, inflight = [], {}
    sent = 0
    thresholds = gc.get_threshold()
    try:
        for _ in range(min(jobs, len(chunks))):
            mine, theirs = mpctx.Pipe()
            proc = mpctx.Process(target=_serve, args=(theirs, settings), daemon=True)
            proc.start()
            theirs.close()
            procs.append(proc)
            inflight[mine] = []
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
        gc.set_threshold(50_000, 50, 50)
        while want < len(chunks):
            while want in ready:
                yield from ready.pop(want)
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
        for conn in inflight:
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


def lint_files(
    files: Iterable[tuple[Path, str]],
    settings: Settings,
    jobs: int | None = None,
    cache=None,
    miss_settings: Settings | None = None,
) -> Iterator[FileResult]:
    """Lint files, in order, streaming results; uses several processes when
    there are many files to lint. With a :class:`~linter.pipeline.cache.Cache`, files
    whose entry is current are answered from it (read one at a time as they
    are yielded: memory does not grow with the cache), the others linted and
    their results written to it. With ``miss_settings``, the files the cache
    does not answer are linted with those settings instead (fewer rules: what
    ``--changed-since`` needs of unchanged files) and not written to it, and
    the cache's answers carry the collection index only, not the findings."""
    files = list(files)
    store = cache is not None and miss_settings is None
    if miss_settings is not None:
        settings = miss_settings
    keys: list = [None] * len(files)
    hit = bytearray(len(files))
    if cache is not None:
        for start in range(0, len(files), CACHE_BATCH):
            batch = [path for path, _ in files[start : start + CACHE_BATCH]]
            found = [cache.key(path) for path in batch]
            keys[start : start + CACHE_BATCH] = found
            for i, current in enumerate(cache.lookup(batch, found), start):
                hit[i] = current
    todo = [
        item if type(item[0]) is str else (str(item[0]), item[1])
        for item, h in zip(files, hit)
        if not h
    ]
    if jobs is None:
        jobs = os.cpu_count() or 1
    jobs = max(1, min(jobs, len(todo) // 64 or 1))
    local: list[Linter] = []
    if jobs == 1:
        local.append(Linter(settings))
        fresh = (local[0].lint_file(Path(p), n) for p, n in todo)
    else:
        fresh = _lint_parallel(todo, settings, jobs)
    hits = [i for i, h in enumerate(hit) if h]
    fetched = 0  # hits[:fetched] are read from the cache
    ready: dict[int, FileResult | None] = {}
    try:
        for i, (path, name) in enumerate(files):
            if hit[i]:
                if i not in ready:  # the next few hundred, in one query
                    chunk = hits[fetched : fetched + CACHE_BATCH]
                    fetched += len(chunk)
                    items = [(files[j][0], files[j][1], keys[j]) for j in chunk]
                    # unchanged files of --changed-since: their index is all that is used
                    loaded = cache.load(items, findings=miss_settings is None)
                    ready.update(zip(chunk, loaded))
                result = ready.pop(i)
                if result is None:  # changed or dropped since it was looked up
                    if not local:
                        local.append(Linter(settings))
                    result = local[0].lint_file(Path(path), name)
                    if store:
                        cache.put(path, cache.key(path), result)
            else:
                result = next(fresh)
                if store:
                    cache.put(path, keys[i], result)
            if result.filename == name:  # one string kept for the run, not two
                result.filename = name
            keys[i] = None
            yield result
    finally:
        close = getattr(fresh, "close", None)
        if close is not None:
            close()
        if cache is not None:
            cache.save()


class CollectionIndex:
    """What the collection rules get from every file, kept compact: one row
    per file (its name, then one value per collection rule code, None when
    the file gave none). ``get(code)`` lists ``(filename, value)`` pairs
    like a dict of lists would, built when asked for."""

    def __init__(self, codes):
        self.codes = tuple(codes)
        self._at = {code: i for i, code in enumerate(self.codes, start=1)}
        self.rows: list[tuple] = []

    def add(self, filename: str, entries: dict) -> None:
        row = (filename, *(entries.get(code) for code in self.codes))
        self.rows.append(row)

    def get(self, code: str, default=None):
        i = self._at.get(code)
        if i is None:
            return default
        found = [(row[0], row[i]) for row in self.rows if row[i] is not None]
        return found if found else default

    def __bool__(self) -> bool:
        return bool(self.rows)


def collection_findings(entries, settings: Settings) -> list[Finding]:
    """Run the collection-scope rules over the index gathered from every file
    (a :class:`CollectionIndex`, or a dict of ``(filename, value)`` lists by
    code), then apply per-file ignores and the records' suppressions of XR
    codes."""
    linter = Linter(settings)
    findings: list[Finding] = []
    for r in linter.collection_rules:
        items = entries.get(r.code, [])
        for p in r.func(items, linter.ctx):
            f = linter.stamp(r, p, None, p.file or "")
            if f.code in settings.severity:
                f.severity = settings.severity[f.code]
            if f.code not in settings.ignored_for(f.filename):
                findings.append(f)
    _locate_late(findings, linter.ctx)
    xr_codes = {r.code for r in linter.collection_rules}
    for filename, comments in entries.get(SUPPRESS_KEY, []):
        mine = [f for f in findings if f.filename == filename]
        others = [f for f in findings if f.filename != filename]
        for c in comments:  # only the XR codes are judged here
            pairs = [(code, sp) for code, sp in zip(c.codes, c.code_spans) if code in xr_codes]
            c.codes, c.code_spans = [p[0] for p in pairs], [p[1] for p in pairs]
        kept = apply_suppressions(
            mine, comments, filename, settings, linter.rules, settings.ignored_for(filename)
        )
        findings = others + kept
    findings.sort(key=Finding.sort_key)
    return findings


def _locate_late(findings: list[Finding], ctx: Context) -> None:
    """Give a position to the collection findings that name a path in their
    file but no span. The index the workers send holds digests only, so the
    few files with a finding are read again here (a file's name is its path,
    as given on the command line); a file that can no longer be read or
    parsed gets its first line."""
    for f in findings:
        if f.span is None and f.filename:
            rec = ctx.reread(f.filename) if f.path else None
            span = rec.span(f.path) if rec is not None else None
            f.span = span or Span(1, 1, 1, 1, 0, 0)


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    limit = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= limit for f in findings)


# -- fixes ---------------------------------------------------------------------------
def applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == "safe" or unsafe)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes (a fix whose edits overlap an earlier one
    waits for the next pass). Returns the new text and the number applied."""
    taken: list[tuple[int, int]] = []
    edits = []
    count = 0
    for fix in fixes:
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        taken.extend(spans)
        edits.extend(fix.edits)
        count += 1
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: e.start] + e.content + text[e.end :]
    return text, count


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions: only the same point conflicts
        return a[0] == b[0] or (b[0] < a[0] < b[1]) or (a[0] < b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def fix_text(linter: Linter, text: str, filename: str, path: Path | None, unsafe: bool):
    """Fix until stable. Returns (final FileResult, fixed text, fixes applied)."""
    total = 0
    for _ in range(MAX_FIX_PASSES):
        res = linter.lint_text(text, filename, path)
        if res.error:
            return res, text, total
        fixes = [f.fix for f in res.findings if applicable(f.fix, unsafe)]
        if not fixes:
            return res, text, total
        new, n = apply_fixes(text, fixes)
        if n == 0 or new == text:
            return res, text, total
        text, total = new, total + n
    return linter.lint_text(text, filename, path), text, total
