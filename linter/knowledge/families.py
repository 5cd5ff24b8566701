"""A gene family expanded to all its members while the text names a few (GN109).

PFOCR's keyword lists add every member of a FamPlex family when an OCR word
names the family (`caspase` gives CASP1-CASP14).  When the record's text
names only some members by their index (`caspase-3`, `CDK 4/6`, `CASP9`)
and never the family alone, the other members are the expansion of a word
that named those few: false genes.

Facts used: FamPlex's families (``famplex.tsv.gz``, through the
:class:`~linter.knowledge.reference.FamPlex` table the rule already holds)
and the symbol convention of numbered families (a stem and an index:
CASP3, CDK4).  Nothing here reads a record's text until a family is found
expanded among its keywords.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable

__all__ = ["Expansion", "expanded_families", "expansion_index", "mentions", "named_members"]

#: a family smaller than this is no sign of an expansion: a figure may well
#: draw all the members of a small family (AKT1-3, FGFR1-4) while its text
#: names a few; eight or more paralogs in one figure are rare
FAMILY_MIN = 8
#: a family larger than this names nothing in particular
FAMILY_MAX = 60
#: the share of a family's members among the keywords that shows an expansion
COVERAGE = 0.8

_STEM = re.compile(r"[A-Z]+")


class Expansion:
    """A FamPlex family whose members the keywords hold (nearly) all:
    ``family`` (its FamPlex name), ``members`` (all of them), ``present``
    (those among the keywords) and ``words`` (how a text names it: the
    family name and its members' common symbol stem)."""

    __slots__ = ("family", "members", "present", "words", "stem")

    def __init__(self, family: str, members: frozenset[str], present: set[str], stem: str):
        self.family = family
        self.members = members
        self.present = present
        self.stem = stem
        self.words = tuple(dict.fromkeys(w for w in (family, stem) if w))


@functools.lru_cache(maxsize=4)
def expansion_index(fam) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple], frozenset[str]]:
    """(sentinel symbol -> the FamPlex families of ``FAMILY_MIN`` to
    ``FAMILY_MAX`` members it is a sentinel of; family -> (its members, how
    many of them the keywords must hold); the sentinels as a set), built
    once per table. A family's sentinels are as many of its members (the
    first, sorted) as it may lack plus one: a list holding ``COVERAGE`` of
    the family holds one of them, so a record's keywords are matched against
    the sentinels alone (a set intersection), then each family they point
    to is counted whole (another)."""
    index: dict[str, list[str]] = {}
    info: dict[str, tuple] = {}
    for f, members in fam.as_mapping().items():
        if FAMILY_MIN <= len(members) <= FAMILY_MAX:
            need = max(FAMILY_MIN, math.ceil(COVERAGE * len(members)))
            info[f] = (members, need)
            for symbol in sorted(members)[: len(members) - need + 1]:
                index.setdefault(symbol, []).append(f)
    return {s: tuple(v) for s, v in index.items()}, info, frozenset(index)


@functools.lru_cache(maxsize=1024)
def _stem(members: frozenset[str]) -> str:
    """The symbol stem (letters before the index) most members share, when
    at least half do (`CASP` of CASP1-CASP14, `CDK` of CDK1-CDK20 and
    CDKL1-CDKL5), else ''."""
    counts: dict[str, int] = {}
    for m in members:
        s = _STEM.match(m)
        if s and len(s.group()) >= 2 and m[len(s.group()) :][:1].isdigit():
            counts[s.group()] = counts.get(s.group(), 0) + 1
    if not counts:
        return ""
    stem, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    return stem if 2 * n >= len(members) else ""


def expanded_families(keywords, fam) -> list[Expansion]:
    """The FamPlex families (``FAMILY_MIN``-``FAMILY_MAX`` members) of which
    the keyword list holds at least ``COVERAGE`` of the members, as approved
    symbols written exactly."""
    index, info, sentinels = expansion_index(fam)
    try:
        written = set(keywords)
    except TypeError:  # a keyword that is a mapping or a list
        written = {k for k in keywords if type(k) is str}
    hits = written & sentinels  # two sets: the smaller one is iterated
    if not hits:
        return []
    out = []
    for f in set(itertools.chain.from_iterable(map(index.__getitem__, hits))):
        members, need = info[f]
        present = members & written
        if len(present) >= need:
            out.append(Expansion(f, members, set(present), _stem(members)))
    return out


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _index_at(text: str, i: int) -> int:
    """The end of an index (`3`, `11B`) starting at ``i`` (``i`` when none)."""
    j = i
    while j < len(text) and text[j].isdigit():
        j += 1
    if j == i:
        return i
    if j < len(text) and text[j].isalpha() and text[j].isascii():
        j += 1
    return j


def _skip(text: str, i: int, chars: str) -> int:
    """``i`` after at most one of each of ``chars`` in turn (`' '`, `'-'`...)."""
    for c in chars:
        if i < len(text) and text[i] == c:
            i += 1
    return i


_JOINS = ("/", ",", "AND", "OR", "&")


def mentions(upper: str, word: str):
    """Each place the upper-case ``word`` is written as a word in the
    upper-case text, with its indices: a list (`CASPASE-3`, `CDK 4/6`,
    `CASPASE-3 AND -9` give ['3'], ['4', '6'], ['3', '9']; empty for the
    word alone, `CASPASES`). Plain string scanning: no regex to compile per
    family word."""
    n, start = len(word), 0
    while True:
        i = upper.find(word, start)
        if i < 0:
            return
        start = i + 1
        if i and _alnum(upper[i - 1]):
            continue
        j = i + n
        if j < len(upper) and upper[j] == "S" and not (j + 1 < len(upper) and _alnum(upper[j + 1])):
            j += 1
        indices: list[str] = []
        k = _skip(upper, j, " - ")
        end = _index_at(upper, k)
        while end > k:
            indices.append(upper[k:end])
            j = end
            k = _skip(upper, end, " ")
            for join in _JOINS:
                if upper.startswith(join, k):
                    k = _skip(upper, k + len(join), " - ")
                    break
            else:
                break
            end = _index_at(upper, k)
        if j < len(upper) and _alnum(upper[j]):
            continue  # part of a longer word (`CDKN1A` for `CDK`)
        yield indices


def named_members(
    text: str, upper: str, expansion: Expansion, alone: Callable[[str], str | None] | None = None
) -> set[str] | None:
    """The family's members the text names by symbol (`CASP3`) or by a family
    word and an index (`caspase-3`, `CDK 4/6` -> CDK4, CDK6); None when it
    also writes a family word alone (`caspases`: the family may be meant
    whole), unless ``alone`` says which one member that word names by itself
    (`PARP`, PARP1's alias, is PARP1: ``alone(word)`` gives a member or None).
    ``upper``: the text in upper case (substring tests first, a regex only on
    a hit)."""
    members = expansion.members
    stem = expansion.stem
    named: set[str] = set()
    for word in expansion.words:
        up = word.upper()
        if up not in upper:
            continue  # not written: no regex search (a substring test)
        one = None
        for indices in mentions(upper, up):
            if not indices:
                if one is None:
                    one = alone(word) if alone is not None else None
                    if one not in members:
                        return None  # the family word alone: the family
                named.add(one)
            for index in indices:
                for candidate in (f"{stem}{index}", f"{up}{index}"):
                    if candidate in members:
                        named.add(candidate)
    # members written by symbol (`CASP3`): only when their stem is written
    if stem and stem in upper:
        named.update(
            m
            for m in expansion.present
            if m.startswith(stem)
            and m in upper
            and re.search(rf"(?<![A-Z0-9]){re.escape(m)}(?![A-Z0-9])", upper)
        )
    return named
