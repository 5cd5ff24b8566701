"""Offline reference data for the gene, chemical and organism rules.

GN103-GN106 check genes against HGNC and FamPlex, CH102 checks MeSH ids and
MD107 checks organism names against NCBI Taxonomy.  The data ships as small
text snapshots in ``linter/refdata/`` (built by
``tools/build_reference_data.py``; provenance in ``refdata/SOURCES.json``).

Nothing is read at import time: each table loads on first use and is cached
(``hgnc()``, ``famplex()``, ``mesh()``, ``taxonomy()``, ``sources()``), so a
run whose selected rules need no reference data never pays for it.  Only the
standard library is used.

Every snapshot lags the live databases: "not found" should be a warning;
"malformed", "not approved" or "mismatched" may be an error.

Fresher snapshots and extra tables are configured with :func:`configure`
(or :func:`configure_from_options` for the ``reference`` table of the
linter's configuration)::

    configure(data_dir="refdata-2027")                  # another build's output folder
    configure(hgnc="hgnc-2027.tsv.gz")                   # one table only
    configure(family_tables=["pfocr_2018_bioentities.csv"])  # legacy PFOCR families
    configure(gene_synonyms=["ncbi_synonyms.tsv"])       # extra alias -> symbol pairs
    configure()                                          # back to the shipped data
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import lzma
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

__all__ = [
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
    "hgnc",
    "loaded",
    "mesh",
    "read_family_table",
    "read_gene_synonyms",
    "sources",
    "table_path",
    "taxonomy",
]

#: The shipped snapshots.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "refdata"

#: Table name -> file name inside a data directory.
TABLE_FILES = {
    "hgnc": "hgnc.tsv.gz",
    "hgnc_withdrawn": "hgnc_withdrawn.tsv.gz",
    "famplex": "famplex.tsv.gz",
    "mesh": "mesh_ids.txt.xz",
    "taxonomy": "taxonomy_names.txt.gz",
    "sources": "SOURCES.json",
}

_FAMILY_SUFFIXES = ("_family", "_complex")

PathLike = str | os.PathLike


# --------------------------------------------------------------------------
# configuration


@dataclass(frozen=True)
class _Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    tables: Mapping[str, Path] = field(default_factory=dict)
    gene_synonyms: tuple[Path, ...] = ()
    family_tables: tuple[Path, ...] = ()


_settings = _Settings()


def configure(
    *,
    data_dir: PathLike | None = None,
    hgnc: PathLike | None = None,
    hgnc_withdrawn: PathLike | None = None,
    famplex: PathLike | None = None,
    mesh: PathLike | None = None,
    taxonomy: PathLike | None = None,
    sources: PathLike | None = None,
    gene_synonyms: Iterable[PathLike] = (),
    family_tables: Iterable[PathLike] = (),
) -> None:
    """Choose the data the loaders read, and forget everything loaded so far.

    Each call replaces the whole configuration; ``configure()`` with no
    argument restores the shipped snapshots.

    - ``data_dir``: a folder holding snapshot files under their usual names
      (:data:`TABLE_FILES`), e.g. the ``--out`` of a newer build.
    - ``hgnc``, ``hgnc_withdrawn``, ``famplex``, ``mesh``, ``taxonomy``,
      ``sources``: one file each, in the snapshot format (gzip, xz or plain
      text), overriding that table only.
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
            ("hgnc_withdrawn", hgnc_withdrawn),
            ("famplex", famplex),
            ("mesh", mesh),
            ("taxonomy", taxonomy),
            ("sources", sources),
        )
        if path is not None
    }
    _settings = _Settings(
        data_dir=Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR,
        tables=tables,
        gene_synonyms=tuple(Path(p) for p in gene_synonyms),
        family_tables=tuple(Path(p) for p in family_tables),
    )
    for loader in _LOADERS:
        loader.cache_clear()


#: Keys accepted by :func:`configure_from_options` (the config's ``reference`` table).
OPTION_KEYS = {
    "data-dir": "data_dir",
    "hgnc": "hgnc",
    "hgnc-withdrawn": "hgnc_withdrawn",
    "famplex": "famplex",
    "mesh": "mesh",
    "taxonomy": "taxonomy",
    "sources": "sources",
    "gene-synonyms": "gene_synonyms",
    "family-tables": "family_tables",
}


def configure_from_options(options: Mapping[str, object], root: PathLike | None = None) -> None:
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
    configure(**kwargs)  # type: ignore[arg-type]


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
        data = lzma.decompress(data)
    return data.decode("utf-8")


def _data_lines(text: str) -> Iterator[str]:
    """Lines of a snapshot table, without the ``#`` header/comment lines."""
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line


# --------------------------------------------------------------------------
# HGNC


@dataclass(frozen=True, slots=True)
class Gene:
    """One approved HGNC gene."""

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


class HGNC:
    """Approved HGNC genes, their aliases and previous symbols, withdrawn symbols.

    Symbols are compared exactly (HGNC symbols are case-sensitive:
    ``C1orf112``).  Build with :func:`hgnc`; :meth:`with_synonyms` adds alias
    tables such as NCBI Gene's synonyms.
    """

    def __init__(
        self,
        rows: dict[str, str],
        withdrawn_path: Path | None = None,
        extra_aliases: Mapping[str, frozenset[str]] | None = None,
    ):
        # symbol -> its snapshot line "symbol, hgnc_id, entrez, name, locus_group,
        # aliases, prev" (tab-separated; split on demand: loading stays fast)
        self._rows = rows
        self._withdrawn_path = withdrawn_path
        self._extra = dict(extra_aliases or {})
        self._extra_upper: dict[str, frozenset[str]] | None = None
        self._fields: list[list[str]] | None = None
        self._entrez: dict[str, str] | None = None
        self._ids: dict[str, str] | None = None
        self._indexes: dict[tuple[int, bool], dict[str, list[str]]] = {}
        self._withdrawn: dict[str, Withdrawn] | None = None

    @classmethod
    def from_file(cls, path: PathLike, withdrawn_path: PathLike | None = None) -> HGNC:
        """Read an ``hgnc.tsv.gz`` snapshot (and, lazily, ``hgnc_withdrawn.tsv.gz``)."""
        text = _read_text(Path(path))
        header, _, body = text.partition("\n")
        if header.count("\t") != 6 or not header.startswith("#symbol\t"):
            raise ValueError(f"{path}: not an HGNC snapshot (header {header[:80]!r})")
        rows = {line[: line.index("\t")]: line for line in body.splitlines() if line}
        return cls(rows, Path(withdrawn_path) if withdrawn_path is not None else None)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, symbol: object) -> bool:
        """``symbol in hgnc()``: is it an approved symbol?"""
        return symbol in self._rows

    def symbols(self) -> Iterator[str]:
        """All approved symbols."""
        return iter(self._rows)

    @staticmethod
    def _split(line: str) -> list[str]:
        fields = line.split("\t")
        if len(fields) != 7:
            raise ValueError(f"HGNC snapshot: expected 7 columns in {line[:80]!r}")
        return fields

    def _table(self) -> list[list[str]]:
        """All rows split into fields (once, for the secondary indexes)."""
        if self._fields is None:
            self._fields = [self._split(line) for line in self._rows.values()]
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
        """The gene whose approved symbol is ``symbol``, else None."""
        line = self._rows.get(symbol)
        return self._gene(line) if line is not None else None

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
        key = prev.upper() if ignore_case else prev
        return frozenset(self._index(6, ignore_case).get(key, ()))

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
        if symbol in self._rows:
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
        clone = HGNC(self._rows, self._withdrawn_path, {k: frozenset(v) for k, v in extra.items()})
        clone._fields, clone._entrez, clone._ids = self._fields, self._entrez, self._ids
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

    def members(self, family: str) -> frozenset[str] | None:
        """Member symbols of ``family``; None if the family is unknown.

        An empty set means a known family without HGNC members.
        """
        found = self._families.get(family)
        if found is None:
            found = self._stripped.get(family)
        return found

    def families_of(self, symbol: str) -> list[str]:
        """Names of the stored families that contain ``symbol``, sorted."""
        return sorted(name for name, members in self._families.items() if symbol in members)

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
    so a million names cost their compressed file's decompression only.
    """

    def __init__(self, data: bytes):
        if data and not data.endswith(b"\n"):
            data += b"\n"
        self._data = data
        self._len: int | None = None

    @classmethod
    def from_file(cls, path: PathLike) -> NameSet:
        """Read a sorted one-name-per-line file (plain, gzip or xz by suffix)."""
        path = Path(path)
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".xz":
            data = lzma.decompress(data)
        return cls(data)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or not name or "\n" in name:
            return False
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
            self._len = self._data.count(b"\n")
        return self._len

    def __iter__(self) -> Iterator[str]:
        return iter(self._data.decode("utf-8").splitlines())


# --------------------------------------------------------------------------
# loaders


@functools.cache
def hgnc() -> HGNC:
    """Approved HGNC genes (44,997 in the shipped 2026-06-20 snapshot), plus the
    configured extra gene-synonym tables.  Loads on first call, then cached."""
    table = HGNC.from_file(table_path("hgnc"), table_path("hgnc_withdrawn"))
    if _settings.gene_synonyms:
        table = table.with_synonyms(*_settings.gene_synonyms)
    return table


@functools.cache
def famplex() -> FamPlex:
    """FamPlex families (783 in famplex 0.0.5), merged with the configured extra
    family tables.  Loads on first call, then cached."""
    table = FamPlex.from_file(table_path("famplex"))
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
def sources() -> dict:
    """Provenance of the snapshots: the parsed ``SOURCES.json``."""
    return json.loads(table_path("sources").read_text(encoding="utf-8"))


_LOADERS = (hgnc, famplex, mesh, taxonomy, sources)


def loaded() -> list[str]:
    """Names of the tables loaded so far (for diagnostics and tests)."""
    return [f.__name__ for f in _LOADERS if f.cache_info().currsize]
