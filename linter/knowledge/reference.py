"""Offline reference data for the gene, chemical and organism rules.

GN103-GN106 check genes against HGNC and FamPlex, CH102 checks MeSH ids and
MD107 checks organism names against NCBI Taxonomy.  The data ships as small
text snapshots in ``linter/refdata/`` (built by
``tools/build_reference_data.py``; provenance in ``refdata/SOURCES.json``).

Nothing is read at import time: each table loads on first use and is cached
(``hgnc()``, ``famplex()``, ``mesh()``, ``taxonomy()``, ``sources()``), so a
run whose selected rules need no reference data never pays for it.  Only the
standard library is used.

The big sorted tables (``hgnc.tsv.gz``, ``hgnc_keys.tsv.gz``,
``mesh_ids.txt.gz``, ``taxonomy_names.txt.gz``) are *blocked*: concatenated
gzip members of ~64 KB of whole lines each (16 KB for the taxonomy), with an
index of every block's first key, byte length and line count in the first
member's gzip extra field (subfield ``PB``, see :class:`BlockedGzip`).  The
file is still one ordinary gzip stream of the whole sorted text (``zcat``
reads it), but a lookup decompresses one block: ``"Homo sapiens" in
taxonomy()`` costs ~2 ms instead of the 0.2-0.7 s a full decompression
takes.  A plain, gzip or xz file without the index (e.g. a configured
override) is read whole, as before. ``hgnc_keys.tsv.gz`` indexes the HGNC
genes by the comparison key of their symbols, aliases, previous symbols and
stems (:func:`name_key`, :meth:`HGNC.named_by`), so that "which genes may
this word name" needs no full read of HGNC either.

Every snapshot lags the live databases: "not found" should be a warning;
"malformed", "not approved" or "mismatched" may be an error.

Fresher snapshots and extra tables are configured with :func:`configure`
(or :func:`configure_from_options` for the ``reference`` table of the
linter's configuration)::

    configure(data_dir="refdata-2027")                  # another build's output folder
    configure(hgnc="hgnc-2027.tsv.gz")                   # one table only
    configure(family_tables=["my_families.csv"])         # extra families (PFOCR's 2018 ship)
    configure(gene_synonyms=["ncbi_synonyms.tsv"])       # extra alias -> symbol pairs
    configure()                                          # back to the shipped data
"""

from __future__ import annotations

import functools
import gzip
import os
import struct
import sys
import weakref
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from linter.knowledge.options import REFERENCE_KEYS, TABLE_FILES
from linter.knowledge.words import GREEK_LATIN_TABLE, greek

__all__ = [
    "BlockedGzip",
    "DEFAULT_DATA_DIR",
    "TABLE_FILES",
    "FamPlex",
    "Gene",
    "HGNC",
    "NameSet",
    "Withdrawn",
    "configure",
    "configure_from_options",
    "famplex",
    "from_context",
    "hgnc",
    "loaded",
    "mesh",
    "name_key",
    "read_family_table",
    "read_gene_synonyms",
    "snapshot_dates",
    "sources",
    "symbol_stem",
    "table_path",
    "taxonomy",
    "taxonomy_renamed",
]

#: The shipped snapshots.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "refdata"


_FAMILY_SUFFIXES = ("_family", "_complex")

PathLike = str | os.PathLike


# --------------------------------------------------------------------------
# configuration


class _Settings(NamedTuple):
    data_dir: Path = DEFAULT_DATA_DIR
    tables: Mapping[str, Path] = {}  # never mutated: configure() builds a new one
    gene_synonyms: tuple[Path, ...] = ()
    family_tables: tuple[Path, ...] = ()


_settings = _Settings()


def configure(
    *,
    data_dir: PathLike | None = None,
    hgnc: PathLike | None = None,
    hgnc_keys: PathLike | None = None,
    hgnc_withdrawn: PathLike | None = None,
    famplex: PathLike | None = None,
    pfocr_families: PathLike | None = None,
    mesh: PathLike | None = None,
    taxonomy: PathLike | None = None,
    sources: PathLike | None = None,
    gene_synonyms: Iterable[PathLike] = (),
    family_tables: Iterable[PathLike] = (),
    keep_loaded: bool = False,
) -> None:
    """Choose the data the loaders read, and forget everything loaded so far.

    Each call replaces the whole configuration; ``configure()`` with no
    argument restores the shipped snapshots.  With ``keep_loaded=True`` the
    tables loaded so far are kept when the configuration does not change.

    - ``data_dir``: a folder holding snapshot files under their usual names
      (:data:`TABLE_FILES`), e.g. the ``--out`` of a newer build.
    - ``hgnc``, ``hgnc_keys``, ``hgnc_withdrawn``, ``famplex``,
      ``pfocr_families``, ``mesh``, ``taxonomy``, ``sources``: one file each, in the snapshot format (gzip,
      xz or plain text), overriding that table only.  ``hgnc_keys`` is an
      index of ``hgnc``: when only ``hgnc`` is given, the index beside it is
      used if there is one, else it is computed from the table (slower).
    - ``gene_synonyms``: extra alias tables (TSV ``symbol<TAB>synonym``, e.g.
      NCBI Gene synonyms) merged into :meth:`HGNC.symbols_for_alias`.
    - ``family_tables``: extra family tables (e.g. the legacy PFOCR 2018
      ``entrez_id,bioentities`` table) merged into :func:`famplex`.
    """
    global _settings
    tables = {
        name: Path(path)
        for name, path in (
            ("hgnc", hgnc),
            ("hgnc_keys", hgnc_keys),
            ("hgnc_withdrawn", hgnc_withdrawn),
            ("famplex", famplex),
            ("pfocr_families", pfocr_families),
            ("mesh", mesh),
            ("taxonomy", taxonomy),
            ("sources", sources),
        )
        if path is not None
    }
    new = _Settings(
        data_dir=Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR,
        tables=tables,
        gene_synonyms=tuple(Path(p) for p in gene_synonyms),
        family_tables=tuple(Path(p) for p in family_tables),
    )
    if keep_loaded and new == _settings:
        return
    _settings = new
    for loader in _LOADERS:
        loader.cache_clear()


#: Keys accepted by :func:`configure_from_options` (the config's ``reference`` table).
OPTION_KEYS = {key: key.replace("-", "_") for key in REFERENCE_KEYS}


def configure_from_options(
    options: Mapping[str, object], root: PathLike | None = None, *, keep_loaded: bool = False
) -> None:
    """:func:`configure` from a configuration mapping with hyphenated keys.

    Keys: see :data:`OPTION_KEYS` (``data-dir``, ``hgnc``, ..., ``gene-synonyms``,
    ``family-tables``; the last two take a path or a list of paths).  Relative
    paths are taken relative to ``root`` (the configuration file's folder).
    Unknown keys raise ``ValueError``.
    """
    unknown = sorted(set(options) - set(OPTION_KEYS))
    if unknown:
        raise ValueError(
            f"unknown reference option(s) {unknown}; expected some of {sorted(OPTION_KEYS)}"
        )
    base = Path(root) if root is not None else Path.cwd()

    def resolve(value: object) -> Path:
        if not isinstance(value, str | os.PathLike):
            raise ValueError(f"reference option: expected a path, got {value!r}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path

    kwargs: dict[str, object] = {}
    for key, value in options.items():
        name = OPTION_KEYS[key]
        if name in ("gene_synonyms", "family_tables"):
            values = [value] if isinstance(value, str | os.PathLike) else list(value)  # type: ignore[call-overload]
            kwargs[name] = [resolve(v) for v in values]
        else:
            kwargs[name] = resolve(value)
    configure(**kwargs, keep_loaded=keep_loaded)  # type: ignore[arg-type]


def _keys_path() -> Path | None:
    """The name-key index that belongs to the configured HGNC table: given
    explicitly, or the file beside that table; None when there is none."""
    if "hgnc_keys" in _settings.tables:
        return _settings.tables["hgnc_keys"]
    beside = table_path("hgnc").with_name(TABLE_FILES["hgnc_keys"])
    return beside if beside.is_file() else None


def table_path(name: str) -> Path:
    """The file a table is read from under the current configuration."""
    if name not in TABLE_FILES:
        raise KeyError(f"unknown reference table {name!r}; known: {sorted(TABLE_FILES)}")
    return _settings.tables.get(name) or _settings.data_dir / TABLE_FILES[name]


def _read_text(path: Path) -> str:
    """A whole text file, gunzipped / unxz-ed according to its suffix."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    elif path.suffix == ".xz":
        import lzma

        data = lzma.decompress(data)
    return data.decode("utf-8")


def _data_lines(text: str) -> Iterator[str]:
    """Lines of a snapshot table, without the ``#`` header/comment lines."""
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line


_NOT_KEY = None


def name_key(name: str) -> str:
    """The comparison key of a gene name or word: upper case, Greek letters as
    Latin ones, letters and digits only (``P-gp`` -> ``PGP``, ``PKCα`` ->
    ``PKCA``, ``IL-6`` -> ``IL6``).  ``hgnc_keys.tsv.gz`` is keyed on it."""
    global _NOT_KEY
    k = greek(name, GREEK_LATIN_TABLE).upper()
    if k.isascii() and k.isalnum():
        return k
    if _NOT_KEY is None:
        import re

        _NOT_KEY = re.compile(r"[^0-9A-Z]")
    return _NOT_KEY.sub("", k)


def symbol_stem(symbol: str) -> str | None:
    """A symbol's family stem: ``IRS`` for ``IRS1``, ``ADH`` for ``ADH1A``
    (two or more capitals, digits, at most one more capital); else None."""
    i = 0
    while i < len(symbol) and "A" <= symbol[i] <= "Z":
        i += 1
    j = i
    while j < len(symbol) and symbol[j].isdigit() and symbol[j].isascii():
        j += 1
    rest = symbol[j:]
    if i >= 2 and j > i and (not rest or (len(rest) == 1 and "A" <= rest <= "Z")):
        return symbol[:i]
    return None


# --------------------------------------------------------------------------
# blocked gzip: sorted text that is looked up one block at a time

#: how many lookups a table remembers (it forgets them all when full)
MEMO_SIZE = 8192
#: decompressed text a table keeps (characters, least recently used blocks
#: go first): hgnc (3.9 MB), hgnc_keys and mesh_ids stay whole once read, so
#: a collection of different genes stops decompressing them; the lexicon and
#: the taxonomy (35 and 29 MB) keep their last ~4 MB. (A count of 32 blocks
#: made a run over records of different genes decompress a 64 KB block of
#: hgnc at one lookup in two.)
BLOCK_CHARS_KEPT = 4_200_000

#: a kept block searched this often gets a sparse index of its lines (the key
#: and start of every :data:`SPARSE_STRIDE`-th line): a lookup is then a
#: ``bisect`` and one ``str.find`` (about 2.2 µs) instead of a binary search
#: over the text (about 5.5 µs; HGNC, 10,000 lookups); a block read for a few
#: lookups is not indexed
INDEX_AFTER = 16
SPARSE_STRIDE = 8

#: gzip extra-field subfield id of a block index
BLOCK_INDEX_ID = b"PB"
_OPENED: weakref.WeakSet = weakref.WeakSet()  # BlockedGzip.opened()
_GZIP_MAGIC = b"\x1f\x8b\x08"
_PREAD = getattr(os, "pread", None)  # not on Windows
_FEXTRA = 4


def _remember(memo: dict, key, search):
    """``search(key)``, answered from ``memo`` when asked before; the memo
    forgets everything when it holds :data:`MEMO_SIZE` answers."""
    try:
        return memo[key]
    except KeyError:
        pass
    found = search(key)
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = found
    return found


class BlockedGzip:
    """A sorted text file stored as concatenated gzip members (blocks).

    Each member holds whole lines (~64 KB); the first member's gzip header
    carries, in its extra field (subfield :data:`BLOCK_INDEX_ID`), the
    zlib-compressed index: a version line ``v1<TAB>key`` and one line per
    block ``length<TAB>lines<TAB>first key``.  ``length`` is the member's
    byte length as written with a plain 10-byte header (the first member is
    longer by its extra field).  ``key`` says what a line's key is: ``line``
    (the whole line) or ``tsv`` (the text before the first tab).  Lines are
    sorted by key in code-point order.

    :meth:`open` returns None for a file without such an index; such files
    are read whole by the callers.
    """

    def __init__(
        self,
        path: Path,
        keys: list[str],
        spans: list[tuple[int, int]],
        counts: list[int],
        tsv: bool,
    ):
        self.path = path
        self._keys = keys
        self._spans = spans
        self._counts = counts
        self._tsv = tsv
        self._cache: dict[int, str] = {}
        self._cached = 0  # characters in _cache
        self._searched: dict[int, int] = {}  # block -> searches since it was read
        self._sparse: dict[int, tuple[list[str], list[int]]] = {}  # see INDEX_AFTER
        self._memo: dict[str, str | None] = {}  # key -> line: see line()
        self._fd: int | None = None  # see _read
        _OPENED.add(self)

    @staticmethod
    def opened() -> list[BlockedGzip]:
        """The tables this process has opened (and still holds)."""
        return list(_OPENED)

    def load_all(self) -> bool:
        """Decompress every block, as a long run ends up doing for a table
        that fits in :data:`BLOCK_CHARS_KEPT`: what ``bench/rule_cost.py``
        does before timing, so that a rule's cost per record is not the
        one-time decompression of a small table. Stops, and answers False,
        at the first block that would not be kept (the lexicon, the
        taxonomy: their blocks are a cost of every record). A kept block
        gets its sparse index, as the lookups of a long run give it."""
        for i in range(self.blocks):
            if i in self._cache:
                continue
            held = len(self._cache)
            text = self._block(i)
            if len(self._cache) <= held:  # a block was let go to make room
                return False
            self._sparse[i] = self._index(text)
        return True

    @classmethod
    def open(cls, path: PathLike) -> BlockedGzip | None:
        """Read the index of ``path``; None if it is not a blocked gzip file."""
        path = Path(path)
        if path.suffix != ".gz":
            return None
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:3] != _GZIP_MAGIC or not head[3] & _FEXTRA:
                return None
            (xlen,) = struct.unpack("<H", head[10:12])
            extra = fh.read(xlen)
        payload = None
        pos = 0
        while pos + 4 <= len(extra):
            sub, size = extra[pos : pos + 2], struct.unpack("<H", extra[pos + 2 : pos + 4])[0]
            if sub == BLOCK_INDEX_ID:
                payload = extra[pos + 4 : pos + 4 + size]
                break
            pos += 4 + size
        if payload is None:
            return None
        try:
            lines = zlib.decompress(payload).decode("utf-8").split("\n")
        except (zlib.error, UnicodeDecodeError):
            return None
        version, _, kind = lines[0].partition("\t")
        if version != "v1" or kind not in ("line", "tsv"):
            return None
        keys, spans, counts = [], [], []
        start = 0
        for i, line in enumerate(lines[1:]):
            length, count, key = line.split("\t", 2)
            end = start + int(length) + (2 + xlen if i == 0 else 0)
            keys.append(key)
            spans.append((start, end))
            counts.append(int(count))
            start = end
        return cls(path, keys, spans, counts, kind == "tsv")

    def __len__(self) -> int:
        """Number of lines (all of them, ``#`` lines included)."""
        return sum(self._counts)

    @property
    def blocks(self) -> int:
        return len(self._keys)

    def _block(self, i: int) -> str:
        """Block ``i`` decompressed: whole lines, each ending in a newline.
        The blocks last used, up to :data:`BLOCK_CHARS_KEPT` characters,
        are kept, so memory stays bounded however many different names a
        long run looks up."""
        cache = self._cache
        found = cache.pop(i, None)
        if found is None:
            start, end = self._spans[i]
            found = zlib.decompressobj(31).decompress(self._read(start, end)).decode("utf-8")
            self._cached += len(found)
            while cache and self._cached > BLOCK_CHARS_KEPT:
                gone = next(iter(cache))  # least recently used
                self._cached -= len(cache.pop(gone))
                self._searched.pop(gone, None)
                self._sparse.pop(gone, None)
        cache[i] = found
        return found

    def _read(self, start: int, end: int) -> bytes:
        """Bytes ``start:end`` of the file, through a descriptor opened on
        the first read and kept while the table is (opening the file for
        every block cost as much as decompressing it: ~17 µs of ~45). A
        positioned read shares no file offset, so forked workers may use it
        at once; without ``os.pread`` the file is opened each time."""
        if _PREAD is None:
            with open(self.path, "rb") as fh:
                fh.seek(start)
                return fh.read(end - start)
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            weakref.finalize(self, os.close, self._fd)
        return _PREAD(self._fd, end - start, start)

    def line(self, key: str) -> str | None:
        """The line whose key is ``key``, else None: a binary search in the
        one block that may hold it (decompressed once, never split).

        Answers are remembered (up to :data:`MEMO_SIZE` keys): a collection
        asks for the same organisms, chemicals and genes over and over."""
        return _remember(self._memo, key, self._search)

    def _search(self, key: str) -> str | None:
        if "\n" in key or (self._tsv and "\t" in key):
            return None  # no line has that key
        i = bisect_right(self._keys, key) - 1
        if i < 0:
            return None
        text = self._block(i)
        sparse = self._sparse.get(i)
        if sparse is None:
            n = self._searched.get(i, 0) + 1
            if n < INDEX_AFTER:
                self._searched[i] = n
                return self._bisect(text, key)
            sparse = self._sparse[i] = self._index(text)
        keys, starts = sparse
        j = bisect_right(keys, key) - 1
        if j < 0:
            return None
        lo = starts[j]
        hi = starts[j + 1] if j + 1 < len(starts) else len(text)
        # the line that starts at ``lo`` or after a newline before ``hi``, whose
        # key is ``key``: the key then a tab (tsv) or the end of the line
        for end_of_key in ("\t", "\n") if self._tsv else ("\n",):
            probe = key + end_of_key
            if text.startswith(probe, lo):
                start = lo
            else:
                start = text.find("\n" + probe, lo, hi) + 1
                if not start:
                    continue
            end = text.find("\n", start)
            return text[start:end] if end >= 0 else text[start:]
        return None

    def _index(self, text: str) -> tuple[list[str], list[int]]:
        """The key and start of every :data:`SPARSE_STRIDE`-th line of a block."""
        keys: list[str] = []
        starts: list[int] = []
        tsv, n, find, pos = self._tsv, len(text), text.find, 0
        while pos < n:
            end = find("\n", pos)
            if end < 0:
                end = n
            tab = find("\t", pos, end) if tsv else -1
            keys.append(text[pos : end if tab < 0 else tab])
            starts.append(pos)
            for _ in range(SPARSE_STRIDE - 1):
                if end >= n:
                    break
                end = find("\n", end + 1)
                if end < 0:
                    end = n
            pos = end + 1
        return keys, starts

    def _bisect(self, text: str, key: str) -> str | None:
        """The line of ``text`` (one block) whose key is ``key``: a binary search."""
        tsv = self._tsv
        lo, hi = 0, len(text)  # lo is always the start of a line
        while lo < hi:
            mid = (lo + hi) // 2
            nl = text.rfind("\n", lo, mid)
            start = lo if nl < 0 else nl + 1
            end = text.find("\n", start)
            if end < 0:
                end = len(text)
            line = text[start:end]
            k = line.split("\t", 1)[0] if tsv else line
            if k == key:
                return line
            if k < key:
                lo = end + 1
            else:
                hi = start
        return None

    def text(self) -> str:
        """The whole text (decompresses every block)."""
        return gzip.decompress(self.path.read_bytes()).decode("utf-8")


# --------------------------------------------------------------------------
# HGNC


class Gene(NamedTuple):
    """One approved HGNC gene.  (Named tuples, not dataclasses, in this
    module: they are built at import, which the rules pay on first use.)"""

    symbol: str
    hgnc_id: str  # "HGNC:5"
    entrez: str  # NCBI Gene id, "" when HGNC gives none
    name: str
    locus_group: str  # "protein-coding gene", "non-coding RNA", "pseudogene", ...
    aliases: tuple[str, ...]
    prev: tuple[str, ...]  # previous symbols


class Withdrawn(NamedTuple):
    """A withdrawn HGNC symbol: ``(successors, True)``.

    ``successors`` are the current approved symbols HGNC points to ("symbol
    withdrawn, see HGNC:x"); empty for "entry withdrawn" and for successors
    that are no longer approved themselves.
    """

    successors: list[str]
    withdrawn: bool = True


_KEY_KINDS = ("symbol", "alias", "previous", "stem")


class HGNC:
    """Approved HGNC genes, their aliases and previous symbols, withdrawn symbols.

    Symbols are compared exactly (HGNC symbols are case-sensitive:
    ``C1orf112``).  Build with :func:`hgnc`; :meth:`with_synonyms` adds alias
    tables such as NCBI Gene's synonyms.
    """

    def __init__(
        self,
        rows: Mapping[str, str] | None,
        withdrawn_path: Path | None = None,
        extra_aliases: Mapping[str, frozenset[str]] | None = None,
        blocks: BlockedGzip | None = None,
        keys: BlockedGzip | None = None,
    ):
        # symbol -> its snapshot line "symbol, hgnc_id, entrez, name, locus_group,
        # aliases, prev" (tab-separated; split on demand: loading stays fast).
        # With ``blocks`` (a blocked snapshot) the dict is built only when a
        # question needs every row; approved() reads one block.
        self._rows: dict[str, str] | None = dict(rows) if rows is not None else None
        self._blocks = blocks
        if self._rows is None and blocks is None:
            raise ValueError("HGNC: rows or blocks are required")
        self._withdrawn_path = withdrawn_path
        self._keys = keys  # hgnc_keys.tsv.gz, the name-key index (or None)
        self._key_index: dict[str, tuple[set[str], set[str], set[str], set[str]]] | None = None
        self._extra = dict(extra_aliases or {})
        self._extra_upper: dict[str, frozenset[str]] | None = None
        self._fields: list[list[str]] | None = None
        self._entrez: dict[str, str] | None = None
        self._ids: dict[str, str] | None = None
        self._upper: dict[str, list[str]] | None = None
        self._indexes: dict[tuple[int, bool], dict[str, list[str]]] = {}
        self._withdrawn: dict[str, Withdrawn] | None = None

    @classmethod
    def from_file(
        cls,
        path: PathLike,
        withdrawn_path: PathLike | None = None,
        keys_path: PathLike | None = None,
    ) -> HGNC:
        """Read an ``hgnc.tsv.gz`` snapshot (and, lazily, ``hgnc_withdrawn.tsv.gz``
        and the name-key index ``hgnc_keys.tsv.gz``).

        A blocked snapshot (:class:`BlockedGzip`) is opened, not read: rows
        are decompressed block by block as they are asked for."""
        withdrawn = Path(withdrawn_path) if withdrawn_path is not None else None
        keys = BlockedGzip.open(keys_path) if keys_path is not None else None
        blocks = BlockedGzip.open(path)
        if blocks is not None:
            header = blocks._block(0).partition("\n")[0] if blocks.blocks else ""
            cls._check_header(path, header)
            return cls(None, withdrawn, blocks=blocks, keys=keys)
        text = _read_text(Path(path))
        header, _, body = text.partition("\n")
        cls._check_header(path, header)
        rows = {line[: line.index("\t")]: line for line in body.splitlines() if line}
        return cls(rows, withdrawn, keys=keys)

    @staticmethod
    def _check_header(path: PathLike, header: str) -> None:
        if header.count("\t") != 6 or not header.startswith("#symbol\t"):
            raise ValueError(f"{path}: not an HGNC snapshot (header {header[:80]!r})")

    def _all(self) -> dict[str, str]:
        """Every row, by symbol (reads a blocked snapshot whole, once)."""
        if self._rows is None:
            assert self._blocks is not None
            self._rows = {
                line[: line.index("\t")]: line
                for line in self._blocks.text().splitlines()
                if line and not line.startswith("#")
            }
        return self._rows

    def _line(self, symbol: object) -> str | None:
        if not isinstance(symbol, str) or not symbol:
            return None
        if self._rows is not None:
            return self._rows.get(symbol)
        if symbol.startswith("#") or "\t" in symbol or "\n" in symbol:
            return None
        assert self._blocks is not None
        return self._blocks.line(symbol)

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, symbol: object) -> bool:
        """``symbol in hgnc()``: is it an approved symbol?"""
        if not isinstance(symbol, str):
            return self._line(symbol) is not None
        return self.approved(symbol) is not None

    def symbols(self) -> Iterator[str]:
        """All approved symbols."""
        return iter(self._all())

    def genes(self) -> Iterator[Gene]:
        """Every approved gene (reads the whole table)."""
        return (self._gene(line) for line in self._all().values())

    @staticmethod
    def _split(line: str) -> list[str]:
        fields = line.split("\t")
        if len(fields) != 7:
            raise ValueError(f"HGNC snapshot: expected 7 columns in {line[:80]!r}")
        return fields

    def _table(self) -> list[list[str]]:
        """All rows split into fields (once, for the secondary indexes)."""
        if self._fields is None:
            self._fields = [self._split(line) for line in self._all().values()]
        return self._fields

    def _gene(self, line: str) -> Gene:
        fields = self._split(line)
        return Gene(
            fields[0],
            fields[1],
            fields[2],
            fields[3],
            fields[4],
            tuple(fields[5].split("|")) if fields[5] else (),
            tuple(fields[6].split("|")) if fields[6] else (),
        )

    def approved(self, symbol: str) -> Gene | None:
        """The gene whose approved symbol is ``symbol``, else None (memoised:
        records name the same genes again and again)."""
        if not isinstance(symbol, str):
            return None
        memo = self.__dict__.setdefault("_approved_memo", {})
        if symbol in memo:
            return memo[symbol]
        line = self._line(symbol)
        gene = memo[symbol] = self._gene(line) if line is not None else None
        return gene

    def named_by(self, key: str) -> dict[str, frozenset[str]]:
        """The genes a name with comparison key ``key`` (:func:`name_key`) may
        stand for: ``{"symbol": …, "alias": …, "previous": …, "stem": …}``,
        the approved symbols whose symbol, alias, previous symbol or stem
        (:func:`symbol_stem`) has that key.  Reads one block of
        ``hgnc_keys.tsv.gz``; without that index (a configured HGNC table
        alone), the index is computed from the whole table once (~1 s)."""
        empty = frozenset()
        if self._keys is not None:
            line = self._keys.line(key) if key and not key.startswith("#") else None
            if line is None:
                return dict.fromkeys(_KEY_KINDS, empty)
            fields = line.split("\t")[1:]
            return {
                kind: frozenset(f.split("|")) if f else empty for kind, f in zip(_KEY_KINDS, fields)
            }
        if self._key_index is None:
            index: dict[str, tuple[set[str], set[str], set[str], set[str]]] = {}
            for f in self._table():
                symbol = f[0]
                groups = (
                    (0, (symbol,)),
                    (1, f[5].split("|") if f[5] else ()),
                    (2, f[6].split("|") if f[6] else ()),
                )
                for i, names in groups:
                    for name in names:
                        k = name_key(name)
                        if k:
                            index.setdefault(k, (set(), set(), set(), set()))[i].add(symbol)
                stem = symbol_stem(symbol)
                if stem:
                    index.setdefault(stem, (set(), set(), set(), set()))[3].add(symbol)
            self._key_index = index
        found = self._key_index.get(key)
        if found is None:
            return dict.fromkeys(_KEY_KINDS, empty)
        return {kind: frozenset(names) for kind, names in zip(_KEY_KINDS, found)}

    def approved_ignoring_case(self, symbol: str) -> list[str]:
        """Approved symbols equal to ``symbol`` but for case (``il6`` -> ``IL6``)."""
        if self._keys is not None:
            found = self.named_by(name_key(symbol))["symbol"]
            return sorted(s for s in found if s.upper() == symbol.upper())
        if self._upper is None:
            upper: dict[str, list[str]] = {}
            for name in self._all():
                upper.setdefault(name.upper(), []).append(name)
            self._upper = upper
        return list(self._upper.get(symbol.upper(), ()))

    def by_entrez(self, entrez: str | int) -> Gene | None:
        """The approved gene with this NCBI Gene (Entrez) id, else None."""
        if self._entrez is None:
            self._entrez = {f[2]: f[0] for f in self._table() if f[2]}
        symbol = self._entrez.get(str(entrez).strip())
        return self.approved(symbol) if symbol is not None else None

    def by_hgnc_id(self, hgnc_id: str) -> Gene | None:
        """The approved gene with this HGNC id (``HGNC:5`` or ``5``), else None."""
        if self._ids is None:
            self._ids = {f[1]: f[0] for f in self._table()}
        key = hgnc_id if hgnc_id.startswith("HGNC:") else f"HGNC:{hgnc_id}"
        symbol = self._ids.get(key)
        return self.approved(symbol) if symbol is not None else None

    def _index(self, column: int, ignore_case: bool) -> dict[str, list[str]]:
        key = (column, ignore_case)
        index = self._indexes.get(key)
        if index is None:
            index = {}
            for fields in self._table():
                if fields[column]:
                    for name in fields[column].split("|"):
                        index.setdefault(name.upper() if ignore_case else name, []).append(
                            fields[0]
                        )
            self._indexes[key] = index
        return index

    def symbols_for_alias(
        self, alias: str, *, extra: bool = True, ignore_case: bool = False
    ) -> frozenset[str]:
        """Approved symbols that have ``alias`` as an alias symbol.

        Often more than one gene (1,097 HGNC aliases are ambiguous).
        ``extra=False`` leaves out the configured extra synonym tables (to tell
        "HGNC alias" from "only an NCBI synonym"); ``ignore_case=True`` compares
        upper-cased (PFOCR's sidecar ``match`` column is upper case, HGNC has
        ``p62``).
        """
        key = alias.upper() if ignore_case else alias
        if self._keys is not None:
            found = self._by_name(alias, "alias", ignore_case)
        else:
            found = frozenset(self._index(5, ignore_case).get(key, ()))
        if extra and self._extra:
            if ignore_case:
                if self._extra_upper is None:
                    upper: dict[str, frozenset[str]] = {}
                    for synonym, symbols in self._extra.items():
                        upper[synonym.upper()] = upper.get(synonym.upper(), frozenset()) | symbols
                    self._extra_upper = upper
                found |= self._extra_upper.get(key, frozenset())
            else:
                found |= self._extra.get(alias, frozenset())
        return found

    def symbols_for_prev(self, prev: str, *, ignore_case: bool = False) -> frozenset[str]:
        """Approved symbols that have ``prev`` as a previous symbol."""
        if self._keys is not None:
            return self._by_name(prev, "previous", ignore_case)
        key = prev.upper() if ignore_case else prev
        return frozenset(self._index(6, ignore_case).get(key, ()))

    def _by_name(self, name: str, kind: str, ignore_case: bool) -> frozenset[str]:
        """Alias / previous-symbol lookup through the name-key index: the
        candidates sharing the key, checked against their own rows."""
        want = name.upper() if ignore_case else name
        out = set()
        for symbol in self.named_by(name_key(name))[kind]:
            gene = self.approved(symbol)
            names = (gene.aliases if kind == "alias" else gene.prev) if gene else ()
            if any((n.upper() if ignore_case else n) == want for n in names):
                out.add(symbol)
        return frozenset(out)

    def withdrawn(self, symbol: str) -> Withdrawn | None:
        """``(successors, True)`` if HGNC withdrew ``symbol``, else None.

        A few withdrawn symbols were later approved again for another gene:
        check :meth:`approved` first.
        """
        if self._withdrawn is None:
            self._withdrawn = self._load_withdrawn()
        found = self._withdrawn.get(symbol)
        return Withdrawn(list(found.successors)) if found is not None else None  # a copy

    def _load_withdrawn(self) -> dict[str, Withdrawn]:
        out: dict[str, list[str]] = {}
        if self._withdrawn_path is None:
            return {}
        for line in _data_lines(_read_text(self._withdrawn_path)):
            fields = line.split("\t")
            successors = out.setdefault(fields[0], [])
            for name in fields[4].split("|") if len(fields) > 4 and fields[4] else ():
                if name not in successors:
                    successors.append(name)
        return {symbol: Withdrawn(successors) for symbol, successors in out.items()}

    def current_symbols(self, symbol: str) -> list[str]:
        """What ``symbol`` is called now: itself if approved, else the genes that
        have it as a previous symbol, else its withdrawal successors; [] if unknown."""
        if symbol in self:
            return [symbol]
        prev = self.symbols_for_prev(symbol)
        if prev:
            return sorted(prev)
        gone = self.withdrawn(symbol)
        return list(gone.successors) if gone else []

    def with_synonyms(self, *tables: PathLike | Mapping[str, Iterable[str]]) -> HGNC:
        """A copy whose :meth:`symbols_for_alias` also knows these alias tables.

        Each table is a path (see :func:`read_gene_synonyms`) or a mapping
        synonym -> symbols.  The original object is unchanged.
        """
        extra = {k: set(v) for k, v in self._extra.items()}
        for table in tables:
            pairs = read_gene_synonyms(table) if not isinstance(table, Mapping) else table
            for synonym, symbols in pairs.items():
                extra.setdefault(synonym, set()).update(symbols)
        clone = HGNC(
            self._rows,
            self._withdrawn_path,
            {k: frozenset(v) for k, v in extra.items()},
            blocks=self._blocks,
            keys=self._keys,
        )
        clone._fields, clone._entrez, clone._ids = self._fields, self._entrez, self._ids
        clone._upper = self._upper
        clone._indexes = self._indexes
        clone._withdrawn = self._withdrawn
        return clone


def read_gene_synonyms(path: PathLike) -> dict[str, frozenset[str]]:
    """Read an alias table: ``symbol<TAB>synonym`` per line -> {synonym: {symbols}}.

    Blank lines and ``#`` lines are skipped, as is a first line
    ``symbol<TAB>synonym``; gzip/xz by suffix.  Several synonyms of one symbol
    may also be given ``|``-separated in the second column.
    """
    out: dict[str, set[str]] = {}
    for n, line in enumerate(_read_text(Path(path)).splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) < 2:
            raise ValueError(f"{path}:{n + 1}: expected 'symbol<TAB>synonym'")
        if n == 0 and fields[0].lower() == "symbol":
            continue
        for synonym in fields[1].split("|"):
            if synonym and fields[0]:
                out.setdefault(synonym, set()).add(fields[0])
    return {k: frozenset(v) for k, v in out.items()}


# --------------------------------------------------------------------------
# FamPlex


def _strip_suffix(name: str) -> str:
    for suffix in _FAMILY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class FamPlex:
    """Gene families (FamPlex ``bioentities_symbol``) -> member HGNC symbols.

    Membership is the transitive closure of FamPlex isa/partof, with members
    resolved to current HGNC symbols.  Names are looked up exactly, then with
    ``_family`` / ``_complex`` stripped (``IKK`` -> ``IKK_family`` and
    ``IKK_complex``, whose members are united).  :meth:`merged` adds other
    family tables (e.g. the legacy PFOCR 2018 one, with ``AC`` or ``Gq``).
    """

    def __init__(self, families: Mapping[str, frozenset[str]], unresolved: Mapping | None = None):
        self._families = dict(families)
        stripped: dict[str, set[str]] = {}
        for name, members in self._families.items():
            short = _strip_suffix(name)
            if short != name and short not in self._families:
                stripped.setdefault(short, set()).update(members)
        self._stripped = {k: frozenset(v) for k, v in stripped.items()}
        self._upper: dict[str, frozenset[str]] | None = None
        self._of: dict[str, tuple[str, ...]] | None = None  # see families_of
        #: family -> member ids a merged table named that could not be resolved
        self.unresolved: dict[str, frozenset[str]] = dict(unresolved or {})

    @classmethod
    def from_file(cls, path: PathLike) -> FamPlex:
        """Read a ``famplex.tsv.gz`` snapshot (``family<TAB>member|member``)."""
        families = {}
        for line in _data_lines(_read_text(Path(path))):
            name, _, members = line.partition("\t")
            families[name] = frozenset(members.split("|")) if members else frozenset()
        return cls(families)

    def __len__(self) -> int:
        return len(self._families)

    def __contains__(self, family: object) -> bool:
        return isinstance(family, str) and self.members(family) is not None

    def families(self) -> list[str]:
        """Family names as stored (without the stripped variants), sorted."""
        return sorted(self._families)

    def members(self, family: str, *, ignore_case: bool = False) -> frozenset[str] | None:
        """Member symbols of ``family``; None if the family is unknown.

        An empty set means a known family without HGNC members.
        ``ignore_case=True`` also finds ``WNT`` for ``Wnt`` (PFOCR's sidecar
        ``match`` column is upper case); names differing only in case are
        united then.
        """
        found = self._families.get(family)
        if found is None:
            found = self._stripped.get(family)
        if found is None and ignore_case:
            if self._upper is None:
                upper: dict[str, set[str]] = {}
                for table in (self._stripped, self._families):
                    for name, members in table.items():
                        upper.setdefault(name.upper(), set()).update(members)
                self._upper = {k: frozenset(v) for k, v in upper.items()}
            found = self._upper.get(family.upper())
        return found

    def as_mapping(self) -> dict[str, frozenset[str]]:
        """The stored families (without the stripped variants)."""
        return dict(self._families)

    def families_of(self, symbol: str, max_members: int | None = None) -> list[str]:
        """Names of the stored families that contain ``symbol``, sorted; with
        ``max_members``, only the families of at most that many members. (An
        index from member to families is built on the first call.)"""
        if self._of is None:
            of: dict[str, list[str]] = {}
            for name in sorted(self._families):
                for member in self._families[name]:
                    of.setdefault(member, []).append(name)
            self._of = {member: tuple(names) for member, names in of.items()}
        found = self._of.get(symbol, ())
        if max_members is not None:
            return [f for f in found if len(self._families[f]) <= max_members]
        return list(found)

    def merged(
        self, *tables: PathLike | Mapping[str, Iterable[str]], genes: HGNC | None = None
    ) -> FamPlex:
        """A copy with other family tables added (members of a shared name are united).

        A table is a mapping family -> symbols, or a path read by
        :func:`read_family_table` (Entrez ids are turned into current HGNC
        symbols with ``genes``, default :func:`hgnc`).  Ids that resolve to no
        approved gene are kept in :attr:`unresolved`.
        """
        families = {k: set(v) for k, v in self._families.items()}
        unresolved = {k: set(v) for k, v in self.unresolved.items()}
        for table in tables:
            if isinstance(table, Mapping):
                extra, missing = {k: set(v) for k, v in table.items()}, {}
            else:
                extra, missing = read_family_table(table, genes if genes is not None else hgnc())
            for name, members in extra.items():
                families.setdefault(name, set()).update(members)
            for name, ids in missing.items():
                unresolved.setdefault(name, set()).update(ids)
        return FamPlex(
            {k: frozenset(v) for k, v in families.items()},
            {k: frozenset(v) for k, v in unresolved.items()},
        )


_FAMILY_COLUMNS = ("family", "bioentities", "bioentities_symbol", "fplx")
_ENTREZ_COLUMNS = ("entrez_id", "entrez", "ncbigene_id", "gene_id")
_SYMBOL_COLUMNS = ("symbol", "hgnc_symbol", "member")


def read_family_table(
    path: PathLike, genes: HGNC
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Read a family table -> ({family: symbols}, {family: unresolved ids}).

    CSV (or TSV for ``.tsv`` files) with a header naming a family column
    (``bioentities``, ``family``, ...) and a member column: Entrez ids
    (``entrez_id``, ...; mapped to current symbols with ``genes``) or symbols
    (``symbol``, ``hgnc_symbol``; taken as they are).  E.g. PFOCR's 2018
    ``entrez_id,bioentities`` table.
    """
    path = Path(path)
    text = _read_text(path)
    delimiter = "\t" if ".tsv" in path.suffixes else ","
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    fam_col = next((h for h in _FAMILY_COLUMNS if h in header), None)
    id_col = next((h for h in _ENTREZ_COLUMNS if h in header), None)
    sym_col = next((h for h in _SYMBOL_COLUMNS if h in header), None)
    if fam_col is None or (id_col is None and sym_col is None):
        raise ValueError(
            f"{path}: need a family column {_FAMILY_COLUMNS} and a member column "
            f"{_ENTREZ_COLUMNS + _SYMBOL_COLUMNS}; got {reader.fieldnames}"
        )
    families: dict[str, set[str]] = {}
    unresolved: dict[str, set[str]] = {}
    for raw in reader:
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        family = row[fam_col]
        if not family:
            continue
        members = families.setdefault(family, set())
        if id_col is not None and row.get(id_col):
            gene = genes.by_entrez(row[id_col])
            if gene is not None:
                members.add(gene.symbol)
            else:
                unresolved.setdefault(family, set()).add(row[id_col])
        elif sym_col is not None and row.get(sym_col):
            members.add(row[sym_col])
    return families, unresolved


# --------------------------------------------------------------------------
# sorted name lists (MeSH ids, taxonomy names)


class NameSet:
    """A sorted, newline-separated list of names held as one bytes object.

    ``name in names`` is a binary search over the text: no per-name objects,
    so a million names cost their compressed file's decompression only.  A
    blocked gzip file (:class:`BlockedGzip`) is not even decompressed: a
    lookup reads the one block that may hold the name.  Answers are
    remembered (up to :data:`MEMO_SIZE` names).
    """

    def __init__(self, data: bytes, blocks: BlockedGzip | None = None):
        if data and not data.endswith(b"\n"):
            data += b"\n"
        self._data = data
        self._blocks = blocks
        self._len: int | None = None
        self._memo: dict[str, bool] = {}  # name -> answer, see __contains__

    @classmethod
    def from_file(cls, path: PathLike) -> NameSet:
        """Read a sorted one-name-per-line file (plain, gzip or xz by suffix;
        a blocked gzip file is opened, not read)."""
        path = Path(path)
        blocks = BlockedGzip.open(path)
        if blocks is not None:
            return cls(b"", blocks)
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".xz":
            import lzma

            data = lzma.decompress(data)
        return cls(data)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return _remember(self._memo, name, self._search)

    def _search(self, name: str) -> bool:
        if not name or "\n" in name:
            return False
        if self._blocks is not None:
            return self._blocks.line(name) == name
        key = name.encode("utf-8")
        data = self._data
        lo, hi = 0, len(data)  # lo is always the start of a line
        while lo < hi:
            mid = (lo + hi) // 2
            nl = data.rfind(b"\n", lo, mid)
            start = lo if nl < 0 else nl + 1
            end = data.index(b"\n", start)
            line = data[start:end]
            if line == key:
                return True
            if line < key:
                lo = end + 1
            else:
                hi = start
        return False

    def __len__(self) -> int:
        if self._len is None:
            if self._blocks is not None:
                self._len = len(self._blocks)
            else:
                self._len = self._data.count(b"\n")
        return self._len

    def __iter__(self) -> Iterator[str]:
        if self._blocks is not None:
            return iter(self._blocks.text().splitlines())
        return iter(self._data.decode("utf-8").splitlines())


# --------------------------------------------------------------------------
# loaders


@functools.cache
def hgnc() -> HGNC:
    """Approved HGNC genes (44,997 in the shipped 2026-06-20 snapshot), plus the
    configured extra gene-synonym tables.  Loads on first call, then cached."""
    table = HGNC.from_file(table_path("hgnc"), table_path("hgnc_withdrawn"), _keys_path())
    if _settings.gene_synonyms:
        table = table.with_synonyms(*_settings.gene_synonyms)
    return table


@functools.cache
def famplex() -> FamPlex:
    """FamPlex families (783 in famplex 0.0.5), merged with PFOCR's 2018
    families (``pfocr_families.tsv.gz``: ``AC``, ``Gq``, ``CALCINEURIN``...,
    when the file is there) and the configured extra family tables.  Loads on
    first call, then cached."""
    table = FamPlex.from_file(table_path("famplex"))
    legacy = table_path("pfocr_families")
    if legacy.is_file():
        # a 2018 name FamPlex holds only with _family/_complex (IKK) keeps those members
        extra = FamPlex.from_file(legacy).as_mapping()
        table = table.merged(
            {
                name: members | (table.members(name) or frozenset())
                for name, members in extra.items()
            }
        )
    if _settings.family_tables:
        table = table.merged(*_settings.family_tables)
    return table


@functools.cache
def mesh() -> NameSet:
    """MeSH ids (``D000001``, ``C540383``, ``Q000008``): ``"C540383" in mesh()``."""
    return NameSet.from_file(table_path("mesh"))


@functools.cache
def taxonomy() -> NameSet:
    """NCBI Taxonomy scientific names (a subset, see SOURCES.json):
    ``"Homo sapiens" in taxonomy()``."""
    return NameSet.from_file(table_path("taxonomy"))


@functools.cache
def taxonomy_renamed() -> dict[str, tuple[str, str, str]]:
    """Outdated organism names (MeSH organism headings and entry terms that
    are no NCBI scientific name) -> (the name NCBI gives their taxon, its
    taxid, the MeSH descriptor): ``taxonomy_renamed()["Propionibacterium
    acnes"][0] == "Cutibacterium acnes"``. A missing table reads as empty."""
    try:
        text = _read_text(table_path("taxonomy_renamed"))
    except (OSError, EOFError, UnicodeDecodeError):
        return {}
    table = {}
    for line in _data_lines(text):
        f = line.split("\t")
        if len(f) == 4:
            table[f[0]] = (f[1], f[2], f[3])
    return table


@functools.cache
def sources() -> dict:
    """Provenance of the snapshots: the parsed ``SOURCES.json``."""
    import json

    return json.loads(table_path("sources").read_text(encoding="utf-8"))


_LOADERS = (hgnc, famplex, mesh, taxonomy, taxonomy_renamed, sources)


def loaded() -> list[str]:
    """Names of the tables loaded so far (for diagnostics and tests)."""
    return [f.__name__ for f in _LOADERS if f.cache_info().currsize]


# which source files a table's snapshot date comes from (SOURCES.json)
_DATE_FILES = {
    "hgnc": ("hgnc_complete_set",),
    "hgnc_withdrawn": ("hgnc_entries",),
    "famplex": ("relations.csv",),
    "mesh": ("mesh",),
    "taxonomy": ("sn2taxid",),
}


def snapshot_dates(table: str) -> list[str]:
    """The snapshot dates of the source files a table was built from, oldest
    first (``mesh`` -> ``['2024', '2026-01-27']``); [] when unknown (a
    configured table whose SOURCES.json does not say)."""
    try:
        manifest = sources()
    except (OSError, ValueError):
        return []
    known = _DATES_MEMO.get(table)
    if known is not None and known[0] is manifest:  # the same loaded SOURCES.json
        return list(known[1])
    dates = set()
    for src in (manifest.get("sources") or {}).values():
        for name, info in (src.get("files") or {}).items():
            if any(part in name for part in _DATE_FILES.get(table, ())) and info.get(
                "snapshot_date"
            ):
                dates.add(str(info["snapshot_date"]))
    _DATES_MEMO[table] = (manifest, sorted(dates))
    return sorted(dates)


# table -> (the SOURCES.json it was read from, its snapshot dates): a message
# per unknown name repeats them
_DATES_MEMO: dict[str, tuple[dict, list[str]]] = {}


def from_context(ctx) -> object:
    """This module, configured once per linter context from its options.

    The rules call it (``reference.from_context(ctx).hgnc()``): the
    ``reference`` table of the configuration (``ctx.options["reference"]``,
    keys as :func:`configure_from_options` takes them, relative paths against
    ``ctx.settings.config_root``) is applied the first time a rule of the
    context asks, through ``ctx.resource``; a context without that table
    restores the shipped snapshots. Tables already loaded for the same
    configuration (another context of the same run) are kept.
    """

    def factory():
        options = ctx.options.get("reference") or {}
        root = ctx.settings.config_root
        configure_from_options(options, root=None if root is None else str(root), keep_loaded=True)
        return sys.modules[__name__]

    return ctx.resource("reference", factory)
