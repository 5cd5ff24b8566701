"""GN114: a gene entry kept on a malformed symbol or an OCR-damaged word."""

from __future__ import annotations

import functools
import re
import unicodedata

from linter.base.model import Problem
from linter.base.values import listed, quote
from linter.rules.gn import _at, _genes
from linter.rules.registry import rule

# characters no HGNC symbol, alias or previous symbol holds and PFOCR's word
# splitting keeps only from damaged text: brackets other than parentheses,
# underscores, bars, backslashes, carets, tildes, angle brackets, `=`, `;`,
# quotes, backticks
_ODD = frozenset('[]{}_|\\^~<>=;`"')
# non-ASCII characters that gene words do hold: Greek letters (`IL-1β`),
# dashes and hyphens, primes and apostrophes, the micro sign
_FINE = frozenset("‐‑‒–—−′″’‘ʹµ·")
_RUN = re.compile(r"[^\w\s]{3,}")  # three marks in a row: `,[„` `]+(`
_LEGACY = re.compile(r"[A-Za-z][A-Za-z0-9-]*@")  # `HOXA@`, `DNM1DN3@`
_AT_FIELDS = ("word", "symbol", "match", "hgnc_symbol", "ncbigene_symbol")


@functools.lru_cache(maxsize=16384)
def damage(word: str) -> tuple[str, ...]:
    """What makes ``word`` look OCR-damaged: its stray characters (not ASCII,
    not a Greek letter, dash or prime; or ASCII marks no gene name holds) and
    its runs of three or more marks. Empty when it looks like a word."""
    stray = []
    for ch in word:
        if ch in _ODD or not ch.isascii() and ch not in _FINE and not _greek(ch):
            stray.append(ch)
    found = [f"stray {listed(map(quote, dict.fromkeys(stray)), 5)}"] if stray else []
    runs = [m.group() for m in _RUN.finditer(word)]
    if runs:
        found.append(f"punctuation run {listed(map(quote, dict.fromkeys(runs)), 3)}")
    return tuple(found)


def _greek(ch: str) -> bool:
    return "GREEK" in unicodedata.name(ch, "")


@rule("GN114", "malformed-symbol", "warning", needs=("annotations",))
def malformed_symbol(rec, ctx):
    """A gene entry rests on a legacy `@` group symbol or an OCR-damaged word.

    What: a gene entry (front-matter `genes:` or a row of the sidecar genes
    table, any species) whose
    - word, symbol or matched symbol is a legacy HGNC gene-group symbol
      written with `@` (`HOXA@`, `IGH@`, `PCDHA@`): HGNC writes `@` for a
      cluster of genes (`HOXA@`, homeobox A cluster) and has withdrawn many
      such symbols (`IGHJ@`); the message says which, and names the
      cluster's genes; or
    - OCR word is damaged: it holds stray characters no HGNC symbol, alias or
      previous symbol has (quote marks such as `«` `„`, brackets other than
      parentheses, `_`, `|`, `=`, `;`; Greek letters, dashes and primes are
      fine) or a run of three or more punctuation marks (`k,[R„]+ak,`).
    The message names the word, the gene it was matched to, what the word
    more likely is (a gene cluster; a fragment of damaged text) and the
    vocabulary that says so (HGNC).
    Why: a `@` symbol names no single gene, so the entry's gene is a guess
    among the cluster's members; a damaged word is an OCR accident whose
    gene match is a coincidence of the letters that survived.
    Fails:
        genes:
        - {word: 'k,[R„]+ak,', symbol: AK, source: hgnc_alias_symbol, hgnc_symbol: FRK, entrez: '2444'}
    Passes:
        genes:
        - {word: IL-1β, symbol: IL1B, source: hgnc_symbol, hgnc_symbol: IL1B, entrez: '3553'}
    """
    ann, genes = _genes(rec)
    if ann is None or not genes:
        return
    symf = ann.gene_field("symbol") or "hgnc_symbol"
    for e in genes:
        fields = e.fields
        word = fields.get("word")
        sym = fields.get(symf)
        gene = f"{symf} {quote(sym)}" if isinstance(sym, str) and sym.strip() else "no symbol"
        legacy = next(
            (
                (name, v)
                for name in _AT_FIELDS
                if isinstance(v := fields.get(name), str) and _LEGACY.fullmatch(v.strip())
            ),
            None,
        )
        if legacy is not None:
            name, value = legacy
            yield Problem(
                **_at(e, name),
                message=(
                    f"{name} {quote(value)} ({gene}) is a legacy HGNC gene-group symbol: "
                    f"{_group_note(ctx, value.strip())}; it names a cluster of genes, not "
                    "one; expected the approved symbol of the member gene the figure shows"
                ),
                data={
                    "word": word if isinstance(word, str) else "",
                    "field": name,
                    "value": value,
                    "gene": sym if isinstance(sym, str) else "",
                    "likely": "gene cluster (legacy HGNC '@' group symbol)",
                    "vocabulary": "HGNC withdrawn symbols",
                },
            )
            continue
        if not isinstance(word, str) or word.isascii() and word.isalnum():
            continue
        found = damage(word)
        if not found:
            continue
        yield Problem(
            **_at(e, "word"),
            message=(
                f"word {quote(word)} ({gene}) is OCR-damaged ({'; '.join(found)}): no HGNC "
                "symbol, alias or previous symbol holds such characters, so the word is more "
                "likely a fragment of damaged text than a gene name; expected the word as "
                "printed in the figure, or no gene"
            ),
            data={
                "word": word,
                "gene": sym if isinstance(sym, str) else "",
                "damage": "; ".join(found),
                "likely": "OCR-damaged text",
                "vocabulary": "HGNC symbol character set",
            },
        )


def _group_note(ctx, symbol: str) -> str:
    """What HGNC's reference data says of a `@` symbol (loaded only when a
    record has one)."""
    from linter.knowledge import reference  # lazy: only records with an `@` symbol

    try:
        hgnc = reference.from_context(ctx).hgnc()
        group = hgnc.approved(symbol)
        gone = hgnc.withdrawn(symbol)
        prev = sorted(hgnc.symbols_for_prev(symbol))
        stem = reference.name_key(symbol.rstrip("@"))
        members = sorted(hgnc.named_by(stem).get("stem", ())) if stem else []
    except (OSError, ValueError):  # unreadable reference data: say less
        return "'@' marks a cluster of genes in HGNC's notation"
    genes = f"; its genes are {listed(map(quote, members), 4)}" if members else ""
    if group is not None:
        return f"HGNC's symbol of the {group.name!r}, a group locus{genes}"
    if prev:
        return f"HGNC lists it as a previous symbol of {listed(map(quote, prev), 4)}"
    if gone is not None and gone.successors:
        return f"withdrawn by HGNC, which names {listed(map(quote, gone.successors), 4)} instead"
    if gone is not None:
        return f"withdrawn by HGNC (entry withdrawn){genes}"
    return f"'@' marks a cluster of genes in HGNC's notation{genes}"
