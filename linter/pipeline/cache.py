"""The results cache: an unchanged file costs a ``stat`` (or a hash) instead of a lint.

One SQLite database (standard library) per configuration in
``.pfocr-lint-cache/`` beside the configuration (or the working directory).
It holds data only: each entry is a row of text and bytes (the file's
findings, generation and collection-index values as JSON), never a pickle,
so a cache restored from a shared CI cache cannot run code. Anything
unexpected is a miss, never a crash: a file that is not a database, a
database of another schema version or configuration, a table of another
shape, a row that does not decode into findings. Such a file is replaced
(atomically) by a fresh one when the run writes its results.

Keys (``cache-key`` in the configuration):

- ``"mtime"`` (default): the file's and its sidecar tables' size,
  modification time, status-change time (ctime, which no tool can set
  back) and inode, in nanoseconds. A file or table changed in the last two
  seconds before it was keyed is "racy" (a same-size edit within the
  timestamp's granularity would not show): its entry also stores a hash of
  the bytes, checked on every later hit.
- ``"content"``: a hash (BLAKE2b) of the file's bytes and of its sidecar
  tables' bytes, for CI, where every checkout gets fresh timestamps.

Either key also holds the file's name as shown; the database itself is
chosen by the linter's version and code, the selected rules, severities,
options, schema and key mode, so any change there starts a fresh cache.
Collection (XR) findings are never cached: they are recomputed every run
from the cached per-file index values (digests, see ``linter.rules.xr``).

Concurrent runs are safe: SQLite's locking serialises the writes (each
batch is one transaction; a run that cannot get the lock within the busy
timeout leaves those entries out), and a new database is built under a
temporary name and renamed into place. A cache folder that cannot be used
(a regular file stands there, no permission) is a warning on stderr; the
run goes on without the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import tempfile
import time
from pathlib import Path

from linter import __version__
from linter.base.textsafe import to_stderr
from linter.engine import FileResult
from linter.pipeline.cache_entries import (
    decode_index,
    decode_result,
    encode_index,
    encode_result,
)
from linter.reading.annotations import _listing, _may_exist, sidecar_locations

CACHE_DIR = ".pfocr-lint-cache"
KEY_MODES = ("mtime", "content")
SCHEMA_VERSION = "3"
SUFFIX = ".sqlite3"
BATCH = 2000  # entries written per transaction
BUSY_TIMEOUT = 10.0  # seconds to wait for another run's write lock
RACY_NS = 2_000_000_000  # a file changed this recently is also hashed
STALE_DAYS = 30  # other configurations' databases unused this long are removed
_CHUNK = 1 << 20
_EXPECTED = {("table", "meta"), ("table", "entries")}
_CREATE = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE entries (path TEXT PRIMARY KEY, key BLOB NOT NULL, hash BLOB,"
    " result TEXT NOT NULL, idx TEXT NOT NULL) WITHOUT ROWID",
)


def _code_digest() -> str:
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent.parent  # linter/
    for p in sorted(pkg.rglob("*")):  # the code and the shipped reference data
        if p.suffix in (".py", ".gz", ".xz", ".json", ".tsv") and "__pycache__" not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns}".encode())
    schema = pkg.parent / "schema"
    for p in sorted(schema.glob("*.json")) if schema.is_dir() else ():
        h.update(p.read_bytes())
    return h.hexdigest()


def settings_digest(settings, key_mode: str = "mtime") -> str:
    payload = {
        "code": _code_digest(),
        "select": sorted(settings.select),
        "severity": sorted(settings.severity.items()),
        "per_file_ignores": sorted((p, sorted(c)) for p, c in settings.per_file_ignores),
        "max_size": settings.max_size,
        "options": settings.options,
        "config_root": None if settings.config_root is None else str(settings.config_root),
        "key": key_mode,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _stderr(message: str) -> None:

    to_stderr(f"pfocr-lint: warning: {message}")


class Cache:
    """The results cache of one configuration (see the module docstring).

    :meth:`key` a file, :meth:`lookup` whether its entry is current,
    :meth:`load` the result of a current entry, :meth:`put` a fresh result,
    :meth:`save` at the end (entries are also written in batches on the way,
    so memory does not grow with the number of files)."""

    def __init__(self, folder: Path, settings, key_mode: str = "mtime", warn=None):
        if key_mode not in KEY_MODES:
            raise ValueError(f"cache-key must be one of {KEY_MODES}, not {key_mode!r}")
        self.folder = Path(folder) / CACHE_DIR
        self.digest = settings_digest(settings, key_mode)
        self.file = self.folder / f"{self.digest[:32]}{SUFFIX}"
        self.options = settings.options
        self.key_mode = key_mode
        self._warn = warn or _stderr
        self.disabled = False  # after a warning: no more reads or writes
        self.db: sqlite3.Connection | None = None
        self.rebuild = False  # the file is there but not a cache of ours: replace it
        self.pending: list[tuple] = []
        self.prefix = os.path.join(os.getcwd(), "")  # entry names: absolute paths
        self.listings: dict = {}  # tables' folders listed once for the run (see _may_exist)
        self.shapes: dict = {}  # records' folder -> how their tables are named
        self._open()

    # -- opening -----------------------------------------------------------------------
    def _disable(self, why: str) -> None:
        if not self.disabled:
            self.disabled = True
            self._warn(f"cache {self.folder}: {why}; running without the cache")
        self._close()

    def _open(self) -> None:
        if os.path.lexists(self.folder) and not os.path.isdir(self.folder):
            self._disable("not a folder")
            return
        if not os.path.lexists(self.file):
            return  # created when the first results are written
        try:
            db = _connect(self.file)
        except (sqlite3.Error, OSError):
            self.rebuild = True
            return
        if self._valid(db):
            self.db = db
        else:
            db.close()
            self.rebuild = True

    def _valid(self, db: sqlite3.Connection) -> bool:
        """Ours, this schema version and this configuration, nothing else in it."""
        try:
            objects = {(t, n) for t, n in db.execute("SELECT type, name FROM sqlite_master")}
            if objects != _EXPECTED:
                return False
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
            cols = [r[1] for r in db.execute("PRAGMA table_info(entries)")]
        except (sqlite3.Error, ValueError, TypeError):
            return False
        return (
            meta.get("schema") == SCHEMA_VERSION
            and meta.get("settings") == self.digest
            and cols == ["path", "key", "hash", "result", "idx"]
        )

    def _close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    def _broken(self) -> None:
        """The database failed while in use (corrupt pages): a miss from now
        on, and a fresh file when the results are written."""
        self._close()
        self.rebuild = True

    # -- keys ------------------------------------------------------------------------
    def _tables(self, path: str) -> list[tuple[str, bool]]:
        """The sidecar tables the annotations would read for the record at
        ``path``: ``(path, may exist)`` each (False when the folder's listing
        shows it absent: no ``stat`` needed)."""
        folder, base = os.path.split(path)
        shapes = self.shapes.get(folder)
        if shapes is None:
            shapes = self.shapes[folder] = self._shapes(folder)
        if shapes is False:
            return [(t, _may_exist(t, self.listings)) for t in _sidecars(path, self.options)]
        figid = base[:-3] if len(base) > 3 and base.endswith(".md") else os.path.splitext(base)[0]
        out = []
        for head, tail, cut, names in shapes:
            table = head + figid + tail
            if names is None:  # no listing to trust
                out.append((table, True))
            elif not names:  # no such folder
                out.append((table, False))
            else:
                name = table[cut:]
                out.append((table, name in names[0] or name.casefold() in names[1]))
        return out

    def _shapes(self, folder: str):
        """How the tables of the records of ``folder`` are named, worked out
        once per folder: ``(head, tail, where the name starts, the listing of
        its folder)`` around the figid; False when the pattern does not allow
        it (then each record's are computed)."""
        probe = os.path.join(folder, _FIGID + ".md")
        shapes = []
        for table in _sidecars(probe, self.options):
            if table.count(_FIGID) != 1:
                return False
            head, tail = table.split(_FIGID)
            table_dir = os.path.dirname(table)
            if _FIGID in table_dir:
                return False
            if table_dir not in self.listings:
                self.listings[table_dir] = _listing(table_dir)
            cut = len(os.path.join(table_dir, ""))
            shapes.append((head, tail, cut, self.listings[table_dir]))
        return shapes

    def key(self, path) -> bytes | tuple[bytes, bytes] | None:
        """The file's key, or ``(key, hash)`` with the hash of its bytes when
        the key alone may not show the next edit (a racy timestamp); None when
        the file cannot be keyed (gone, not a regular file): never cached."""
        if self.disabled:
            return None
        p = os.fspath(path)
        tables = self._tables(p)
        if self.key_mode == "content":
            content = _content_hash(p, tables)
            return content
        try:
            st = os.stat(p)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
        newest = mtime if mtime > ctime else ctime
        parts = [st.st_size, mtime, ctime, st.st_ino, st.st_dev]
        for table, may_exist in tables:
            if not may_exist:
                parts.append(-1)
                continue
            try:
                s = os.stat(table)
            except FileNotFoundError:
                parts.append(-1)
                continue
            except OSError as exc:
                parts += (-2, exc.errno or 0)
                continue
            parts += (s.st_mode, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)
            newest = max(newest, s.st_mtime_ns, s.st_ctime_ns)
        h = hashlib.blake2b(p.encode("utf-8", "surrogateescape"), digest_size=16)
        h.update(repr(parts).encode())
        racy = time.time_ns() - newest < RACY_NS
        if racy:
            content = _content_hash(p, tables)
            if content is not None:
                return h.digest(), content
        return h.digest()

    # -- reading -----------------------------------------------------------------------
    def _rows(self, paths, columns: str) -> list:
        """The rows of the entries of ``paths``, in order (None where there is
        none), in one query."""
        if self.db is None or not paths:
            return [None] * len(paths)
        names = [self._where(p) for p in paths]
        marks = ",".join("?" * len(names))
        try:
            cursor = self.db.execute(
                f"SELECT path, {columns} FROM entries WHERE path IN ({marks})", names
            )
            found = {row[0]: row[1:] for row in cursor}
        except sqlite3.Error:
            self._broken()
            return [None] * len(paths)
        return [found.get(name) for name in names]

    def _current(self, path, key, row) -> bool:
        if row is None or key is None:
            return False
        key, now = (key, None) if type(key) is bytes else key
        if row[0] != key:
            return False
        stored = row[1]
        if stored is None:
            return True
        if not isinstance(stored, bytes):
            return False
        if now is None:
            p = os.fspath(path)
            now = _content_hash(p, self._tables(p))
        return now == stored

    def _where(self, path) -> str:
        """The entry's name: the file's absolute path (not normalised: the
        name as given is part of the key anyway)."""
        path = os.fspath(path)
        if os.path.isabs(path):
            return path
        return self.prefix + path

    def lookup(self, paths: list, keys: list) -> list[bool]:
        """For each of ``paths`` (with its :meth:`key`), whether the cache
        holds a current entry (ask for a few hundred at a time)."""
        rows = self._rows(paths, "key, hash")
        return [self._current(p, k, row) for p, k, row in zip(paths, keys, rows)]

    def load(self, items: list, findings: bool = True) -> list[FileResult | None]:
        """The cached results of ``items``, ``(path, name, key)`` each: None
        for an entry gone, no longer current, not of that name or that does
        not decode (a miss). Without ``findings``, the results hold the
        collection index and generation only (stored apart: cheaper)."""
        column = "result" if findings else "idx"
        decode = decode_result if findings else decode_index
        rows = self._rows([p for p, _, _ in items], f"key, hash, {column}")
        out: list[FileResult | None] = []
        for (path, name, key), row in zip(items, rows):
            result = None
            if self._current(path, key, row):
                try:
                    result = decode(row[2])
                except (
                    ValueError,
                    TypeError,
                    KeyError,
                    IndexError,
                    AttributeError,
                    RecursionError,
                ):
                    result = None
                if result is not None and result.filename != name:
                    result = None
            out.append(result)
        return out

    # -- writing -----------------------------------------------------------------------
    def put(self, path, key, result: FileResult) -> None:
        if key is None or result.error or self.disabled:
            return
        try:
            text = encode_result(result)
            index = encode_index(result)
        except (TypeError, ValueError):  # something that is not plain data: not cached
            return
        key, content = (key, None) if type(key) is bytes else key
        self.pending.append((self._where(path), key, content, text, index))
        if len(self.pending) >= BATCH:
            self._flush()

    def save(self) -> None:
        """Write what is pending and close the database."""
        self._flush()
        self._close()

    def _flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows or self.disabled:
            return
        db = self._writer()
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            _rollback(db)
            if "locked" in str(exc) or "busy" in str(exc):
                return  # another run holds the lock: these entries wait for the next run
            self._disable(f"cannot write {self.file.name}: {exc}")
        except sqlite3.Error:
            _rollback(db)
            self._broken()

    def _writer(self) -> sqlite3.Connection | None:
        """A connection to write with: the open database, else a new one."""
        if self.db is not None:
            return self.db
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
        except OSError as exc:
            self._disable(exc.strerror or str(exc))
            return None
        if not self.rebuild and os.path.lexists(self.file):  # another run created it
            try:
                db = _connect(self.file)
                if self._valid(db):
                    self.db = db
                    return db
                db.close()
            except (sqlite3.Error, OSError):
                pass
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".new-", suffix=SUFFIX)
            os.close(fd)
            try:
                umask = os.umask(0o022)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)  # as a plain new file would be
                fresh = sqlite3.connect(tmp, isolation_level=None)
                try:
                    for statement in _CREATE:
                        fresh.execute(statement)
                    fresh.executemany(
                        "INSERT INTO meta VALUES (?, ?)",
                        [
                            ("schema", SCHEMA_VERSION),
                            ("settings", self.digest),
                            ("version", __version__),
                        ],
                    )
                finally:
                    fresh.close()
                os.replace(tmp, self.file)
            except BaseException:
                _unlink(tmp)
                raise
            self.db = _connect(self.file)
        except (sqlite3.Error, OSError) as exc:
            self._disable(
                f"cannot create {self.file.name}: {getattr(exc, 'strerror', None) or exc}"
            )
            return None
        self.rebuild = False
        self._prune()
        return self.db

    def _prune(self) -> None:
        """Remove other configurations' databases unused for a month, and the
        pickle files older versions wrote (never read)."""
        cutoff = time.time() - STALE_DAYS * 86400
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    name = entry.name
                    if name.endswith(".pickle") or (
                        name.endswith(SUFFIX)
                        and entry.path != str(self.file)
                        and entry.stat(follow_symlinks=False).st_mtime < cutoff
                    ):
                        _unlink(entry.path)
        except OSError:
            pass


_FIGID = "\0figid\0"  # stands for a record's figid while its tables' names are worked out


def _sidecars(path: str, options: dict) -> list[str]:
    try:  # the same tables the annotations would read
        tables = sidecar_locations(path, path, options) or {}
    except ValueError:  # a bad pattern: FM107 on every run, no tables to watch
        return []
    return [disk for disk, _ in tables.values()]


def _connect(path: Path) -> sqlite3.Connection:
    uri = Path(os.path.abspath(path)).as_uri() + "?mode=rw"  # never creates the file
    db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        # a cache need not survive a power cut (a damaged file is a miss and
        # is rebuilt); locking, which keeps concurrent runs apart, is unaffected
        db.execute("PRAGMA synchronous = OFF")
    except sqlite3.Error:
        db.close()
        raise
    return db


def _rollback(db: sqlite3.Connection) -> None:
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _read_regular(path: str, h) -> bool | None:
    """Feed ``path``'s bytes to ``h``: True; False when it does not exist;
    None when it is not a regular file or cannot be read (never blocks on a
    FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        h.update(st.st_size.to_bytes(8, "little"))
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                return True
            h.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)


def _content_hash(path: str, tables: list[tuple[str, bool]]) -> bytes | None:
    """BLAKE2b of the file's name and bytes and of its tables' (absent or
    unreadable ones marked); None when the file itself cannot be read."""
    h = hashlib.blake2b(digest_size=16)
    h.update(path.encode("utf-8", "surrogateescape") + b"\0")
    if not _read_regular(path, h):
        return None
    for table, may_exist in tables:
        h.update(b"\0T")
        found = _read_regular(table, h) if may_exist else False
        h.update(b"+" if found else b"-" if found is False else b"!")
    return h.digest()


# -- the stored form of a result: JSON, checked when read -------------------------------
