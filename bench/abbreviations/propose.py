"""Propose (abbreviation, candidate gene) pairs for hand labelling.

Reads the evaluation records (the corpus copy the tests ship,
``tests/fixtures/corpus/_figures/*.md`` with their sidecar
``_data/*-genes.tsv``, and ``seeds/*.md``), finds every caption definition a loose reader
sees (`long (ABBR)`, `ABBR (long)`, `ABBR, long;`, `ABBR: long`, `ABBR = long`,
`Abbreviations:` lists) and pairs it with every gene of the record that the
abbreviation can reach: the matched word, the symbol, an HGNC alias or
previous symbol, a symbol stem + digits, a case variant or a FamPlex family.
The output is a TSV to judge by hand (``labels.tsv`` keeps the judgement).
This is a labelling aid only: the linter never reads it.

    python bench/abbreviations/propose.py > /tmp/proposals.tsv
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

from linter.knowledge import reference
from linter.knowledge.abbreviations import spelled as _spelled

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SEEDS = ROOT / "seeds"
ABBR = r"[A-Za-z0-9α-ωΑ-Ω][A-Za-z0-9α-ωΑ-Ω+/.\-]{0,13}"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    body = text.split("---", 2)[1]
    return yaml.safe_load(body) or {}


def definitions(caption: str) -> list[tuple[str, str]]:
    """A loose reader: every plausible (ABBR, long form) pair."""
    text = " ".join(caption.split())
    out = []
    for m in re.finditer(r"\(([^()]{1,90})\)", text):
        inner = re.split(r"[;,]\s", m.group(1))[0].strip()
        before = text[: m.start()].rstrip()
        if re.fullmatch(ABBR, inner) and re.search(r"[A-Z]", inner):
            words = re.split(r"[;:.()\[\]]\s?", before)[-1].split()
            out.append((inner, " ".join(words[-(len(inner) + 4) :])))
        else:
            w = before.rsplit(" ", 1)[-1].strip(",;:")
            if re.fullmatch(ABBR, w) and re.search(r"[A-Z]", w):
                out.append((w, inner))
    for seg in re.split(r";|\.\s|:\s(?=[A-Z])", text):
        seg = re.sub(r"(?i)^\s*abbreviations?\s*:?\s*", "", seg)
        for m in re.finditer(rf"(?:^|,\s|\s)({ABBR})\s*(?:,|:|=|\s[–—-])\s+([^,;=]{{3,80}})", seg):
            if re.search(r"[A-Z]", m.group(1)):
                out.append((m.group(1), m.group(2).strip()))
    seen, uniq = set(), []
    for s, lf in out:
        lf = _spelled(s, lf.strip(" ,;:.")) or ""
        if not lf or len(lf) <= len(s):
            continue
        if (s, lf.lower()) not in seen:
            seen.add((s, lf.lower()))
            uniq.append((s, lf))
    return uniq


def genes_of(path: Path, data: dict) -> list[tuple[str, str, str]]:
    """(where, word, symbol) for every gene of the record."""
    out = []
    for i, g in enumerate(data.get("genes") or []):
        if isinstance(g, dict) and g.get("hgnc_symbol"):
            out.append((f"genes/{i}", str(g.get("word", "")), str(g["hgnc_symbol"])))
    side = path.parent.parent / "_data" / f"{path.stem}-genes.tsv"
    if side.exists():
        with side.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh, delimiter="\t")):
                if row.get("organism_id") == "9606":
                    out.append((f"tsv/{i}", row.get("word", ""), row.get("ncbigene_symbol", "")))
    if not out:
        kws = (data.get("schema-jsonld") or {}).get("keywords") or []
        for i, k in enumerate(kws if isinstance(kws, list) else []):
            out.append((f"keywords/{i}", "", str(k)))
    return out


def reach(hgnc, fam, abbr: str, word: str, symbol: str) -> str | None:
    k = reference.name_key
    keys = {k(p) for p in abbr.split("/") if k(p)}
    if abbr.endswith("s") and len(abbr) > 2:
        keys.add(k(abbr[:-1]))
    if word and (k(word) in keys or any(k(p) in keys for p in re.split(r"[/,()]", word) if p)):
        return "word"
    gene = hgnc.approved(symbol)
    if gene is None:
        gene = next((hgnc.approved(s) for s in hgnc.approved_ignoring_case(symbol)), None)
    if gene is None:
        return None
    if k(gene.symbol) in keys:
        return "symbol"
    if any(k(a) in keys for a in gene.aliases):
        return "alias"
    if any(k(a) in keys for a in gene.prev):
        return "prev"
    stem = reference.symbol_stem(gene.symbol)
    if stem and stem in keys:
        return "stem"
    for f in fam.families_of(gene.symbol):
        if k(f) in keys or k(f.split("_")[0]) in keys:
            return "family"
    return None


def main() -> int:
    hgnc, fam = reference.hgnc(), reference.famplex()
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["figid", "abbreviation", "long_form", "symbol", "how", "where", "word"])
    for path in sorted([*(CORPUS / "_figures").glob("*.md"), *SEEDS.glob("*.md")]):
        data = front_matter(path)
        caption = data.get("caption") or (data.get("schema-jsonld") or {}).get("description")
        if not isinstance(caption, str):
            continue
        defs = definitions(caption)
        for where, word, symbol in genes_of(path, data):
            for abbr, long in defs:
                how = reach(hgnc, fam, abbr, word, symbol)
                if how:
                    w.writerow([path.stem, abbr, long, symbol, how, where, word])
    return 0


if __name__ == "__main__":
    sys.exit(main())
