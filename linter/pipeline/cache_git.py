"""What keys the results cache across fresh checkouts (CI): the linter's own
digest by content, and git's blob ids of a work tree's clean files.

- :func:`code_digest`: the linter's version and a hash of the bytes of its
  code, rules, reference data and schema. Reinstalling the same version (the
  Action installs itself on every job: new mtimes) gives the same digest.
  Hashing 16 MB costs ~50 ms, so the digest is kept, per installed package
  folder, in the user's cache folder next to the secret key, and reused
  while the installed files' identity (name, size, mtime, inode) is the
  same: a run then only ``stat``\\ s about 90 files.
- :class:`GitBlobs`: with ``cache-key = "auto"`` (the default when ``CI`` is
  set), a file git tracks and reports unchanged (``git ls-files -s`` and
  ``git status --porcelain``: three short git commands per run, nothing
  read or hashed by us) is keyed on its blob id. Anything git cannot vouch
  for falls back to a hash of the bytes: an untracked, modified, ignored,
  conflicted or ``assume-unchanged`` / ``skip-worktree`` file, a symbolic
  link (git records its target, not what it points to), a submodule. The
  blob ids are salted with what decides how a blob's bytes reach the work
  tree (the ``.gitattributes`` files, git's attributes and eol settings), so
  that a change to them (a pull request's ``working-tree-encoding``) misses.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from linter import __version__
from linter.base.paths import split as split_path
from linter.pipeline.cache_files import (
    _GIT_LOCATION,
    GIT_TIMEOUT,
    _new_file,
    _open_read,
    _read_regular,
    _regular_stat,
    _unlink,
    secret_folder,
)

_SUFFIXES = (".py", ".gz", ".xz", ".json", ".tsv")
_DIGEST_FILE = "code-digest-"  # + a hash of the package folder
_memo: dict[str, str] = {}  # package folder -> digest, for the process


def _code_files() -> list[tuple[str, Path]]:
    pkg = Path(__file__).resolve().parent.parent  # linter/
    files = [
        (p.relative_to(pkg).as_posix(), p)
        for p in pkg.rglob("*")
        if p.suffix in _SUFFIXES and "__pycache__" not in p.parts
    ]
    schema = pkg.parent / "schema"  # a checkout's schema/ (installed: linter/schema/)
    if schema.is_dir():
        files += [(f"schema/{p.name}", p) for p in schema.glob("*.json")]
    return sorted(files)


def code_digest(folder: str | None = None) -> str:
    """The linter's version and a hash of its code and data's bytes (see the
    module docstring); ``folder``: where to keep it between runs (None: not
    kept)."""
    files = _code_files()
    pkg = str(Path(__file__).resolve().parent.parent)
    identity = hashlib.sha256(f"{__version__}\0{pkg}\0".encode())
    for rel, p in files:
        try:
            st = p.stat()
        except OSError:
            continue
        identity.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0".encode())
    ident = identity.hexdigest()
    if ident in _memo:
        return _memo[ident]
    kept = None
    if folder is not None:
        kept = os.path.join(folder, _DIGEST_FILE + hashlib.sha256(pkg.encode()).hexdigest()[:16])
        digest = _read_kept(kept, ident)
        if digest is not None:
            _memo[ident] = digest
            return digest
    h = hashlib.sha256(f"pfocr-lint {__version__}\0".encode())
    for rel, p in files:
        try:
            data = p.read_bytes()
        except OSError:
            data = b"\xff"
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    digest = h.hexdigest()
    _memo[ident] = digest
    if kept is not None:
        _keep(kept, f"{ident} {digest}\n".encode())
    return digest


def installed_code_digest() -> str:
    """:func:`code_digest`, kept beside the cache's secret key."""
    try:
        folder = secret_folder()
    except OSError:
        folder = None
    return code_digest(folder)


def by_content(stamps) -> list:
    """Configured reference tables' ``[path, size, mtime]`` with the mtime
    replaced by a hash of the bytes (a fresh checkout keeps the cache)."""
    out = []
    for stamp in stamps or ():
        h = hashlib.blake2b(digest_size=16)
        found = _read_regular(stamp[0], h) if isinstance(stamp[0], str) else None
        out.append([stamp[0], stamp[1], h.hexdigest() if found else None])
    return out


def _read_kept(path: str, ident: str) -> str | None:
    """The digest kept in ``path`` for ``ident``; None when there is none
    (or anything else is there: it is then rewritten)."""
    try:
        fd = _open_read(path, nofollow=True)
    except OSError:
        return None
    try:
        data = os.read(fd, 200)
    except OSError:
        return None
    finally:
        os.close(fd)
    parts = data.decode("ascii", "replace").split()
    if len(parts) == 2 and parts[0] == ident and len(parts[1]) == 64:
        try:
            int(parts[1], 16)
        except ValueError:
            return None
        return parts[1]
    return None


def _keep(path: str, data: bytes) -> None:
    """Write ``path`` through a new file and a rename (best effort: what is
    not kept is worked out again by the next run: a digest, the collection
    memo)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        if _new_file(tmp, data):
            os.replace(tmp, path)
    except OSError:
        _unlink(tmp)


# -- git's blob ids ----------------------------------------------------------------------
def _git(git: str, top: str, *args: str) -> bytes | None:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION}
    env["GIT_OPTIONAL_LOCKS"] = "0"  # status refreshes no index for us
    command = [git, "--literal-pathspecs", "-C", top]
    command += ["-c", "safe.bareRepository=explicit", "-c", "core.fsmonitor=false"]
    try:
        done = subprocess.run(
            [*command, *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            timeout=GIT_TIMEOUT * 3,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None


class GitBlobs:
    """The blob ids of the clean, regular, tracked files of one work tree."""

    def __init__(self, top: str, blobs: dict[str, str], salt: bytes):
        self.top = top  # real path of the work tree's top, with a final separator
        self.blobs = blobs  # path relative to top -> blob id (hex)
        self.salt = salt
        # the hash every key starts from (copied: cheaper than a new one)
        self.start = hashlib.blake2b(salt, digest_size=16, person=b"pfocr-lint-git")
        # folder as given -> its path from the top in git's form, with a final
        # "/" ("" at the top; None: outside the work tree)
        self._folders: dict[str, str | None] = {}

    def blob(self, path: str) -> str | None:
        """The blob id of ``path`` (any path to the file), or None when git
        cannot vouch for its bytes. Only the file's folder is resolved (once
        per folder): a tracked file that is now a symbolic link, or that a
        linked folder hides, is one that ``git status`` reports changed."""
        folder, name = split_path(path)
        try:
            within = self._folders[folder]
        except KeyError:
            real = os.path.join(os.path.realpath(folder or "."), "")
            within = real[len(self.top) :].replace(os.sep, "/")
            within = self._folders[folder] = within if real.startswith(self.top) else None
        if within is None:
            return None
        return self.blobs.get(within + name.replace(os.sep, "/"))


def git_blobs(folder: str) -> GitBlobs | None:
    """The :class:`GitBlobs` of the work tree holding ``folder``; None when
    there is none, git is not installed or fails."""
    git = shutil.which("git")
    if git is None or not os.path.isdir(folder):
        return None
    out = _git(git, folder, "rev-parse", "--show-toplevel", "--git-path", "info/attributes")
    if out is None:
        return None
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 2:
        return None
    top, info_attributes = lines
    if not os.path.isabs(info_attributes):
        info_attributes = os.path.join(folder, info_attributes)
    listed = _git(git, top, "ls-files", "-z", "-s", "-v")
    status = _git(
        git, top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"
    )
    config = _git(
        git,
        top,
        "config",
        "-z",
        "--get-regexp",
        r"^(core\.(autocrlf|eol|safecrlf|attributesfile|symlinks|ignorecase)|filter\..*)$",
    )
    if listed is None or status is None:
        return None
    dirty = set()
    for entry in status.split(b"\0"):
        if len(entry) > 3:
            dirty.add(entry[3:].decode("utf-8", "surrogateescape"))
    blobs: dict[str, str] = {}
    salt = hashlib.sha256(b"git\0")
    salt.update(config or b"")  # nothing set: git config exits 1, nothing printed
    for entry in listed.split(b"\0"):
        head, _, name_b = entry.partition(b"\t")
        fields = head.split()
        if len(fields) != 4:
            continue
        name = name_b.decode("utf-8", "surrogateescape")
        tag, mode, blob, stage = (f.decode("ascii", "replace") for f in fields)
        if name.rsplit("/", 1)[-1] == ".gitattributes":
            salt.update(f"{name}\0{blob}\0{name in dirty}\0".encode("utf-8", "surrogateescape"))
        if tag != "H" or stage != "0" or mode not in ("100644", "100755") or name in dirty:
            continue
        blobs[name] = blob
    for name in sorted(dirty):  # an untracked or changed .gitattributes: its bytes
        if name.rsplit("/", 1)[-1] == ".gitattributes":
            salt.update(_file_bytes(os.path.join(top, name)))
    salt.update(_file_bytes(info_attributes))
    for attributes in _global_attributes(config or b""):
        salt.update(_file_bytes(attributes))
    real_top = os.path.join(os.path.realpath(top), "")
    return GitBlobs(real_top, blobs, salt.digest())


def _global_attributes(config: bytes) -> list[str]:
    for item in config.split(b"\0"):
        key, _, value = item.partition(b"\n")
        if key.lower() == b"core.attributesfile" and value:
            return [os.path.expanduser(value.decode("utf-8", "surrogateescape"))]
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return [os.path.join(base, "git", "attributes")]


def _file_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return b"+" + fh.read(1 << 20)
    except OSError:
        return b"-"


def git_key(blobs: GitBlobs, path: str, tables) -> bytes | None:
    """The key of a file git vouches for, from the blob ids of it and its
    tables (``(path, may exist)`` each; an absent table: one the listing
    shows absent, or that is not there), salted; None when git cannot vouch
    for one of them (the bytes are hashed instead)."""
    blob = blobs.blob(path)
    if blob is None:
        return None
    h = blobs.start.copy()
    h.update(f"{path}\0{blob}".encode("utf-8", "surrogateescape"))
    for table, may_exist in tables:
        found = blobs.blob(table) if may_exist else None
        if found is None and may_exist and os.path.lexists(table):
            return None  # there, but not a clean tracked file: hashed
        h.update(f"\0T{found or '-'}".encode())
    return h.digest()


def git_unverified(blobs: GitBlobs, path, tables) -> bool:
    """Whether the bytes of the file at ``path`` or of one of its tables
    (``(path, may exist)`` each) are not, now, those of the blob ids its key
    was made from (a table absent then must be absent now): an edit made
    after git looked, so a result linted from it is not stored under that
    key. Asked only of a miss, whose file the run reads anyway."""
    for one, may_exist in [(os.fspath(path), True), *tables]:
        blob = blobs.blob(one) if may_exist else None
        if blob is None:
            if os.path.lexists(one):
                return True
            continue
        if _blob_id(one, len(blob)) != blob:
            return True
    return False


def _blob_id(path: str, width: int) -> str | None:
    """git's blob id of the bytes at ``path`` (SHA-1, or SHA-256 for a
    repository of that object format); None when it is not a readable
    regular file."""
    try:
        fd = _open_read(path)
    except OSError:
        return None
    try:
        if _regular_stat(fd) is None:
            return None
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    h = hashlib.sha256() if width == 64 else hashlib.sha1()  # noqa: S324 (git's own id)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


class GitKeys:
    """A cache's ``"auto"`` keys for one run: git asked once (on the first
    key; ``shared``: another cache of the run, whose answers are reused), the
    keys made from blob ids remembered for :meth:`unverified`."""

    def __init__(self, folder, shared: GitKeys | None = None):
        self.folder = str(folder)
        self.blobs: GitBlobs | bool | None = shared.blobs if shared is not None else None
        self.keyed: set[bytes] = set()

    def key(self, path: str, tables) -> bytes | None:
        """:func:`git_key`, or None (the bytes are hashed instead)."""
        if self.blobs is None:
            # the work tree holding the cache's folder, else (a configuration
            # above the repository: `pfocr-lint.toml` beside a clone) the one
            # holding the first file keyed
            self.blobs = git_blobs(self.folder) or git_blobs(os.path.dirname(path) or ".") or False
        key = git_key(self.blobs, path, tables) if self.blobs else None
        if key is not None:
            self.keyed.add(key)
        return key

    def unverified(self, key, path, tables) -> bool:
        """A result about to be stored under a key made from blob ids whose
        bytes are no longer those (:func:`git_unverified`): never stored."""
        return key in self.keyed and git_unverified(self.blobs, path, tables)
