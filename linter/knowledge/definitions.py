"""Where a caption defines an abbreviation, as written: the character offsets
of a definition that :mod:`linter.knowledge.abbreviations` read (GN106's
second location)."""

from __future__ import annotations

import functools
import re

from linter.knowledge.abbreviations import Abbreviation

__all__ = ["locate"]


def locate(caption: str, a: Abbreviation) -> tuple[int, int] | None:
    """Where the definition of ``a`` starts and ends in ``caption`` as written
    (character offsets of the short form next to its long form), or None.
    Whitespace may differ (the reader works on single-spaced text).

    The first of, case-insensitively: the long form, blanks, `(` and the
    short form (`P-glycoprotein (Pgp`); the short form (not inside a word),
    separators (blanks `,` `:` `=` `(` dashes) and the long form (`ER:
    endoplasmic reticulum`); else, as written, the short form on its own.
    Plain string searches on the lower-cased caption, no regular expression
    compiled per definition: the same matches as :func:`_locate_regex`
    (ignoring case as ``re.IGNORECASE`` does), which answers the rare
    captions where lower-casing is not the same (a dotted capital I, a
    capital sigma, a character ``re`` also equates with another: `ſ`, `µ`)."""
    words = a.long.split()
    if not words:
        return None
    found = _locate_folded(caption, a.short, words)
    if found is _UNSURE:
        found = _locate_regex(caption, a.short, words)
    if found is not None:
        return found
    return _short_alone(caption, a.short)


_UNSURE = object()
_LOWERED = ["", ""]  # the last caption locate() lower-cased, and its lower case
_SEPARATORS = frozenset(",:=(–—-")


def _ignorecase_extras() -> dict[int, tuple[int, ...]] | None:
    """``re``'s table of characters that ``re.IGNORECASE`` equates beyond
    lower case (`s` and `ſ`, `μ` and `µ`, `σ` and `ς`), or None when this
    Python hides it (then :func:`locate` always uses the regular expression)."""
    try:
        from re._casefix import _EXTRA_CASES  # Python 3.11+

        return _EXTRA_CASES
    except ImportError:
        pass
    try:
        import sre_compile  # Python 3.10

        return sre_compile._ignorecase_fixes
    except (ImportError, AttributeError):
        return None


_EXTRAS = _ignorecase_extras()


@functools.lru_cache(maxsize=4096)
def _extras_of(text: str) -> tuple[str, ...] | None:
    """The characters ``re.IGNORECASE`` equates with a character of ``text``
    (lower case) other than by lower case: a caption holding one needs the
    regular expression. None when this Python hides that table."""
    if _EXTRAS is None:
        return None
    return tuple(sorted({chr(x) for ch in set(text) for x in _EXTRAS.get(ord(ch), ())}))


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches


def _word_start(text: str, i: int) -> bool:
    r"""Does ``text[i:]`` not continue a word: no word character or `-`
    before it (`(?<![\w-])`)?"""
    return i == 0 or not (_word_char(text[i - 1]) or text[i - 1] == "-")


def _words_at(low: str, i: int, words: list[str]) -> int:
    """The end of ``words[0]`` at ``i`` followed by the other words, each after
    one or more blanks; -1 when they do not follow."""
    j = i + len(words[0])
    n = len(low)
    for w in words[1:]:
        k = j
        while k < n and low[k].isspace():
            k += 1
        if k == j or not low.startswith(w, k):
            return -1
        j = k + len(w)
    return j


def _locate_folded(caption: str, short: str, words: list[str]):
    """The first two searches of :func:`locate` on lower-cased text; _UNSURE
    when lower-casing does not give ``re.IGNORECASE``'s answer."""
    if _LOWERED[0] != caption:  # a record's findings share one caption
        _LOWERED[:] = [caption, caption.lower()]
    low = _LOWERED[1]
    ls = short.lower()
    joined = " ".join(words)
    ll = joined.lower()
    if (
        len(low) != len(caption)
        or len(ls) != len(short)
        or len(ll) != len(joined)
        or "Σ" in caption  # lower() makes it `ς` at a word's end, re `σ`
        or "Σ" in short
        or "Σ" in joined
    ):
        return _UNSURE
    extras = _extras_of(ls + ll)
    if extras is None or (extras and any(x in low for x in extras)):
        return _UNSURE
    lw = ll.split(" ")
    n = len(low)
    first = lw[0]
    # long form, blanks, `(`, blanks, short form
    i = low.find(first)
    while i >= 0:
        j = _words_at(low, i, lw)
        if j >= 0:
            while j < n and low[j].isspace():
                j += 1
            if j < n and low[j] == "(":
                p = q = j + 1
                while q < n and low[q].isspace():
                    q += 1
                for k in range(q, p - 1, -1):  # the longest run of blanks first
                    if low.startswith(ls, k):
                        return i, k + len(ls)
        i = low.find(first, i + 1)
    # short form (not after a word character or `-`), separators, long form
    i = low.find(ls)
    while i >= 0:
        if _word_start(low, i):
            p = q = i + len(ls)
            while q < n and (low[q] in _SEPARATORS or low[q].isspace()):
                q += 1
            for k in range(q, p, -1):  # the longest run of separators first
                if low.startswith(first, k):
                    j = _words_at(low, k, lw)
                    if j >= 0:
                        return i, j
        i = low.find(ls, i + 1)
    return None


def _locate_regex(caption: str, short: str, words: list[str]) -> tuple[int, int] | None:
    """The first two searches of :func:`locate` as regular expressions."""
    long_rx = r"\s+".join(re.escape(w) for w in words)
    short_rx = re.escape(short)
    for pattern in (
        rf"({long_rx})\s*\(\s*{short_rx}",  # long (ABBR)
        rf"(?<![\w-])({short_rx})[\s,:=(–—-]+{long_rx}",  # ABBR, long / ABBR (long)
    ):
        m = re.search(pattern, caption, re.IGNORECASE)
        if m:
            return m.start(), m.end()
    return None


def _short_alone(caption: str, short: str) -> tuple[int, int] | None:
    r"""The first ``short`` as written, not inside a word (`(?<![\w-])` before,
    `(?!\w)` after)."""
    i = caption.find(short)
    while i >= 0:
        end = i + len(short)
        if _word_start(caption, i) and (end == len(caption) or not _word_char(caption[end])):
            return i, end
        i = caption.find(short, i + 1)
    return None
