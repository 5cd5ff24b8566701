"""The results pack's entries as bytes and back (:mod:`linter.pipeline.cache_pack`
keeps them in blocks): :func:`encode_packed` writes a file's result with
marshal, :func:`_entry` reads it back with the checks a block that passed
its digest needs, and each finding's fix edits and ``extra`` stay JSON text
until a reporter asks for them (:class:`_PackedFix`, :class:`_PackedFinding`)."""

from __future__ import annotations

import json
import marshal
import struct

from linter.base.model import SEVERITY_RANK, Edit, Finding, Fix, Span, finding_groups
from linter.engine import SUPPRESS_KEY, FileBrief, FileResult, Suppression
from linter.pipeline.cache_entries import _dumps

MARSHAL = 4  # the entries' marshal format (Python's own: the pack names the Python)
_HEAD = struct.Struct("<I")  # an entry: the head's length, the head, the findings

_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, EOFError)
#: what :func:`_entry` answers when it needs the findings it was not given
NEEDS_FINDINGS = object()


def split_entry(data) -> tuple[bytes, bytes] | None:
    """An entry as :func:`encode_packed` writes it -> (its head, its
    findings), which the pack stores apart; None when it is not one."""
    if len(data) < _HEAD.size:
        return None
    (n,) = _HEAD.unpack_from(data)
    if _HEAD.size + n > len(data):
        return None
    return data[_HEAD.size : _HEAD.size + n], data[_HEAD.size + n :]


def _entry(head, body, name: str, findings: bool, brief: str | None = None):
    """A result from its stored head and findings (the bytes
    :func:`split_entry` gives of what :func:`encode_packed` writes), with
    the checks a block that passed its digest needs; each finding's fix
    edits and extra stay text until a reporter asks for them. With
    ``brief`` (``"counts"``, or ``"text"`` when its text is wanted too), a
    :class:`~linter.engine.FileBrief` instead when the head holds what it
    needs: the findings are then never read. ``body`` None: the findings
    were not read; :data:`NEEDS_FINDINGS` when they are needed."""
    try:
        filename, index, generation, groups, text = marshal.loads(head)
        if filename != name or type(filename) is not str:
            return None
        if index is not None:
            suppressions = index.get(SUPPRESS_KEY)
            if suppressions is not None:
                index[SUPPRESS_KEY] = [
                    Suppression(line, whole, list(codes), list(spans))
                    for line, whole, codes, spans in suppressions
                ]
        if not findings:
            return FileResult(filename, [], index, generation)
        if brief is not None and (brief == "counts" or text is not None):
            groups = tuple(
                [
                    (c, r, sev, filename if f == 0 else f, *counts)
                    for c, r, sev, f, *counts in groups
                ]
            )
            return FileBrief(filename, index, generation, groups, text)
        if body is None:
            return NEEDS_FINDINGS
        if type(text) is bytes:
            text = text.decode("utf-8")
        out = []
        for code, rule, severity, message, file, path, span, fix, extra in marshal.loads(body):
            if file == 0:
                file = filename
            if type(message) is tuple:  # where the head's text holds it
                message = text[message[0] : message[1]]
            if severity not in SEVERITY_RANK or type(code) is not str:
                return None
            if span is not None:
                span = Span(*span)
            if fix is not None:
                applicability, fix_message, edits = fix
                if type(edits) is not str:
                    return None
                fix = _PackedFix(applicability, fix_message, ())
                _FIX_RAW.__set__(fix, edits)
            if extra is not None and type(extra) is not str:
                return None
            out.append(_packed_finding(code, rule, severity, message, file, path, span, fix, extra))
        return FileResult(filename, out, index, generation)
    except _ERRORS + (struct.error,):
        return None


def _plain(value):
    """An index value as marshal keeps it: lists as tuples (what the
    database's decoder gives back), bytes as bytes."""
    if isinstance(value, (tuple, list)):
        return tuple([_plain(v) for v in value])
    if value is None or type(value) in (str, int, float, bytes):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _tuples(value):
    if type(value) is list:
        return tuple([_tuples(v) for v in value])
    return value


_EDITS = Fix.__dict__["edits"]  # the slots the lazy fields fill on first use
_EXTRA = Finding.__dict__["extra"]


class _PackedFix(Fix):
    """A cached fix whose edits are decoded when first used (the concise
    and summary output need only its applicability)."""

    __slots__ = ("_raw",)  # the edits' JSON text until decoded (``edits``: below)

    def __eq__(self, other):
        if not isinstance(other, Fix):
            return NotImplemented
        return (self.applicability, self.message, self.edits) == (
            other.applicability,
            other.message,
            other.edits,
        )

    def __hash__(self):
        return hash((self.applicability, self.message, self.edits))


class _PackedFinding(Finding):
    """A cached finding whose ``extra`` (fingerprint, related locations,
    structured data) is decoded when first used."""

    __slots__ = ("_raw",)  # the extra's JSON text until decoded (``extra``: below)

    def __eq__(self, other):
        if not isinstance(other, Finding):
            return NotImplemented
        return _fields(self) == _fields(other)


def _packed_finding(code, name, severity, message, filename, path, span, fix, raw):
    """A :class:`_PackedFinding` whose ``extra`` is the JSON text ``raw``
    (None: none), its fields set directly: the dataclass's ``__init__``
    would go through the ``extra`` property, a call per finding of a warm run."""
    f = _NEW(_PackedFinding)
    f.code = code
    f.name = name
    f.severity = severity
    f.message = message
    f.filename = filename
    f.path = path
    f.span = span
    f.fix = fix
    _EXTRA.__set__(f, {})
    _EXTRA_RAW.__set__(f, raw)
    return f


_NEW = object.__new__


def _fields(f: Finding) -> tuple:
    return (f.code, f.name, f.severity, f.message, f.filename, f.path, f.span, f.fix, f.extra)


_FIX_RAW = _PackedFix.__dict__["_raw"]
_EXTRA_RAW = _PackedFinding.__dict__["_raw"]


def _decoded_when_used(field, raw, decode) -> property:
    """A property over the slot ``field`` whose value waits in the slot
    ``raw`` as JSON text until first read (then ``decode`` makes it)."""

    def get(self):
        text = raw.__get__(self)
        if text is not None:
            field.__set__(self, decode(text))
            raw.__set__(self, None)
        return field.__get__(self)

    def put(self, value):
        raw.__set__(self, None)
        field.__set__(self, value)

    return property(get, put)


def _decode_edits(text: str) -> tuple:
    return tuple([Edit(a, b, c) for a, b, c in json.loads(text)])


def _decode_extra(text: str) -> dict:
    extra = json.loads(text)
    for k, v in extra.items():  # tuples come back as tuples
        if type(v) is list:
            extra[k] = _tuples(v)
    return extra


_PackedFix.edits = _decoded_when_used(_EDITS, _FIX_RAW, _decode_edits)
_PackedFinding.extra = _decoded_when_used(_EXTRA, _EXTRA_RAW, _decode_extra)


def encode_packed(result: FileResult, brief=None) -> bytes:
    """A result as the pack stores it (marshal, read only after its block's
    digest, which the sealed index holds, has been checked): a head with the
    file's name, collection index entries, generation, the counts the run
    summary needs (:func:`~linter.base.model.finding_groups`) and
    ``brief(findings)`` (the text a warm run may print instead of rendering
    the findings; None without ``brief``), then the findings, the database
    entry's fields with each fix's edits and each finding's extra as JSON
    text of their own (decoded when first used), and a message that text
    holds as where it is there (the pack keeps it once). A warm run that
    needs only the head reads no finding."""
    own = result.filename
    text = brief(result.findings) if brief is not None else None
    find, at = (text or "").find, 0
    out = []
    for f in result.findings:
        s, fix, extra = f.span, f.fix, f.extra
        message = f.message
        if text is not None:  # a message the text holds is kept once: where it is
            a = find(message, at)
            if a >= 0:
                at = a + len(message)
                message = (a, at)
        out.append(
            (
                f.code,
                f.name,
                f.severity,
                message,
                0 if f.filename == own else f.filename,
                f.path,
                None if s is None else (s.line, s.col, s.end_line, s.end_col, s.start, s.end),
                None
                if fix is None
                else (
                    fix.applicability,
                    fix.message,
                    _dumps([[e.start, e.end, e.content] for e in fix.edits]),
                ),
                _dumps(extra) if extra else None,
            )
        )
    index = None
    if result.index:
        index = {}
        for code, value in result.index.items():
            if code == SUPPRESS_KEY:
                index[code] = tuple(
                    (s.line, s.whole_record, tuple(s.codes), tuple(map(tuple, s.code_spans)))
                    for s in value
                )
            else:
                index[code] = _plain(value)
    groups = tuple(
        [
            (c, r, sev, 0 if f == own else f, *counts)
            for c, r, sev, f, *counts in finding_groups(result.findings)
        ]
    )
    if text is not None:  # as UTF-8: a warm run's workers and the run pass it on undecoded
        try:
            text = text.encode("utf-8")
        except UnicodeEncodeError:  # (a lone surrogate: kept as text)
            pass
    head = marshal.dumps((own, index, result.generation, groups, text), MARSHAL)
    return _HEAD.pack(len(head)) + head + marshal.dumps(tuple(out), MARSHAL)


def try_encode_packed(result: FileResult, brief=None) -> bytes | None:
    """:func:`encode_packed`, or None for a result that is not plain data
    (it gets no pack entry)."""
    try:
        return encode_packed(result, brief)
    except (TypeError, ValueError):
        return None
