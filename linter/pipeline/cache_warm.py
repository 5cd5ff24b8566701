"""The results cache's use of its packed snapshot (:mod:`linter.pipeline.cache_pack`):
:class:`PackedEntries` is the part of :class:`~linter.pipeline.cache.Cache` that
answers lookups from the pack while it is current, and writes a new one when
a run changed the cache (the old one's entries this run did not meet carried
over)."""

from __future__ import annotations

import os
from array import array

from linter.engine import FileResult
from linter.pipeline import cache_pack
from linter.pipeline.cache_codec import try_encode_packed
from linter.pipeline.cache_files import _DIGEST, _digest, _same_content
from linter.pipeline.cache_pack import KEY_SIZE as _KEY


class PackedEntries:
    """Mixed into the cache: it provides ``folder``, ``digest``, ``file``,
    ``secret``, ``disabled``, ``_where``, ``_tables``, ``_untrusted`` and
    ``_load_rows``."""

    def _init_pack(self, schema: str) -> None:
        # the packed snapshot (linter.pipeline.cache_pack): read when current, rewritten
        # at the end of a run that changed the cache
        self.pack_file = self.folder / f"{self.digest[:32]}{cache_pack.SUFFIX}"
        self.pack: cache_pack.Pack | None = None
        self._domain = f"{schema}\0{self.digest}".encode()
        # the pack's entries lookup() found current, in the order it met them
        # (load() asks for them in that order: see _pack_entry)
        self._pack_hits = array("i")
        self._hit_paths: list = []  # the path each of _pack_hits was looked up as
        self._pack_read = 0  # _pack_hits[:_pack_read] are loaded
        self._looked_up = 0  # files looked up in this run
        self._order: list[int] = []  # the pack's entries met, while nothing changed
        self._met: bytearray | None = None  # the pack's entries met in this run
        self._new: cache_pack.PackWriter | None = None  # the pack being written
        self._dirty = False  # something the pack does not hold: rewrite it
        # name -> the pack's entry of that name, for the files lookup() found
        # it stale for (their fresh entries replace it: no search by name)
        self._stale: dict[str, int] = {}

    def _open_pack(self) -> None:
        if self.secret is None:
            return
        pack = cache_pack.Pack.open(
            self.pack_file, self.secret, self._domain, cache_pack.db_stamp(self.file)
        )
        if pack is not None:
            self.pack = pack
            self._met = bytearray(pack.n)

    def _close_pack(self) -> None:
        if self._new is not None:
            self._new.abort()
            self._new = None
        if self.pack is not None:
            self.pack.close()
            self.pack = None

    def _lookup_packed(self, paths: list, keys: list) -> list[bool]:
        """:meth:`lookup` with the pack asked first, the database for the rest."""
        out = [False] * len(paths)
        rest = []
        find, where, current = self.pack.find, self._where, self._pack_current
        hits, hit_paths = self._pack_hits, self._hit_paths
        stale = self._stale
        for j, (p, k) in enumerate(zip(paths, keys)):
            i = find(name := where(p)) if k is not None else None
            if i is not None and current(p, k, i):
                hits.append(i)
                hit_paths.append(p)
                out[j] = True
            else:
                if i is not None:
                    stale[name] = i
                rest.append(j)
        if rest:
            rows = self._rows([paths[j] for j in rest], "key, hash, seal")
            for j, row in zip(rest, rows):
                out[j] = self._current(paths[j], keys[j], row)
        return out

    def _pack_entry(self, path, key) -> int | None:
        """The pack's entry that :meth:`lookup` found current for ``path``,
        else None: the next one it found when ``path`` is its file (files are
        loaded in the order they were looked up), else the one of its name
        when it is current for ``key``."""
        i = self._next_hit(path)
        return i if i is not None else self._named_entry(path, key)

    def _next_hit(self, path) -> int | None:
        """The next entry :meth:`lookup` found current, when it was looked
        up for ``path`` (its name is what ``_where`` gives the path), else None."""
        hits, at = self._pack_hits, self._pack_read
        if at < len(hits) and self._hit_paths[at] == path:
            self._pack_read = at + 1
            if self._pack_read == len(hits):  # all loaded: the memory goes
                self._pack_hits, self._hit_paths, self._pack_read = array("i"), [], 0
            return hits[at]
        return None

    def _named_entry(self, path, key) -> int | None:
        """The pack's entry of ``path``'s name when it is current for ``key``."""
        i = self.pack.find(self._where(path)) if key is not None else None
        return i if i is not None and self._pack_current(path, key, i) else None

    # -- a warm run's workers read the pack (linter.engine.pool) -------------------------
    def pack_hits(self) -> int:
        """How many of the files looked up the pack answered and are still to load."""
        return len(self._pack_hits) - self._pack_read if self.pack is not None else 0

    def pack_loader(self):
        """What reads entries of the pack into results, ``(entries, names)``
        -> results (None for one that does not decode): a forked worker
        process calls it (the pack is read with ``pread``)."""
        return self.pack.results

    def pack_entries(self, paths: list, key_of) -> list[int] | None:
        """The pack's entries of ``paths`` (the next cached files in the
        order :meth:`lookup` met them; ``key_of(j)``: the key of the ``j``-th,
        asked only when its entry is not the next one met), for a worker to
        read; None when the pack does not answer one of them (then
        :meth:`load` reads them)."""
        if self.pack is None:
            return None
        out = []
        for j, path in enumerate(paths):
            i = self._next_hit(path)
            if i is None:
                i = self._named_entry(path, key_of(j))
                if i is None:
                    return None
            out.append(i)
        return out

    def pack_loaded(self, entries: list[int]) -> None:
        """Entries that were read (by a worker, from :meth:`pack_entries`,
        or by :meth:`load`): met in this run, copied into the new pack when
        one is being written."""
        pack = self.pack
        for i in entries:
            self._met[i] = 1
            if self._new is not None:
                self._feed(self._new.copy, pack, i)
            elif not self._dirty:
                self._order.append(i)

    def _pack_put(self, path, key, result: FileResult) -> None:
        """A fresh result written to the database goes into the new pack
        (encoded only once the pack is known to be written)."""
        if (
            self._pack_writer() is not None
            and (packed := try_encode_packed(result, self.brief)) is not None
        ):
            self._pack_new(path, key, packed)

    def _pack_current(self, path, key, i: int) -> bool:
        """Whether entry ``i`` of the pack is the current entry of ``path``
        (the pack's index is sealed as a whole: see linter.pipeline.cache_pack)."""
        pack = self.pack
        if type(key) is bytes and i not in pack.racy:  # (most files: the keys alone)
            return pack.keys[i * _KEY : (i + 1) * _KEY] == key
        key, now = (key, None) if type(key) is bytes else key
        if pack.key(i) != key:
            return False
        return _same_content(path, now, pack.racy.get(i), self._tables)

    def _load_packed(self, items: list, findings: bool) -> list[FileResult | None]:
        """:meth:`load` with the entries the pack answered taken from it."""
        mine = []
        others = []
        for j, (path, name, key) in enumerate(items):
            i = self._pack_entry(path, key)
            (others if i is None else mine).append((j, i, name))
        out: list[FileResult | None] = [None] * len(items)
        if mine:
            entries = [i for _, i, _ in mine]
            names = [name for _, _, name in mine]
            loaded = self.pack.results(entries, names, findings)
            for (j, i, _), result in zip(mine, loaded):
                out[j] = result
                if findings and result is not None:
                    self.pack_loaded((i,))
        if others:
            loaded = self._load_rows([items[j] for j, _, _ in others], findings)
            for (j, _, _), result in zip(others, loaded):
                out[j] = result
        return out

    # -- the pack ------------------------------------------------------------------------
    def _packed(self, path, key, result: FileResult, index, seal) -> None:
        """A current entry read from the database: it goes into the new pack."""
        if _digest(index) != seal[_DIGEST : 2 * _DIGEST]:
            return  # its index is not the one sealed: left out of the pack
        if (
            self._pack_writer() is not None
            and (packed := try_encode_packed(result, self.brief)) is not None
        ):
            self._pack_new(path, key, packed)

    def _pack_new(self, path, key, data: bytes) -> None:
        writer = self._pack_writer()
        if writer is None:
            return
        key, content = (key, None) if type(key) is bytes else key
        name = self._where(path)
        if self.pack is not None:  # its old entry is not carried over
            old = self._stale.pop(name, None)
            if old is None:  # (not found stale: the names are searched)
                old = self.pack.find(name)
            if old is not None:
                self._met[old] = 1
        self._feed(writer.add, name, key, content, data)

    def _may_pack(self) -> bool:
        """Whether :meth:`_pack_writer` may give a writer (without starting
        one): False when it is sure to give None."""
        if self._new is not None:
            return True
        return not (
            self._dirty
            or self.disabled
            or self.secret is None
            or (self.pack is None and self._looked_up < cache_pack.MIN_FILES)
        )

    def _pack_writer(self) -> cache_pack.PackWriter | None:
        """The new pack, started on the first entry the old one does not
        hold (with the old one's entries met so far): None when this run
        writes none (too few files, no cache)."""
        if self._new is not None:
            return self._new
        may = self._may_pack()  # (not once started and given up, or not wanted)
        self._dirty = True
        if not may:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self._untrusted():
                return None
            final = os.fspath(self.pack_file)
            writer = None if self.pack is None else cache_pack.PackWriter.onto(final, self.pack)
            self._new = writer = writer or cache_pack.PackWriter(final)
            writer.copy_all(self.pack, self._order)  # (an OSError: no pack this time)
        except OSError:
            self._drop_writer()
            return None
        self._order = []
        return writer

    def _feed(self, step, *args) -> None:
        """One step of writing the new pack; a failure (a full disk) drops it:
        the run goes on, the old pack stays, stale, until a later run."""
        try:
            step(*args)
        except OSError:
            self._drop_writer()

    def _drop_writer(self) -> None:
        if self._new is not None:
            self._new.abort()
            self._new = None

    def _write_pack(self) -> None:
        """Finish the new pack (the old one's entries this run did not meet
        carried over), current for the database as it now stands."""
        writer, self._new = self._new, None
        if writer is None:
            return
        try:
            if self.disabled:
                raise OSError("the cache is disabled")
            if self.pack is not None:
                writer.carry(self.pack, self._met)
            writer.finish(self.secret, self._domain, self.file)
        except (OSError, ValueError, OverflowError):
            writer.abort()
