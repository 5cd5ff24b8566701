"""Linting one file: read it, run the selected record rules, stamp their
findings (per-file ignores, suppressions, severity overrides, stable keys)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from linter.base.model import SEVERITY_RANK, Finding, Problem
from linter.engine import fingerprint
from linter.engine.settings import InternalError, Settings
from linter.engine.suppression import SUPPRESS_KEY, apply_suppressions, parse_suppressions
from linter.reading.annotations import attach as attach_annotations
from linter.reading.files import confine
from linter.reading.generation import detect as detect_generation
from linter.reading.reader import ReadResult, Record, parse_bytes, read_file, too_large
from linter.rules.registry import COLLECTION_FAMILIES, Rule, Rules, family_rules

ANNOTATION_FAMILIES = frozenset({"KW", "GN", "CH", "DI"})


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
        memo = self._cache.setdefault("_index_values", _Recent())
        if filename not in memo:
            memo[filename] = values = {}
            rec = self.reread(filename)
            if rec is not None:
                for r in family_rules(COLLECTION_FAMILIES).values():
                    extract = r.options.get("index")
                    if r.scope == "collection" and extract is not None and self.selected(r.code):
                        values[r.code] = extract(rec, self)
        return memo[filename].get(code)

    def reread(self, filename: str) -> Record | None:
        """``filename`` read and parsed again (a file's name is its path, as
        given on the command line), kept while recently used (memory stays
        bounded however many records share a key); None when it can no
        longer be read or parsed."""
        memo = self._cache.setdefault("_records", _Recent())
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


class _Recent(dict):
    """A dict that keeps its ``MAX`` most recently added entries: the
    collection pass re-reads the records of suspicious groups one group at a
    time, so a small window serves it, and 20,000 records sharing one
    ``figid_alias`` do not stay in memory together."""

    MAX = 256

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.MAX and key not in self:
            del self[next(iter(self))]
        super().__setitem__(key, value)


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


@dataclass
class FileBrief:
    """A cached file's result as a warm run's worker may read it, without
    its findings: its collection index entries, its generation, the counts
    the run summary needs (``groups``: :func:`~linter.base.model.finding_groups`)
    and the text the cache keeps of its findings (``text``:
    :attr:`~linter.pipeline.check.CheckOptions.brief`, as UTF-8 ``bytes``
    unless it holds a lone surrogate; None when only the counts were asked
    for)."""

    filename: str
    index: dict | None
    generation: str | None
    groups: tuple
    text: bytes | str | None

    def fails(self, fail_on: str) -> bool:
        """Whether a finding of the file reaches the failing severity."""
        limit = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[g[2]] >= limit for g in self.groups)


@dataclass
class RenderedFiles:
    """Consecutive files the results cache answered, read and rendered in a
    worker process (a warm run, :func:`linter.engine.pool.lint_files`), or
    linted and rendered there (a run without a cache to write):
    their names, their collection index entries (``index``: a
    :class:`~linter.engine.collection.CollectionIndex` of the files that
    have some), what the reporter rendered
    for them (``part``: :meth:`linter.reporters.Reporter.part`, None when
    nothing was rendered), the run summary's counts of them (``summary``),
    whether a finding of theirs reaches the failing severity, and, in a run
    that writes the cache, each file's cache entry as the worker encoded it
    (``entries``: what the cache's ``encoder()`` makes of a result; taken
    off by the run that stores them)."""

    names: list[str]
    index: object
    part: object
    summary: object
    failed: bool
    entries: list | None = None


class Linter:
    """Lints single files with a fixed configuration (one per process)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        # the process reads below the run's root where links are involved
        confine(None if settings.follow_symlinks else settings.root)
        self.rules = Rules()  # any rule by code; a family loads when looked up
        self.ctx = Context(settings)
        sel = settings.select
        selected = family_rules({code[:2] for code in sel})
        self.record_rules = [r for r in selected.values() if r.scope == "record" and r.code in sel]
        # sidecar tables are read only when a selected rule looks at annotations
        self.needs_annotations = any(
            "annotations" in r.needs or r.family in ANNOTATION_FAMILIES for r in self.record_rules
        )
        self.collection_rules = [
            r for r in selected.values() if r.scope == "collection" and r.code in sel
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

    def lint_bytes(self, raw: bytes, filename: str, path: Path | None = None) -> FileResult:
        """Lint a file's bytes as read from elsewhere than the disk (stdin, an
        editor's buffer): larger than ``max-file-size`` is FM106 and not UTF-8
        is FM105, as for a file; ``path`` places its sidecar tables."""
        try:
            if len(raw) > self.settings.max_size:
                result = too_large(self.settings.max_size)
            else:
                result = parse_bytes(raw, filename)
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
                detail += _debug_trace()
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
        if p.data:
            f.extra["data"] = p.data
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
        deferred = {
            code
            for c in comments
            for code in c.codes
            if code[:2] in COLLECTION_FAMILIES
            and (r := self.rules.get(code)) is not None
            and r.scope == "collection"
        }
        return apply_suppressions(
            findings, comments, filename, self.settings, self.rules, ignored, skip=deferred
        )


def _debug_trace() -> str:
    """With ``PFOCR_LINT_DEBUG`` set, the traceback of the exception being
    handled (a line break first); else nothing. (start-up: traceback is
    imported by a run that prints one)"""
    if not os.environ.get("PFOCR_LINT_DEBUG"):
        return ""
    import traceback

    return "\n" + traceback.format_exc()


def _internal(filename: str, when: str, exc: BaseException) -> FileResult:
    detail = f"{when + ': ' if when else ''}{type(exc).__name__}: {exc}" + _debug_trace()
    return FileResult(filename, [], error=f"{filename}: internal error: {detail}")
