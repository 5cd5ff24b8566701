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
- ``"auto"`` (the default when ``CI`` is set): git's blob ids of the file
  and its tables where git vouches for them (tracked, unchanged: see
  :mod:`linter.pipeline.cache_git`), else ``"content"``'s hash.

Each key also holds the file's name as shown; the database itself is
chosen by the linter's version and a hash of its code, rules, reference
data and schema by content (never their mtimes: a reinstall keeps the
cache), the selected rules, severities,
options, schema and key mode, so any change there starts a fresh cache.
Collection (XR) findings are never cached: they are recomputed every run
from the cached per-file index values (digests, see ``linter.rules.xr``).

Concurrent runs are safe: SQLite's locking serialises the writes (each
batch is one transaction; a run that cannot get the lock within the busy
timeout leaves those entries out), and the database is created in place
(``CREATE TABLE IF NOT EXISTS`` under an exclusive lock), never renamed over
one that another run has open. A cache folder that cannot be used (a regular
file stands there, no permission) is a warning on stderr; the run goes on
without the cache.

A warm run over many files reads a sealed, packed snapshot of the entries
instead (``<digest>.pack``: :mod:`linter.pipeline.cache_pack`, cache_warm).

Trust (issue 19: the CI gate lints files an attacker controls). Nothing in
the linted tree decides a record's findings, and the cache writes and
deletes nothing outside its own folder:

- Every entry is sealed: a keyed BLAKE2b (a MAC) over the configuration's
  digest, the entry's name, key and hash and digests of its stored findings
  and index, with a secret key kept outside the tree (``cache-secret`` in
  ``$PFOCR_LINT_CACHE_SECRET_DIR``, else ``$XDG_CACHE_HOME/pfocr-lint/``,
  else ``~/.cache/pfocr-lint/``; made once, mode 0600). An entry whose seal
  does not verify is a miss, and is replaced. A key that cannot be made or
  read is a warning; the run goes on without the cache.
- A cache folder that is a symbolic link, lies inside one, or that git
  tracks (``git ls-files``; a git that fails means "not tracked") is not
  used: a warning says why, and the run goes on without the cache.
- Pruning removes only files of the names the cache itself writes, that are
  regular files (never links) in the cache folder itself; ``.gitignore`` is
  created only where nothing stands (``O_EXCL``, never through a link), and a
  database path that is a link is replaced by a file, the link's target
  untouched.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import sqlite3
import stat
import time
from pathlib import Path

from linter import __version__
from linter.base.paths import POSIX as _POSIX
from linter.base.textsafe import to_stderr
from linter.engine import FileResult
from linter.pipeline.cache_codec import try_encode_packed
from linter.pipeline.cache_entries import (
    decode_index,
    decode_result,
    encode_index,
    encode_result,
)
from linter.pipeline.cache_files import (
    _BINARY,
    _DIGEST,
    _NOFOLLOW,
    SECRET_ENV,
    SECRET_FILE,
    _bad,
    _busy,
    _connect,
    _digest,
    _git_tracked,
    _names,
    _new_file,
    _regular,
    _rollback,
    _same_content,
    _unlink,
    load_secret,
    secret_folder,
)
from linter.pipeline.cache_git import GitKeys, by_content, installed_code_digest
from linter.pipeline.cache_keys import FileKeys
from linter.pipeline.cache_warm import PackedEntries

__all__ = ["CACHE_DIR", "SECRET_ENV", "SECRET_FILE", "Cache", "load_secret", "secret_folder"]

CACHE_DIR = ".pfocr-lint-cache"
KEY_MODES = ("mtime", "content", "auto")
SCHEMA_VERSION = "4"
SUFFIX = ".sqlite3"
BATCH = 64  # entries written per transaction (their text waits in memory until then)
STALE_DAYS = 30  # other configurations' databases unused this long are removed
_EXPECTED = {("table", "meta"), ("table", "entries")}
_COLUMNS = ["path", "key", "hash", "result", "idx", "seal"]
_CREATE = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, key BLOB NOT NULL, hash BLOB,"
    " result TEXT NOT NULL, idx TEXT NOT NULL, seal BLOB NOT NULL) WITHOUT ROWID",
)
_MAC = 32
_UNDECODABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)
_SEAL = 2 * _DIGEST + _MAC
_PERSON = b"pfocr-lint-entry"
# the only names the cache writes in its folder (pruned when unused): a
# configuration's database, and pfocr-lint 0.1's pickle of the same name
_OWN_NAME = re.compile(
    r"[0-9a-f]{32}\.(?:sqlite3|pickle|pack|pack\.[0-9]+\.tmp|xr|xr\.[0-9]+\.tmp)\Z"
)


def settings_digest(settings, key_mode: str = "mtime") -> str:
    options = settings.options
    if key_mode != "mtime" and options.get("reference-files"):
        options = {**options, "reference-files": by_content(options["reference-files"])}
    payload = {
        "code": installed_code_digest(),
        "select": sorted(settings.select),
        "severity": sorted(settings.severity.items()),
        "per_file_ignores": sorted((p, sorted(c)) for p, c in settings.per_file_ignores),
        "max_size": settings.max_size,
        "options": options,
        "config_root": None if settings.config_root is None else str(settings.config_root),
        "follow_symlinks": settings.follow_symlinks,
        "key": key_mode,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _stderr(message: str) -> None:

    to_stderr(f"pfocr-lint: warning: {message}")


def encode_entry(result: FileResult, brief=False) -> tuple | None:
    """A fresh result as :meth:`Cache.put_entry` stores it: (the database
    entry's text, its collection index text, the pack's entry or None), or
    None for a result that is not stored (an internal error, something
    that is not plain data). ``brief``: as :func:`encode_packed` takes it;
    False when the run writes no pack (no pack entry). Pure: a worker
    process may call it."""
    if result.error:
        return None
    try:
        text = encode_result(result)
        index = encode_index(result)
    except (TypeError, ValueError):  # something that is not plain data: not cached
        return None
    return text, index, (try_encode_packed(result, brief) if brief is not False else None)


class Cache(PackedEntries, FileKeys):
    """The results cache of one configuration (see the module docstring).

    :meth:`key` a file, :meth:`lookup` whether its entry is current,
    :meth:`load` the result of a current entry, :meth:`put` a fresh result,
    :meth:`save` at the end (entries are also written in batches on the way,
    so memory does not grow with the number of files)."""

    def __init__(
        self, folder: Path, settings, key_mode: str = "mtime", warn=None, git=None, brief=None
    ):
        if key_mode not in KEY_MODES:
            raise ValueError(f"cache-key must be one of {KEY_MODES}, not {key_mode!r}")
        self.folder = Path(folder) / CACHE_DIR
        self.digest = settings_digest(settings, key_mode)
        self.file = self.folder / f"{self.digest[:32]}{SUFFIX}"
        self.options = settings.options
        self.key_mode = key_mode
        self.brief = brief  # findings -> the text the pack keeps beside them (or None)
        self._warn = warn or _stderr
        self.disabled = False  # after a warning: no more reads or writes
        self.db: sqlite3.Connection | None = None
        # the file there was no sound cache of ours when read: checked again (its
        # pages too) under the lock before writing, and replaced if it still is not
        self.rebuild = False
        self.pending: list[tuple] = []
        self.prefix = os.path.join(os.getcwd(), "")  # entry names: absolute paths
        self.listings: dict = {}  # tables' folders listed once for the run (see _may_exist)
        self.shapes: dict = {}  # records' folder -> its tables (cache_keys.folder_tables) or False
        self.secret: bytes | None = None  # the key that seals the entries (see load_secret)
        self.git = GitKeys(self.folder.parent, git.git if git is not None else None)  # "auto"
        self._mac = None  # the keyed hash every seal starts from
        self._init_pack(SCHEMA_VERSION)
        self._open()

    # -- opening -----------------------------------------------------------------------
    def _disable(self, why: str) -> None:
        if not self.disabled:
            self.disabled = True
            self._warn(f"cache {self.folder}: {why}; running without the cache")
        self._close()

    def _open(self) -> None:
        why = self._untrusted(git=True)
        if why:
            self._disable(why)
            return
        where = "the secret key"
        try:
            folder = secret_folder()
            where = f"the secret key in {folder}"
            self._seal_with(load_secret(folder))
        except OSError as exc:
            self._disable(f"cannot use {where}: {exc.strerror or exc}")
            return
        if not os.path.lexists(self.file):
            return  # created when the first results are written
        if not _regular(self.file):  # a link, a folder...: never opened, never followed
            self.rebuild = True
            return
        try:
            db = _connect(self.file)
        except (sqlite3.Error, OSError):
            self.rebuild = True
            return
        try:
            valid = self._valid(db)
        except sqlite3.OperationalError:  # busy: another run is creating it
            db.close()
            return
        if valid:
            self.db = db
            self._open_pack()
        else:
            db.close()
            self.rebuild = True

    def _untrusted(self, git: bool = False) -> str | None:
        """Why the cache folder must not be used, or None: it is a symbolic
        link or lies inside one (its files would be another folder's), it is
        not a folder, or (with ``git``) git tracks files in it (its entries
        would be the repository's, whoever wrote them)."""
        folder = os.path.abspath(self.folder)
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            return exc.strerror or str(exc)
        if st is not None and stat.S_ISLNK(st.st_mode):
            return "a symbolic link (a cache is never used through one)"
        real = os.path.realpath(folder)
        if os.path.normcase(real) != os.path.normcase(folder):
            return f"inside a symbolic link (it is {real}; a cache is never used through one)"
        if st is None:
            return None
        if not stat.S_ISDIR(st.st_mode):
            return "not a folder"
        if git and _git_tracked(folder):
            return "tracked by git (a cache is never read from the repository's files)"
        return None

    def _seal_with(self, secret: bytes) -> None:
        self.secret = secret
        mac = hashlib.blake2b(key=secret, digest_size=_MAC, person=_PERSON)
        mac.update(f"{SCHEMA_VERSION}\0{self.digest}\0".encode())
        self._mac = mac

    def _seal(self, name: str, key, content, result_digest: bytes, index_digest: bytes) -> bytes:
        """The MAC of an entry: its name, key and hash, and the digests of its
        findings and index, under this configuration and the secret key."""
        mac = self._mac.copy()
        n = name.encode("utf-8", "surrogatepass")
        mac.update(
            b"".join(
                (
                    len(n).to_bytes(4, "little"),
                    n,
                    len(key).to_bytes(4, "little"),
                    key,
                    b"\xff\xff\xff\xff"
                    if content is None
                    else len(content).to_bytes(4, "little") + content,
                    result_digest,
                    index_digest,
                )
            )
        )
        return mac.digest()

    def _sealed(self, name: str, key: bytes, content, seal) -> bool:
        """Whether ``seal`` is the entry's, made with this secret key."""
        if type(seal) is not bytes or len(seal) != _SEAL or self._mac is None:
            return False
        mac = self._seal(name, key, content, seal[:_DIGEST], seal[_DIGEST : 2 * _DIGEST])
        return hmac.compare_digest(mac, seal[2 * _DIGEST :])

    def _valid(self, db: sqlite3.Connection) -> bool:
        """Ours, this schema version and this configuration, nothing else in it.
        Raises :class:`sqlite3.OperationalError` when the database is busy
        (another run holds its lock): that says nothing about its contents."""
        try:
            objects = {(t, n) for t, n in db.execute("SELECT type, name FROM sqlite_master")}
            if objects != _EXPECTED:
                return False
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
            cols = [r[1] for r in db.execute("PRAGMA table_info(entries)")]
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise
            return False
        except (sqlite3.Error, ValueError, TypeError):
            return False
        return (
            meta.get("schema") == SCHEMA_VERSION
            and meta.get("settings") == self.digest
            and cols == _COLUMNS
        )

    def _close(self) -> None:
        self._close_pack()
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None

    def _broken(self) -> None:
        """The database failed while in use (corrupt pages): a miss from now
        on, and a fresh file when the results are written (see :meth:`_create`)."""
        self._close()
        self.rebuild = True

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
        except sqlite3.Error as exc:
            if not _busy(exc):  # busy: misses this time, the database is fine
                self._broken()
            return [None] * len(paths)
        return [found.get(name) for name in names]

    def _current(self, path, key, row) -> bool:
        """Whether ``row`` (key, hash, seal...) is the current entry of
        ``path``, sealed with this secret key."""
        if row is None or key is None:
            return False
        key, now = (key, None) if type(key) is bytes else key
        if row[0] != key:
            return False
        stored = row[1]
        if stored is not None and not isinstance(stored, bytes):
            return False
        if not self._sealed(self._where(path), key, stored, row[2]):
            return False
        return _same_content(path, now, stored, self._tables)

    def _where(self, path) -> str:
        """The entry's name: the file's absolute path (not normalised: the
        name as given is part of the key anyway)."""
        if _POSIX and type(path) is str:  # (once or twice per file: no fspath, isabs)
            return path if path[:1] == "/" else self.prefix + path
        path = os.fspath(path)
        if os.path.isabs(path):
            return path
        return self.prefix + path

    def lookup(self, paths: list, keys: list) -> list[bool]:
        """For each of ``paths`` (with its :meth:`key`), whether the cache
        holds a current entry (ask for a few hundred at a time)."""
        self._looked_up += len(paths)
        if self.pack is not None:
            return self._lookup_packed(paths, keys)
        rows = self._rows(paths, "key, hash, seal")
        return [self._current(p, k, row) for p, k, row in zip(paths, keys, rows)]

    def holds(self, paths: list) -> int:
        """How many of ``paths`` have a current entry (a probe: what the run
        looks up and loads afterwards is not changed by it)."""
        if self.disabled or self.db is None or not paths:
            return 0
        rows = self._rows(paths, "key, hash, seal")
        return sum(self._current(p, k, r) for p, k, r in zip(paths, self.keys(paths), rows))

    def load(self, items: list, findings: bool = True) -> list[FileResult | None]:
        """The cached results of ``items``, ``(path, name, key)`` each: None
        for an entry gone, no longer current, not of that name or that does
        not decode (a miss). Without ``findings``, the results hold the
        collection index and generation only (stored apart: cheaper)."""
        if self._pack_hits:
            return self._load_packed(items, findings)
        return self._load_rows(items, findings)

    def _load_rows(self, items: list, findings: bool) -> list[FileResult | None]:
        column = "result, idx" if findings else "idx"
        decode = decode_result if findings else decode_index
        at = 0 if findings else _DIGEST  # where the seal holds that column's digest
        rows = self._rows([p for p, _, _ in items], f"key, hash, seal, {column}")
        out: list[FileResult | None] = []
        for (path, name, key), row in zip(items, rows):
            result = None
            if self._current(path, key, row) and _digest(row[3]) == row[2][at : at + _DIGEST]:
                try:
                    result = decode(row[3])
                except _UNDECODABLE:
                    result = None
                if result is not None and result.filename != name:
                    result = None
                if result is not None and findings:
                    self._packed(path, key, result, row[4], row[2])
            out.append(result)
        return out

    # -- writing -----------------------------------------------------------------------
    def put(self, path, key, result: FileResult) -> None:
        if key is None or result.error or self.disabled:
            return
        self.put_entry(path, key, encode_entry(result), result)

    def encoder(self):
        """What turns a fresh result into the entry :meth:`put_entry` stores
        (``result -> entry``, None for one that is not stored): a forked
        worker process calls it on the results it lints, so that the run's
        process stores them without decoding or encoding them (with the
        pack's entry unless this run cannot write a pack)."""
        return functools.partial(encode_entry, brief=self.brief if self._may_pack() else False)

    def put_entry(self, path, key, entry, result: FileResult | None = None) -> None:
        """Store a result as :func:`encode_entry` encoded it (``entry``; None:
        not stored), sealed here (the worker that encoded it holds no
        secret it uses); its pack entry encoded here from ``result`` when
        the entry lacks one."""
        if key is None or entry is None or self.disabled:
            return
        text, index, packed = entry
        if self.git.unverified(key, path, self._tables(str(path))):
            return  # linted from bytes git may not have vouched for: never stored
        whole = key
        key, content = (key, None) if type(key) is bytes else key
        name = self._where(path)
        digests = _digest(text) + _digest(index)
        seal = digests + self._seal(name, key, content, digests[:_DIGEST], digests[_DIGEST:])
        self.pending.append((name, key, content, text, index, seal))
        if packed is not None:
            self._pack_new(path, whole, packed)  # (nothing when no pack is written)
        elif result is not None:
            self._pack_put(path, whole, result)
        if len(self.pending) >= BATCH:
            self._flush()

    def save(self) -> None:
        """Write what is pending and close the database (and finish the pack)."""
        self._flush()
        if self.db is not None:  # closed first: the pack records the file as it then is
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
        self._write_pack()
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
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            _rollback(db)
            if _busy(exc):
                return  # another run holds the lock: these entries wait for the next run
            if _bad(exc):
                self._broken()
                return
            self._disable(f"cannot write {self.file.name}: {exc}")
        except sqlite3.Error:
            _rollback(db)
            self._broken()

    def _writer(self) -> sqlite3.Connection | None:
        """A connection to write with: the open database, else a new one (the
        database created in place when there is none)."""
        if self.db is not None:
            return self.db
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(exc.strerror or str(exc))
            return None
        why = self._untrusted()  # what stands there now: a folder, not a link
        if why:
            self._disable(why)
            return None
        try:
            _new_file(self.folder / ".gitignore", b"*\n")  # unless something stands there
            made = self._create()
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                return None  # another run holds the lock: these entries wait for the next run
            error: Exception = exc
        except (sqlite3.Error, OSError) as exc:
            error = exc
        else:
            if made:
                self._prune()
            return self.db
        self._disable(
            f"cannot create {self.file.name}: {getattr(error, 'strerror', None) or error}"
        )
        return None

    def _create(self) -> bool:
        """Open the database to write, creating it in place (never renamed
        over one another run may have open): sets ``self.db``; True when this
        run made it. A file there that is not a cache of ours (another schema
        or configuration, not a database, damaged) is replaced, a link
        removed (never what it points to). Raises sqlite3.OperationalError
        when another run holds the lock, OSError or sqlite3.Error when the
        database cannot be made."""
        for _ in range(10):  # other runs may be replacing the same file meanwhile
            try:
                st = os.lstat(self.file)
            except FileNotFoundError:
                _new_file(self.file, b"")  # an empty file is an empty database
                continue
            if stat.S_ISLNK(st.st_mode):
                _unlink(self.file)
                continue
            if not stat.S_ISREG(st.st_mode):
                raise OSError("not a regular file")
            # held open while it is judged: its inode cannot be reused meanwhile
            try:
                fd = os.open(self.file, os.O_RDONLY | _NOFOLLOW | _BINARY)
            except FileNotFoundError:
                continue
            try:
                db = None
                try:
                    db = _connect(self.file)
                    made = self._initialise(db)
                except sqlite3.Error as exc:
                    if db is not None:
                        db.close()
                    if _bad(exc):
                        made = None
                    elif _names(self.file, fd):
                        raise
                    else:
                        continue  # another run replaced it meanwhile: look again
                if made is not None:
                    self.db, self.rebuild = db, False
                    return made
                if _names(self.file, fd):  # still the file judged: not a cache, replaced
                    try:
                        os.unlink(self.file)
                    except FileNotFoundError:
                        pass
                    except PermissionError:  # Windows: not while it is open
                        os.close(fd)
                        fd = -1
                        _unlink(self.file)
            finally:
                if fd >= 0:
                    os.close(fd)
        raise OSError("a file that is not a cache stands there and cannot be replaced")

    def _initialise(self, db: sqlite3.Connection) -> bool | None:
        """In one exclusive transaction (one run at a time): create the tables
        of an empty database (``CREATE TABLE IF NOT EXISTS``), then check it
        is ours. True: made here; False: it was ours already; None: it is
        not a cache of ours (replace it)."""
        db.execute("BEGIN EXCLUSIVE")
        try:
            names = {n for (n,) in db.execute("SELECT name FROM sqlite_master")}
            made = not names
            if names <= {"meta", "entries"}:
                for statement in _CREATE:
                    db.execute(statement)
                db.executemany(
                    "INSERT OR IGNORE INTO meta VALUES (?, ?)",
                    [
                        ("schema", SCHEMA_VERSION),
                        ("settings", self.digest),
                        ("version", __version__),
                    ],
                )
            valid = self._valid(db)
            if valid and self.rebuild:  # a query failed on it: its pages too, not only its schema
                valid = db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
            db.execute("COMMIT")
        except BaseException:
            _rollback(db)
            raise
        return made if valid else None

    def _prune(self) -> None:
        """Remove other configurations' databases (packs, collection memos)
        unused for a month, and the
        pickle files older versions wrote (never read): only files of the
        names the cache writes, regular files (never a link, never followed)
        in the cache folder itself."""
        if self._untrusted():
            return
        cutoff = time.time() - STALE_DAYS * 86400
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    name = entry.name
                    if not _OWN_NAME.match(name) or name in (self.file.name, self.pack_file.name):
                        continue
                    if name.startswith(self.file.stem + "."):  # this configuration's memo
                        continue
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and (
                        name.endswith(".pickle") or st.st_mtime < cutoff
                    ):
                        _unlink(entry.path)
        except OSError:
            pass


# -- the stored form of a result: JSON, checked when read -------------------------------
