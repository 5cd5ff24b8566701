"""Text made safe for a terminal, a log or a JSON document: control
characters and ANSI escapes shown, never obeyed; a file name's undecodable
bytes written as ``\\xNN``. Every message on stderr goes through
:func:`to_stderr`."""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import sys

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# a file name's bytes that are not UTF-8 reach Python as lone surrogates
# (U+DC80-U+DCFF, "surrogateescape"): they cannot be written as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m) -> str:
    """``\\xNN`` for a control character, and for the byte ``NN`` of a file
    name that is not UTF-8 (as Python's ``backslashreplace`` shows that byte);
    ``\\uXXXX`` for any other lone surrogate."""
    n = ord(m.group())
    if 0xDC80 <= n <= 0xDCFF:
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def clean(text: str, newlines: bool = False) -> str:
    """Escape control characters (ANSI escapes included) so record text can
    never style or move the terminal, and undecodable file-name bytes (see
    :func:`unsurrogate`); also newlines unless ``newlines``."""
    if text.isprintable():  # all of those are non-printable: the usual case
        return text
    out = _CONTROL.sub(_escape, text)
    if not newlines:
        out = out.replace("\n", "\\n")
    return out


def unsurrogate(text: str) -> str:
    """``text`` writable as UTF-8: the bytes of a file name that are not UTF-8
    (lone surrogates ``\\udce9``) become ``\\xe9``, as in :func:`clean`;
    nothing else changes."""
    if not _has_surrogate(text):
        return text
    return _SURROGATE.sub(_escape, text)


def _has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (cheaper than a regex search:
    encoding runs in C and fails only on those)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def json_text(obj, ascii_only: bool = False, **kw) -> str:
    """JSON text that is valid UTF-8 whatever the strings hold: a file name's
    undecodable bytes (lone surrogates) are written ``\\xe9`` (see
    :func:`unsurrogate`); ``ascii_only`` escapes every
    non-ASCII character (``\\u00e9``) for an output that is not UTF-8."""
    text = json.dumps(obj, ensure_ascii=ascii_only, **kw)
    if ("\\ud" in text) if ascii_only else _has_surrogate(text):
        # a surrogate was there: dump again with the strings made safe
        text = json.dumps(_json_safe(obj), ensure_ascii=ascii_only, **kw)
    return text


def _json_safe(obj):
    if isinstance(obj, str):
        return unsurrogate(obj)
    if isinstance(obj, dict):
        return {_json_safe(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    return obj


def is_utf8(stream) -> bool:
    """Whether ``stream`` writes UTF-8 (else JSON output is kept ASCII)."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name == "utf-8"
    except LookupError:
        return False


def write_utf8(stream, data: bytes) -> None:
    """Write ``data``, text encoded as strict UTF-8, to the text ``stream``
    as writing that text would: to its byte buffer when it is a UTF-8 text
    file on a system whose newline is ``\\n`` (what it had pending is
    flushed first; no decoding, no encoding again), else decoded."""
    if isinstance(stream, io.TextIOWrapper) and os.linesep == "\n" and is_utf8(stream):
        stream.flush()
        stream.buffer.write(data)
    else:
        stream.write(data.decode("utf-8"))


def to_stderr(message: str) -> None:
    """Print one message on stderr with control characters and undecodable
    bytes escaped like the reporters' output (a file name holding ESC, an
    OSC-8 hyperlink or BEL is shown, never obeyed). Every stderr message of
    the command goes through here."""
    # a --debug traceback keeps its lines; anything else is one line
    text = clean(message, newlines=bool(os.environ.get("PFOCR_LINT_DEBUG")))
    # a CI runner reads stderr for workflow commands too (a file name in a message)
    text = "\n".join(log_line(line) for line in text.split("\n"))
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr closed: nothing more can be said


# The runner reads a line as a workflow command when, leading white space left
# out, it starts with "::" (``::error``, ``::stop-commands::``), or when it holds
# the legacy prefix "##[" anywhere (``##[error]``): ActionCommand.TryParseV2 and
# TryParse in actions/runner, tried in that order on every line of stdout and stderr.
_LEGACY = "##["


def log_line(text: str) -> str:
    """``text`` (one line) as a log line the runner cannot read as a workflow
    command: ``##[`` is written ``##\\x5b`` and a ``::`` that would start the
    line ``\\x3a:`` (escaped as :func:`clean` escapes).
    Ordinary text is returned as it is."""
    if _LEGACY in text:
        text = text.replace(_LEGACY, "##\\x5b")
    blank = len(text) - len(text.lstrip())
    if text.startswith("::", blank):
        text = text[:blank] + "\\x3a" + text[blank + 1 :]
    return text
