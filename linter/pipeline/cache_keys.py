"""The results cache's keys of files (:class:`FileKeys`). By ``stat``
(``cache-key = "mtime"``): the file's size, times, inode and device and its
sidecar tables' (or that they are absent), digested with its name; a file
changed within :data:`RACY_NS` also by its bytes. By content (``"content"``),
or by git's blob ids where git tracks the files (``"auto"``)."""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import time

from linter.base.paths import folder_prefix, stem
from linter.base.paths import split as split_path
from linter.pipeline.cache_files import _content_hash, _sidecars, table_shapes
from linter.reading.annotations import _may_exist

RACY_NS = 2_000_000_000  # a file changed this recently is also hashed


def table_names(figid: str, folded: str, tables) -> list[str | None] | tuple:
    """The names of a record's tables, None for one the folder's listing
    shows absent (``tables``: :func:`folder_tables`; ``folded``: the figid
    casefolded)."""
    shapes, anywhere, none = tables
    if anywhere is not None and folded not in anywhere:
        return none  # (the common case: a record without tables)
    return [
        None if present is not None and folded not in present else head + figid + tail
        for head, tail, present in shapes
    ]


def table_pairs(figid: str, folded: str, tables) -> list[tuple[str, bool]]:
    """``(name, may exist)`` of each of a record's tables (False where the
    folder's listing shows it absent), from :func:`folder_tables`' answer."""
    shapes = tables[0]
    return [
        (head + figid + tail, True if present is None else folded in present)
        for head, tail, present in shapes
    ]


def _pairs_of(named) -> list[tuple[str, bool]]:
    """``(name, may exist)`` of each table of a :meth:`FileKeys._named`
    answer."""
    return named if type(named) is list else table_pairs(*named)


def _names_of(named) -> list[str | None] | tuple:
    """The names of the tables of a :meth:`FileKeys._named` answer, as
    :func:`stat_digest` takes them: None for one that cannot exist."""
    if type(named) is list:
        return [table if may_exist else None for table, may_exist in named]
    return table_names(*named)


def folder_tables(shapes: list) -> tuple:
    """``(shapes, anywhere, none)``: ``table_shapes``' answer for a folder,
    the figids with any table there (None when one may have a table the
    listing does not show) and the names of a record with none."""
    sets = [present for _, _, present in shapes]
    anywhere = None if None in sets else frozenset().union(*sets)
    return shapes, anywhere, (None,) * len(shapes)


_STAT = struct.Struct("<qqqQQ")  # size, mtime, ctime, inode, device
_TABLE = struct.Struct("<BqqqqQ")  # a table that is there: 2, mode, size, times, inode
_ABSENT, _UNREADABLE = b"\0", b"\1"  # (then the error number, as "<q")


def stat_digest(path: str, st, tables) -> tuple[bytes, int] | None:
    """The key of ``path`` whose ``stat`` is ``st`` and whose tables are
    ``tables`` (None: absent, not looked at), and the newest time among them
    (a file changed within the clock's resolution of it is also hashed);
    None for a number over 64 bits (such a file is not cached)."""
    mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
    newest = mtime if mtime > ctime else ctime
    try:
        head = path.encode("utf-8", "surrogateescape") + _STAT.pack(
            st.st_size, mtime, ctime, st.st_ino, st.st_dev
        )
    except (struct.error, OverflowError):
        return None
    if tables.count(None) == len(tables):  # (most records: no table, no stat)
        return hashlib.blake2b(head + _ABSENT * len(tables), digest_size=16).digest(), newest
    h = hashlib.blake2b(head, digest_size=16)  # (the digest of the parts one after the other)
    try:
        for table in tables:
            if table is None:
                h.update(_ABSENT)
                continue
            try:
                s = os.stat(table)
            except FileNotFoundError:
                h.update(_ABSENT)
                continue
            except OSError as exc:
                h.update(_UNREADABLE + (exc.errno or 0).to_bytes(8, "little", signed=True))
                continue
            h.update(_TABLE.pack(2, s.st_mode, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino))
            newest = max(newest, s.st_mtime_ns, s.st_ctime_ns)
    except (struct.error, OverflowError):
        return None
    return h.digest(), newest


class FileKeys:
    """The :class:`~linter.pipeline.cache.Cache`'s keys of files (a part of
    it: ``disabled``, ``key_mode``, ``git``, ``options`` and the ``shapes``
    and ``listings`` of the folders met are the cache's)."""

    def keys_apart(self):
        """:meth:`keys` as a forked process may work out a part of a run's
        files' keys (``keys(paths, now)``: keys by ``stat`` or by content,
        which read the files alone), else None (``auto``: git's answers,
        asked once by the run's own process)."""
        if self.disabled or self.key_mode not in ("mtime", "content"):
            return None
        return self.keys

    def _tables(self, path: str) -> list[tuple[str, bool]]:
        """The sidecar tables the annotations would read for the record at
        ``path``: ``(path, may exist)`` each (False when the folder's listing
        shows it absent: no ``stat`` needed)."""
        return _pairs_of(self._named(path))

    def _named(self, path: str):
        """:meth:`_tables`' answer when the folder's tables are not named by a
        pattern of their own (a list); else ``(figid, its casefolded form,
        the folder's tables)``, from which a table's name is made only when it
        may exist (:func:`folder_tables`)."""
        folder, base = split_path(path)
        tables = self.shapes.get(folder)
        if tables is None:
            shapes = table_shapes(folder, self.options, self.listings)
            self.shapes[folder] = tables = folder_tables(shapes) if shapes is not False else False
        if tables is False:
            return [(t, _may_exist(t, self.listings)) for t in _sidecars(path, self.options)]
        figid = stem(base)
        return figid, figid.casefold(), tables

    def _table_names(self, path: str) -> list[str | None]:
        """:meth:`_tables` for :func:`stat_digest`: a name, or None for a
        table that cannot exist."""
        return _names_of(self._named(path))

    def key(self, path) -> bytes | tuple[bytes, bytes] | None:
        """The file's key, or ``(key, hash)`` with the hash of its bytes when
        the key alone may not show the next edit (a racy timestamp); None when
        the file cannot be keyed (gone, not a regular file): never cached."""
        if self.disabled:
            return None
        p = os.fspath(path)
        if self.key_mode != "mtime":
            tables = self._tables(p)
            if self.key_mode == "auto" and (key := self.git.key(p, tables)) is not None:
                return key
            return _content_hash(p, tables)
        try:
            st = os.stat(p)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        found = stat_digest(p, st, self._table_names(p))
        return self._racy(p, *found, time.time_ns()) if found is not None else None

    def _racy(self, p: str, digest: bytes, newest: int, now: int):
        """``digest``, or ``(digest, hash of the bytes)`` for a file changed
        within :data:`RACY_NS` of ``now`` (the next edit may keep its times)."""
        if now - newest < RACY_NS:
            content = _content_hash(p, self._tables(p))
            if content is not None:
                return digest, content
        return digest

    def keys(self, paths: list[str], now: int | None = None) -> list:
        """``[key(p) for p in paths]``, for a run's files in order: a file of
        the same folder as the one before is not split again, and the clock
        is read once (before the files: a file changed since is racy; ``now``:
        read before, by the caller)."""
        if self.key_mode == "auto" and not self.disabled:
            return self._auto_keys([os.fspath(p) for p in paths])
        if self.disabled or self.key_mode != "mtime":
            return [self.key(p) for p in paths]
        if now is None:
            now = time.time_ns()
        out = []
        regular = stat.S_ISREG
        for p, named in zip(paths, self._each_named(paths)):
            try:
                st = os.stat(p)
            except OSError:
                out.append(None)
                continue
            if not regular(st.st_mode):
                out.append(None)
                continue
            found = stat_digest(p, st, _names_of(named))
            if found is None:
                out.append(None)
            elif now - found[1] >= RACY_NS:  # (most files: not racy, no call)
                out.append(found[0])
            else:
                out.append(self._racy(p, *found, now))
        return out

    def _each_named(self, paths: list[str]):
        """:meth:`_named` for each of a run's files, in order: a file of the
        last folder (see :func:`folder_prefix`) without splitting it."""
        prefix, folder = None, None  # the last folder's prefix and its tables
        cut = 0  # len(prefix)
        for p in paths:
            base = p[cut:] if prefix is not None and p.startswith(prefix) else None
            if base and "/" not in base:
                figid = stem(base)
                yield figid, figid.casefold(), folder
                continue
            named = self._named(p)
            if type(named) is list:
                prefix = None
            else:
                prefix, folder = folder_prefix(split_path(p)[0]), named[2]
                cut = len(prefix) if prefix is not None else 0
            yield named

    def _auto_keys(self, paths: list[str]) -> list:
        """:meth:`keys` for ``cache-key = "auto"``: git's blob ids (hashed
        bytes where git cannot vouch)."""
        git, out = self.git, []
        for p, named in zip(paths, self._each_named(paths)):
            tables = _pairs_of(named)
            key = git.key(p, tables)
            out.append(key if key is not None else _content_hash(p, tables))
        return out
