"""A results-cache entry as text and back: a file's findings, collection
index and generation as compact JSON (never a pickle). Decoding checks every
field's type: a corrupt, foreign or planted entry raises ``ValueError`` (the
cache then treats it as a miss), never builds a half-valid finding."""

from __future__ import annotations

import json

from linter.base.model import SEVERITY_RANK, Edit, Finding, Fix, Span
from linter.engine import SUPPRESS_KEY, FileResult, Suppression


def _encode_index(result: FileResult):
    index = None
    if result.index:
        index = {}
        for code, value in result.index.items():
            if code == SUPPRESS_KEY:
                index[code] = [
                    "s",
                    [[s.line, s.whole_record, s.codes, s.code_spans] for s in value],
                ]
            elif isinstance(value, bytes):  # a collection rule's digests
                index[code] = ["b", value.hex()]
            else:
                index[code] = ["v", _encode(value)]
    return index


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_dumps = _ENCODER.encode


def encode_index(result: FileResult) -> str:
    """What a collection pass needs of a result: name, index, generation."""
    return _dumps([result.filename, _encode_index(result), result.generation])


def decode_index(text) -> FileResult:
    """The result stored by :func:`encode_index`, without findings."""
    if not isinstance(text, str):
        raise ValueError("not text")
    filename, index, generation = json.loads(text)
    return _result(filename, [], index, generation)


def encode_result(result: FileResult) -> str:
    index = _encode_index(result)
    own = result.filename
    packed = []
    for f in result.findings:
        p = f.pack()
        if p[4] == own:  # the file's own finding: its name once per result
            p = (*p[:4], 0, *p[5:])
        packed.append(p)
    return _dumps([result.filename, packed, index, result.generation])


def _encode(value):
    if isinstance(value, bytes):
        return {"x": value.hex()}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _decode(value):
    if type(value) is list:
        out = tuple(value)  # (an empty one is the one shared empty tuple)
        for v in out:
            if type(v) is list or type(v) is dict:
                return tuple(_decode(v) for v in value)
        return out
    if type(value) is dict:
        if len(value) == 1 and type(value.get("x")) is str:
            return bytes.fromhex(value["x"])
        raise ValueError("unexpected object")
    if value is None or type(value) in (str, int, float):
        return value
    raise ValueError("unexpected value")


def decode_result(text) -> FileResult:
    """The :class:`FileResult` stored as ``text``; raises ValueError (or
    TypeError…) on anything that is not exactly what :func:`encode_result`
    writes."""
    if not isinstance(text, str):
        raise ValueError("not text")
    filename, packed, index, generation = json.loads(text)
    if not isinstance(filename, str):
        raise ValueError("bad result")
    return _result(filename, [_finding(p, filename) for p in packed], index, generation)


def _result(filename, findings, index, generation) -> FileResult:
    if not isinstance(filename, str) or not (generation is None or isinstance(generation, str)):
        raise ValueError("bad result")
    out_index = None
    if index is not None:
        if not isinstance(index, dict):
            raise ValueError("bad index")
        out_index = {}
        for code, (tag, value) in index.items():
            if tag == "b" and type(value) is str:
                out_index[code] = bytes.fromhex(value)
            elif tag == "v":
                out_index[code] = _decode(value)
            elif tag == "s" and code == SUPPRESS_KEY:
                out_index[code] = [_suppression(s) for s in value]
            else:
                raise ValueError("bad index entry")
    return FileResult(filename, findings, out_index, generation)


def _int(v) -> bool:
    return type(v) is int


def _str(v) -> bool:
    return type(v) is str


def _finding(p, own: str) -> Finding:
    code, name, severity, message, filename, path, span, fix, extra = p
    if filename == 0 and type(filename) is int:
        filename = own
    if (
        type(code) is not str
        or type(name) is not str
        or severity not in SEVERITY_RANK
        or type(message) is not str
        or type(filename) is not str
        or type(path) is not str
    ):
        raise ValueError("bad finding")
    if span is not None:
        line, col, end_line, end_col, start, end = span
        if not (
            type(line) is int
            and type(col) is int
            and type(end_line) is int
            and type(end_col) is int
            and type(start) is int
            and type(end) is int
        ):
            raise ValueError("bad span")
        span = Span(line, col, end_line, end_col, start, end)
    if fix is not None:
        applicability, fix_message, edits = fix
        if applicability not in ("safe", "unsafe") or type(fix_message) is not str:
            raise ValueError("bad fix")
        out = []
        for start, end, content in edits:
            if not (type(start) is int and type(end) is int and type(content) is str):
                raise ValueError("bad edit")
            out.append(Edit(start, end, content))
        fix = Fix(applicability, fix_message, tuple(out))
    if extra:
        if type(extra) is not dict:
            raise ValueError("bad extra")
        for k, v in extra.items():  # tuples come back as tuples
            if type(k) is not str:
                raise ValueError("bad extra")
            if type(v) is list:
                extra[k] = _decode(v)
            elif type(v) is dict and not all(  # structured data: strings only
                type(a) is str and type(b) is str for a, b in v.items()
            ):
                raise ValueError("bad extra")
    else:
        extra = {}
    return Finding(code, name, severity, message, filename, path, span, fix, extra)


def _suppression(s) -> Suppression:
    line, whole, codes, spans = s
    if not (_int(line) and isinstance(whole, bool) and all(map(_str, codes))):
        raise ValueError("bad suppression")
    pairs = [(a, b) for a, b in spans]
    if len(pairs) != len(codes) or not all(_int(a) and _int(b) for a, b in pairs):
        raise ValueError("bad suppression")
    return Suppression(line, whole, list(codes), pairs)
