"""The results cache's packed snapshot: what a warm run reads instead of one
database row (and one JSON decode, one seal check) per file.

One file per configuration beside its database, ``<digest>.pack``, written
at the end of a run that covered at least :data:`MIN_FILES` files and
changed the cache (or found no usable pack). It holds the same entries as
the database, in the order the run met them, grouped in blocks:

- the blocks: the heads of its entries as :mod:`linter.pipeline.cache_codec`
  writes them (name, index entries, counts, the text a warm run prints),
  back to back, then their findings, back to back: a run that needs only
  the heads (a warm run printing the cached text, or reading the collection
  index) reads and checks only those;
- the index: a small JSON head (format version, configuration digest, the
  database's size, modification time and inode when the pack was written,
  the racy entries' content hashes), the entries' names (``\\0``-joined),
  their keys (16 bytes each), per entry its block and four offsets (its
  head's in the block, its findings' in the block's findings), per block
  its place in the file, its length, its heads' length and a digest of
  each part (SHA-256, 16 bytes: twice BLAKE2b's speed where the CPU has
  SHA instructions);
- a trailer: where the index is, a keyed BLAKE2b (MAC, with the cache's
  secret key) over the configuration digest and the index, and a magic.

Reading checks the trailer's MAC over the whole index before anything in it
is used, and a block's digest before any of its entries is decoded, so a
pack that is truncated, corrupt, of another version or configuration, or
planted by someone without the secret key is a miss, never a crash and
never trusted. A pack is used only while the database is the very file it
was written beside (same size, modification time and SQLite change counter;
a copy restored by CI with its times counts as the same): any other
write to the database (another run, a repair, a hand edit) makes the pack
stale, and the database answers as before until the next run rewrites the
pack. Decoding is lazy: a block is read (``pread``) and decoded only when
one of its entries is asked for, so memory stays flat in the number of
files.

A run that changed a few entries of a current pack appends to it (where
the system can lock the file): the new blocks, then a new index and trailer
at its end, the unchanged blocks kept where they are (the new index points
at them) instead of copied into a new file. A reader reads the trailer at
the end, so it sees the old pack or the new one, or, while the append is
under way or after it failed half-way, no pack (a miss). A pack whose bytes
no index points at would outgrow the ones it does (:data:`SLACK`) is
written anew.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import marshal
import os
import stat
import struct
import sys
from array import array

from linter.base.chunks import Chunks
from linter.pipeline.cache_codec import NEEDS_FINDINGS, _entry, split_entry
from linter.pipeline.cache_files import _open_read, _regular_stat
from linter.pipeline.cache_names import PackNames

MAGIC = b"PFLPACK\x01"
# 2: blocks digested with SHA-256, not BLAKE2b; 3: entries lead with a head;
# 4: a block's heads, then its findings, each digested
PACK_VERSION = 4
PYTHON = f"{sys.implementation.cache_tag}/{marshal.version}"
SUFFIX = ".pack"
BLOCK = 256  # entries per block at most ...
# ... and bytes: a block of records with many findings each grew to 5 MB, and
# a warm run holding one such block while it read the next, and the heap
# fragmented by many, peaked 30 MB above its steady size at 100,000 files
BLOCK_BYTES = 1 << 18
MIN_FILES = 500  # a run over fewer files keeps to the database (it is cheap there)
#: a pack is appended to while the bytes its index no longer points at stay
#: under this share of the ones it does; then it is written anew
SLACK = 0.5
_TRAILER = struct.Struct("<QQ32s8s")  # index offset, index length, MAC, magic
try:  # appending to a pack takes a lock on it (not on Windows: written anew there)
    from fcntl import LOCK_EX as _LOCK_EX
    from fcntl import LOCK_NB as _LOCK_NB
    from fcntl import flock as _flock
except ImportError:  # pragma: no cover - Windows
    _flock = _LOCK_EX = _LOCK_NB = None
_PERSON = b"pfocr-lint-pack"
_KEY = 16
KEY_SIZE = _KEY  # the bytes of an entry's key
_OFFS = 4  # per entry: its head's start and end in its block, its findings' in the findings
_POS = 3  # per block: where it starts, its length, its heads' length
_DIGESTS = 32  # per block: its heads' digest, its findings' digest
_MAX_INDEX = 1 << 31  # an index larger than this is not one of ours


def _pread(fd: int, n: int, at: int) -> bytes:
    """``n`` bytes at offset ``at`` (fewer at the end of the file)."""
    if hasattr(os, "pread"):
        return os.pread(fd, n, at)
    os.lseek(fd, at, os.SEEK_SET)  # pragma: no cover - Windows
    chunks = []
    while n > 0:
        chunk = os.read(fd, n)
        if not chunk:
            break
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _mac(secret: bytes, domain: bytes, *parts) -> bytes:
    """The MAC of ``parts`` (bytes-like, as if joined)."""
    mac = hashlib.blake2b(key=secret, digest_size=32, person=_PERSON)
    mac.update(len(domain).to_bytes(4, "little") + domain)
    for data in parts:
        mac.update(data)
    return mac.digest()


def _block_digest(data) -> bytes:
    return hashlib.sha256(data).digest()[:16]


def db_stamp(path) -> list | None:
    """What identifies the database file a pack was written beside: its
    size, modification time and SQLite's file change counter (bytes 24-27
    of the header, bumped by every write transaction). Not its inode: a CI
    job restores the cache into new files (same bytes, same times), and the
    pack must stay current there."""
    try:
        fd = _open_read(path, nofollow=True)
    except OSError:
        return None
    try:
        st = _regular_stat(fd)
        if st is None:
            return None
        header = os.read(fd, 100)  # (a fresh descriptor: from the start)
    except OSError:
        return None
    finally:
        os.close(fd)
    return [st.st_size, st.st_mtime_ns, header[24:28].hex()]


def _close_quietly(fd: int) -> int:
    """Close ``fd`` unless it is -1 (none), ignoring errors: -1."""
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass
    return -1


class Pack:
    """A verified pack, open for reading (see the module docstring)."""

    def __init__(self, fd: int, head: dict, names: PackNames, keys: bytes, arrays, blocks):
        self.fd = fd
        self.n = head["n"]
        self.racy = {int(i): bytes.fromhex(h) for i, h in head["racy"].items()}
        self.names = names
        self.find, self.name = names.find, names.name
        self.keys = keys
        self.entry_block, self.offs = arrays  # offs: _OFFS per entry (see the module)
        self.block_pos, self.block_digest = blocks  # _POS per block; _DIGESTS bytes per block
        self._cached = (-1, False, None)  # the last block read: (number, whole, bytes or None)
        self._first: list[int] | None = None
        self.size = self.live = 0  # the file's bytes, and those its index points at

    @classmethod
    def open(cls, path, secret: bytes, domain: bytes, stamp) -> Pack | None:
        """The pack at ``path`` when it is sound, ours and current for the
        database ``stamp``; None otherwise (never raises for its contents)."""
        try:
            fd = os.open(
                path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
            )
        except OSError:
            return None
        try:
            pack = cls._read(fd, secret, domain, stamp)
        except (OSError, ValueError, TypeError, KeyError, IndexError, OverflowError, MemoryError):
            pack = None
        if pack is None:
            os.close(fd)
        return pack

    @classmethod
    def _read(cls, fd: int, secret: bytes, domain: bytes, stamp) -> Pack | None:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size < _TRAILER.size:
            return None
        end = st.st_size - _TRAILER.size
        at, length, mac, magic = _TRAILER.unpack(_pread(fd, _TRAILER.size, end))
        if magic != MAGIC or length > _MAX_INDEX or at + length != end:
            return None
        index = _pread(fd, length, at)
        if len(index) != length or not hmac.compare_digest(_mac(secret, domain, index), mac):
            return None
        # from here on the bytes are ours: written by this code under this secret
        view = memoryview(index)
        head_len = int.from_bytes(view[:4], "little")
        head = json.loads(bytes(view[4 : 4 + head_len]))
        if (
            head.get("v") != PACK_VERSION
            or head.get("python") != PYTHON
            or head.get("byteorder") != sys.byteorder
            or stamp is None
            or head.get("db") != stamp
        ):
            return None
        n, nblocks, names_len = head["n"], head["blocks"], head["names"]
        pos = 4 + head_len
        names = PackNames.read(bytes(view[pos : pos + names_len]), n)
        pos += names_len
        keys = bytes(view[pos : pos + n * _KEY])
        pos += n * _KEY
        entry_block = array("I")
        entry_block.frombytes(view[pos : pos + 4 * n])
        pos += 4 * n
        offs = array("I")
        offs.frombytes(view[pos : pos + 4 * _OFFS * n])
        pos += 4 * _OFFS * n
        block_pos = array("Q")
        block_pos.frombytes(view[pos : pos + 8 * _POS * nblocks])
        pos += 8 * _POS * nblocks
        digests = bytes(view[pos : pos + _DIGESTS * nblocks])
        pos += _DIGESTS * nblocks
        if names is None or len(keys) != n * _KEY or len(offs) != _OFFS * n or pos != length:
            return None
        if len(block_pos) != _POS * nblocks or len(digests) != _DIGESTS * nblocks:
            return None
        pack = cls(fd, head, names, keys, (entry_block, offs), (block_pos, digests))
        pack.size = st.st_size
        # what the index points at
        pack.live = sum(block_pos[1::_POS]) + length + _TRAILER.size
        return pack

    def first(self) -> list[int]:
        """Per block, its first entry (and the number of entries last):
        entries are stored block after block."""
        if self._first is None:
            first = [0] * (len(self.block_digest) // _DIGESTS + 1)
            for b in self.entry_block:
                first[b + 1] += 1
            for b in range(len(first) - 1):
                first[b + 1] += first[b]
            self._first = first
        return self._first

    def close(self) -> None:
        self.fd = _close_quietly(self.fd)

    # -- entries -----------------------------------------------------------------------
    def key(self, i: int) -> bytes:
        return self.keys[i * _KEY : (i + 1) * _KEY]

    def block(self, b: int, whole: bool = True) -> tuple[bytes, int] | None:
        """Block ``b``'s bytes (without ``whole``: its heads only) and its
        heads' length, read and checked against their digests; None when
        they do not match (its entries are misses)."""
        cached = self._cached
        if cached[0] == b and (cached[1] or not whole):
            return cached[2]
        self._cached = (-1, False, None)  # (let the last block go first)
        found = None
        try:
            at, length, heads = self.block_pos[_POS * b : _POS * b + _POS]
            got = _pread(self.fd, length if whole else heads, at)
            digests = self.block_digest[_DIGESTS * b : _DIGESTS * b + _DIGESTS]
            view = memoryview(got)
            if (
                heads <= length
                and len(got) == (length if whole else heads)
                and hmac.compare_digest(_block_digest(view[:heads]), digests[:16])
                and (not whole or hmac.compare_digest(_block_digest(view[heads:]), digests[16:]))
            ):
                found = (got, heads)
        except (OSError, IndexError, ValueError, OverflowError):
            found = None
        self._cached = (b, whole, found)
        return found

    def _parts(self, i: int, data, heads: int, whole: bool):
        """Entry ``i``'s head and (with ``whole``, else None) findings in its
        block's bytes ``data`` (the heads ``heads`` long); None when its
        offsets are not within the block."""
        ha, hz, fa, fz = self.offs[_OFFS * i : _OFFS * i + _OFFS]
        if not ha <= hz <= heads:
            return None
        if not whole:
            return data[ha:hz], None
        fa, fz = fa + heads, fz + heads
        if not heads <= fa <= fz <= len(data):
            return None
        return data[ha:hz], data[fa:fz]

    def _decode(self, i: int, view, heads: int, whole: bool, name: str, findings, brief):
        """Entry ``i`` of its block's bytes ``view`` (see :meth:`_parts`):
        see :func:`_entry`; None when its offsets are not within the block."""
        parts = self._parts(i, view, heads, whole)
        return None if parts is None else _entry(*parts, name, findings, brief)

    def stored(self, i: int) -> tuple[bytes, bytes] | None:
        """Entry ``i``'s head and findings as stored, or None."""
        found = self.block(self.entry_block[i])
        return None if found is None else self._parts(i, found[0], found[1], True)

    def results(
        self, entries: list[int], names: list[str], findings: bool = True, brief=None
    ) -> list:
        """The results of entries ``entries`` (without ``findings``: index and
        generation only; with ``brief``, :class:`~linter.engine.FileBrief`
        where the entry can: see :func:`~linter.pipeline.cache_codec._entry`),
        None for any that does not decode or is not of its expected name.
        A block's findings are read only when an entry needs them."""
        # the decoded objects hold no cycles: no collection while they are made
        # (the collector would scan the growing heap over and over)
        collecting = gc.isenabled()
        gc.disable()
        # the heads may do: the index entries alone, or the brief an entry holds
        heads_only = not findings or brief is not None
        try:
            out = []
            block_of = self.entry_block
            current, whole, found, view = -1, False, None, None
            for i, name in zip(entries, names):
                b = block_of[i]
                if b != current:
                    found = view = None  # the last block goes before the next is read
                    current, whole = b, not heads_only
                    found = self.block(b, whole)
                    view = None if found is None else memoryview(found[0])
                result = None
                if found is not None:
                    result = self._decode(i, view, found[1], whole, name, findings, brief)
                    if result is NEEDS_FINDINGS and not whole:  # the whole block, then
                        found = view = None
                        whole, found = True, self.block(b, True)
                        view = None if found is None else memoryview(found[0])
                        result = None
                        if found is not None:
                            result = self._decode(i, view, found[1], True, name, findings, brief)
                    if result is NEEDS_FINDINGS:
                        result = None
                out.append(result)
            return out
        finally:
            if collecting:
                gc.enable()


class PackWriter:
    """Writes a new pack beside the database, streamed: entries are added in
    order (:meth:`add` for fresh texts, :meth:`copy` for an old pack's),
    blocks written as they fill; :meth:`finish` writes the index and the
    trailer and renames the file into place (never through a link)."""

    def __init__(self, final: str, onto: Pack | None = None, fd: int = -1):
        """A new pack to be put at ``final``; with ``onto`` (the pack there,
        open for reading), the one :meth:`onto` opened (``fd``) to append to."""
        self.final = final
        self.base = onto  # the pack appended to: its blocks are kept, not copied
        if onto is None:
            self.temp = f"{final}.{os.getpid()}.tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            flags |= getattr(os, "O_BINARY", 0)
            if os.path.lexists(self.temp):
                os.unlink(self.temp)
            self.fd = os.open(self.temp, flags | os.O_EXCL, 0o600)
            self.pos = 0
        else:
            self.fd, self.pos = fd, onto.size
        # the names, ``\0`` between them, and the keys, back to back (no
        # object per entry); a name is added once: the cache marks an old
        # entry met when a fresh one of its name comes (see ``carry``)
        self.names = Chunks()
        self.count = 0  # entries added
        self.keys = bytearray()
        self.racy: dict[str, str] = {}
        self.entry_block = array("I")
        self.offs = array("I")
        self.block_pos = array("Q")
        self.digests: list[bytes] = []  # _DIGESTS bytes per block
        self.heads: list[bytes] = []  # the block being filled: its heads ...
        self.bodies: list[bytes] = []  # ... and its findings
        self.heads_len = self.bodies_len = 0
        self.in_block = 0
        self._run = None  # (pack, block, next entry): a block being met in order
        self._copying = None  # (fd, offset, length): old blocks waiting to be copied

    @classmethod
    def onto(cls, final: str, pack: Pack) -> PackWriter | None:
        """A writer that appends to ``pack`` (the file at ``final``, as it
        was read), or None: the system cannot lock it, another run holds
        it, it is no longer the file that was read, or too much of it is
        slack (:data:`SLACK`)."""
        if _flock is None or pack.size - pack.live > SLACK * pack.live:
            return None
        flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(final, flags)
        except OSError:
            return None
        try:
            _flock(fd, _LOCK_EX | _LOCK_NB)  # one run appends at a time; let go on close
            st, read = os.fstat(fd), os.fstat(pack.fd)
            if (st.st_dev, st.st_ino, st.st_size) != (read.st_dev, read.st_ino, pack.size):
                raise OSError("not the pack that was read")
            os.lseek(fd, pack.size, os.SEEK_SET)
        except OSError:
            os.close(fd)
            return None
        return cls(final, pack, fd)

    def add(self, name: str, key: bytes, content, data: bytes) -> None:
        """A fresh entry (``data``: as ``encode_packed`` writes it)."""
        if self._run is not None:
            self._spill()
        parts = split_entry(data)
        if parts is not None:
            self._add(name.encode("utf-8", "surrogatepass"), key, content, *parts)

    def _add(self, name: bytes, key: bytes, content, head: bytes, body: bytes) -> None:
        if len(key) != _KEY or b"\0" in name:
            return
        if content is not None:
            self.racy[str(self.count)] = content.hex()
        self.names.add(b"\0" + name if self.count else name)
        self.count += 1
        self.keys += key
        self.entry_block.append(len(self.digests))
        a, f = self.heads_len, self.bodies_len
        self.offs.extend((a, a + len(head), f, f + len(body)))
        self.heads.append(head)
        self.bodies.append(body)
        self.heads_len += len(head)
        self.bodies_len += len(body)
        self.in_block += 1
        if self.in_block >= BLOCK or self.heads_len + self.bodies_len >= BLOCK_BYTES:
            self._flush()

    def copy(self, pack: Pack, i: int) -> None:
        """Add entry ``i`` of ``pack`` as it is. A whole block of it met in
        order is copied byte for byte (no re-encoding, no new digest)."""
        first = pack.first()
        b = pack.entry_block[i]
        run = self._run
        if run is not None:
            if run[0] is pack and run[1] == b and run[2] == i:
                if i + 1 == first[b + 1]:
                    self._run = None
                    self._whole(pack, b)
                else:
                    self._run = (pack, b, i + 1)
                return
            self._spill()
        if i == first[b]:
            # an old block starts: the block being filled ends here, so that
            # the old one is copied whole (else every block after a changed
            # entry would start elsewhere and be copied entry by entry)
            self._flush()
            if i + 1 == first[b + 1]:
                self._whole(pack, b)
            else:
                self._run = (pack, b, i + 1)
            return
        self._copy_one(pack, i)

    def copy_all(self, pack: Pack, order) -> None:
        """:meth:`copy` of each entry of ``order`` in turn, a block met whole
        and in order taken in one step (what :meth:`copy` does with it, entry
        by entry: the same pack)."""
        if not order:
            return  # (no pack to copy from, maybe)
        first, blocks = pack.first(), pack.entry_block
        j, n = 0, len(order)
        while j < n:
            i = order[j]
            b = blocks[i]
            lo, hi = first[b], first[b + 1]
            end = j + hi - lo
            if (
                self._run is None
                and i == lo
                and end <= n
                and order[end - 1] == hi - 1
                and order[j:end] == list(range(lo, hi))
            ):
                self._flush()
                self._whole(pack, b)
                j = end
            else:
                self.copy(pack, i)
                j += 1

    def _copy_one(self, pack: Pack, i: int) -> None:
        parts = pack.stored(i)
        if parts is not None:
            self._add(pack.names.raw(i), pack.key(i), pack.racy.get(i), *parts)

    def _spill(self) -> None:
        """The entries of a block met in order so far, copied one by one."""
        pack, b, end = self._run
        self._run = None
        for i in range(pack.first()[b], end):
            self._copy_one(pack, i)

    def _whole(self, pack: Pack, b: int) -> None:
        """Block ``b`` of ``pack``, all its entries, as it is."""
        lo, hi = pack.first()[b], pack.first()[b + 1]
        self._flush()
        number = len(self.digests)
        for i in range(lo, hi):
            if i in pack.racy:
                self.racy[str(self.count + i - lo)] = pack.racy[i].hex()
            self.entry_block.append(number)
        if hi > lo:
            if self.count:
                self.names.add(b"\0")
            self.names.add(pack.names.span(lo, hi))
            self.keys += pack.keys[lo * _KEY : hi * _KEY]
        self.count += hi - lo
        self.offs.extend(pack.offs[_OFFS * lo : _OFFS * hi])
        at, length, heads = pack.block_pos[_POS * b : _POS * b + _POS]
        self.digests.append(pack.block_digest[_DIGESTS * b : _DIGESTS * b + _DIGESTS])
        if pack is self.base:  # appending to it: the block stays where it is
            self.block_pos.extend((at, length, heads))
            return
        # copied as it is, unread (its digests go with it: checked when the
        # new pack is read), file to file where the system can
        self.block_pos.extend((self.pos, length, heads))
        run = self._copying
        if run is not None and run[0] == pack.fd and run[1] + run[2] == at:
            self._copying = (run[0], run[1], run[2] + length)
        else:
            self._copy_range()
            self._copying = (pack.fd, at, length)
        self.pos += length

    def carry(self, pack: Pack, skip) -> None:
        """Add the entries of ``pack`` this run did not meet (``skip[i]``
        true for those it met): whole blocks are copied byte for byte."""
        if self._run is not None:
            self._spill()
        self._flush()
        first = pack.first()
        for b in range(len(first) - 1):
            lo, hi = first[b], first[b + 1]
            if any(skip[lo:hi]):
                for i in range(lo, hi):
                    if not skip[i]:
                        self._copy_one(pack, i)
                self._flush()
            else:
                self._whole(pack, b)

    def _flush(self) -> None:
        if self._run is not None:
            self._spill()
        if not self.in_block:
            return
        heads, bodies = b"".join(self.heads), b"".join(self.bodies)
        self.heads, self.bodies, self.in_block = [], [], 0
        self.heads_len = self.bodies_len = 0
        self.block_pos.extend((self.pos, len(heads) + len(bodies), len(heads)))
        self.digests.append(_block_digest(heads) + _block_digest(bodies))
        self._write(heads)
        self._write(bodies)

    def _copy_range(self) -> None:
        """Copy the old pack's bytes waiting to be copied (consecutive whole
        blocks): in the kernel (``copy_file_range``), else read and written."""
        run, self._copying = self._copying, None
        if run is None:
            return
        src, at, length = run
        end = at + length
        copy = getattr(os, "copy_file_range", None)
        while at < end:
            done = 0
            if copy is not None:
                try:
                    done = copy(src, self.fd, end - at, at)
                except OSError:
                    copy = None  # another file system, no support: plain reads
                    continue
            else:
                data = _pread(src, min(end - at, 1 << 22), at)
                view = memoryview(data)
                while view:
                    view = view[os.write(self.fd, view) :]
                done = len(data)
            if done <= 0:
                raise OSError("the old pack is shorter than its index says")
            at += done

    def _write(self, data) -> None:
        self._copy_range()
        view = memoryview(data).cast("B")
        self.pos += len(view)
        while view:
            view = view[os.write(self.fd, view) :]

    def finish(self, secret: bytes, domain: bytes, db) -> None:
        """Write the index and trailer, and put the pack in place: current
        for the database ``db`` as it stands now."""
        self._flush()
        self._copy_range()
        head = json.dumps(
            {
                "v": PACK_VERSION,
                "python": PYTHON,
                "byteorder": sys.byteorder,
                "n": self.count,
                "blocks": len(self.digests),
                "names": len(self.names),
                "db": db_stamp(db),
                "racy": self.racy,
            },
            separators=(",", ":"),
        ).encode()
        # written and sealed piece by piece: never joined in memory (at
        # 100,000 entries the names alone are 8 MB)
        index = [
            len(head).to_bytes(4, "little"),
            head,
            *self.names.parts(),
            self.keys,
            memoryview(self.entry_block).cast("B"),
            memoryview(self.offs).cast("B"),
            memoryview(self.block_pos).cast("B"),
            b"".join(self.digests),
        ]
        at = self.pos
        for part in index:
            self._write(part)
        length = self.pos - at
        self._write(_TRAILER.pack(at, length, _mac(secret, domain, *index), MAGIC))
        os.close(self.fd)
        self.fd = -1
        if self.base is None:
            os.replace(self.temp, self.final)  # a link standing there is replaced, not followed

    def abort(self) -> None:
        if self.base is not None:  # the appended bytes go: the old trailer ends the file again
            try:
                os.ftruncate(self.fd, self.base.size)
            except OSError:
                pass
            self.fd = _close_quietly(self.fd)
            return
        self.fd = _close_quietly(self.fd)
        try:
            os.unlink(self.temp)
        except OSError:
            pass
