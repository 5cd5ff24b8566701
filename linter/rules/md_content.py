"""MD – metadata checks that read the citation text (issue 15: defects found by
reading real records)."""

from __future__ import annotations

import re

from linter.base.model import Fix, Problem
from linter.base.values import short
from linter.rules import edits
from linter.rules.md import reftext_year, valid_year
from linter.rules.na import is_placeholder
from linter.rules.registry import rule

# `Nat Rev Cancer. ;22(4):239-252.`: the journal's full stop, then an empty date
_EMPTY_DATE = re.compile(r"\.\s+;")


@rule("MD114", "reftext-no-year", "warning", fix="unsafe")
def reftext_no_year(rec, ctx):
    """`reftext` names no publication year.

    What: the citation in `reftext` holds no stand-alone year (18xx-20xx; a
    year inside a page range, an article number or a DOI-like token does not
    count), e.g. `Sohum Mehta, et al. Nat Rev Cancer. ;22(4):239-252.`, where
    the date between the journal and the volume is empty. A placeholder
    `reftext` is the NA rules'.
    Why: the citation is what a reader sees of the paper; PMC's metadata
    lost the date, so the citation cannot be checked against `year` (MD102)
    nor read as a reference.
    Fix: when `year` is well-formed and the date slot is empty (`. ;`), put
    `year` there (unsafe: the issue date may have had a month too).
    Fails:
        year: '2022'
        reftext: Sohum Mehta, et al. Nat Rev Cancer. ;22(4):239-252.
    Passes:
        year: '2022'
        reftext: Sohum Mehta, et al. Nat Rev Cancer. 2022;22(4):239-252.
    """
    data = rec.data if isinstance(rec.data, dict) else {}
    reftext = data.get("reftext")
    if not isinstance(reftext, str) or is_placeholder(reftext) or not reftext.strip():
        return
    if reftext_year(reftext) is not None:
        return
    year = data.get("year")
    slot = _EMPTY_DATE.search(reftext)
    fix = None
    if slot is not None and valid_year(year):
        fixed = f"{reftext[: slot.start()]}. {year};{reftext[slot.end() :]}"
        edit = edits.replace_value(rec, "/reftext", fixed)
        fix = (
            Fix("unsafe", f"Put the year {year} in the citation's date", (edit,)) if edit else None
        )
    where = "its date slot is empty ('. ;')" if slot is not None else "no year at all"
    expected = f"the year ({year!r}, the record's year)" if valid_year(year) else "the year"
    yield Problem(
        "/reftext",
        f"/reftext: {short(reftext, 80)} names no publication year ({where}); expected "
        f"{expected} after the journal, as in 'Journal. YYYY Mon;vol(issue):pages'",
        fix=fix,
        data={"reftext": reftext, "year": year if isinstance(year, str) else ""},
    )
