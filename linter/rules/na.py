"""NA – placeholders leaked from upstream tools (R's yaml package, R's paste).

The front matter is written by R: a missing string becomes `.na.character`,
hand-written lists (`organisms`) get the text `NA`, and text pasted together
from parts keeps `NA` for a missing part (`2023;2023(NA).`). These rules find
those placeholders; the ID, MD and KW rules skip values that are placeholders
so that one defect gives one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.base.model import Fix, Problem
from linter.base.values import clip, listed, quote
from linter.reading.reader import join
from linter.rules import edits
from linter.rules.registry import rule

# R's yaml package writes NA of each atomic type as one of these tags-as-text
R_NA = frozenset({".na.character", ".na", ".na.real", ".na.integer"})
# textual nulls: NA and N/A exactly as written; the others in any case
_TEXT_NULL_EXACT = frozenset({"NA", "N/A", "n/a"})
_TEXT_NULL_FOLDED = frozenset({"nan", "null", "none"})
# the schema's top-level required keys: an R NA there is blanked, not removed
REQUIRED = frozenset(
    {
        "figid", "figlink", "number", "caption", "pmcid", "papertitle", "reftext",
        "filename", "figtitle", "year", "organisms", "ndex", "seo", "schema-jsonld",
    }
)  # fmt: skip
# top-level lists of names, where an item that is a textual null is a defect
ORGANISM_LISTS = ("organisms", "organisms_ner")
# top-level fields where '' is the documented "none"
EMPTY_OK = frozenset({"ndex", "keywords"})
# top-level fields whose value is a list of annotation entries or keywords:
# their words are OCR tokens or chemical names (`Na`, `NA` = noradrenaline)
_ANNOTATION_LISTS = frozenset({"genes", "chemicals", "diseases", "annotations"})
# the longest textual null (stripped; casefolding never shortens a string, so
# a longer value needs no casefold), and the longest placeholder of all: no
# longer string without surrounding whitespace is one
TEXT_NULL_MAX_LEN = max(map(len, _TEXT_NULL_EXACT | _TEXT_NULL_FOLDED))
PLACEHOLDER_MAX_LEN = max(TEXT_NULL_MAX_LEN, *map(len, R_NA))


def is_r_na(value) -> bool:
    """True for R's NA placeholders (`.na.character`, `.na`, `.na.real`, `.na.integer`)."""
    return isinstance(value, str) and value in R_NA


def is_text_null(value) -> bool:
    """True for a string that spells a null: NA, N/A, NaN, NULL, None, null."""
    if not isinstance(value, str):
        return False
    v = value.strip()
    return len(v) <= TEXT_NULL_MAX_LEN and (
        v in _TEXT_NULL_EXACT or v.casefold() in _TEXT_NULL_FOLDED
    )


def is_placeholder(value) -> bool:
    """A value that stands for "missing": R NA, a textual null or a blank string."""
    if not isinstance(value, str):
        return False
    if len(value) <= PLACEHOLDER_MAX_LEN and value in R_NA:  # (never hash a caption)
        return True
    v = value.strip()
    return len(v) <= TEXT_NULL_MAX_LEN and (
        not v or v in _TEXT_NULL_EXACT or v.casefold() in _TEXT_NULL_FOLDED
    )


def _walk(data, path: str = "") -> Iterator[tuple[str, object, object]]:
    """(path, value, parent) for every scalar below ``data``, depth first in
    document order; iterative, so any nesting depth is walked."""
    if not isinstance(data, (dict, list)):
        return
    stack = [(path, data, _children(data))]
    while stack:
        base, parent, children = stack[-1]
        for key, value in children:
            child = join(base, key)
            if isinstance(value, (dict, list)):
                stack.append((child, value, _children(value)))
                break
            yield child, value, parent
        else:
            stack.pop()


def _children(data):
    if isinstance(data, dict):
        return ((str(k), v) for k, v in data.items())
    return enumerate(data)


def _list_removal(rec, path: str, doomed: set[int], items: list):
    """The edit that removes item ``path`` of ``items`` when every index in
    ``doomed`` is removed too: ``[]`` when nothing would be left (so that
    several deletions in one pass never leave a bare ``key:``), else the
    item's lines."""
    if len(doomed) >= len(items):
        parent = path.rpartition("/")[0]
        return edits.empty_list(rec, parent)
    return edits.delete_item(rec, path)


@rule("NA101", "na-character", "error", fix="safe")
def na_character(rec, ctx):
    """A value is R's `.na.character` placeholder.

    What: a value or list item anywhere in the record (top-level fields,
    `organisms`, `schema-jsonld.keywords`, annotation entries) is the
    literal `.na.character`, the text R's yaml package writes for
    `NA_character_`. Its siblings `.na`, `.na.real` and `.na.integer` (R's
    logical, double and integer NA) are reported too.
    Why: YAML reads it as the string ".na.character": the site shows it as a
    DOI or journal name, searches index it as a keyword.
    Fix: safe: an optional top-level field loses its key (`doi`,
    `journal_title`, `keywords`…); a list item is removed (the only item
    leaves `[]`). Unsafe: a required field (`figid`, `caption`, `year`,
    `organisms`… the schema's required list) and a key of a nested mapping
    (`schema-jsonld`, gene, chemical and disease entries, all of whose keys
    are required) become the empty string ''.
    Fails:
        doi: .na.character
        schema-jsonld:
          keywords:
          - JAK2
          - .na.character
    Passes:
        doi: 10.1182/bloodadvances.2018029850
    """
    if rec.text.find(".na", rec.fm_start, rec.fm_end) < 0:
        return  # every R NA placeholder spells ".na": nothing to find
    data = rec.data
    lists: dict[str, set[int]] = {}
    found = []
    for path, value, parent in _walk(data):
        if is_r_na(value):
            found.append((path, value, parent))
            if isinstance(parent, list):
                head, _, idx = path.rpartition("/")
                lists.setdefault(head, set()).add(int(idx))
    for path, value, parent in found:
        head, _, last = path.rpartition("/")
        if isinstance(parent, list):
            edit = _list_removal(rec, path, lists[head], parent)
            fix = Fix("safe", "Remove the item", (edit,)) if edit else None
            yield Problem(
                path, f"{clip(path)}: {value!r} is R's NA placeholder, expected no item", fix
            )
        elif head == "" and last not in REQUIRED:
            edit = edits.delete_key(rec, path)
            fix = Fix("safe", f"Remove the key {quote(last)}", (edit,)) if edit else None
            yield Problem(
                path,
                f"{clip(path)}: {value!r} is R's NA placeholder, expected the key left out",
                fix,
            )
        else:
            edit = edits.replace_value(rec, path, "")
            fix = Fix("unsafe", "Replace by the empty string ''", (edit,)) if edit else None
            what = "a required field" if head == "" else "a field of a nested entry"
            yield Problem(
                path,
                f"{clip(path)}: {value!r} is R's NA placeholder in {what}, expected a real value",
                fix,
            )


def _text_nulls(data: dict) -> tuple[list[tuple[str, object, object]], dict[str, set[int]]]:
    """Where a textual null is a defect, the (path, value, parent) of each one
    in order: top-level scalars, items of the organism lists, and the scalars
    of `schema-jsonld` (not its keywords). Also, per organism list, the
    indexes of its items that are textual nulls or R NAs (NA101 removes the
    latter in the same pass). Paths are built for the hits only: almost every
    value is a real one."""
    found = []
    doomed: dict[str, set[int]] = {}
    for key, value in data.items():
        if isinstance(value, str):
            # (a longer stripped value is no null: skip the full test)
            if (
                len(value.strip()) <= TEXT_NULL_MAX_LEN
                and isinstance(key, str)
                and key not in _ANNOTATION_LISTS
                and is_text_null(value)
            ):
                found.append((join("", key), value, data))
        elif isinstance(value, list):
            if key in ORGANISM_LISTS:
                for i, item in enumerate(value):
                    if not isinstance(item, str):
                        continue
                    null = len(item.strip()) <= TEXT_NULL_MAX_LEN and is_text_null(item)
                    if null or item in R_NA:
                        head = join("", key)
                        doomed.setdefault(head, set()).add(i)
                        if null:
                            found.append((join(head, i), item, value))
        elif isinstance(value, dict) and key == "schema-jsonld":
            for k, v in value.items():
                if (
                    isinstance(v, str)
                    and len(v.strip()) <= TEXT_NULL_MAX_LEN
                    and isinstance(k, str)
                    and k != "keywords"
                    and is_text_null(v)
                ):
                    found.append((join(join("", key), k), v, value))
    return found, doomed


@rule("NA102", "na-string", "warning", fix="unsafe")
def na_string(rec, ctx):
    """A value or list item is a textual null such as `NA`.

    What: a top-level field, an item of `organisms` / `organisms_ner`, or a
    scalar of `schema-jsonld` is a string that spells a null: `NA`, `N/A`
    or `n/a` (as written), `NaN`, `NULL`, `None`, `null` (in any case). A
    YAML null (`~`, bare `null`) is not a string and is the schema's
    finding.
    Narrowed: gene, chemical and disease `word`s and `schema-jsonld`
    keywords are never checked: there `NA`, `Na`, `NaN` are OCR tokens or
    real names (noradrenaline, sodium).
    Why: upstream writes the organism lists by hand, so a missing organism
    becomes the text `NA`; the site then lists "NA" as a species and
    species filters count it.
    Fix: unsafe: remove the list item (the only item leaves `[]`); none for
    a top-level scalar.
    Fails:
        organisms:
        - NA
        - Homo sapiens
    Passes:
        organisms:
        - Homo sapiens
    """
    found, doomed = _text_nulls(rec.data)
    for path, value, parent in found:
        if isinstance(parent, list):
            # together with NA101's removals: never leave a bare `key:`
            edit = _list_removal(rec, path, doomed[path.rpartition("/")[0]], parent)
            fix = Fix("unsafe", "Remove the item", (edit,)) if edit else None
            yield Problem(
                path,
                f"{clip(path)}: {quote(value)} is a textual null, expected a name or no item",
                fix,
            )
        else:
            yield Problem(
                path, f"{clip(path)}: {quote(value)} is a textual null, expected a real value"
            )


@rule("NA103", "empty-value", "warning")
def empty_value(rec, ctx):
    """A top-level field that carries meaning is an empty string.

    What: a top-level field (`year`, `doi`, `journal_title`,
    `journal_nlm_ta`, `publisher_name`, `figtitle`, `caption`, `papertitle`,
    `reftext`, `pmcid`, `figid`, `filename`, `number`, `figlink`,
    `figid_alias`…) or an item of `organisms` / `organisms_ner` is `''` or
    only whitespace. `ndex: ''` and `keywords: ''` are the documented "none"
    and pass; empty fields of chemical and disease entries are CH103's and
    DI101's.
    Why: an empty value hides a missing one: upstream writes `''` where it
    found nothing, the site renders an empty heading or link.
    Fails:
        publisher_name: ''
    Passes:
        publisher_name: Frontiers Media S.A.
        ndex: ''
    """
    for key, value in rec.data.items():
        if isinstance(value, str):
            if not value.strip() and isinstance(key, str) and key not in EMPTY_OK:
                path = join("", key)
                yield Problem(path, f"{clip(path)}: {quote(value)} is empty, expected a value")
        elif isinstance(value, list) and key in ORGANISM_LISTS:
            for i, item in enumerate(value):
                if isinstance(item, str) and not item.strip():
                    p = join(join("", key), i)
                    yield Problem(p, f"{p}: {quote(item)} is empty, expected an organism name")


# `NA` where R pasted a missing part into a citation: the issue `(NA)`, pages
# `:NA`, volume `;NA(`, a date or journal `. NA;` / `. NA.`
_NA_PART = re.compile(r"(?:(?<=[(;:,])|(?<=[.;] ))NA(?=[);:(,]|\.?\s*$|\.\s)")


# what is left when the NA parts are dropped (for the message)
_NA_DROP = re.compile(r"\(NA\)|[:,]NA(?=[;:(),.]|\s|$)|(?<=;)NA(?=\()")


# a message names at most this many tokens, and parts in each
_MAX_TOKENS = 5
_MAX_PARTS = 5


def _na_part_name(text: str, start: int) -> str:
    before = text[start - 1] if start else ""
    after = text[start + 2 : start + 3]
    if before == "(":
        return "issue"
    if before == ":":
        return "pages"
    if before == ";" and after == "(":
        return "volume"
    if after == ";":
        return "date"
    return "part"


@rule("NA104", "na-in-text", "warning")
def na_in_text(rec, ctx):
    """A citation has R's `NA` in place of a missing part.

    What: `reftext` contains `NA` where upstream pasted a missing part of the
    citation: the issue `2023;2023(NA).`, the pages `;7(2):NA.`, the volume
    `2023;NA(2)`, a date or journal `. NA;`. Only the token `NA` set off by
    citation punctuation counts; the letters NA inside words (`DNA`,
    `RNA`) never do.
    Narrowed: captions and titles are not checked: there `NA` is a real
    abbreviation (noradrenaline, neuraminidase, not applicable).
    Why: the site prints the citation as is; "(NA)" reads as an issue
    called NA.
    Fails:
        reftext: Hui-Yuan Li, et al. J Immunol Res. 2023;2023(NA).
    Passes:
        reftext: Hui-Yuan Li, et al. J Immunol Res. 2023;2023.
        reftext: Guihua Sun, et al. Noncoding RNA. 2023 Apr;9(2):20.
    """
    text = rec.data.get("reftext")
    if not isinstance(text, str) or "NA" not in text:
        return  # (every NA part spells "NA")
    # the space-separated token around each NA part, found in one pass: a
    # part in the token of the previous one reuses its bounds (a reftext of
    # `NA;NA;…` without a space is one token, not one scan per part)
    tokens: dict[tuple[int, int], list[str]] = {}
    lo = hi = -1
    for m in _NA_PART.finditer(text):
        start = m.start()
        if start >= hi:  # past the previous token (whose end is a space)
            lo = text.rfind(" ", max(hi, 0), start) + 1
            hi = text.find(" ", m.end())
            hi = len(text) if hi == -1 else hi
        tokens.setdefault((lo, hi), []).append(f"the {_na_part_name(text, start)}")
    found = []
    for (lo, hi), parts in tokens.items():
        if len(found) == _MAX_TOKENS:
            break
        token = text[lo:hi]
        shown = _NA_DROP.sub("", token)
        found.append(
            f"{listed(parts, _MAX_PARTS, ' and ')} in {quote(token)}"
            + (f" (expected {quote(shown)})" if shown != token else "")
        )
    if found:
        more = len(tokens) - len(found)
        yield Problem(
            "/reftext",
            f"/reftext: 'NA' in place of {'; '.join(found)}"
            + (f"; and {more:,} more" if more else ""),
        )
