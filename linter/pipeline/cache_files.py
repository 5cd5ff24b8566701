"""The results cache's files: its secret key (kept outside the linted tree),
whether git tracks a path, files created without following links, and the
content hashes that key entries."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

from linter.reading.annotations import _listing, sidecar_locations

_CHUNK = 1 << 20
# the secret key that seals the entries: outside the linted tree
SECRET_ENV = "PFOCR_LINT_CACHE_SECRET_DIR"  # its folder (CI restores it with the cache)
SECRET_FILE = "cache-secret"
SECRET_SIZE = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
GIT_TIMEOUT = 10.0  # seconds: a git that takes longer is a git that failed
# what would point git elsewhere than the cache folder's own repository
_GIT_LOCATION = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
)
BUSY_TIMEOUT = 10.0  # seconds to wait for another run's write lock
_DIGEST = 16  # an entry's seal: digest of its findings, of its index, then the MAC


_FIGID = "\0figid\0"  # stands for a record's figid while its tables' names are worked out


def _sidecars(path: str, options: dict) -> list[str]:
    try:  # the same tables the annotations would read
        tables = sidecar_locations(path, path, options) or {}
    except ValueError:  # a bad pattern: FM107 on every run, no tables to watch
        return []
    return [disk for disk, _ in tables.values()]


def table_shapes(folder: str, options: dict, listings: dict):
    """How the tables of the records of ``folder`` are named, worked out
    once per folder: ``(head, tail, present)`` around the figid, where
    ``present`` holds the casefolded figids whose table the folder's listing
    shows (a name is there when its casefolded form is, as for
    ``may_exist``), or is None when there is no listing to trust; False when
    the pattern does not allow it (then each record's are computed).
    ``listings`` keeps the folders listed for the run."""
    probe = os.path.join(folder, _FIGID + ".md")
    shapes = []
    for table in _sidecars(probe, options):
        if table.count(_FIGID) != 1:
            return False
        head, tail = table.split(_FIGID)
        table_dir = os.path.dirname(table)
        if _FIGID in table_dir:
            return False
        if table_dir not in listings:
            listings[table_dir] = _listing(table_dir)
        names = listings[table_dir]
        present = None
        if names is not None:  # () when there is no such folder: none present
            # casefolding maps each character alone: the name's is the
            # prefix's, the figid's and the tail's, joined
            pre = head[len(os.path.join(table_dir, "")) :].casefold()
            post = tail.casefold()
            least = len(pre) + len(post)
            present = frozenset(
                n[len(pre) : len(n) - len(post)]
                for n in (names[1] if names else ())
                if len(n) >= least and n.startswith(pre) and n.endswith(post)
            )
        shapes.append((head, tail, present))
    return shapes


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


def _busy(exc: Exception) -> bool:
    """SQLite could not get a lock in time: says nothing of the database."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _bad(exc: Exception) -> bool:
    """SQLite says the file is not a sound database (not one, or damaged)."""
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _names(path, fd: int) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        now, ours = os.lstat(path), os.fstat(fd)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (ours.st_dev, ours.st_ino)


def _regular(path) -> bool:
    """A regular file itself (not a link to one)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _new_file(path, data: bytes) -> bool:
    """Create ``path`` holding ``data`` (mode as a plain new file's) only
    where nothing stands, never through a link (dangling or not): False when
    something is there already."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o666)
    except FileExistsError:
        return False
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)
    return True


def _digest(text) -> bytes:
    """The digest of a stored column (findings or index) that its seal holds."""
    if type(text) is not str:
        return b""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_DIGEST).digest()


def _git_tracked(path: str) -> bool:
    """Whether git tracks ``path`` or anything in it (``git ls-files`` in the
    repository of its folder). False when git is not installed, the folder is
    not in a work tree, or git fails in any way."""
    git = shutil.which("git")
    if git is None:
        return False
    parent, name = os.path.split(os.path.abspath(path))
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION}
    command = [git, "--literal-pathspecs", "-C", parent]
    # no repository found in a folder of the tree itself, no hook of it run
    command += ["-c", "safe.bareRepository=explicit", "-c", "core.fsmonitor=false"]
    try:
        done = subprocess.run(
            [*command, "ls-files", "-z", "--", name],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return False
    return done.returncode == 0 and done.stdout != b""


def secret_folder() -> str:
    """Where the secret key that seals the entries is kept: the folder
    ``$PFOCR_LINT_CACHE_SECRET_DIR`` names, else ``pfocr-lint/`` in the user's
    cache folder (``$XDG_CACHE_HOME``, else ``~/.cache``). Raises OSError
    when there is none to name."""
    named = os.environ.get(SECRET_ENV)
    if named:
        return os.path.abspath(named)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: the XDG spec says to ignore it
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            raise OSError("no home folder to keep it in")
        base = os.path.join(home, ".cache")
    return os.path.join(base, "pfocr-lint")


def load_secret(folder: str | None = None) -> bytes:
    """The secret key (:data:`SECRET_SIZE` random bytes) in ``folder``
    (default :func:`secret_folder`): read when it is there, else made
    (``O_CREAT | O_EXCL``, mode 0600, never through a link). Raises OSError
    when the folder cannot be made, the key cannot be read or is not one, or
    git tracks it (anyone could read it)."""
    folder = folder or secret_folder()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, SECRET_FILE)
    if os.environ.get(SECRET_ENV) and _git_tracked(path):
        raise OSError(f"{SECRET_FILE} is tracked by git (anyone can read it)")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
    except FileExistsError:
        return _read_secret(path)
    secret = os.urandom(SECRET_SIZE)
    try:
        _write_all(fd, secret)
    except OSError:
        os.close(fd)
        _unlink(path)
        raise
    os.close(fd)
    return secret


def _read_secret(path: str) -> bytes:
    for _ in range(50):
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise OSError(f"{SECRET_FILE} is a symbolic link")
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY | _NONBLOCK)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError(f"{SECRET_FILE} is not a regular file")
            data = os.read(fd, SECRET_SIZE + 1)
        finally:
            os.close(fd)
        if len(data) == SECRET_SIZE:
            return data
        if len(data) > SECRET_SIZE or time.time() - st.st_mtime > 5:
            break
        time.sleep(0.02)  # another run has just made it: its key is coming
    raise OSError(
        f"{SECRET_FILE} is not a key of {SECRET_SIZE} bytes (remove it to make a new one)"
    )


def _open_read(path, nofollow: bool = False) -> int:
    """A read-only descriptor of ``path`` that never blocks on a FIFO (with
    ``nofollow``: nor follows a symbolic link); raises OSError."""
    return os.open(path, os.O_RDONLY | (_NOFOLLOW if nofollow else 0) | _NONBLOCK)


def _regular_stat(fd: int) -> os.stat_result | None:
    """``fd``'s status when it is a regular file, else None."""
    st = os.fstat(fd)
    return st if stat.S_ISREG(st.st_mode) else None


def _same_content(path, now: bytes | None, stored: bytes | None, tables) -> bool:
    """Whether ``path``'s content hash (``now``: already made, or None) is
    ``stored`` (None: nothing to compare); ``tables(p)``: its tables."""
    if stored is None:
        return True
    if now is None:
        p = os.fspath(path)
        now = _content_hash(p, tables(p))
    return now == stored


def _read_regular(path: str, h) -> bool | None:
    """Feed ``path``'s bytes to ``h``: True; False when it does not exist;
    None when it is not a regular file or cannot be read (never blocks on a
    FIFO)."""
    try:
        fd = _open_read(path)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        st = _regular_stat(fd)
        if st is None:
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
