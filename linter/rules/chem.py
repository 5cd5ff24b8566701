"""CH / DI – chemicals and diseases of a record's annotations.

The entries come from ``rec.annotations`` (linter/annotations.py): the front
matter's ``chemicals:`` / ``diseases:`` lists (older records: fields `word`,
`source`, `identifier`; findings point at the field) or the sidecar tables
``_data/<figid>-chemicals.tsv`` / ``-diseases.tsv`` (newer records: columns
`word, mesh, match, name, chebi` / `word, mesh, match, name, doid`, the
identifiers written as CURIEs `mesh:D005947`, `NA` read as None; findings
point at the table's line). CH102 checks MeSH IDs against the shipped MeSH
snapshot (linter/reference.py, imported only when CH102 runs).
"""

from __future__ import annotations

import re

from linter.base.model import Fix, Problem
from linter.base.values import quote
from linter.rules import edits
from linter.rules.na import TEXT_NULL_MAX_LEN, is_r_na, is_text_null
from linter.rules.registry import rule

MESH_ID = re.compile(r"[CD][0-9]{6}(?:[0-9]{3})?")
# disease vocabularies and the identifier pattern of each (source matched
# case-insensitively). PFOCR names diseases by MeSH and the Disease Ontology
# only (the sidecar tables have exactly the columns `mesh` and `doid`).
# DOID: `DOID:1234` and the bare `1234` (upstream's merge script splits the
# CURIE at its colon into source and identifier).
DISEASE_ID = {
    "MESH": (MESH_ID, "C or D + 6 or 9 digits, e.g. D009369"),
    "DOID": (re.compile(r"(?:DOID:)?[0-9]+"), "DOID:<digits> or <digits>, e.g. DOID:162"),
}
DOID_CURIE = re.compile(r"doid:[0-9]+", re.I)


def _entries(rec, kind: str) -> list:
    ann = getattr(rec, "annotations", None)
    items = getattr(ann, kind, None) if ann is not None else None
    if not items:
        return []
    return [e for e in items if isinstance(getattr(e, "fields", None), dict)]


def _sidecar(entry) -> bool:
    return getattr(entry, "path", None) is None


def _at(entry, field: str | None, message: str, fix=None) -> Problem:
    """A problem on ``field`` of a front-matter entry, or on a sidecar row."""
    if _sidecar(entry):
        return Problem("", message, fix=fix, span=entry.span, file=entry.file)
    path = f"{entry.path}/{field}" if field else entry.path
    return Problem(path, f"{path}: {message}", fix=fix)


def _short(value, limit: int = 50) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _blank(value) -> bool:
    """Missing, null, blank or a textual null (`NA`): "no value"."""
    if not isinstance(value, str):
        return value is None
    v = value.strip()
    return not v or (len(v) <= TEXT_NULL_MAX_LEN and is_text_null(v))


def _word(entry) -> str:
    word = entry.fields.get("word")
    return quote(word) if isinstance(word, str) else "(no word)"


def _curie(value) -> tuple[str | None, str]:
    """(prefix, local id) of a sidecar identifier `mesh:D005947`; prefix None
    when there is no `prefix:`."""
    prefix, colon, local = value.strip().partition(":")
    if not colon:
        return None, value.strip()
    return prefix, local


# -- chemicals ----------------------------------------------------------------------
@rule("CH101", "mesh-format", "error")
def mesh_format(rec, ctx):
    """A chemical's identifier is not a MeSH ID.

    What: a chemical's `identifier` is not `C` or `D` followed by 6 or 9
    digits (`D005947`, `C540383`, `C000589078`), e.g. a CURIE, a ChEBI ID,
    lower case or an empty string. In sidecar tables the `mesh` column is
    checked the same way after its `mesh:` prefix (`mesh:D005947`; a value
    without the prefix is reported).
    Narrowed: when the entry's `source` names another vocabulary, or the
    sidecar value has another prefix (`chebi:`), CH103 reports the source and
    this rule stays quiet; R's `.na.character` is NA101's and a missing
    sidecar value (`NA`) is CH103's.
    Why: the site links each chemical to MeSH by this ID; a malformed one is
    a dead link and no MeSH lookup (CH102) can check it.
    Fails:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: MESH:D005947
    Passes:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: D005947
    """
    for entry in _entries(rec, "chemicals"):
        f = entry.fields
        if _sidecar(entry):
            value = f.get("mesh")
            if not isinstance(value, str) or _blank(value):
                continue
            prefix, local = _curie(value)
            if prefix is not None and prefix.lower() != "mesh":
                continue  # CH103
            if prefix is None:
                guess = (
                    f"'mesh:{local}'"
                    if MESH_ID.fullmatch(local)
                    else "mesh:<C or D + 6 or 9 digits>"
                )
                yield _at(
                    entry,
                    None,
                    f"chemical {_word(entry)}: mesh {quote(value)} lacks the 'mesh:' prefix, expected {guess}",
                )
            elif not MESH_ID.fullmatch(local):
                yield _at(
                    entry,
                    None,
                    f"chemical {_word(entry)}: mesh {quote(value)} is not a MeSH ID, "
                    "expected mesh:<C or D + 6 or 9 digits>",
                )
            continue
        source = f.get("source")
        if isinstance(source, str) and source.strip() and source.strip().upper() != "MESH":
            continue  # another vocabulary: CH103
        value = f.get("identifier")
        if is_r_na(value) or (value is None and "identifier" not in f):
            continue  # NA101 / the schema's missing key
        if isinstance(value, str) and MESH_ID.fullmatch(value):
            continue
        expected = "C or D + 6 or 9 digits, e.g. D005947"
        if isinstance(value, str):
            local = re.sub(r"^\s*mesh\s*:\s*", "", value, flags=re.I).strip().upper()
            if MESH_ID.fullmatch(local):
                expected = repr(local)
        kind = "is empty" if value == "" else "is not a MeSH ID"
        yield _at(
            entry,
            "identifier",
            f"{_short(value)} (chemical {_word(entry)}) {kind}, expected {expected}",
        )


def _mesh_id(entry) -> str | None:
    """The well-formed MeSH ID of a chemical entry, else None (malformed IDs
    are CH101's, other vocabularies CH103's, missing values NA101's)."""
    f = entry.fields
    if _sidecar(entry):
        value = f.get("mesh")
        if not isinstance(value, str) or _blank(value):
            return None
        prefix, local = _curie(value)
        return local if (prefix or "").lower() == "mesh" and MESH_ID.fullmatch(local) else None
    source = f.get("source")
    if isinstance(source, str) and source.strip() and source.strip().upper() != "MESH":
        return None
    value = f.get("identifier")
    return value if isinstance(value, str) and MESH_ID.fullmatch(value) else None


@rule("CH102", "mesh-unknown", "warning", needs=("reference",))
def mesh_unknown(rec, ctx):
    """A chemical's MeSH ID is not in the MeSH snapshot.

    What: a chemical's well-formed MeSH ID (front matter: `identifier` of a
    MESH entry; sidecar table: `mesh:<ID>`) that the shipped MeSH snapshot
    does not hold. The snapshot unites MeSH 2024 descriptors and
    supplementary concepts with the MeSH 2026 descriptors; an ID minted after
    it is reported too, hence a warning. Malformed IDs are CH101's, other
    vocabularies CH103's. Disease IDs are not checked.
    Why: an ID that MeSH does not know is a typo or a deleted record: the
    chemical's link is dead and it cannot be found by ID.
    Options: `[tool.pfocr-lint.reference]` `mesh` / `data-dir` point at a
    fresher snapshot.
    Fails:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: D999999
    Passes:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: D005947
    """
    found = [(e, mid) for e in _entries(rec, "chemicals") if (mid := _mesh_id(e)) is not None]
    if not found:
        return
    from linter.knowledge import reference

    ref = reference.from_context(ctx)
    ids = ref.mesh()
    for entry, mid in found:
        if mid in ids:
            continue
        dates = ref.snapshot_dates("mesh")
        snapshot = f"the MeSH snapshot ({', '.join(dates)})" if dates else "the MeSH snapshot"
        yield _at(
            entry,
            None if _sidecar(entry) else "identifier",
            f"MeSH ID {mid!r} (chemical {_word(entry)}) is not in {snapshot}; "
            "expected an existing MeSH ID (or one newer than the snapshot)",
        )


@rule("CH103", "chemical-source", "error")
def chemical_source(rec, ctx):
    """A chemical's source is empty or not MESH.

    What: a chemical's `source` is empty, missing, null or anything but
    `MESH` (the only vocabulary of PFOCR chemicals; `mesh` and `MeSH` are
    reported too: the value is a constant). In sidecar tables the source is
    the prefix of the `mesh` column: a missing value (`NA`, empty) or another
    prefix (`chebi:`) is reported. R's `.na.character` is NA101's.
    Why: the site and the exports read `source` to build the identifier's
    link; a chemical without a source has no usable identifier.
    Fails:
        chemicals:
        - word: Glucose
          source: ''
          identifier: D005947
    Passes:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: D005947
    """
    for entry in _entries(rec, "chemicals"):
        f = entry.fields
        if _sidecar(entry):
            value = f.get("mesh")
            if value is not None and not isinstance(value, str):
                value = str(value)
            if value is None or _blank(value):
                shown = "NA" if value is None else quote(value)
                yield _at(
                    entry,
                    None,
                    f"chemical {_word(entry)} has no MeSH identifier (mesh is {shown}), "
                    "expected mesh:<MeSH ID>",
                )
                continue
            prefix, _ = _curie(value)
            if prefix is not None and prefix.lower() != "mesh":
                yield _at(
                    entry,
                    None,
                    f"chemical {_word(entry)}: mesh {quote(value)} is from source {quote(prefix)}, "
                    "expected a mesh:<MeSH ID>",
                )
            continue
        source = f.get("source")
        if is_r_na(source):
            continue
        if source == "MESH":
            continue
        if _blank(source):
            if "source" not in f:
                shown = "missing"
            else:
                shown = "null" if source is None else f"{_short(source)} (empty)"
            yield _at(entry, "source", f"source is {shown}, expected 'MESH'")
        else:
            yield _at(
                entry,
                "source",
                f"{_short(source)} is not a known chemical vocabulary, expected 'MESH'",
            )


def _hashable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


@rule("CH104", "duplicate-chemical", "warning", fix="safe")
def duplicate_chemical(rec, ctx):
    """The same chemical entry (word and identifier) appears twice.

    What: two chemical entries of a record have the same `word` and the same
    `identifier` (in a sidecar table: the same `word` and `mesh`). Every
    repeat is reported with the line of the first. Several words sharing
    one identifier (`Glucose`, `glucose`) is normal and passes, as does one
    word with two identifiers.
    Why: upstream meant to drop repeats (its merge script calls `unique()`);
    a repeat doubles the chemical's weight in counts and enrichment.
    Fix: safe, front matter only: remove the repeated entry (a sidecar
    table is not the record's text, so its repeats are reported without a
    fix).
    Fails:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: D005947
        - word: Glucose
          source: MESH
          identifier: D005947
    Passes:
        chemicals:
        - word: Glucose
          source: MESH
          identifier: D005947
        - word: glucose
          source: MESH
          identifier: D005947
    """
    first: dict = {}
    for entry in _entries(rec, "chemicals"):
        f = entry.fields
        side = _sidecar(entry)
        ident = f.get("mesh") if side else f.get("identifier")
        key = (side, getattr(entry, "file", None), _hashable(f.get("word")), _hashable(ident))
        if key not in first:
            first[key] = entry
            continue
        orig = first[key]
        if side:
            line = orig.span.line if orig.span else "?"
            yield _at(
                entry,
                None,
                f"chemical {_word(entry)} with mesh {_short(ident)} repeats line {line}, "
                "expected each chemical once",
            )
            continue
        span = rec.span(orig.path) if hasattr(rec, "span") else None
        where = f"line {span.line}" if span else orig.path
        edit = edits.delete_item(rec, entry.path)
        fix = Fix("safe", "Remove the repeated chemical", (edit,)) if edit else None
        yield _at(
            entry,
            None,
            f"chemical {_word(entry)} with identifier {_short(ident)} repeats the entry on "
            f"{where}, expected each chemical once",
            fix,
        )


# -- diseases -----------------------------------------------------------------------
@rule("DI101", "disease-unidentified", "warning")
def disease_unidentified(rec, ctx):
    """A disease has an empty source or identifier.

    What: a disease entry's `source` or `identifier` is empty, missing, null
    or `NA`; one finding per entry, at the first empty field. In sidecar
    tables a row whose `mesh` and `doid` are both missing (`NA`) is
    reported. R's `.na.character` is NA101's.
    Why: the older records (2020) kept diseases that the lexicon matched by
    word only (`Cancer`, `Noonan syndrome`) with no vocabulary behind them;
    they cannot be linked or counted by identifier.
    Fails:
        diseases:
        - word: Cancer
          source: ''
          identifier: ''
    Passes:
        diseases:
        - word: Cancer
          source: MESH
          identifier: D009369
    """
    for entry in _entries(rec, "diseases"):
        f = entry.fields
        if _sidecar(entry):
            if _blank(f.get("mesh")) and _blank(f.get("doid")):
                yield _at(
                    entry,
                    None,
                    f"disease {_word(entry)} has neither a mesh nor a doid identifier, "
                    "expected mesh:<MeSH ID> or doid:<digits>",
                )
            continue
        source, ident = f.get("source"), f.get("identifier")
        if is_r_na(source) or is_r_na(ident):
            continue
        empty = [name for name, v in (("source", source), ("identifier", ident)) if _blank(v)]
        if not empty:
            continue
        what = " and ".join(empty)
        shown = ", ".join(f"{n} {_short(f[n]) if n in f else 'missing'}" for n in empty)
        yield _at(
            entry,
            empty[0],
            f"disease {_word(entry)} has an empty {what} ({shown}), "
            "expected a vocabulary (MESH, DOID) and its identifier",
        )


@rule("DI102", "disease-id-format", "error")
def disease_id_format(rec, ctx):
    """A disease identifier does not match its source's pattern.

    What: a disease entry with a `source` and an `identifier` whose
    identifier does not have the form of that vocabulary: `MESH` → `C` or
    `D` + 6 or 9 digits (`D009369`); `DOID` → `DOID:<digits>` or the bare
    digits upstream's merge script leaves (`DOID:162`, `162`). Sources are
    matched case-insensitively. A source outside these vocabularies is
    reported too: PFOCR names diseases by MeSH and the Disease Ontology only,
    so another source is a typo or foreign data whose identifier cannot be
    checked. In sidecar tables, `mesh` must be `mesh:<MeSH ID>` and `doid`
    `doid:<digits>` (or `NA`). Empty fields are DI101's, `.na.character`
    NA101's.
    Why: an identifier that does not fit its vocabulary links to nothing
    and makes the disease invisible to searches by ID.
    Fails:
        diseases:
        - word: Cancer
          source: MESH
          identifier: DOID:162
    Passes:
        diseases:
        - word: Cancer
          source: MESH
          identifier: D009369
        - word: Cancer
          source: DOID
          identifier: DOID:162
    """
    for entry in _entries(rec, "diseases"):
        f = entry.fields
        if _sidecar(entry):
            mesh, doid = f.get("mesh"), f.get("doid")
            if isinstance(mesh, str) and not _blank(mesh):
                prefix, local = _curie(mesh)
                if (prefix or "").lower() != "mesh" or not MESH_ID.fullmatch(local):
                    yield _at(
                        entry,
                        None,
                        f"disease {_word(entry)}: mesh {quote(mesh)} is not mesh:<C or D + 6 or 9 digits>, "
                        "expected e.g. mesh:D009369",
                    )
            if (
                isinstance(doid, str)
                and not _blank(doid)
                and not DOID_CURIE.fullmatch(doid.strip())
            ):
                yield _at(
                    entry,
                    None,
                    f"disease {_word(entry)}: doid {quote(doid)} is not doid:<digits>, expected e.g. doid:162",
                )
            continue
        source, ident = f.get("source"), f.get("identifier")
        if _blank(source) or _blank(ident) or is_r_na(source) or is_r_na(ident):
            continue  # DI101 / NA101
        if not isinstance(source, str):
            continue  # a wrong type: the schema's
        known = DISEASE_ID.get(source.strip().upper())
        if known is None:
            names = ", ".join(DISEASE_ID)
            yield _at(
                entry,
                "source",
                f"{_short(source)} is not a known disease vocabulary, so identifier "
                f"{_short(ident)} cannot be checked; expected one of {names}",
            )
            continue
        pattern, description = known
        if isinstance(ident, str) and pattern.fullmatch(ident):
            continue
        yield _at(
            entry,
            "identifier",
            f"{_short(ident)} does not match {source.strip()}'s pattern, expected {description}",
        )
