"""Record generations (FORMAT.md): which upstream writer produced a record.

Two writer families produced the front matter:

- the 2020 writer (generations A, A′, A″): ``pathway_score``,
  ``pmc_ranked_result_index``, ``annotations: []`` and inline ``genes`` /
  ``chemicals`` / ``diseases`` lists; ``organisms`` a single string in A;
- the 2023+ writer (generations B and C): ``automl_pathway``,
  ``organisms_ner``, ``doi``, ``journal_title``, ``journal_nlm_ta``,
  ``publisher_name`` and the ``keywords`` string; annotations in sidecar tables.

:func:`detect` names the generation by the family with more marks, then
refines it:

- A′ ("A1"): no ``figid_alias``, ``redirect_from`` nor ``figtype`` (these
  records also carry the un-normalised ``number: Figure N``);
- A″ ("A2"): ``organisms`` is a list;
- B vs C. Both come from the same writer and have the same keys, so the
  decision is a heuristic calibrated on the 103 corpus records + 4 seeds,
  where it is right for every record:

  1. ``figlink`` without its trailing slash -> C (only the 2024–25 batch
     writer omits it);
  2. ``organisms_ner`` written after ``figtype`` (the key order of the
     rewritten 2023 records) -> B;
  3. the ``pmcid``: PMCIDs are issued in time order; the 2023 regeneration
     covers papers up to PMC1004xxxx (March 2023), the 2024–25 batches start
     at PMC10484658 (September 2023); :data:`C_PMCID_FROM` sits in that gap;
  4. without a usable ``pmcid``: C when ``keywords: ''`` (mostly empty in C,
     mostly filled in B) and a ``reftext`` without pages (C drops them)
     come together, else B (without the pmcid, steps 1, 2 and 4 classify 79
     of the 85 B/C records of corpus + seeds right).

  Not decisive alone: the paper's year (B holds 2023 papers, and older papers
  regenerated in 2023), ``keywords: ''`` (6 of 54 B records) or missing pages
  (B's ahead-of-print papers).

Generation codes are plain ASCII: "A", "A1" (A′), "A2" (A″), "B", "C";
:data:`LABELS` gives their human names.
"""

from __future__ import annotations

import re

LABELS = {
    "A": "2020 (A)",
    "A1": "2020 early (A′)",
    "A2": "2020 late (A″)",
    "B": "2023 regeneration (B)",
    "C": "2024–25 batches (C)",
}
# the two writer families, as returned by mixed_marks()
FAMILY_LABELS = {"A": "2020 (A/A′/A″)", "B": "2023+ (B/C)"}

# keys only the 2020 writer wrote
A_KEYS = (
    "pmc_ranked_result_index",
    "pathway_score",
    "annotations",
    "genes",
    "chemicals",
    "diseases",
)
# keys only the 2023+ writer wrote
B_KEYS = (
    "organisms_ner",
    "doi",
    "journal_title",
    "journal_nlm_ta",
    "publisher_name",
    "keywords",
    "automl_pathway",
)
_FAMILY_OF = {**{k: "A" for k in A_KEYS}, **{k: "B" for k in B_KEYS}}
A1_ABSENT = ("figid_alias", "redirect_from", "figtype")

# first PMCID (numeric part) taken as a 2024–25 batch record (see module doc)
C_PMCID_FROM = 10_250_000
_PMCID = re.compile(r"\s*PMC(\d+)\s*")
_PAGES = re.compile(r":\s*[^\s:;]+\.?\s*$")


def marks(data) -> list[tuple[str, str]]:
    """Every generation mark of ``data``: ``(key, family)`` with family "A"
    (2020 writer) or "B" (2023+ writer, generations B and C), in key order."""
    if not isinstance(data, dict):
        return []
    # a single `organisms` string: only the 2020 (A) writer wrote one
    single = "organisms" if isinstance(data.get("organisms"), str) else None
    return [
        (key, "A" if key == single else _FAMILY_OF[key])
        for key in data
        if key in _FAMILY_OF or key == single
    ]


def family(data) -> str | None:
    """The writer family with more marks ("A" or "B"); None on a tie or when
    the record carries no mark at all."""
    found = marks(data)
    a = sum(1 for _, f in found if f == "A")
    b = len(found) - a
    if a == b:
        return None
    return "A" if a > b else "B"


def mixed_marks(data) -> list[tuple[str, str]]:
    """The marks that disagree with the record's family: ``(key, family)`` of
    the minority family; on a tie, every mark of both families. Empty when the
    record is all one family."""
    if not (
        isinstance(data, dict)
        and any(k in data for k in B_KEYS)
        and (any(k in data for k in A_KEYS) or isinstance(data.get("organisms"), str))
    ):
        return []  # marks of one family at most (the usual case, tested cheaply)
    found = marks(data)
    if len({f for _, f in found}) < 2:
        return []
    fam = family(data)
    if fam is None:
        return found
    return [(k, f) for k, f in found if f != fam]


def detect(data) -> str | None:
    """The generation of a record's data: "A", "A1" (A′), "A2" (A″), "B" or
    "C"; None when the data is not a mapping, carries no generation mark, or
    its 2020 and 2023+ marks are evenly matched. A record with a few stray
    marks of the other family gets its majority's generation (MD108 reports
    the strays)."""
    fam = family(data)
    if fam is None:
        return None
    if fam == "A":
        if not any(k in data for k in A1_ABSENT):
            return "A1"
        if isinstance(data.get("organisms"), list):
            return "A2"
        return "A"
    return "C" if _is_c(data) else "B"


def pmcid_number(value) -> int | None:
    if isinstance(value, str):
        m = _PMCID.fullmatch(value)
        if m:
            digits = m.group(1).lstrip("0") or "0"
            # a longer number is past every real PMCID all the same (and int()
            # refuses a string of more than 4,300 digits)
            return int(digits) if len(digits) <= 18 else 10**18
    return None


def has_pages(reftext) -> bool | None:
    """Whether a reftext ends with pages / an article number (``:1061-1072.``);
    None when it is not a string."""
    if not isinstance(reftext, str):
        return None
    return bool(_PAGES.search(reftext))


def _is_c(data: dict) -> bool:
    """A 2024–25 batch record (C) rather than the 2023 regeneration (B)."""
    figlink = data.get("figlink")
    if isinstance(figlink, str) and figlink.strip() and not figlink.rstrip().endswith("/"):
        return True
    if "organisms_ner" in data and "figtype" in data:
        # written after figtype: the 2023 regeneration (B)
        first = next(k for k in data if k == "organisms_ner" or k == "figtype")
        if first == "figtype":
            return False
    number = pmcid_number(data.get("pmcid"))
    if number is not None:
        return number >= C_PMCID_FROM
    # no usable pmcid: both weak marks of C, or neither
    return data.get("keywords") == "" and has_pages(data.get("reftext")) is False
