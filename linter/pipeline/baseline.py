"""A baseline: the findings a collection already had, accepted for now.

``pfocr-lint check --write-baseline FILE`` records the run's findings by their
stable keys (:mod:`linter.engine.fingerprint`), with a count per key;
``--baseline FILE`` (or ``baseline = "FILE"`` in the configuration) then
reports only the findings beyond it: a finding whose key is recorded is
dropped while the recorded count lasts, so a second identical finding is new.
An entry that no longer occurs (fewer findings than recorded) is reported as
``FM198`` (info) at its line in the baseline file; ``--write-baseline`` drops
it. Only the entries of files linted in the run are judged: linting one
record does not make the others' entries stale.

The file is JSON, sorted, one entry per line, so that it diffs well::

    {
      "findings": {
        "_figures/PMC1__f1.md": {
          "NA101 /doi 3f2a9c1b0d4e": 1,
          "NA102 /organisms/* 12cb8db50317": 2
        }
      },
      "format": "pfocr-lint-baseline",
      "version": 1
    }

An entry is ``CODE PATH VALUE`` (:class:`~linter.engine.fingerprint.Key`, ``-``
for an empty value); file
paths are relative to the baseline file's folder, so the baseline works
from any working directory.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from linter.base.atomic import write_atomic
from linter.base.model import Finding, Span
from linter.engine import fingerprint
from linter.engine.fingerprint import Key
from linter.reading.files import read_regular
from linter.rules.registry import get_rule

FORMAT = "pfocr-lint-baseline"
VERSION = 1
UNUSED_CODE = "FM198"
BASELINED = "baselined"  # Finding.extra key of a finding the baseline covers (report)


class BaselineError(Exception):
    """The baseline file cannot be read or is not a baseline (exit 2)."""


def entry_text(key: Key) -> str:
    return f"{key.code} {key.path} {key.value or '-'}"


def parse_entry(file: str, text: str) -> Key:
    code, _, rest = text.partition(" ")
    path, _, value = rest.rpartition(" ")
    return Key(file, path, code, "" if value == "-" else value)


def load(path: str | os.PathLike) -> tuple[Counter, dict]:
    """``(counts by key, line of each entry)`` of the baseline at ``path``."""
    path = Path(path)

    try:
        text = read_regular(path, 1 << 30).decode("utf-8")  # never waits on a FIFO
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: the baseline is not UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON: {exc.msg}"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f'{path}: not a pfocr-lint baseline (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r}, expected {VERSION}")
    files = data.get("findings")
    if not isinstance(files, dict):
        raise BaselineError(f'{path}: "findings" must be an object of files')
    counts: Counter = Counter()
    for file, entries in files.items():
        if not isinstance(entries, dict):
            raise BaselineError(f"{path}: the entries of {file!r} must be an object")
        for entry, count in entries.items():
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise BaselineError(f"{path}: {file!r}: {entry!r}: the count must be >= 1")
            counts[parse_entry(file, entry)] += count
    return counts, _lines(text, counts)


def _lines(text: str, counts: Counter) -> dict:
    """The line of each entry in the file as written by :func:`write` (one
    file key per line, then its entries); 1 when it cannot be told."""
    lines: dict = {}
    current = None
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.endswith("{") and stripped.startswith('"'):
            try:
                current = json.loads(stripped[:-1].rstrip().rstrip(":"))
            except json.JSONDecodeError:
                current = None
        elif current is not None and stripped.startswith('"') and ":" in stripped:
            try:
                entry = json.loads("{" + stripped.rstrip(",") + "}")
            except json.JSONDecodeError:
                continue
            for text_key in entry:
                lines[parse_entry(current, text_key)] = number
    return {k: lines.get(k, 1) for k in counts}


def dumps(counts: Counter) -> str:
    files: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        if n > 0:
            files.setdefault(key.file, {})[entry_text(key)] = n
    payload = {"findings": files, "format": FORMAT, "version": VERSION}
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: str | os.PathLike, counts: Counter) -> None:

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, dumps(counts))


class Matcher:
    """Drops the findings a baseline covers, counting; tells the entries left."""

    def __init__(self, path: str | os.PathLike | None, counts: Counter | None = None, lines=None):
        self.path = os.fspath(path) if path is not None else None
        self.root = os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()
        self.left: Counter = Counter(counts or ())
        self.lines = lines or {}
        self.matched = 0
        self.linted: set[str] = set()  # files (relative keys) linted in this run
        self.seen: Counter = Counter()  # every finding's key, for --write-baseline

    @classmethod
    def open(cls, path) -> Matcher:
        counts, lines = load(path)
        return cls(path, counts, lines)

    def file_linted(self, filename: str) -> None:
        self.linted.add(fingerprint.relative(filename, self.root))

    def filter(self, findings: list[Finding], mark: bool = False) -> list[Finding]:
        """The findings the baseline does not cover; with ``mark``, every
        finding, those it covers marked ``extra["baselined"] = True``."""
        kept = []
        for f in findings:
            key = fingerprint.key(f, self.root)
            self.seen[key] += 1
            if self.left[key] > 0:
                self.left[key] -= 1
                self.matched += 1
                if mark:
                    f.extra = {**(f.extra or {}), BASELINED: True}
                    kept.append(f)
            else:
                kept.append(f)
        return kept

    def unused(self, judged) -> list[Finding]:
        """``FM198`` findings, at their lines in the baseline file, for the
        entries of linted files that matched fewer findings than recorded;
        ``judged(key)`` tells whether an entry was looked for in this run
        (its file linted, its rule selected)."""

        rule = get_rule(UNUSED_CODE)
        out = []
        for key, n in sorted(self.left.items()):
            if n <= 0 or not judged(key):
                continue
            line = self.lines.get(key, 1)
            message = (
                f"baseline entry {entry_text(key)!r} of {key.file}: "
                f"{n} of its findings no longer occur; `--write-baseline` drops them"
            )
            span = Span(line, 1, line, 1, 0, 0)
            out.append(Finding(UNUSED_CODE, rule.name, rule.severity, message, self.path, "", span))
        return out

    def to_write(self, previous, is_linted) -> Counter:
        """What ``--write-baseline`` writes: this run's findings, and the
        previous baseline's entries of the files this run did not lint."""
        counts = Counter({k: n for k, n in previous.items() if not is_linted(k.file)})
        counts.update(self.seen)
        return counts
