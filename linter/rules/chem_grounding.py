"""CH105: a chemical grounded to something its word does not name."""

from __future__ import annotations

import re

from linter.base.model import Problem
from linter.base.values import clip, quote
from linter.knowledge.abbreviations import caption_abbreviations
from linter.reading.fields import caption as record_caption
from linter.rules.chem import _at, _entries, _sidecar
from linter.rules.registry import rule

# IUPAC-IUB three-letter codes of the amino acids (a general fact of chemistry)
AMINO_ACIDS = {
    "Ala": "alanine", "Arg": "arginine", "Asn": "asparagine", "Asp": "aspartic acid",
    "Cys": "cysteine", "Gln": "glutamine", "Glu": "glutamic acid", "Gly": "glycine",
    "His": "histidine", "Ile": "isoleucine", "Leu": "leucine", "Lys": "lysine",
    "Met": "methionine", "Phe": "phenylalanine", "Pro": "proline", "Ser": "serine",
    "Thr": "threonine", "Trp": "tryptophan", "Tyr": "tyrosine", "Val": "valine",
    "Sec": "selenocysteine", "Pyl": "pyrrolysine", "Orn": "ornithine",
}  # fmt: skip
_CODES = frozenset(AMINO_ACIDS)
# `Glycerol-3-P`, `glucose 6-phosphate`, `Acetyl-CoA`: a parent compound and a
# group the word adds (phosphates, coenzyme A, sulfate)
_GROUPS = {
    "p": "phosphate", "phosphate": "phosphate", "pp": "diphosphate",
    "diphosphate": "diphosphate", "bisphosphate": "bisphosphate", "coa": "CoA",
    "sulfate": "sulfate", "so4": "sulfate",
}  # fmt: skip
_WITH_GROUP = re.compile(
    r"(?i)^(?P<stem>[A-Za-z][\w'-]*?)[- ](?:(?P<loc>[0-9][0-9,'′]*)-)?(?P<group>[A-Za-z0-9]+)$"
)
_KINDS_NOT_CHEMICAL = (
    "process",
    "component",
    "disease",
    "cell",
    "technique",
    "anatomy",
    "organism",
)


def _peptide(match: str) -> int:
    """The number of residues when ``match`` is a peptide written with
    three-letter codes (`Arg-Arg`, `Asp-Asp`), else 0."""
    parts = match.split("-")
    return len(parts) if len(parts) >= 2 and all(p in _CODES for p in parts) else 0


def _grounding_id(fields: dict) -> tuple[str | None, str | None]:
    """The entry's grounding id and the field it is in: a sidecar row's
    `mesh`, else a front-matter entry's `identifier` (None, None: neither)."""
    for k in ("mesh", "identifier"):
        v = fields.get(k)
        if isinstance(v, str):
            return v, k
    return None, None


def _grounding(fields: dict) -> str:
    match, name = fields.get("match"), fields.get("name")
    mesh, field = _grounding_id(fields)
    source = fields.get("source")
    if field == "identifier" and isinstance(source, str) and source.strip():
        mesh = f"{source.strip()} {mesh}"  # a front-matter entry: MESH D014238
    shown = quote(mesh) if mesh is not None else "its MeSH ID"
    if isinstance(match, str) and match.strip():
        shown += f" {quote(match)}"
        if isinstance(name, str) and name.strip() and name.casefold() != match.casefold():
            shown += f" ({clip(name)})"
    return shown


@rule("CH105", "chemical-grounding", "warning", needs=("annotations",))
def chemical_grounding(rec, ctx):
    """A chemical is grounded to a compound its word does not name.

    What: a row of the sidecar chemicals table, or an entry of the front
    matter's `chemicals` list, whose MeSH grounding is wrong for its `word`:
    - the word is an amino acid's three-letter code (`Arg`, `Asp`: IUPAC-IUB)
      and the grounding a peptide of such codes (`Arg-Arg`, arginylarginine);
    - the word adds a group to a parent compound (`Glycerol-3-P`,
      `glucose 6-phosphate`, `Acetyl-CoA`) and the grounding's match is the
      parent alone (`Glycerol`);
    - the word names a protein and no chemical in GN106's lexicon (`Pyrin`:
      MeSH Pyrin, the MEFV gene's protein);
    - the word is an abbreviation the caption defines as something that is
      no chemical (`TCA, tricarboxylic acid cycle`: a process in GN106's
      lexicon, MeSH/GO).
    The first two need the grounding's `match` and `name`, which only the
    sidecar table writes; a front-matter entry (`word`, `source`,
    `identifier`) is judged by the last two, on its `word`.
    The message names the word, the grounding, what the word more likely
    names and the vocabulary that says so.
    Why: the grounding is what PFOCR's users search and link by; a dipeptide
    for arginine or glycerol for glycerol 3-phosphate files the figure under
    another compound.
    Fails:
        # _data/<figid>-chemicals.tsv
        # word  mesh          match    name             chebi
        # Arg   mesh:C076685  Arg-Arg  arginylarginine  chebi:73811
    Passes:
        # word  mesh          match     name      chebi
        # Arg   mesh:D001120  Arginine  arginine  chebi:16467
    """
    entries = _entries(rec, "chemicals")
    if not entries:
        return
    caption = None
    for e in entries:
        fields = e.fields
        word = fields.get("word")
        match = fields.get("match")
        if not isinstance(word, str) or not word.strip():
            continue
        word = word.strip()
        likely, vocabulary = None, None
        if word in _CODES and isinstance(match, str) and _peptide(match.strip()):
            n = _peptide(match.strip())
            likely = f"the amino acid {AMINO_ACIDS[word]}"
            what = "a dipeptide" if n == 2 else f"a peptide of {n} residues"
            expected = _mesh_of(AMINO_ACIDS[word])
            message = (
                f"chemical {quote(word)} is the three-letter code of {likely}, but it is "
                f"grounded to {_grounding(fields)}, {what}; expected {expected}"
            )
            vocabulary = "IUPAC-IUB amino acid codes"
        elif _sidecar(e) and isinstance(match, str) and (m := _WITH_GROUP.match(word)):
            group = _GROUPS.get(m.group("group").lower())
            if group is None or m.group("stem").casefold() not in _parents(fields):
                continue
            loc = f"{m.group('loc')}-" if m.group("loc") else ""
            likely = f"{clip(m.group('stem').lower())} {clip(loc)}{group}"
            message = (
                f"chemical {quote(word)} names {likely}, but it is grounded to "
                f"{_grounding(fields)}, the parent compound without the {group}; "
                f"expected the grounding of {likely}"
            )
            vocabulary = "chemical nomenclature (group suffix)"
        elif (protein := _protein(word)) is not None:
            d = protein
            genes = ", ".join(sorted(d.genes)[:3]) + (" and more" if len(d.genes) > 3 else "")
            likely = f"a protein ({d.label}; gene {genes})"
            message = (
                f"chemical {quote(word)} names {likely}, not a chemical, but it is grounded "
                f"to {_grounding(fields)}; expected it among the genes, not the chemicals"
            )
            vocabulary = d.label.split(":")[0]
        else:
            if caption is None:
                caption = _caption(rec)
            found = _defined_as_other(caption, word) if caption else None
            if found is None:
                continue
            long, kind, label = found
            likely = f"{clip(long)} ({kind})"
            message = (
                f"chemical {quote(word)} is the caption's abbreviation of {quote(long)}, which is "
                f"{kind} ({label}), not a chemical, but it is grounded to {_grounding(fields)}; "
                "expected no chemical grounding"
            )
            vocabulary = label.split(":")[0] if ":" in label else "GN106 lexicon"
        where = _at(e, "word", message)
        yield Problem(
            where.path,
            where.message,
            span=where.span,
            file=where.file,
            data={
                "word": word,
                "mesh": _grounding_id(fields)[0] or "",
                "match": match if isinstance(match, str) else "",
                "likely": likely,
                "vocabulary": vocabulary,
            },
        )


def _parents(fields: dict) -> set[str]:
    return {
        v.strip().casefold().removesuffix("s")
        for k in ("match", "name")
        if isinstance(v := fields.get(k), str) and v.strip()
    } | {
        v.strip().casefold()
        for k in ("match", "name")
        if isinstance(v := fields.get(k), str) and v.strip()
    }


def _protein(word: str):
    """The lexicon's entry for ``word`` when it names a gene's protein and no
    chemical (`Pyrin` -> MEFV), else None."""
    from linter.knowledge import lexicon  # lazy: only records with chemicals

    d = lexicon.denote(word)
    if d is not None and d.kind == "gene" and d.genes and "chemical" not in d.kinds:
        return d
    return None


def _caption(rec) -> str:
    caption, _ = record_caption(rec.data)
    return caption if isinstance(caption, str) else ""


def _defined_as_other(caption: str, word: str):
    """(long form, kind words, label) when the caption defines ``word`` as
    something GN106's lexicon files as no chemical; else None."""
    from linter.knowledge import lexicon  # lazy: only records with chemicals

    for a in caption_abbreviations(caption):
        if a.short != word:
            continue
        d = lexicon.denote(a.long)
        if d is not None and d.kind in _KINDS_NOT_CHEMICAL and "chemical" not in d.kinds:
            return a.long, lexicon.KIND_WORDS[d.kind], d.label
    return None


def _mesh_of(name: str) -> str:
    """The amino acid's own grounding, as GN106's lexicon (MeSH) names it."""
    from linter.knowledge import lexicon  # lazy: only on a finding

    try:
        d = lexicon.denote(name)
    except (OSError, ValueError):
        d = None
    if d is not None and d.kind == "chemical" and d.label.startswith("MeSH"):
        return f"{name}'s own ({d.label})"
    return f"{name}'s own MeSH descriptor"
