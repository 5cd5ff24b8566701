"""XR – across records (whole collection).

These rules see every record of a run at once. Each has up to three parts:

- an ``index`` function (``options["index"]``): the values the rule needs
  from one parsed record — a small tuple of strings (the figid, the alias,
  the paper's fields, the folder) — or ``None`` when the record has nothing
  to contribute;
- a ``compact`` function (``options["compact"]``): those values as a few
  bytes of digests (BLAKE2b, 8 bytes a value). That is what the engine
  computes in whichever process lints the record, sends on, stores in the
  results cache beside the record's findings and keeps for every file of
  the run: about 130 bytes per record, whatever the values' length, and a run
  after one file changed reads that file only;
- the rule function, run once per run over ``items``: the ``(filename,
  compact value)`` pairs in discovery order (a list, or a view that decodes
  them each time it is iterated: go over it twice rather than copy it), and
  the Context.
  It finds the groups of files that may conflict from the digests alone,
  then reads those few files again (``ctx.index_values(code, filename)``,
  the ``index`` function's values) to decide exactly and to quote values in
  its messages. Equal digests of different values (one chance in 2**64 per
  pair) only cost a file read, never a wrong finding; different digests are
  different values.

No positions are kept either: the Problems carry ``file=`` and the path of
the value (``/figid``), and the engine reads the few files with a finding
again to locate it (XR104's findings, on table files, carry an explicit
span). A file reached twice under different names (``corpus`` and its
absolute path on one command line) counts once.

A value that is missing, not a string or a placeholder (`.na.character`,
`NA`, '') is not indexed: the schema and the NA rules report those.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter

from linter.base.digests import blake2b
from linter.base.model import Problem, Span
from linter.base.values import clip, quote
from linter.rules.na import PLACEHOLDER_MAX_LEN, is_placeholder
from linter.rules.registry import rule

# the fields of a paper every record of that paper repeats, in report order
PAPER_FIELDS = (
    "papertitle",
    "reftext",
    "year",
    "doi",
    "journal_title",
    "journal_nlm_ta",
    "publisher_name",
)
# paper fields with few distinct values across a collection (interned)
_FEW_VALUES = frozenset({"year", "journal_title", "journal_nlm_ta", "publisher_name"})
MAX_NAMED = 3  # other files named in one message
MAX_VALUE = 90  # characters of a value quoted in a message
_NO_LOC = (1, 1, 1, 1)


# -- index helpers -------------------------------------------------------------------
def _value(data: dict, key: str) -> str | None:
    """A top-level value as text with its whitespace folded, or ``None`` when it
    is missing, a placeholder or not a scalar (the year may be an int)."""
    value = data.get(key)
    if isinstance(value, str):
        text = " ".join(value.split())
        if not text or (len(text) <= PLACEHOLDER_MAX_LEN and is_placeholder(text)):
            return None  # (text has no surrounding whitespace)
        return text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _shared(text: str | None) -> str | None:
    """One string object for a value many index entries hold (a folder)."""
    return None if text is None else sys.intern(text)


DIGEST = 8  # bytes of a value's digest
_NONE = bytes(DIGEST)  # a field the record does not have


def _digest(text: str) -> bytes:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=DIGEST).digest()


def _span(loc) -> Span:
    line, col, end_line, end_col = loc
    return Span(line, col, end_line, end_col, 0, 0)


def _data(rec) -> dict:
    return rec.data if isinstance(rec.data, dict) else {}


def _figid_index(rec, ctx):
    figid = _value(_data(rec), "figid")
    return None if figid is None else (figid,)


def _figid_compact(values) -> bytes:
    return _digest(values[0])


def _alias_index(rec, ctx):
    data = _data(rec)
    alias = _value(data, "figid_alias")
    if alias is None:
        return None
    return (alias, _value(data, "figid"))


def _alias_compact(values) -> bytes:
    alias, figid = values
    return _digest(alias) + (_NONE if figid is None else _digest(figid))


def _paper_index(rec, ctx):
    data = _data(rec)
    pmcid = _value(data, "pmcid")
    if pmcid is None:
        return None
    values = tuple(_value(data, key) for key in PAPER_FIELDS)
    if all(v is None for v in values):
        return None
    return (pmcid, values)


_REFTEXT = PAPER_FIELDS.index("reftext")


def _paper_compact(values) -> bytes:
    """pmcid, then one byte of flags (bit ``i``: field ``i`` present; bit 7:
    the reftext has pages), then each field's core (what must agree, see
    :func:`_core`) or zeros, then the reftext's core without its pages."""
    pmcid, fields = values
    flags = 0
    parts = [_digest(pmcid), b""]
    stripped = _NONE
    for i, (key, value) in enumerate(zip(PAPER_FIELDS, fields)):
        if value is None:
            parts.append(_NONE)
            continue
        flags |= 1 << i
        core = _core(key, value)
        parts.append(_digest(core))
        if i == _REFTEXT:
            pages = _PAGES_RE.search(core)
            if pages:
                flags |= 1 << 7
                core = core[: pages.start()]
            stripped = _digest(core)
    parts[1] = bytes([flags])
    parts.append(stripped)
    return b"".join(parts)


def _paper_agrees(group) -> bool:
    """True when the digests alone show that the records of ``group`` (one
    pmcid) agree on every paper field, as :func:`paper_conflict` compares
    them: no file needs reading. A reftext without pages agrees with the
    same citation with pages, so the reftexts agree when the ones with pages
    are one citation and every reftext without its pages is the same."""
    base = DIGEST + 1
    for i in range(len(PAPER_FIELDS)):
        at = base + i * DIGEST
        if i == _REFTEXT:
            paged = {v[at : at + DIGEST] for _, v in group if v[DIGEST] & (1 << 7)}
            plain = {v[-DIGEST:] for _, v in group if v[DIGEST] & (1 << i)}
            if len(paged) > 1 or len(plain) > 1:
                return False
            continue
        seen = {v[at : at + DIGEST] for _, v in group if v[DIGEST] & (1 << i)}
        if len(seen) > 1:
            return False
    return True


# -- collection helpers --------------------------------------------------------------
def _distinct_files(group):
    """``group`` without a file seen before under another name (``corpus/…``
    and ``/abs/corpus/…`` on one command line); only names that end alike can
    be one file, so only those are resolved."""
    by_name: dict[str, list] = {}
    for item in group:
        by_name.setdefault(os.path.basename(item[0]), []).append(item)
    if all(len(same) == 1 for same in by_name.values()):
        return group
    seen: set[str] = set()
    out = []
    for item in group:
        if len(by_name[os.path.basename(item[0])]) > 1:
            real = os.path.realpath(item[0])
            if real in seen:
                continue
            seen.add(real)
        out.append(item)
    return out


def _first_digest(value: bytes) -> bytes:
    return value[:DIGEST]


def _groups(items, key=None):
    """Groups of two or more distinct files whose index values have the same
    ``key`` (default: the first digest: the figid's, pmcid's or alias's), in
    order."""
    if key is None:
        keyed = getattr(items, "keyed", None)
        found = keyed(DIGEST) if keyed is not None else None
        if found is not None:  # the run's index: its first digests at once
            yield from _digest_groups(*found)
            return
        key = _first_digest
    # two passes: the keys seen twice, then the items of those keys (the
    # index of a large collection is not copied into a dict of lists: at
    # 100,000 files that costs about 30 MB)
    once: set = set()
    twice: set = set()
    for _, value in items:
        k = key(value)
        if k in once:
            twice.add(k)
        else:
            once.add(k)
    del once
    if not twice:
        return
    by: dict = {}
    for item in items:
        k = key(item[1])
        if k in twice:
            by.setdefault(k, []).append(item)
    for group in by.values():
        if len(group) > 1:
            group = _distinct_files(group)
            if len(group) > 1:
                yield group


def _digest_groups(keys: list, pairs):
    """:func:`_groups` by the first digest, from each file's first digest
    (None: no value) and ``pairs`` (file numbers -> their ``(filename,
    value)``): only the files of a digest seen twice are decoded."""
    present = [k for k in keys if k is not None]
    if len(set(present)) == len(present):
        return
    twice = {k for k, n in Counter(present).items() if n > 1}
    del present
    rows = [row for row, k in enumerate(keys) if k in twice]
    by: dict = {}
    for row, item in zip(rows, pairs(rows)):
        by.setdefault(keys[row], []).append(item)
    for group in by.values():
        group = _distinct_files(group)
        if len(group) > 1:
            yield group


def _full(group, code: str, ctx) -> list:
    """The group's full index values (strings), read again from its files;
    a file that no longer gives one drops out."""
    out = []
    for filename, _ in group:
        value = ctx.index_values(code, filename)
        if value is not None:
            out.append((filename, value))
    return out


def _first(values) -> str:
    return values[0]


def _names(files: list[str], total: int | None = None) -> str:
    """The first ``MAX_NAMED`` of ``files`` and how many more (of ``total``
    when the list holds only the first few)."""
    total = len(files) if total is None else total
    shown = ", ".join(files[:MAX_NAMED])
    if total > MAX_NAMED:
        shown += f" and {total - MAX_NAMED} more"
    return shown


def _quote(value: str) -> str:
    if len(value) > MAX_VALUE:
        value = value[: MAX_VALUE - 1] + "…"
    return repr(value)


# -- XR101 ---------------------------------------------------------------------------
@rule(
    "XR101",
    "duplicate-figid",
    "error",
    scope="collection",
    options={"index": _figid_index, "compact": _figid_compact},
)
def duplicate_figid(items, ctx):
    """Two files carry the same `figid`.

    What: the same `figid` appears in the front matter of two or more files
    of the run. Every file involved is reported, at its `figid`, naming the
    others. Only files linted in the same run are compared: lint the whole
    collection (the `pfocr-lint-collection` pre-commit hook does).
    Why: the `figid` is the figure's identity: the site builds one page per
    `figid` (`/figures/<figid>.html`) and finds its tables by it, so one of
    the two records is silently lost.
    Fails:
        # _figures/PMC6457213__advances029850f7.md
        figid: PMC6457213__advances029850f7
        # _figures/PMC6457213__advances029850f8.md
        figid: PMC6457213__advances029850f7
    Passes:
        # _figures/PMC6457213__advances029850f7.md
        figid: PMC6457213__advances029850f7
        # _figures/PMC6457213__advances029850f8.md
        figid: PMC6457213__advances029850f8
    """
    for suspects in _groups(items):
        for group in _groups(_full(suspects, "XR101", ctx), _first):
            yield from _duplicate_figids(group)


def _duplicate_figids(group):
    files = [filename for filename, _ in group]
    for filename, (figid,) in group:
        others = [f for f in files if f != filename]
        yield Problem(
            "/figid",
            f"duplicate figid {quote(figid)}: also the figid of {_names(others)}",
            file=filename,
        )


# -- XR102 ---------------------------------------------------------------------------
_PAGES_RE = re.compile(r":[^:;]*$")


def _core(field: str, value: str) -> str:
    """The part of a (whitespace-folded) value that must agree."""
    if field in ("papertitle", "reftext"):
        value = value.rstrip(". ")
    elif field == "doi":
        value = value.casefold()
    return value


def _agree(field: str, a: str, b: str) -> bool:
    a, b = _core(field, a), _core(field, b)
    if a == b:
        return True
    if field == "reftext":  # the 2024-25 batches write the citation without pages
        a_pages, b_pages = _PAGES_RE.search(a), _PAGES_RE.search(b)
        if a_pages and not b_pages:
            return a[: a_pages.start()] == b
        if b_pages and not a_pages:
            return b[: b_pages.start()] == a
    return False


def _reference(field: str, present: list) -> tuple[str, str]:
    """The file and value taken as right: the value most records share, the
    first file's on a tie; for `reftext`, among the citations with pages when
    there are any (a citation without pages agrees with any page range)."""
    candidates = present
    if field == "reftext":
        paged = [p for p in present if _PAGES_RE.search(_core(field, p[1]))]
        candidates = paged or present
    cores = Counter(_core(field, value) for _, value in candidates)
    best = max(cores.values())
    return next((f, v) for f, v in candidates if cores[_core(field, v)] == best)


@rule(
    "XR102",
    "paper-conflict",
    "warning",
    scope="collection",
    options={"index": _paper_index, "compact": _paper_compact},
)
def paper_conflict(items, ctx):
    """Records of the same paper disagree on the paper's metadata.

    What: records with the same `pmcid` have different `papertitle`,
    `reftext`, `year`, `doi`, `journal_title`, `journal_nlm_ta` or
    `publisher_name`. Values are compared with whitespace folded, a final
    period ignored (title, reftext), DOIs case-insensitively, and a `reftext`
    without pages agrees with the same citation with pages (the 2024–25
    batches omit them). A field that is missing, empty or a placeholder
    (`.na.character`, `NA`) in a record is not compared (older generations
    have no `doi` or journal fields; NA101–NA104 report placeholders). The
    value most records share is taken as right (on a tie, the first file's;
    for `reftext`, among the citations that have pages); each record that
    differs is reported at that field, naming the first file with the right
    value and that value.
    Why: the metadata comes from the paper, not the figure: records written
    by different batches or hand edits drift apart, and the site shows a
    different citation for each figure of one paper.
    Fails:
        # _figures/PMC6457213__advances029850f7.md
        pmcid: PMC6457213
        year: '2019'
        # _figures/PMC6457213__advances029850f8.md
        pmcid: PMC6457213
        year: '2018'
    Passes:
        # _figures/PMC6457213__advances029850f7.md
        pmcid: PMC6457213
        year: '2019'
        doi: .na.character
        # _figures/PMC6457213__advances029850f8.md
        pmcid: PMC6457213
        year: '2019'
        doi: 10.1182/bloodadvances.2018029850
    """
    for suspects in _groups(items):
        if _paper_agrees(suspects):
            continue
        for group in _groups(_full(suspects, "XR102", ctx), _first):
            yield from _paper_conflicts(group)


def _paper_conflicts(group):
    """XR102 over the full values of the records of one pmcid."""
    records = []
    for filename, (_pmcid, values) in group:
        fields = {k: v for k, v in zip(PAPER_FIELDS, values) if v is not None}
        records.append((filename, fields))
    pmcid = group[0][1][0]
    for key in PAPER_FIELDS:
        present = [(f, fields[key]) for f, fields in records if key in fields]
        if len(present) < 2:
            continue
        cores = Counter(_core(key, value) for _, value in present)
        if len(cores) == 1:
            continue
        ref_file, ref_value = _reference(key, present)
        for filename, value in present:
            if _agree(key, value, ref_value):
                continue
            yield Problem(
                "/" + key,
                f"{key} {_quote(value)} differs from {_quote(ref_value)} in {ref_file} "
                f"(same pmcid {clip(pmcid)})",
                file=filename,
            )


# -- XR103 ---------------------------------------------------------------------------
@rule(
    "XR103",
    "duplicate-figid-alias",
    "error",
    scope="collection",
    options={"index": _alias_index, "compact": _alias_compact},
)
def duplicate_figid_alias(items, ctx):
    """Two records share a `figid_alias`.

    What: the same `figid_alias` appears in two or more files of the run.
    Each file is reported at its `figid_alias`, naming the files of other
    figures that use it. Files that also share the `figid` are XR101's
    finding (one copied record, one finding) and are not named here while
    XR101 is enabled. Records without `figid_alias` (generation A′) pass.
    Why: the alias is the figure's short address: `redirect_from`
    (`/figures/<figid_alias>`) sends readers there, and two figures cannot
    both own it; usually one `number` is wrong (two `F3` in one paper).
    Fails:
        # _figures/PMC6457213__advances029850f7.md
        figid: PMC6457213__advances029850f7
        figid_alias: PMC6457213__F7
        # _figures/PMC6457213__advances029850f8.md
        figid: PMC6457213__advances029850f8
        figid_alias: PMC6457213__F7
    Passes:
        # _figures/PMC6457213__advances029850f7.md
        figid: PMC6457213__advances029850f7
        figid_alias: PMC6457213__F7
        # _figures/PMC6457213__advances029850f8.md
        figid: PMC6457213__advances029850f8
        figid_alias: PMC6457213__F8
    """
    leave_to_xr101 = ctx.selected("XR101")
    for suspects in _groups(items):
        figids = {v[DIGEST:] for _, v in suspects}
        if leave_to_xr101 and len(figids) == 1 and _NONE not in figids:
            continue  # copies of one figure: XR101's finding
        for group in _groups(_full(suspects, "XR103", ctx), _first):
            yield from _duplicate_aliases(group, leave_to_xr101)


def _duplicate_aliases(group, leave_to_xr101: bool):
    """One problem per file of the group, naming the first few others: linear
    in the group's size (20,000 records sharing an alias name 20 each)."""
    per_figid = Counter(figid for _, (_, figid) in group)
    for filename, (alias, figid) in group:
        same = leave_to_xr101 and figid is not None

        def other(item, filename=filename, figid=figid, same=same) -> bool:
            f, (_, other_figid) = item
            return f != filename and not (same and other_figid == figid)

        total = len(group) - 1 - (per_figid[figid] - 1 if same else 0)
        if total <= 0:
            continue
        shown = []
        for item in group:
            if other(item):
                f, (_, g) = item
                shown.append(f"{f} (figid {quote(g)})" if g else f)
                if len(shown) == MAX_NAMED:
                    break
        yield Problem(
            "/figid_alias",
            f"duplicate figid_alias {quote(alias)}: also the alias of {_names(shown, total)}",
            file=filename,
        )
