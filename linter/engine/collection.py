"""The collection pass: collection-scope (XR) rules over the index every file gave."""

from __future__ import annotations

import marshal
from array import array
from itertools import accumulate

from linter.base.chunks import Chunks
from linter.base.digests import blake2b
from linter.base.model import Finding, Span
from linter.engine.filelint import Context, Linter
from linter.engine.settings import Settings
from linter.engine.suppression import SUPPRESS_KEY, Suppression, apply_suppressions


class CollectionIndex:
    """What the collection rules get from every file, kept compact: the
    files' names in one list, and per collection rule code a column of the
    values (``None`` when the file gave none). A column keeps ``bytes``
    values (the digests most rules send) and any other value ``marshal``
    can write back to back in one buffer, with a 1-byte tag and a 4-byte
    end offset per file; a value ``marshal`` cannot write (a suppression
    comment) is kept as it is, by row. ``get(code)`` lists ``(filename,
    value)`` pairs like a dict of lists would, as a view that decodes them
    each time it is iterated: no object per file and value is held between,
    nor while a rule runs unless it keeps them (at 100,000 files a tuple and
    three ``bytes`` per file cost about 30 MB)."""

    def __init__(self, codes):
        self.codes = tuple(codes)
        self.names: list[str] = []
        self._columns = {code: _Column() for code in self.codes}

    def add(self, filename: str, entries: dict) -> None:
        self.names.append(filename)
        for code, column in self._columns.items():
            column.add(entries.get(code))

    @classmethod
    def of(cls, rows) -> CollectionIndex:
        """The index of ``rows`` (``(filename, entries)``; a file without
        entries is left out, as a run leaves it out) with the codes they
        give: what a warm run's worker sends of its batch (:meth:`extend`)."""
        rows = [(name, entries) for name, entries in rows if entries]
        index = cls(dict.fromkeys(code for _, entries in rows for code in entries))
        index.names = [name for name, _ in rows]
        for code, column in index._columns.items():
            column.fill([entries.get(code) for _, entries in rows])
        return index

    def extend(self, other: CollectionIndex) -> None:
        """Add ``other``'s files after this index's, as :meth:`add` would
        (the values of codes this index does not keep are dropped)."""
        n = len(other.names)
        self.names.extend(other.names)
        for code, column in self._columns.items():
            theirs = other._columns.get(code)
            if theirs is None:
                column.tags.extend(bytes(n))  # _NONE
                column.ends.extend([len(column.data)] * n)
            else:
                column.extend(theirs)

    def rows(self):
        """``(filename, entries)`` for each file, as :meth:`add` was given
        them (the values decoded again)."""
        columns = [(code, column.values()) for code, column in self._columns.items()]
        for name in self.names:
            entries = {}
            for code, values in columns:
                value = next(values)
                if value is not None:
                    entries[code] = value
            yield name, entries

    def digest(self) -> bytes | None:
        """A digest of everything the index holds: the files' names in order
        and every column's values (what the collection rules that read the
        index alone decide from; a record's suppression comments by their
        fields); None when a column keeps any other value ``marshal`` cannot
        write."""
        h = blake2b(digest_size=32, person=b"pfocr-xr-index")
        names = "\0".join(self.names).encode("utf-8", "surrogatepass")
        h.update(len(self.names).to_bytes(8, "little") + len(names).to_bytes(8, "little"))
        h.update(names)
        for code in self.codes:
            column = self._columns[code]
            label = code.encode("utf-8", "surrogatepass")
            for row in sorted(column.objects):
                value = column.objects[row]
                # suppression comments: plain dataclasses, their repr is their value
                if not isinstance(value, list) or not all(type(c) is Suppression for c in value):
                    return None
                text = repr(value).encode("utf-8", "surrogatepass")
                h.update(row.to_bytes(8, "little") + len(text).to_bytes(8, "little") + text)
            h.update(len(label).to_bytes(4, "little") + label)
            h.update(column.tags)
            h.update(column.ends.tobytes())
            h.update(len(column.data).to_bytes(8, "little"))
            for part in column.data.parts():
                h.update(part)
        return h.digest()

    def get(self, code: str, default=None):
        column = self._columns.get(code)
        if column is None or column.empty():
            return default
        return _Values(column, self.names)

    def __bool__(self) -> bool:
        return bool(self.names)


_NONE, _BYTES, _MARSHAL, _OBJECT = 0, 1, 2, 3


class _Column:
    """One code's values, file by file (see :class:`CollectionIndex`)."""

    __slots__ = ("tags", "ends", "data", "objects")

    def __init__(self):
        self.tags = bytearray()
        self.ends = array("I")  # where each file's value ends in ``data``
        self.data = Chunks()
        self.objects: dict[int, object] = {}  # row -> a value marshal cannot write

    def add(self, value) -> None:
        if value is None:
            tag = _NONE
        elif type(value) is bytes:
            tag = _BYTES
            self.data.add(value)
        else:
            try:
                self.data.add(marshal.dumps(value))
                tag = _MARSHAL
            except ValueError:  # not marshal's: kept as it is
                self.objects[len(self.tags)] = value
                tag = _OBJECT
        self.tags.append(tag)
        self.ends.append(len(self.data))

    def fill(self, values: list) -> None:
        """The rows ``values``, at once, in a new column (what :meth:`add`
        does for each, the bytes joined in one piece)."""
        parts = []
        for row, value in enumerate(values):
            if value is None:
                self.tags.append(_NONE)
                parts.append(b"")
            elif type(value) is bytes:
                self.tags.append(_BYTES)
                parts.append(value)
            else:
                try:
                    parts.append(marshal.dumps(value))
                    self.tags.append(_MARSHAL)
                except ValueError:  # not marshal's: kept as it is
                    self.objects[row] = value
                    self.tags.append(_OBJECT)
                    parts.append(b"")
        self.ends.extend(accumulate(map(len, parts)))
        self.data.add(b"".join(parts))

    def extend(self, other: _Column) -> None:
        """Add ``other``'s rows after these."""
        rows = len(self.tags)
        for row, value in other.objects.items():
            self.objects[rows + row] = value
        self.tags += other.tags
        base = len(self.data)
        for part in other.data.parts():  # a chunk at a time: no value is split
            self.data.add(part)
        self.ends.extend([base + end for end in other.ends])

    def values(self):
        """Each row's value (None where none), in order."""
        objects = self.objects
        for row, (tag, value) in enumerate(zip(self.tags, self.data.items(self.ends))):
            if tag == _BYTES:
                yield bytes(value)
            elif tag == _MARSHAL:
                yield marshal.loads(value)
            elif tag == _OBJECT:
                yield objects[row]
            else:
                yield None

    def empty(self) -> bool:
        return not any(self.tags)

    def pairs(self, names: list[str]):
        """``(name, value)`` of the rows that have a value."""
        for name, value in zip(names, self.values()):
            if value is not None:
                yield name, value


class _Values:
    """A column's ``(filename, value)`` pairs, in order, decoded each time
    they are iterated (a collection rule may go over them twice rather than
    keep them all)."""

    __slots__ = ("column", "names")

    def __init__(self, column: _Column, names: list[str]):
        self.column, self.names = column, names

    def __iter__(self):
        return self.column.pairs(self.names)

    def __len__(self) -> int:
        return len(self.column.tags) - self.column.tags.count(_NONE)

    def __bool__(self) -> bool:
        return not self.column.empty()

    def keyed(self, width: int):
        """Each file's value's first ``width`` bytes, by file (None where it
        gave no value), and a function from ascending file numbers to their
        ``(filename, value)`` pairs: what a rule that groups the files by a
        digest needs, without a value decoded per file. None when the
        column holds values other than bytes."""
        column = self.column
        tags = column.tags
        if tags.count(_NONE) + tags.count(_BYTES) != len(tags):
            return None
        ends = column.ends
        keys = column.data.prefixes(ends, width)
        if _NONE in tags:
            keys = [k if t else None for k, t in zip(keys, tags)]
        names = self.names

        def pairs(rows):
            return list(zip([names[r] for r in rows], column.data.picked(ends, rows)))

        return keys, pairs


def collection_findings(entries, settings: Settings, memo=None) -> list[Finding]:
    """Run the collection-scope rules over the index gathered from every file
    (a :class:`CollectionIndex`, or a dict of ``(filename, value)`` lists by
    code), then apply per-file ignores and the records' suppressions of XR
    codes.

    ``memo`` (``get(digest)`` -> findings or None, ``put(digest, findings)``)
    keeps the findings of the rules that decide from the index alone by the
    index's :meth:`CollectionIndex.digest`: a run over the same index (a warm
    run, an edit that changes no indexed value) takes them from there. A
    rule that reads more (the option ``outside-index``: XR104 lists the data
    folders) always runs."""
    linter = Linter(settings)
    rules = linter.collection_rules
    digest = None
    if (
        memo is not None
        and isinstance(entries, CollectionIndex)
        and any(not r.options.get("outside-index") for r in rules)
    ):
        digest = entries.digest()
    kept = memo.get(digest) if digest is not None else None
    by_code: dict[str, list[Finding]] | None = None
    if kept is not None:
        by_code = {}
        for f in kept:
            by_code.setdefault(f.code, []).append(f)
    findings: list[Finding] = []
    fresh: list[Finding] = []  # the index-only rules' findings, for the memo
    for r in rules:
        own = not r.options.get("outside-index")
        if by_code is not None and own:
            findings += by_code.get(r.code, ())
            continue
        items = entries.get(r.code, [])
        for p in r.func(items, linter.ctx):
            f = linter.stamp(r, p, None, p.file or "")
            if f.code in settings.severity:
                f.severity = settings.severity[f.code]
            if f.code not in settings.ignored_for(f.filename):
                findings.append(f)
                if own:
                    fresh.append(f)
    if digest is not None and kept is None:
        memo.put(digest, fresh)
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
