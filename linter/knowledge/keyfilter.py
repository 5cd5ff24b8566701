"""A Bloom filter of a blocked table's keys: "surely absent" without a block.

GN106 asks the lexicon for every long form of a caption and for shorter
forms of it; most of them are not there (61 % of the lookups on records seen
for the first time), and each lookup decompresses a block of the table to
find that out.  ``lexicon_keys.bloom`` (built by
``tools/build_reference_data.py`` with :func:`build`) answers those misses
from a bit array: :meth:`KeyFilter.may_hold` is False only for a key the
table does not hold; True for every key it holds and for about 1 % of the
others (which the block then answers).

File layout (little-endian): ``PFKF``, version byte 1, the number of hash
functions ``k`` (one byte), the bit count ``m`` (u32), the key count (u32),
the CRC-32 of the table's block index (the extra field of its first gzip
member: a filter belongs to one build of one table, and is not used with
another), then ``ceil(m / 8)`` bytes of bits.  A key's bits are
``(h1 + i * h2) mod m`` for ``i < k``, ``h1`` and ``h2`` the two halves of
its 16-byte BLAKE2b digest (``h2`` made odd).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from linter.base.digests import blake2b

__all__ = ["KeyFilter", "build", "index_crc"]

MAGIC = b"PFKF\x01"
_HEAD = struct.Struct("<5sBIII")
BITS_PER_KEY = 10
HASHES = 7
_FEXTRA = 4


def _positions(key: str, k: int, m: int):
    digest = blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    h1 = int.from_bytes(digest[:8], "little")
    h2 = int.from_bytes(digest[8:], "little") | 1
    return [(h1 + i * h2) % m for i in range(k)]


def index_crc(head: bytes) -> int | None:
    """CRC-32 of the extra field of the gzip member that starts ``head``
    (the block index of a blocked table); None when it has none."""
    if len(head) < 12 or head[:3] != b"\x1f\x8b\x08" or not head[3] & _FEXTRA:
        return None
    (xlen,) = struct.unpack("<H", head[10:12])
    if len(head) < 12 + xlen:
        return None
    return zlib.crc32(head[12 : 12 + xlen])


def build(keys: list[str], crc: int) -> bytes:
    """The filter file of ``keys`` for the table whose index has CRC ``crc``
    (deterministic: the same keys give the same bytes)."""
    n = len(keys)
    m = max(64, -(-n * BITS_PER_KEY // 8) * 8)
    bits = bytearray(m // 8)
    for key in keys:
        for j in _positions(key, HASHES, m):
            bits[j >> 3] |= 1 << (j & 7)
    return _HEAD.pack(MAGIC, HASHES, m, n, crc) + bytes(bits)


class KeyFilter:
    """A loaded filter; :meth:`open` checks that it belongs to the table."""

    __slots__ = ("_bits", "_k", "_m", "keys")

    def __init__(self, bits: bytes, k: int, m: int, keys: int):
        self._bits, self._k, self._m, self.keys = bits, k, m, keys

    @classmethod
    def open(cls, path: Path, table: Path) -> KeyFilter | None:
        """The filter in ``path`` when it was built for the blocked table
        ``table`` (same block index); None when either is missing, the
        filter is malformed, or it belongs to another table."""
        try:
            data = path.read_bytes()
            with open(table, "rb") as fh:
                head = fh.read(12 + 65535)
        except OSError:
            return None
        if len(data) < _HEAD.size:
            return None
        magic, k, m, n, crc = _HEAD.unpack_from(data)
        bits = data[_HEAD.size :]
        if magic != MAGIC or not k or not m or len(bits) != -(-m // 8):
            return None
        if index_crc(head) != crc:
            return None
        return cls(bits, k, m, n)

    def may_hold(self, key: str) -> bool:
        """False when the table surely does not hold ``key``."""
        bits = self._bits
        return all(bits[j >> 3] & (1 << (j & 7)) for j in _positions(key, self._k, self._m))
