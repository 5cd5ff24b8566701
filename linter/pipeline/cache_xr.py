"""The collection pass's memo: the findings of the collection rules that
decide from the index alone, kept beside the results cache by the digest of
the index they were worked out from (:func:`linter.engine.collection.collection_findings`).

A warm run gathers the same index from the cache, and an edit that changes
no indexed value (a caption, a gene) gives the same index: the collection
rules need not run again over every file. The memo is one file,
``<configuration digest>.xr`` in the cache folder, sealed like the cache's
entries (the secret key, this configuration, the index digest and the
findings): a file planted or damaged, from another configuration or
version, or for another index is a miss, never trusted. It is read without
following a link and written through a new file and a rename.
"""

from __future__ import annotations

import hmac
import os

from linter.engine import FileResult
from linter.pipeline.cache_entries import decode_result, encode_result
from linter.pipeline.cache_files import _open_read, _regular_stat
from linter.pipeline.cache_git import _keep
from linter.reading.files import read_fd

SUFFIX = ".xr"
MAGIC = b"PFLXR\x00\x00\x01"
_MAX_SIZE = 256 << 20  # a memo larger than this is not read
_UNDECODABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


class CollectionMemo:
    """``get(digest)`` / ``put(digest, findings)`` over the memo file of
    ``cache`` (a :class:`linter.pipeline.cache.Cache` that is not disabled
    and holds its secret key)."""

    def __init__(self, cache):
        self.path = os.fspath(cache.folder / f"{cache.digest[:32]}{SUFFIX}")
        self._mac = cache._mac

    def _seal(self, digest: bytes, payload: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(b"collection\0" + len(digest).to_bytes(4, "little") + digest)
        mac.update(len(payload).to_bytes(8, "little") + payload)
        return mac.digest()

    def get(self, digest: bytes):
        """The findings kept for ``digest``; None when there are none, or
        when the file is not exactly what :meth:`put` wrote with this key."""
        try:
            fd = _open_read(self.path, nofollow=True)
        except OSError:
            return None
        try:
            st = _regular_stat(fd)
            if st is None or st.st_size > _MAX_SIZE:
                return None
            data = read_fd(fd, st.st_size, _MAX_SIZE + 1)
        except OSError:
            return None
        finally:
            os.close(fd)
        if len(data) > _MAX_SIZE:
            return None
        size = len(self._seal(b"", b""))
        head = len(MAGIC) + len(digest)
        if not data.startswith(MAGIC) or data[len(MAGIC) : head] != digest:
            return None
        seal, payload = data[head : head + size], data[head + size :]
        if len(seal) != size or not hmac.compare_digest(seal, self._seal(digest, payload)):
            return None
        try:
            result = decode_result(payload.decode("utf-8"))
        except (*_UNDECODABLE, UnicodeDecodeError):
            return None
        if result is None or result.filename != "" or result.error:
            return None
        return result.findings

    def put(self, digest: bytes, findings: list) -> None:
        """Keep ``findings`` for ``digest`` (best effort: a memo not written
        is worked out again by the next run)."""
        try:
            payload = encode_result(FileResult("", list(findings))).encode("utf-8")
        except (TypeError, ValueError):
            return
        # through a new file and a rename: a link standing there is replaced, not followed
        _keep(self.path, MAGIC + digest + self._seal(digest, payload) + payload)
