"""ID – identity and link consistency.

A record's identifiers are derived from each other: `figid` from `pmcid` and
`filename`, `figid_alias` from `pmcid` and `number`, `redirect_from` from the
alias, `figlink` from `pmcid`, `schema-jsonld.@id` from `figid`. These rules
check the derivations. A value that is missing, of the wrong type or a
placeholder (`.na.character`, `NA`, '') is the schema's or the NA rules'
finding and is skipped here, so one defect gives one finding.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

from linter.base.model import Fix, Problem
from linter.base.values import quote
from linter.rules import edits
from linter.rules.na import PLACEHOLDER_MAX_LEN, is_placeholder
from linter.rules.registry import rule

PMCID_RE = re.compile(r"^PMC[0-9]+$")
NUMBER_RE = re.compile(r"^(SF|GA|F|S)([0-9]+)$")
FIGURE_N_RE = re.compile(r"^Figure ([0-9]+)$")
FIGLINK_RE = re.compile(r"^(/?)pmc/articles/([^/]*)/figure/([^/]*)(/?)$")
# fnmatch.fnmatchcase(name, "PMC*__*.md"), compiled once
_RECORD_NAME = re.compile(fnmatch.translate("PMC*__*.md")).match
JSONLD_ID = "https://pfocr.wikipathways.org/figures/{}.html"
CONSTANTS = {
    "@context": "https://schema.org/",
    "@type": "Dataset",
    "license": "CC0",
    "name": "CreativeWork",
}
CREATOR = {"@type": "Organization", "name": "WikiPathways"}
FIGTYPES = {
    "F": ("Figure",),
    "S": ("Supplemental figure", "Scheme"),
    "SF": ("Supplemental figure",),
    "GA": ("Graphical abstract",),
}


def _text(data: dict, key: str) -> str | None:
    """The value of ``key`` when it is a usable string (not a placeholder)."""
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, str) and (
        len(value.strip()) > PLACEHOLDER_MAX_LEN or not is_placeholder(value)
    ):
        return value
    return None


def _pmcid(data: dict) -> str | None:
    value = _text(data, "pmcid")
    return value if value and PMCID_RE.match(value) else None


def _normal_number(number: str | None) -> tuple[str, str] | None:
    """(prefix, digits) of a figure number; the un-normalised `Figure 3` is F3."""
    if number is None:
        return None
    m = NUMBER_RE.match(number)
    if m:
        return m.group(1), m.group(2)
    m = FIGURE_N_RE.match(number)
    if m:
        return "F", m.group(1)
    return None


def _expected_alias(data: dict) -> str | None:
    pmcid, num = _pmcid(data), _normal_number(_text(data, "number"))
    if pmcid is None or num is None:
        return None
    return f"{pmcid}__{num[0]}{num[1]}"


def _stem(filename: str) -> str:
    return filename.rsplit(".", 1)[0] if "." in filename else filename


def _expected_figid(data: dict) -> str | None:
    pmcid, filename = _pmcid(data), _text(data, "filename")
    if pmcid is None or filename is None:
        return None
    return f"{pmcid}__{_stem(filename)}"


def _replace_fix(rec, path: str, value: str, message: str) -> Fix | None:
    edit = edits.replace_value(rec, path, value)
    return Fix("safe", message, (edit,)) if edit else None


@rule("ID101", "figid", "error")
def figid(rec, ctx):
    """`figid` is not `pmcid` + `__` + the image file name without extension.

    What: `figid` differs from `pmcid`, two underscores and `filename`
    without its extension. Skipped when `pmcid` is not `PMC` + digits
    (MD103's) or `filename` is missing or a placeholder.
    Why: `figid` names the record's file, its page, its sidecar tables and
    its `@id`; a figid that does not follow from the paper and the image
    points at another figure.
    Fails:
        figid: PMC6457213__advances029850f8
        pmcid: PMC6457213
        filename: advances029850f7.jpg
    Passes:
        figid: PMC6457213__advances029850f7
        pmcid: PMC6457213
        filename: advances029850f7.jpg
    """
    data = rec.data
    value = _text(data, "figid")
    if value is None:
        return
    expected = _expected_figid(data)
    if expected is None or value == expected:
        return
    yield Problem(
        "/figid",
        f"figid {quote(value)} ≠ pmcid + '__' + filename without extension = {quote(expected)}",
    )


@rule("ID102", "file-name", "warning", options={"check-file-name": False})
def file_name(rec, ctx):
    """The file's name is not `figid` + `.md`.

    What: the record's file name without `.md` differs from its `figid`.
    Only files named `PMC*__*.md` are checked (a record being drafted under
    another name is not an error) unless the option `check-file-name` is
    true.
    Why: the site builds the figure page's URL and finds the sidecar tables
    `_data/<figid>-genes.tsv` from the file name; a record under another
    name publishes at the wrong address.
    Options: `check-file-name` (default false): check every file, whatever
    its name.
    Fails:
        # in _figures/PMC6457213__advances029850f8.md
        figid: PMC6457213__advances029850f7
    Passes:
        # in _figures/PMC6457213__advances029850f7.md
        figid: PMC6457213__advances029850f7
    """
    value = _text(rec.data, "figid")
    if value is None:
        return
    name = os.path.basename(rec.filename)
    if name in ("", "."):  # `dir/` or `dir/.`: as pathlib names it
        name = Path(rec.filename).name
    if not (_RECORD_NAME(name) or ctx.options.get("check-file-name")):
        return
    stem = name[: -len(".md")] if name.endswith(".md") else Path(name).stem
    if stem != value:
        yield Problem("/figid", f"file name {quote(name)} ≠ figid + '.md' = {quote(value + '.md')}")


@rule("ID103", "figid-alias", "error", fix="safe")
def figid_alias(rec, ctx):
    """`figid_alias` is not `pmcid` + `__` + `number`.

    What: `figid_alias` differs from `pmcid`, two underscores and `number`
    (the un-normalised `Figure 3` of early records counts as `F3`). Records
    without `figid_alias` (generation A′) pass; a `number` that is not a
    figure number is MD109's and skips the check.
    Why: the alias is the figure's short address (`/figures/PMC…__F7`); a
    wrong one sends readers to another figure.
    Fix: safe: write the expected alias.
    Fails:
        pmcid: PMC6457213
        number: F7
        figid_alias: PMC6457213__F6
    Passes:
        pmcid: PMC6457213
        number: F7
        figid_alias: PMC6457213__F7
    """
    data = rec.data
    value = _text(data, "figid_alias")
    if value is None:
        return
    expected = _expected_alias(data)
    if expected is None or value == expected:
        return
    fix = _replace_fix(rec, "/figid_alias", expected, f"Replace by {quote(expected)}")
    yield Problem(
        "/figid_alias",
        f"figid_alias {quote(value)} ≠ pmcid + '__' + number = {quote(expected)}",
        fix,
    )


@rule("ID104", "redirect-from", "error", fix="safe")
def redirect_from(rec, ctx):
    """`redirect_from` is not `/figures/` + `figid_alias`.

    What: `redirect_from` differs from `/figures/` followed by the figure's
    alias. The alias is `pmcid` + `__` + `number` when those are usable
    (so a wrong `figid_alias` alone is ID103's finding, not also this
    one's), else the record's `figid_alias`.
    Why: the site's redirect plugin turns it into the alias URL; a wrong
    one breaks every link to the figure's short address.
    Fix: safe: write the expected path.
    Fails:
        figid_alias: PMC6457213__F7
        redirect_from: /figure/PMC6457213__F7
    Passes:
        figid_alias: PMC6457213__F7
        redirect_from: /figures/PMC6457213__F7
    """
    data = rec.data
    value = _text(data, "redirect_from")
    if value is None:
        return
    alias = _expected_alias(data)
    source = "'/figures/' + pmcid + '__' + number"
    if alias is None:
        alias, source = _text(data, "figid_alias"), "'/figures/' + figid_alias"
    if alias is None:
        return
    expected = "/figures/" + alias
    if value == expected:
        return
    fix = _replace_fix(rec, "/redirect_from", expected, f"Replace by {quote(expected)}")
    yield Problem(
        "/redirect_from", f"redirect_from {quote(value)} ≠ {source} = {quote(expected)}", fix
    )


@rule("ID105", "figlink", "error", fix="safe")
def figlink(rec, ctx):
    """`figlink` is not `/pmc/articles/<pmcid>/figure/<anchor>/`.

    What: `figlink` lacks its leading slash, names another pmcid than the
    record's, has no anchor, or is not a PMC figure path at all. The anchor
    is the journal's own (`F3`, `fig3`, `ijms-20-02505-f004`) and need not
    match the figure number; the trailing slash is optional (the 2024 batch
    omits it).
    Why: the site links to PubMed Central as `https://www.ncbi.nlm.nih.gov`
    + `figlink`: without the slash the host and path run together; another
    pmcid opens another paper.
    Fix: safe when the leading slash is the only problem: add it.
    Fails:
        pmcid: PMC7773330
        figlink: pmc/articles/PMC7773330/figure/F1/
    Passes:
        pmcid: PMC7773330
        figlink: /pmc/articles/PMC7773330/figure/F1/
        figlink: /pmc/articles/PMC7773330/figure/F1
    """
    data = rec.data
    value = _text(data, "figlink")
    if value is None:
        return
    pmcid = _pmcid(data)
    want = f"/pmc/articles/{pmcid or '<pmcid>'}/figure/<anchor>/"
    m = FIGLINK_RE.match(value)
    if m is None:
        yield Problem(
            "/figlink", f"figlink {quote(value)} is not a PMC figure path, expected {quote(want)}"
        )
        return
    slash, link_pmcid, anchor, _ = m.groups()
    problems = []
    if not slash:
        problems.append("no leading slash")
    if pmcid is not None and link_pmcid != pmcid:
        problems.append(f"pmcid {quote(link_pmcid)} is not the record's {quote(pmcid)}")
    elif pmcid is None and not PMCID_RE.match(link_pmcid):
        problems.append(f"{quote(link_pmcid)} is not a pmcid")
    if not anchor:
        problems.append("no anchor")
    if not problems:
        return
    fix = None
    if problems == ["no leading slash"]:
        fix = _replace_fix(rec, "/figlink", "/" + value, "Add the leading slash")
        want = "/" + value
    yield Problem(
        "/figlink", f"figlink {quote(value)}: {', '.join(problems)}; expected {quote(want)}", fix
    )


@rule("ID106", "jsonld-id", "error", fix="safe")
def jsonld_id(rec, ctx):
    """`schema-jsonld.@id` is not the figure's page URL.

    What: `schema-jsonld` `@id` differs from
    `https://pfocr.wikipathways.org/figures/<figid>.html`. When `figid`
    itself disagrees with `pmcid` and `filename` (ID101) and `@id` follows
    from those instead, the `figid` is the odd one out and only ID101
    reports.
    Why: `@id` is the dataset's identity for search engines and for the
    site's structured data; a wrong one merges or splits figures.
    Fix: safe: write the expected URL.
    Fails:
        figid: PMC6457213__advances029850f7
        schema-jsonld:
          '@id': https://pfocr.wikipathways.org/figures/PMC6457213__advances029850f7
    Passes:
        figid: PMC6457213__advances029850f7
        schema-jsonld:
          '@id': https://pfocr.wikipathways.org/figures/PMC6457213__advances029850f7.html
    """
    data = rec.data
    value = _text(data.get("schema-jsonld"), "@id")
    fid = _text(data, "figid")
    if value is None or fid is None:
        return
    expected = JSONLD_ID.format(fid)
    if value == expected:
        return
    derived = _expected_figid(data)
    if derived is not None and derived != fid and value == JSONLD_ID.format(derived):
        return  # figid is the odd one out: ID101
    path = "/schema-jsonld/@id"
    fix = _replace_fix(rec, path, expected, f"Replace by {quote(expected)}")
    yield Problem(path, f"schema-jsonld @id {quote(value)} ≠ {quote(expected)} (from figid)", fix)


def _fold(text: str) -> str:
    return " ".join(text.split())


def _first_difference(a: str, b: str) -> tuple[int, str, str]:
    i = 0
    for i, (x, y) in enumerate(zip(a, b)):  # noqa: B007
        if x != y:
            break
    else:
        i = min(len(a), len(b))
    lo = max(0, i - 15)
    return i, a[lo : i + 25], b[lo : i + 25]


@rule("ID107", "jsonld-description", "warning", fix="safe")
def jsonld_description(rec, ctx):
    """`schema-jsonld.description` is not the caption.

    What: `schema-jsonld` `description` differs from `caption` after folding
    runs of whitespace (line breaks of folded scalars) into single spaces.
    Skipped when the caption is missing or a placeholder.
    Why: the description is the text search engines show for the figure; it
    is meant to be a copy of the caption, and a hand edit of one without
    the other leaves them telling different stories.
    Fix: safe: copy the caption into `description`.
    Fails:
        caption: Model of cytokine-mediated rescue.
        schema-jsonld:
          description: Model of cytokine rescue.
    Passes:
        caption: Model of cytokine-mediated rescue.
        schema-jsonld:
          description: Model of   cytokine-mediated rescue.
    """
    data = rec.data
    sj = data.get("schema-jsonld")
    caption = _text(data, "caption")
    if caption is None or not isinstance(sj, dict):
        return
    value = sj.get("description")
    if not isinstance(value, str) or value == caption or is_placeholder(value):
        return  # (equal texts fold alike)
    a, b = _fold(value), _fold(caption)
    if a == b:
        return
    at, got, want = _first_difference(a, b)
    path = "/schema-jsonld/description"
    fix = _replace_fix(rec, path, caption, "Copy the caption into description")
    yield Problem(
        path,
        f"schema-jsonld description ≠ caption from character {at + 1}: "
        f"{quote(got)} ≠ caption's {quote(want)}",
        fix,
    )


@rule("ID108", "jsonld-constants", "warning", fix="safe")
def jsonld_constants(rec, ctx):
    """A constant part of `schema-jsonld` differs from the value every record carries.

    What: `@context` is not `https://schema.org/`, `@type` not `Dataset`,
    `license` not `CC0`, `name` not `CreativeWork`, or `creator` not
    `{'@type': Organization, name: WikiPathways}`. A missing key is the
    schema's finding.
    Why: these are fixed by the site's template; any other value is a typo
    or an edit that makes the structured data invalid for search engines.
    Fix: safe: write the constant (only over a scalar; a list or mapping in
    place of a constant is reported without a fix).
    Fails:
        schema-jsonld:
          license: CC-BY
    Passes:
        schema-jsonld:
          license: CC0
    """
    sj = rec.data.get("schema-jsonld")
    if not isinstance(sj, dict):
        return
    creator = sj.get("creator")
    if (
        sj.items() >= CONSTANTS.items()
        and isinstance(creator, dict)
        and creator.items() >= CREATOR.items()
    ):
        return  # every constant is there and right: the usual case, in one test
    checks = [("/schema-jsonld/", sj, CONSTANTS)]
    if isinstance(creator, dict):
        checks.append(("/schema-jsonld/creator/", creator, CREATOR))
    elif "creator" in sj:
        yield Problem(
            "/schema-jsonld/creator",
            f"schema-jsonld creator {quote(creator)} ≠ {quote(CREATOR)}",
        )
    for prefix, mapping, constants in checks:
        for key, want in constants.items():
            if key not in mapping:
                continue
            value = mapping[key]
            if value == want:
                continue
            path = prefix + key
            fix = None
            if not isinstance(value, (dict, list)):
                fix = _replace_fix(rec, path, want, f"Replace by {quote(want)}")
            name = path.removeprefix("/schema-jsonld/").replace("/", " ")
            yield Problem(path, f"schema-jsonld {name} {quote(value)} ≠ {quote(want)}", fix)


@rule("ID109", "figtype", "warning")
def figtype(rec, ctx):
    """`figtype` disagrees with the prefix of `number`.

    What: `number` `F<n>` wants `figtype: Figure`; `S<n>` wants
    `Supplemental figure` (or `Scheme`, which the collection shows once
    with `S1`); `SF<n>` `Supplemental figure`; `GA<n>` `Graphical
    abstract`. An un-normalised `Figure <n>` counts as `F`. Records without
    `figtype` (generation A′) and numbers of no known form (MD109's) are
    skipped.
    Why: the site groups and labels figures by `figtype`; a graphical
    abstract labelled as a figure shows up among the paper's figures.
    Fails:
        number: GA1
        figtype: Figure
    Passes:
        number: GA1
        figtype: Graphical abstract
    """
    data = rec.data
    value = _text(data, "figtype")
    number = _text(data, "number")
    num = _normal_number(number)
    if value is None or num is None:
        return
    allowed = FIGTYPES[num[0]]
    if value in allowed:
        return
    want = " or ".join(repr(a) for a in allowed)
    yield Problem(
        "/figtype",
        f"figtype {quote(value)} disagrees with number {quote(number)} (prefix {num[0]}), expected {want}",
    )
