"""The abbreviations a figure caption defines, read by GN106.

``caption_abbreviations(text)`` returns :class:`Abbreviation` objects (short
form, long form) for the definition styles captions use:

- ``long form (ABBR)``: `P-glycoprotein (Pgp)`, `reactive oxygen species (ROS)`;
- ``ABBR (long form)``: `Pgp (P-glycoprotein)`, also one word: `POD (peroxidase)`;
- glossary entries ``ABBR, long form;``, ``ABBR: long form``,
  ``ABBR = long form`` (also ``AR=autosomal recessive``), ``ABBR – long
  form``, also after an ``Abbreviations:`` lead-in, separated by ``;``,
  ``. `` or ``, `` before the next entry; the long form may hold commas
  (`forkhead box, class O`) and parentheses (`eukaryotic translation
  initiation factor 4E (eIF4E)–binding protein`: the parenthesis is dropped);
- plurals (`IRs, inhibitory receptors`: keys IRS as written, IR singular);
- slash compounds: `AVP/ADH, arginine vasopressin/antidiuretic hormone`
  gives the whole pair and each part (`AVP` = `arginine vasopressin`, `ADH` =
  `antidiuretic hormone`) when both sides split into as many parts, each
  spelling its abbreviation; `IRS1/2` stands for IRS1 and IRS2, and
  `CPT1/2, carnitine palmitoyltransferase 1/2` defines CPT1 and CPT2 too;
- Greek letters match their Latin letters when spelling (`GSK3β, glycogen
  synthase kinase 3 beta`; `IKK, IκB kinase`);
- a broken parenthesis: a missing closing one (`… kinase (PKC` at the end
  of a caption, `… kinase (PKC, which …` inside it) or a missing opening one
  (`protein kinase C PKC) …`).

In an explicit definition (glossary entries, ``ABBR (long form)``) the long
form is kept whole, as written (`P53, tumor protein 53`, `ACO: cytoplasmic
aconitate hydratase`), also when its first word does not start with the
abbreviation's first letter; its shortest tail that spells the abbreviation
(`aconitate hydratase`) is :attr:`Abbreviation.core`, which a lexicon may
look up when it does not know the whole.  A tail of one word out of several
(a typo elsewhere in the long form) is never the core.

A definition counts only when the long form spells the abbreviation
(Schwartz & Hearst: its letters and digits in order, the first at a word
start), has at most ``min(len + 5, 2 * len)`` words and a run of three
lower-case letters.  :func:`locate` finds where a definition sits in the
caption as written (for the finding's second location).

Plain classes, regular expressions compiled on first use: importing this
module costs a run without GN106 nothing.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right

from linter.knowledge.words import GREEK_LATIN, greek

__all__ = [
    "Abbreviation",
    "caption_abbreviations",
    "key",
    "singular",
    "spelled",
]


def singular(word: str) -> str:
    """A lower-case word's singular, roughly (`kinases`, `species` -> `specy`:
    both sides of a comparison get the same fold)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


class _Patterns:
    """The reader's regular expressions, compiled once on first use (:func:`_rx`)."""

    def __init__(self) -> None:
        c = re.compile
        self.short = c(r"[0-9A-Za-zΑ-Ωα-ω][0-9A-Za-zΑ-Ωα-ω+/.-]*")
        self.upper = c(r"[A-Z]")
        self.lower3 = c(r"[a-zα-ω]{3}")
        self.long_words = c(r"[\s/,()]+")
        self.paren = c(r"\(([^()]{1,80})\)")
        self.inner_end = c(r"[;,]\s")
        self.clause_end = c(r"[;()\[\]]|[.:]\s")
        # `Abbreviations:`, `Abbreviations used in this figure:`, `Note:`
        # (the words between are lower case or a figure's number: an entry's own
        # `ROS:` is never taken for one)
        self.glossary_lead = c(
            r"^\s*(?i:abbreviations?|notes?|key|legend)\b"
            r"(?:\s+(?:[a-z]+|(?i:fig(?:ure)?s?)\.?|[0-9]+[A-Za-z]?))*\s*[:—–]\s*"
        )
        self.panel = c(r"^\(?[A-Za-z0-9]{1,2}\)\s*")  # a panel label: `(A) `, `B) `
        # an entry's head (the long form follows it up to the next entry); no
        # `^`: matched at a position, so that a long glossary is read in one pass
        self.glossary_entry = c(r"(?s)\s*(\S{2,14}?)\s*(?:(?:,|:|\s[–—-])\s+|=\s*)(?=.)")
        self.next_entry = c(r",\s+(?=[0-9A-Za-zΑ-Ωα-ω][^\s,;:=]{0,13}\s*(?:(?:,|:)\s|=))")
        self.inner_paren = c(r"\s+\([^()]*\)")  # a parenthesis inside a glossary long form
        self.one_word = c(r"[A-Za-z][a-z]{3,}(?:-[a-z]+)*")  # `POD (peroxidase)`
        self.unclosed = c(r"\(([^()\s,;]{2,14})(?=[\s,;])")  # `kinase (PKC, which`
        self.unopened = c(r"(?<=\s)([^()\s]{2,14})\)")  # `protein kinase C PKC)`
        self.open_paren, self.close_paren = c(r"\("), c(r"\)")
        # a parenthesis a word starts with or holds, no space inside it
        self.word_paren = c(r"(?<=[0-9A-Za-z])\([^()\s]{1,30}\)(?=[0-9A-Za-z-]|\s+[a-z])")
        self.slash_digits = c(r"^(.*?)\s*([0-9]+)((?:/[0-9]+)+)$")  # `... 1/2`
        # leading stereo descriptors and locants of chemical and enzyme names
        # (`(S)-`, `3,4-`, `5'-`, `N-`)
        self.locants = c(
            r"^(?:\([0-9A-Za-z,+-]{1,6}\)-|[0-9]+['’]?(?:,[0-9]+['’]?)*-|[A-Za-z]-(?=\w))+"
        )
        self.open_end = c(r"\(([^()]{1,14})$")  # `... kinase (PKC` at the end
        self.alnum = c(r"[^\W_]")  # what str.isalnum() is true for
        self.trailing_digits = c(r"[0-9]+$")


_PATTERNS: _Patterns | None = None


def _rx() -> _Patterns:
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _Patterns()
    return _PATTERNS


class Abbreviation:
    """An abbreviation the caption defines: ``short`` stands for ``long``.
    (Plain classes here, not dataclasses: building those at import would cost
    every run, also those without GN106.)"""

    __slots__ = ("short", "long", "core", "plural", "_keys")

    def __init__(self, short: str, long: str, core: str | None = None):
        self.short = short
        self.long = long
        #: the shortest tail of ``long`` that spells ``short`` when ``long`` is an
        #: explicit definition that starts with other words, else ``long``
        self.core = core or long
        #: `IRs`, `ICIs`: a final lower-case s after upper case or a digit
        self.plural = (
            len(short) > 2 and short.endswith("s") and (short[-2].isupper() or short[-2].isdigit())
        )
        self._keys: tuple[set[str], set[str]] | None = None

    def __repr__(self) -> str:
        return f"Abbreviation({self.short!r}, {self.long!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Abbreviation) and (self.short, self.long) == (
            other.short,
            other.long,
        )

    def __hash__(self) -> int:
        return hash((self.short, self.long))

    def keys(self) -> tuple[set[str], set[str]]:
        """(keys as written, keys of the singular): `IRs` -> ({IRS}, {IR});
        `IRS1/2` -> IRS1, IRS2; `AVP/ADH` -> AVP, ADH."""
        if self._keys is None:
            written = set(_short_keys(self.short))
            singular = set(_short_keys(self.short[:-1])) if self.plural else set()
            self._keys = (written, singular)
        return self._keys


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A symbol's comparison key (`linter.knowledge.reference.name_key`): Greek letters
    as Latin, upper case, letters and digits only (`IL-6` -> `IL6`, `TNF-α` ->
    `TNFA`, `P-gp` -> `PGP`)."""
    global _name_key
    if _name_key is None:
        from linter.knowledge.reference import name_key  # only GN106 calls this

        _name_key = name_key
    return _name_key(text)


_name_key = None


def _short_keys(short: str) -> list[str]:
    parts = [p for p in short.split("/") if p]
    if len(parts) > 1 and all(p.isdigit() for p in parts[1:]):
        stem = _rx().trailing_digits.sub("", parts[0])
        return [key(parts[0])] + [key(stem + p) for p in parts[1:]]
    return [key(p) for p in parts if key(p)]


@functools.lru_cache(maxsize=8192)
def _short_form_ok(short: str) -> bool:
    """Can ``short`` be an abbreviation? (Cached: captions use the same short
    forms again and again, and most parentheses hold `A`, `n = 3`, ...)"""
    if not 2 <= len(short) <= 14:
        return False
    rx = _rx()
    # an upper-case ASCII letter (so a letter), not a Roman numeral
    if not rx.short.fullmatch(short) or not rx.upper.search(short) or not short.strip("IVX"):
        return False
    # a capitalised ordinary word ("Figure", "Treg") is not an abbreviation
    return not (short.isalpha() and len(short) > 3 and short[0].isupper() and short[1:].islower())


# Greek letters as one Latin letter each (lengths kept: offsets stay valid)
_GREEK_FOLD = str.maketrans(
    {g: latin[0].lower() for g, latin in GREEK_LATIN.items()}
    | {g.upper(): latin[0].lower() for g, latin in GREEK_LATIN.items()}
)


@functools.lru_cache(maxsize=8192)
def _letters(short: str) -> tuple[str, ...]:
    """The short form's letters and digits, lower case, Greek letters as Latin."""
    return tuple(c for c in greek(short.lower(), _GREEK_FOLD) if c.isalnum())


def spelled(short: str, text: str) -> str | None:
    """Schwartz & Hearst: the shortest tail of ``text`` whose characters
    contain the short form's letters and digits in order, the first one at a
    word start. None when there is none."""
    return _spell(_letters(short), text)


def _spell(chars: tuple[str, ...], text: str) -> str | None:
    """:func:`spelled` for the short form's letters and digits ``chars``."""
    low = greek(text.lower(), _GREEK_FOLD)
    if len(low) != len(text):  # lower() changed a length (`İ`): compare as written
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        low = low.translate(_GREEK_FOLD)
    i = len(low) - 1
    for n in range(len(chars) - 1, -1, -1):
        c = chars[n]
        i = low.rfind(c, 0, i + 1)  # the last c at or before i
        if n == 0:
            while i > 0 and low[i - 1].isalnum():  # not at a word start: an earlier one
                i = low.rfind(c, 0, i)
        if i < 0:
            return None
        i -= 1
    start = max(text.rfind(" ", 0, i + 1) + 1, 0)
    return text[start:].strip(" ,;:")


def _first_alnum(text: str) -> str:
    """The first letter or digit of ``text``, lower case ("" when none)."""
    if text and text[0].isalnum():
        return text[0].lower()
    m = _rx().alnum.search(text)
    return m.group().lower() if m else ""


def _long_ok(short: str, long: str) -> bool:
    words = long.split()
    limit = min(len(short) + 5, 2 * len(short))
    if not words or len(words) > limit or len(long) <= len(short):
        return False
    rx = _rx()
    lead = _first_alnum(short)
    # the long form starts with the short form's first letter, also once its
    # locants are dropped (`(S)-N-methylcoclaurine` for MCH)
    if _first_alnum(long) != lead and _first_alnum(rx.locants.sub("", long)) != lead:
        return False
    if not rx.lower3.search(long):
        return False
    # no word of the long form is the short form (`ALT, ALT activity`); keys
    # are letters and digits only, so the whole long form's key holds every
    # word's: most long forms are settled by one look at it
    ks = key(short)
    if ks not in key(long):
        return True
    return ks not in map(key, rx.long_words.split(long))


def caption_abbreviations(text) -> list[Abbreviation]:
    """The abbreviations a caption defines: `long form (ABBR)`, `ABBR (long
    form)` and glossary entries `ABBR, long form;`, `ABBR: long form`,
    `ABBR = long form` (separated by `;`, `.` or `, ` before the next entry).
    A definition counts only when the long form spells the abbreviation
    (Schwartz & Hearst: its letters in order, the first at a word start)."""
    if not isinstance(text, str):
        return []
    if _LAST_CAPTION[0] is text:  # the same caption object again (GN106, KW105, CH105)
        return list(_LAST_CAPTION[1])
    found = _read_caption(text)
    _LAST_CAPTION[:] = [text, tuple(found)]
    return found


# the last caption read and its definitions: rules of one record ask for the same
# caption object in turn; keyed on the object itself, never on its text
_LAST_CAPTION: list = [None, ()]


def _read_caption(text: str) -> list[Abbreviation]:
    # single spaces from here on: the only whitespace left, never two in a row,
    # none at either end
    text = " ".join(text.split())
    if not text:
        return []
    rx = _rx()
    found: dict[tuple[str, str], Abbreviation] = {}

    def add(short: str, long) -> None:  # long as kept (or (long, core)); None: no definition
        if long:
            long, core = long if isinstance(long, tuple) else (long, None)
            k = (short, long.lower())
            if k not in found:  # the first definition wins
                found[k] = Abbreviation(short, long, core)

    def before(inner: str, end: int) -> None:
        """`long form (ABBR)`: the long form is within the last `limit` words
        of the clause before ``end``: look no further back than the space
        before those words (a clause that starts later starts inside the
        window; one that starts earlier has them all in it)."""
        limit = min(len(inner) + 5, 2 * len(inner))
        start = end
        for _ in range(limit):
            start = text.rfind(" ", 0, start)
            if start < 0:
                start = 0
                break
        window = text[start:end]
        masked = "(" in window and rx.word_paren.search(window) is not None
        if masked:  # `Poly(ADP-ribose) polymerase (PARP)`: a word's own parenthesis
            window = rx.word_paren.sub(_mask, window)
        clause = rx.clause_end.split(window)[-1]
        words = " ".join(clause.split()[-limit:])
        long = _spelled_accepted(inner, words)
        if long is None and "/" in inner:
            # `monocyte chemoattractant protein-1 (MCP-1/CCL2)`: the part the
            # long form spells; the other is another name of the gene
            for part in inner.split("/"):
                if not part.isdigit() and _short_form_ok(part):
                    found = _spelled_accepted(part, words)
                    add(part, _unmask(found) if masked else found)
            return
        add(inner, _unmask(long) if masked else long)

    closes = []  # where each parenthesis the pattern matched ends
    for m in rx.paren.finditer(text):
        closes.append(m.end())
        inner = rx.inner_end.split(m.group(1), 1)[0].strip()
        end = m.start()  # the text before the parenthesis is text[:end]
        if end and text[end - 1] == " ":
            end -= 1
        if _short_form_ok(inner):  # long form (ABBR)
            before(inner, end)
            continue
        # ABBR (long form): the last word before; a long form of one word
        # (`POD (peroxidase)`) only when it is a plain lower-case word
        if end and (" " in inner or rx.one_word.fullmatch(inner)):
            short = text[text.rfind(" ", 0, end) + 1 : end].strip(",;:")
            if _short_form_ok(short) and spelled(short, inner) is not None:
                add(short, _accepted(short, inner, True))
    m = rx.open_end.search(text)  # a caption cut before its closing parenthesis
    if m and _short_form_ok(m.group(1).strip()):
        inner = m.group(1).strip()
        limit = min(len(inner) + 5, 2 * len(inner))
        clause = rx.clause_end.split(text[: m.start()].rstrip())[-1]
        add(inner, _spelled_accepted(inner, " ".join(clause.split()[-limit:])))
    n_open = text.count("(")
    # every parenthesis matched by the pattern: none broken (most captions)
    if (n_open or ")" in text) and not (n_open == len(closes) == text.count(")")):
        _broken_parentheses(text, closes, before)
    entry, next_entry, lead = rx.glossary_entry, rx.next_entry, rx.glossary_lead
    # segments end at `;`, `. ` and a final `.` (the pattern `;|\.\s+|\.$`
    # on single-spaced text)
    ends = text[:-1] + ";" if text.endswith(".") else text
    for segment in ends.replace(". ", ";").split(";"):
        if ":" in segment or "—" in segment:  # `Abbreviations:` / `Note:` lead-ins need one
            segment = lead.sub("", segment)
        segment = segment.lstrip(" (")  # `(PDK: pyruvate dehydrogenase kinase; ...)`
        if segment[:1].isalnum() and ")" in segment[:4]:
            segment = rx.panel.sub("", segment)  # `(A) ROS, reactive oxygen species`
        at = segment.rfind("(")
        if at > 0 and ")" not in segment[at:] and entry.match(segment, at + 1):
            # `Signalling (AMPK, AMP-activated protein kinase; ...`: a glossary
            # opened inside the segment by its last parenthesis, never closed
            segment = segment[at + 1 :]
        pos = 0
        while pos < len(segment):
            m = entry.match(segment, pos)
            if not m:
                break
            short = m.group(1)
            nxt = next_entry.search(segment, m.end())
            long = segment[m.end() : nxt.start()] if nxt else segment[m.end() :]
            pos = nxt.end() if nxt else len(segment)
            if "(" in long:  # `factor 4E (eIF4E)–binding protein`; an open one cuts
                long = rx.inner_paren.sub("", long).partition(" (")[0]
            if ")" in long:  # `acetyl-CoA carboxylase) in liver`: a glossary's closing one
                at = _unopened(long)
                if at >= 0:
                    long = long[:at]
            add(short, _glossary_accepted(short, long))
    for a in list(found.values()):  # slash compounds: each part on its own too
        for short, long in _parts(a.short, a.long):
            add(short, long)
    return list(found.values())


# a parenthesis inside a word (`Poly(ADP-ribose)`, `tris(2-carboxyethyl)phosphine`)
# is masked while a long form is looked for, so that it does not end the clause
_MASKS = str.maketrans("()", "\x01\x02")
_UNMASKS = str.maketrans("\x01\x02", "()")


def _mask(m: re.Match) -> str:
    return m.group().translate(_MASKS)


def _unmask(long):
    """A long form (or ``(long, core)``) with its masked parentheses back."""
    if isinstance(long, tuple):
        return tuple(part.translate(_UNMASKS) for part in long)
    return long.translate(_UNMASKS) if long else long


def _unopened(text: str) -> int:
    """Where the first parenthesis ``text`` closes without opening it is (-1:
    none)."""
    depth = 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            if not depth:
                return i
            depth -= 1
    return -1


def _broken_parentheses(text: str, closes: list[int], before) -> None:
    """`kinase (PKC, which ...` (never closed) and `kinase C PKC) ...` (never
    opened): ``before(short, end)`` for each.  Linear in the caption: the
    positions of the parentheses are listed once and searched by bisection."""
    rx = _rx()
    opens = [m.start() for m in rx.open_paren.finditer(text)]
    shuts = [m.start() for m in rx.close_paren.finditer(text)]
    for m in rx.unclosed.finditer(text):
        k = bisect_right(opens, m.start())  # the next "(" after this one
        nxt = opens[k] if k < len(opens) else len(text)
        j = bisect_left(shuts, m.end())
        close = shuts[j] if j < len(shuts) else -1
        if (close < 0 or nxt < close) and _short_form_ok(m.group(1)):
            end = m.start() - 1 if m.start() and text[m.start() - 1] == " " else m.start()
            before(m.group(1), end)
    matched = set(closes)
    for m in rx.unopened.finditer(text):
        if m.end() in matched:
            continue  # the pattern's own parenthesis
        k = bisect_left(opens, m.start())
        opened = opens[k - 1] if k else -1
        j = bisect_left(shuts, m.start())
        shut = shuts[j - 1] if j else -1
        if opened > shut:
            continue  # inside an open parenthesis after all
        short = m.group(1).strip(",;:")
        if _short_form_ok(short):
            before(short, m.start() - 1)


# The definitions a caption gives are judged by the three functions below,
# cached on their text: captions define the same abbreviations again and
# again (`ROS, reactive oxygen species`), each caption in its own words.


@functools.lru_cache(maxsize=8192)
def _accepted(short: str, long: str, explicit: bool = False):
    """The long form a definition of ``short`` (a short form) keeps: ``long``
    stripped of punctuation, else its tail that spells ``short``; None when
    neither passes :func:`_long_ok`.  ``explicit`` (a glossary entry, `ABBR
    (long form)`: the text says where the long form starts): the whole long
    form is kept even when only its tail passes (`ACO: cytoplasmic aconitate
    hydratase`), as ``(long, core)`` with the tail as core when it has more
    than one word (a single word of several is a typo's accident, not the
    definition)."""
    long = long.strip(" ,;:.)").lstrip("/–— ")  # `(cGAS)–stimulator of ...`
    if _long_ok(short, long):
        return long
    tail = (spelled(short, long) or "").strip(" ,;:.)")
    if not tail or not _long_ok(short, tail):
        return None
    if not explicit:
        return tail
    if len(long.split()) > min(len(short) + 5, 2 * len(short)) + 3:
        return tail  # too long to be one definition: the tail it ends with
    return (long, tail if len(tail.split()) > 1 else long)


@functools.lru_cache(maxsize=8192)
def _spelled_accepted(short: str, window: str) -> str | None:
    """`long form (ABBR)`: the long form ``short`` (a short form) spells at
    the end of ``window``, the words before the parenthesis, one word
    longer where the word before gives the first letter as its initial
    (:func:`_by_initials`)."""
    long = spelled(short, window)
    if not long:
        return None
    longer = _by_initials(short, window, long)
    if longer is not None:
        found = _accepted(short, longer)
        if found:
            return found
    return _accepted(short, long)


def _by_initials(short: str, window: str, long: str) -> str | None:
    """`Protein phosphatase 1 (PP1)`: Schwartz & Hearst's shortest tail,
    `phosphatase 1`, spells both Ps in its first word, whose initial is the
    second letter, while the word before it starts with the first: that
    word and the tail (the long form the initials spell), else None. Not
    when the tail needs its first word for the first letter only (`plasma
    protein kinase (PK)` stays `protein kinase`)."""
    chars = _letters(short)
    if len(chars) < 2 or not chars[0].isalpha():
        return None
    at = window.rfind(long)
    if at <= 0:
        return None
    before = window[:at].split()
    if not before:
        return None
    word = before[-1]
    fold = word[:1].lower().translate(_GREEK_FOLD)
    if fold != chars[0] or not word[:1].isalpha():
        return None
    if long[:1].lower().translate(_GREEK_FOLD) != chars[1]:
        return None
    if _spell(chars[1:], long) != long:
        return None  # the letters after the first are spelled after the first word
    return f"{word} {long}"


@functools.lru_cache(maxsize=8192)
def _glossary_accepted(short: str, long: str):
    """`ABBR, long form`: the long form kept, when ``short`` is a short form
    the text spells."""
    if _short_form_ok(short) and spelled(short, long):
        return _accepted(short, long, True)
    return None


def _parts(short: str, long: str) -> list[tuple[str, str]]:
    """`AVP/ADH` = `arginine vasopressin/antidiuretic hormone` -> (AVP,
    arginine vasopressin), (ADH, antidiuretic hormone): as many parts on both
    sides, each part a short form its long part spells.  `CPT1/2` =
    `carnitine palmitoyltransferase 1/2` -> (CPT1, carnitine
    palmitoyltransferase 1), (CPT2, carnitine palmitoyltransferase 2)."""
    shorts = short.split("/")
    if len(shorts) < 2:
        return []
    if all(p.isdigit() for p in shorts[1:]):  # X1/2
        m = _rx().slash_digits.match(long)
        stem = _rx().trailing_digits.sub("", shorts[0])
        if (
            not m
            or not stem
            or [m.group(2), *m.group(3)[1:].split("/")]
            != [
                shorts[0][len(stem) :],
                *shorts[1:],
            ]
        ):
            return []
        sep = " " if long[len(m.group(1)) : len(m.group(1)) + 1] == " " else ""
        return [(stem + n, f"{m.group(1)}{sep}{n}") for n in (m.group(2), *shorts[1:])]
    longs = [p.strip() for p in long.split("/")]
    if len(longs) != len(shorts) or not all(longs):
        return []
    out = []
    for s, lf in zip(shorts, longs, strict=True):
        if not _short_form_ok(s) or spelled(s, lf) is None or not _long_ok(s, lf):
            return []
        out.append((s, lf))
    return out
