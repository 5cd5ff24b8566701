"""MD – paper and figure metadata: formats, ranges and consistency of the
top-level fields.

Values that are placeholders (`.na.character`, `NA`, '') are the NA rules'
and the schema's; these rules skip them so that one defect gives one finding.
MD107 checks organism names against the shipped NCBI Taxonomy snapshot
(linter/reference.py, imported only when MD107 runs).
"""

from __future__ import annotations

import datetime
import math
import re

from linter.base.model import Fix, Problem
from linter.base.values import clip, first_capitalised, kind, quote, short
from linter.reading.generation import FAMILY_LABELS, marks, mixed_marks
from linter.reading.reader import join
from linter.rules import edits
from linter.rules.na import is_placeholder, is_r_na, is_text_null
from linter.rules.registry import rule

_YEAR = re.compile(r"[0-9]{4}")
# a year in a citation: 18xx-20xx standing alone, not part of a page range,
# an article number or a DOI-like token (`7:2023.03.03.530734`)
_REF_YEAR = re.compile(r"(?<![\w./:-])((?:18|19|20)[0-9]{2})(?![\w/-])")
_PMCID = re.compile(r"PMC[0-9]+")
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_NUMBER = re.compile(r"(?:F|S|SF|GA)[0-9]+")
_FIGURE_N = re.compile(r"\s*(?:Figure|Fig\.?)\s*([0-9]+)\s*", re.I)
SCORES = ("automl_pathway", "pathway_score")
TEXT_FIELDS = ("figtitle", "papertitle", "reftext", "keywords")
# doubled whitespace or a tab / line break inside a value
_BAD_SPACE = re.compile(r"\s{2,}|[\t\n\r\f\v]")


def _next_year() -> int:
    return datetime.date.today().year + 1


def valid_year(value) -> bool:
    """A 4-digit string between 1900 and next year."""
    return (
        isinstance(value, str)
        and bool(_YEAR.fullmatch(value))
        and 1900 <= int(value) <= _next_year()
    )


def reftext_year(reftext) -> str | None:
    """The publication year in a citation (`… Blood Adv. 2019 Apr 9;3(7):…`),
    the first stand-alone year; None when there is none."""
    if not isinstance(reftext, str):
        return None
    m = _REF_YEAR.search(reftext)
    return m.group(1) if m else None


@rule("MD101", "year-format", "error")
def year_format(rec, ctx):
    """`year` is not a 4-digit string between 1900 and next year.

    What: `year` must be a quoted string of four digits, from 1900 up to next
    year (taken from today's date at run time, so papers published ahead of
    print pass). An unquoted year (a number) is reported too; an empty or
    placeholder year is NA103's / NA101's.
    Why: the site sorts and filters by year as text; a number, a two-digit
    year or a typo (`2109`) puts the figure in the wrong place.
    Fails:
        year: '219'      # also: 2019 (a number), '1850', '2109'
    Passes:
        year: '2019'
    """
    if "year" not in rec.data:
        return
    value = rec.data["year"]
    if isinstance(value, str) and is_placeholder(value):
        return
    top = _next_year()
    expected = f"a quoted 4-digit year between 1900 and {top}"
    if isinstance(value, int) and not isinstance(value, bool):
        if 1900 <= value <= top:
            expected = f"the quoted string '{value}'"
        yield Problem("/year", f"/year: {quote(value)} is a number, expected {expected}")
    elif not isinstance(value, str):
        yield Problem("/year", f"/year: {short(value)} is {kind(value)}, expected {expected}")
    elif not _YEAR.fullmatch(value):
        yield Problem("/year", f"/year: {short(value)} is not 4 digits, expected {expected}")
    elif not 1900 <= int(value) <= top:
        yield Problem("/year", f"/year: {value!r} is out of range, expected {expected}")


@rule("MD102", "year-reftext", "warning")
def year_reftext(rec, ctx):
    """`year` differs from the year in `reftext`.

    What: the first stand-alone year of `reftext` (the citation's date,
    `Blood Adv. 2019 Apr 9;3(7):1061-1072.`) is not `year`. Only runs when
    `year` is well-formed (else MD101 reports it) and `reftext` is a
    non-placeholder string.
    Narrowed: a `reftext` without any year (`Nat Rev Cancer. ;22(4):239-252.`,
    2 of 199 real records) is not a mismatch and passes.
    Why: `year` and `reftext` come from the same PMC metadata; when they
    disagree one of them was edited by hand or taken from another paper.
    Fails:
        year: '2019'
        reftext: Pamela J. Sung, et al. Blood Adv. 2020 Apr 9;3(7):1061-1072.
    Passes:
        year: '2019'
        reftext: Pamela J. Sung, et al. Blood Adv. 2019 Apr 9;3(7):1061-1072.
    """
    year = rec.data.get("year")
    reftext = rec.data.get("reftext")
    if not isinstance(reftext, str) or is_placeholder(reftext):
        return
    found = reftext_year(reftext)
    if found is not None and found != year and valid_year(year):
        yield Problem(
            "/year",
            f"/year: {year!r} differs from the year {found} in reftext {short(reftext, 80)}, "
            f"expected '{found}' (or a corrected reftext)",
        )


@rule("MD103", "pmcid-format", "error")
def pmcid_format(rec, ctx):
    """`pmcid` is not `PMC` followed by digits.

    What: `pmcid` must be a string `PMC<digits>` (upper case, no spaces, no
    version suffix). An empty or placeholder value is NA103's / NA101's.
    Why: `pmcid` builds `figid`, `figid_alias`, `figlink` and the link to the
    paper; a malformed one breaks all of them.
    Fails:
        pmcid: pmc6457213    # also: 6457213, PMC6457213.1
    Passes:
        pmcid: PMC6457213
    """
    if "pmcid" not in rec.data:
        return
    value = rec.data["pmcid"]
    if isinstance(value, str) and is_placeholder(value):
        return
    if isinstance(value, str) and _PMCID.fullmatch(value):
        return
    expected = "PMC followed by digits"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        expected = quote(f"PMC{value}")
    elif isinstance(value, str):
        guess = re.sub(r"\s+", "", value).upper()
        if _PMCID.fullmatch(guess):
            expected = quote(guess)
        elif re.fullmatch(r"[0-9]+", guess):
            expected = quote(f"PMC{guess}")
    what = "is not PMC followed by digits" if isinstance(value, str) else f"is {kind(value)}"
    yield Problem("/pmcid", f"/pmcid: {short(value)} {what}, expected {expected}")


@rule("MD104", "doi-format", "error")
def doi_format(rec, ctx):
    """`doi` is not `10.<registrant>/<suffix>`.

    What: `doi` (2023+ records) must be a bare DOI: `10.`, a 4–9 digit
    registrant code, `/`, a suffix without spaces. A resolver prefix
    (`https://doi.org/`, `doi:`) is reported with the bare DOI as the
    expected value. Placeholders (`.na.character`, '') are NA101's / NA103's.
    Why: the site builds the paper's link as `https://doi.org/` + `doi`; a
    prefixed or broken DOI gives a dead link.
    Fails:
        doi: https://doi.org/10.1182/bloodadvances.2018029850
    Passes:
        doi: 10.1182/bloodadvances.2018029850
    """
    if "doi" not in rec.data:
        return
    value = rec.data["doi"]
    if isinstance(value, str) and is_placeholder(value):
        return
    if isinstance(value, str) and _DOI.fullmatch(value):
        return
    expected = "10.<registrant>/<suffix>"
    if isinstance(value, str):
        bare = _DOI_PREFIX.sub("", value).strip()
        if _DOI.fullmatch(bare):
            expected = quote(bare)
            if _DOI_PREFIX.match(value):
                expected += " (without the resolver prefix)"
        what = "is not a DOI"
    else:
        what = f"is {kind(value)}"
    yield Problem("/doi", f"/doi: {short(value)} {what}, expected {expected}")


@rule("MD105", "ndex-format", "error")
def ndex_format(rec, ctx):
    """`ndex` is neither empty nor a UUID.

    What: `ndex` is the UUID of the figure's network on NDEx
    (`22c6eaa2-dee5-11ea-99da-0ac135e8bacf`), or `''` when there is none.
    Anything else is reported, except R's and textual NA placeholders
    (NA101's / NA102's).
    Why: the site links `https://www.ndexbio.org/viewer/networks/` + `ndex`
    whenever it is not empty.
    Fails:
        ndex: 22c6eaa2-dee5-11ea-99da
    Passes:
        ndex: 22c6eaa2-dee5-11ea-99da-0ac135e8bacf    # or ''
    """
    if "ndex" not in rec.data:
        return
    value = rec.data["ndex"]
    if isinstance(value, str):
        if value == "" or _UUID.fullmatch(value) or is_r_na(value) or is_text_null(value):
            return
        if _UUID.fullmatch(value.strip()):
            yield Problem(
                "/ndex",
                f"/ndex: {quote(value)} has surrounding whitespace, "
                f"expected {quote(value.strip())}",
            )
            return
        what = "is not a UUID"
    else:
        what = f"is {kind(value)}"
    yield Problem("/ndex", f"/ndex: {short(value)} {what}, expected '' or an NDEx UUID")


@rule("MD106", "score-range", "error")
def score_range(rec, ctx):
    """`automl_pathway` / `pathway_score` is not a number in [0, 1].

    What: the classifier score (`pathway_score` in 2020 records,
    `automl_pathway` from 2023) must be a number from 0 to 1: not a string,
    a boolean, NaN or infinity, not out of range. Placeholders are the NA
    rules'.
    Why: the site and the collection filters rank figures by this score; a
    quoted or out-of-range score sorts wrongly or breaks the filter.
    Fails:
        automl_pathway: 1.9451232
        pathway_score: '0.8141285'
    Passes:
        automl_pathway: 0.9451232
    """
    for key in SCORES:
        if key not in rec.data:
            continue
        value = rec.data[key]
        path = join("", key)
        if isinstance(value, str) and is_placeholder(value):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            yield Problem(
                path, f"{path}: {short(value)} is {kind(value)}, expected a number in [0, 1]"
            )
        elif (isinstance(value, float) and math.isnan(value)) or not 0 <= value <= 1:
            yield Problem(
                path, f"{path}: {quote(value)} is out of range, expected a number in [0, 1]"
            )


def _organism_items(data: dict):
    """(key, index or None, value) of every organism name in `organisms` /
    `organisms_ner` (a string, or list items)."""
    for key in ("organisms", "organisms_ner"):
        value = data.get(key)
        if isinstance(value, str):
            yield key, None, value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield key, i, item


@rule("MD107", "organism-unknown", "warning", needs=("reference",))
def organism_unknown(rec, ctx):
    """An organism name is not an NCBI Taxonomy scientific name.

    What: a name in `organisms` or `organisms_ner` (a string or list items)
    that the shipped NCBI Taxonomy snapshot does not hold as a scientific
    name, compared exactly after folding whitespace. The message suggests
    the name in NCBI's capitalisation when only the case differs, NCBI's
    spelling of a strain PFOCR flattened (`Escherichia coli DH5alpha`: NCBI
    writes `Escherichia coli DH5[alpha]`; `BL21DE3`: `BL21(DE3)`), NCBI's
    current name for an outdated one (`Propionibacterium acnes`: NCBI names
    the taxon `Cutibacterium acnes`), else the species or genus when those
    are known. Outdated names are those MeSH files under an organism
    descriptor whose NCBI taxon NCBI now names otherwise (the descriptor's
    heading and entry terms, `taxonomy_renamed.tsv.gz`, 1,300 names; a
    virus name in any case: `Epstein-Barr virus`, now `human gammaherpesvirus
    4`, `Human herpesvirus 8`, now `Human gammaherpesvirus 8`); one
    MeSH does not list (`Weizmannia coagulans`, now `Heyndrickxia
    coagulans`) is reported without its new name. Placeholders (`NA`,
    `.na.character`, '') are the NA rules'. The snapshot (2024-09-09) keeps
    1.1 M of NCBI's 2.6 M names (every genus and higher rank, named strains
    and subspecies, the taxa with a common name, genome or Wikipedia page,
    and all plainly formed names), so a newer or very obscure name is
    reported too: hence a warning.
    Why: the organism lists drive the site's species filters; a misspelt,
    outdated or non-organism name (`herbal medicine`) files the figure under
    no species, or under a wrong one.
    Options: `[tool.pfocr-lint.reference]` `taxonomy` / `data-dir` point at a
    fresher or fuller name list (one name per line, sorted).
    Fails:
        organisms:
        - Homo sapien
    Passes:
        organisms:
        - Homo sapiens
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    names = None
    for key, i, v in _organism_items(data):
        if not isinstance(v, str) or is_placeholder(v):
            continue
        if names is None:  # loaded for the first name only
            from linter.knowledge import reference

            ref = reference.from_context(ctx)
            names = ref.taxonomy()
        name = " ".join(v.split())
        if name in names:
            continue
        path = f"/{key}" if i is None else f"/{key}/{i}"
        dates = ref.snapshot_dates("taxonomy")
        snapshot = f"NCBI Taxonomy snapshot of {dates[-1]}" if dates else "NCBI Taxonomy snapshot"
        hint, ncbi, via_mesh = _organism_hint(name, names, ref.taxonomy_renamed)
        vocabulary = snapshot + ("; MeSH organism descriptors" if via_mesh else "")
        yield Problem(
            path,
            f"{path}: {short(name)} is not a scientific name in the {snapshot}{hint}",
            data={"name": name, "ncbi_name": ncbi, "vocabulary": vocabulary},
        )


_GREEK_NAMES = re.compile(r"(?<![a-z\[])(alpha|beta|gamma|delta|epsilon|kappa|lambda)(?![a-z\]])")


def _ncbi_spellings(name: str):
    """How NCBI may write a strain name PFOCR flattened: Greek letter names in
    brackets (`DH5alpha` -> `DH5[alpha]`), a trailing code in parentheses
    (`BL21DE3` -> `BL21(DE3)`), or both."""
    words = name.split()
    if len(words) < 3:
        return
    bracketed = _GREEK_NAMES.sub(r"[\1]", name)
    if bracketed != name:
        yield bracketed
    last = words[-1]
    for k in range(2, min(5, len(last) - 1) + 1):
        head, tail = last[:-k], last[-k:]
        if tail.isalnum() and any(c.isalpha() for c in tail) and head[-1:].isalnum():
            yield " ".join([*words[:-1], f"{head}({tail})"])


def _organism_hint(name: str, names, renamed) -> tuple[str, str, bool]:
    """What to suggest for ``name``, no scientific name in ``names``: (the
    message's tail, the name NCBI writes when one is known, else '', whether
    MeSH's organism descriptors gave it); ``renamed()`` gives the
    outdated-name table (loaded only when asked)."""
    words = name.split()
    cased = first_capitalised(name)
    if cased != name and cased in names:
        return f"; NCBI writes it {cased!r} (case differs): expected {cased!r}", cased, False
    for variant in _ncbi_spellings(name):
        if variant in names:
            return f"; NCBI writes the strain {variant!r}: expected {variant!r}", variant, False
    if len(words) > 1:
        table = renamed()
        hit = table.get(name) or table.get(cased)
        if hit is not None and hit[0] in names:
            current, taxid, mesh = hit
            hint = (
                f"; NCBI now names that taxon {current!r} (taxid {taxid}; MeSH {mesh} files "
                f"the older name under it): expected {current!r}"
            )
            return hint, current, True
    for n, what in ((2, "species"), (1, "genus")):
        part = " ".join(words[:n])
        if len(words) > n and part in names:
            return f" (the {what} {part!r} is); expected the full name as NCBI writes it", "", False
    return "; expected an NCBI scientific name", "", False


@rule("MD108", "mixed-format", "warning")
def mixed_format(rec, ctx):
    """Fields of different record generations are mixed in one record.

    What: the 2020 writer (generations A, A′, A″) and the 2023+ writer (B, C)
    use different keys (FORMAT.md): `pathway_score`,
    `pmc_ranked_result_index`, `annotations`, inline `genes` / `chemicals` /
    `diseases` lists and a single-string `organisms` are 2020 marks;
    `automl_pathway`, `organisms_ner`, `doi`, `journal_title`,
    `journal_nlm_ta`, `publisher_name` and the `keywords` string are 2023+
    marks. The record belongs to the family with more marks; each mark of
    the other family is reported at its key (on a tie, every mark is).
    Why: each generation is internally consistent; a mixture comes from a
    hand merge or a half-applied update script, and downstream code that
    picks its parser by one field misreads the others.
    Fails:
        pathway_score: 0.8141285
        automl_pathway: 0.9451232
    Passes:
        automl_pathway: 0.9451232
    """
    strays = mixed_marks(rec.data)
    if not strays:
        return
    stray_keys = {k for k, _ in strays}
    for key, fam in strays:
        other = [k for k, f in marks(rec.data) if f != fam and k not in stray_keys]
        if not other:  # a tie: the other family's marks are strays too
            other = [k for k, f in strays if f != fam]
        other_fam = "B" if fam == "A" else "A"
        shown = ", ".join(other[:4]) + (f" and {len(other) - 4} more" if len(other) > 4 else "")
        what = f"{key!r}"
        if key == "organisms":
            what = "'organisms' as a single string"
        path = join("", key)
        yield Problem(
            path,
            f"{path}: {what} is a {FAMILY_LABELS[fam]} field, but the record's "
            f"{shown} {'is' if len(other) == 1 else 'are'} {FAMILY_LABELS[other_fam]}; "
            "expected the fields of one generation",
            key=True,
        )


@rule("MD109", "number-format", "warning")
def number_format(rec, ctx):
    """`number` is not `F<n>`, `S<n>`, `SF<n>` or `GA<n>`.

    What: the normalised figure number is `F` (figure), `S` / `SF`
    (supplementary figure) or `GA` (graphical abstract) followed by digits.
    The early 2020 records (A′) still carry `Figure 1`; the message names the
    normalised form.
    Why: `figid_alias`, `redirect_from` and `figtype` are derived from
    `number`; an un-normalised number gives aliases like `PMC1__Figure 1`.
    Fails:
        number: Figure 1
    Passes:
        number: F1
    """
    if "number" not in rec.data:
        return
    value = rec.data["number"]
    if isinstance(value, str):
        if is_placeholder(value) or _NUMBER.fullmatch(value):
            return
        m = _FIGURE_N.fullmatch(value)
        if m:
            yield Problem(
                "/number",
                f"/number: {quote(value)} is the un-normalised form, "
                f"expected {quote('F' + (m.group(1).lstrip('0') or '0'))}",
            )
            return
        yield Problem(
            "/number",
            f"/number: {short(value)} is not F<n>, S<n>, SF<n> or GA<n>, expected e.g. 'F1'",
        )
    elif isinstance(value, int) and not isinstance(value, bool):
        yield Problem(
            "/number", f"/number: {quote(value)} is a number, expected {quote(f'F{value}')}"
        )
    else:
        yield Problem(
            "/number",
            f"/number: {short(value)} is {kind(value)}, expected F<n>, S<n>, SF<n> or GA<n>",
        )


def _names(value) -> list[str]:
    """Organism names of an `organisms` value (a string or a list), without
    placeholders."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [x.strip() for x in items if isinstance(x, str) and not is_placeholder(x)]


def _species(name: str) -> str:
    """Genus and species of a taxon name (strains and subspecies dropped)."""
    return " ".join(name.casefold().split()[:2])


def _show(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(clip(n) for n in names[:limit])
    return f"[{shown}" + (f", … {len(names) - limit} more]" if len(names) > limit else "]")


@rule("MD110", "organisms-disagree", "info")
def organisms_disagree(rec, ctx):
    """`organisms` and `organisms_ner` share no name.

    What: both lists are present and not empty, yet no organism of
    `organisms` is in `organisms_ner`. `NA` and other placeholders are left
    out before comparing (they are NA102's), and a list left empty is not
    compared. Names are compared by genus and species, case-insensitively,
    so a strain (`Escherichia coli str. K-12 substr. MG1655`) matches its
    species (`Escherichia coli`).
    Why: the two lists come from different steps (the figure's organism
    assignment and named-entity recognition in the paper); when they share
    nothing, one of them is probably wrong (FORMAT.md: the default Homo
    sapiens, fly genes in human papers).
    Fails:
        organisms:
        - Homo sapiens
        organisms_ner:
        - Drosophila melanogaster
    Passes:
        organisms:
        - NA              # left out: nothing to compare
        - Mus musculus
        organisms_ner:
        - Mus musculus
    """
    data = rec.data
    if "organisms" not in data or "organisms_ner" not in data:
        return
    mine, ner = _names(data["organisms"]), _names(data["organisms_ner"])
    if not mine or not ner:
        return
    if not set(mine).isdisjoint(ner):
        return  # a name in both: the same species, surely
    if {_species(n) for n in mine} & {_species(n) for n in ner}:
        return
    yield Problem(
        "/organisms",
        f"/organisms: {_show(mine)} and organisms_ner {_show(ner)} share no organism, "
        "expected at least one in common",
    )


def trimmed(value: str) -> str:
    """``value`` without leading/trailing whitespace, each run of whitespace
    (or a tab / line break) inside folded to one space."""
    return _BAD_SPACE.sub(" ", value.strip())


def _defects(value: str) -> tuple[list[str], int]:
    """Names of the whitespace defects of ``value`` and where the first is."""
    kinds, first = [], len(value)
    stripped = value.lstrip()
    if stripped != value:
        kinds.append("leading whitespace")
        first = 0
    inner = value.strip()
    offset = len(value) - len(stripped)
    m = _BAD_SPACE.search(inner)
    if m:
        kinds.append("doubled whitespace" if len(m.group()) > 1 else "a tab or line break")
        first = min(first, offset + m.start())
    if value.rstrip() != value:
        kinds.append("trailing whitespace")
        first = min(first, len(value.rstrip()))
    return kinds, first


def _excerpt(value: str, at: int, pad: int = 24) -> tuple[str, str]:
    """(found, expected) excerpts of ``value`` around offset ``at``."""
    if len(value) <= 2 * pad + 12:
        lo, hi = 0, len(value)
    else:
        lo = max(0, at - pad)
        hi = min(len(value), at + pad)
    part = _BAD_SPACE.sub(" ", value[lo:hi])
    if lo == 0:
        part = part.lstrip()
    if hi == len(value):
        part = part.rstrip()
    pre, post = ("…" if lo > 0 else ""), ("…" if hi < len(value) else "")
    return repr(pre + value[lo:hi] + post), repr(pre + part + post)


def _tidy(value: str) -> bool:
    """A cheap sufficient test that ``trimmed(value) == value``: letters and
    digits only, or printable text (so no whitespace but the plain space)
    without a doubled space or one at either end. False says nothing."""
    return value.isalnum() or (
        value.isprintable()
        and "  " not in value
        and not value.startswith(" ")
        and not value.endswith(" ")
    )


@rule("MD111", "untrimmed-text", "warning", fix="safe")
def untrimmed_text(rec, ctx):
    """Leading, trailing or doubled whitespace in a title, citation or keyword.

    What: `figtitle`, `papertitle`, `reftext`, the `keywords` string or an
    item of `schema-jsonld.keywords` has whitespace at either end, two or
    more whitespace characters in a row, or a tab / line break inside. The
    parsed value is checked, not the YAML text: a long title folded over
    several lines reads as single spaces and passes, while a `|-` block
    that keeps a line break inside a keyword does not. A value that is only
    whitespace is NA103's.
    Why: upstream pastes these from PMC metadata and OCR; the stray spaces
    show on the site, break exact matching of keywords and titles, and make
    records of the same paper disagree.
    Fix: safe: trim the value and fold each whitespace run to one space.
    Fails:
        figtitle: 'Genomic Analyses of Marine Crenarchaeota '
        papertitle: When 7 transmembrane receptors are not  G protein–coupled receptors.
    Passes:
        figtitle: Model of cytokine-mediated rescue
        papertitle: When 7 transmembrane receptors are not G protein–coupled
          receptors.
    """
    data = rec.data
    for key in TEXT_FIELDS:
        value = data.get(key)
        if isinstance(value, str) and not _tidy(value):
            yield from _untrimmed(rec, join("", key), value)
    jsonld = data.get("schema-jsonld")
    keywords = jsonld.get("keywords") if isinstance(jsonld, dict) else None
    if isinstance(keywords, list) and not _all_tidy(keywords):  # most lists are
        for i, item in enumerate(keywords):
            if isinstance(item, str) and not _tidy(item):
                yield from _untrimmed(rec, f"/schema-jsonld/keywords/{i}", item)


# joins the texts for _all_tidy: printable, not whitespace, rare in text
_SEP = "\u241e"  # ␞, the symbol for a record separator


def _all_tidy(items: list) -> bool:
    """A cheap sufficient test that every item is a string that passes
    :func:`_tidy`: joined by `␞`, no item can hide a doubled space or one at
    either end (`␞ ` and ` ␞` show those)."""
    try:
        text = _SEP.join(items)
    except TypeError:  # not all strings
        return False
    return (
        text.isprintable()
        and "  " not in text
        and _SEP + " " not in text
        and " " + _SEP not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def _untrimmed(rec, path: str, value: str):
    """MD111's problem with ``value`` at ``path``, if it has one."""
    clean = trimmed(value)
    if clean == value or not clean or is_placeholder(value):
        return
    kinds, at = _defects(value)
    found, expected = _excerpt(value, at)
    edit = edits.replace_value(rec, path, clean)
    fix = Fix("safe", "Trim and fold the whitespace", (edit,)) if edit else None
    yield Problem(
        path,
        f"{path}: {' and '.join(kinds) or 'odd whitespace'} in {found}, expected {expected}",
        fix,
    )
