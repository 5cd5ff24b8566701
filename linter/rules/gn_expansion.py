"""GN109's family expansions: a keyword gene that is one of a FamPlex family
the keywords hold (nearly) whole, while the record's text names only other
members by their index (what the family facts are: :mod:`linter.knowledge.families`).
"""

from __future__ import annotations

from linter.base.model import Problem
from linter.base.values import quote
from linter.knowledge import families
from linter.reading.fields import caption as record_caption
from linter.reading.fields import jsonld_keywords


def judge_expansions(data: dict, ref, flagged: set[str]):
    """A problem for every keyword gene that is a member of a FamPlex family
    the keywords hold (nearly) whole, while the record's text names only
    other members by their index (`caspase-3`, `CDK 4/6`) and never the
    family alone: the family word that gave the members named those few
    (``flagged``: the keyword paths already reported)."""
    keywords = jsonld_keywords(data)
    if not isinstance(keywords, list) or len(keywords) < 5:
        return
    fam = ref.famplex()
    expansions = families.expanded_families(keywords, fam)
    if not expansions:
        return
    caption, _ = record_caption(data)
    kw = data.get("keywords")
    texts = [data.get("figtitle"), caption, data.get("papertitle")]
    texts.extend(kw if isinstance(kw, list) else [kw])
    text = " ".join(t for t in texts if isinstance(t, str))
    upper = text.upper()
    hgnc = None
    said: dict[str, tuple[str, str]] = {}  # family word -> (the member it names, vocabulary)

    def alone(word: str) -> str | None:
        """The one gene GN106's lexicon says the family word names by itself
        (`PARP`: PARP1's alias), else None: then it names the family."""
        from linter.knowledge import lexicon  # lazy: only a family word alone, in an expansion

        d = lexicon.denote(word)
        if d is None or d.kind != "gene" or len(d.genes) != 1:
            return None
        (one,) = d.genes
        said[word] = (one, d.label)
        return one

    for x in expansions:
        said.clear()
        named = families.named_members(text, upper, x, alone)
        if not named:
            continue  # the family alone, or no member named: the whole family may be meant
        others = sorted(named)
        shown = ", ".join(others)
        # the family words the text writes alone, which name one member
        alone_words = [(w, one, label) for w, (one, label) in said.items() if one in named]
        # what every keyword of this family's finding says (worked out once)
        listed = (
            f"is one of {len(x.present)} of the {len(x.members)} members of the FamPlex "
            f"family {x.family} that the keywords list, while the record's text names "
            f"only {shown}"
        )
        if alone_words:
            said_as = "; ".join(
                f"{quote(w)}, which it writes alone, names {one} ({label})"
                for w, one, label in alone_words
            )
            how = f"{listed}: {said_as}: likely matched from that word"
        else:
            how = (
                f"{listed} and never the family alone: likely matched from the family "
                "word those members were named by"
            )
        means = f"names only {shown} of the family"
        vocabulary = f"FamPlex {x.family}; the record's text" + (
            "; GN106 lexicon" if alone_words else ""
        )
        tail = f"; {quote(x.family)} {means} ({vocabulary}), not "
        others_data = "|".join(others)
        for i, k in enumerate(keywords):
            if type(k) is not str or k not in x.present or k in named:
                continue
            where = f"/schema-jsonld/keywords/{i}"
            if where in flagged:
                continue
            if hgnc is None:
                hgnc = ref.hgnc()
            gene = hgnc.approved(k)
            if gene is None:
                continue
            flagged.add(where)
            yield Problem(
                path=where,
                message=(
                    f"keyword {quote(k)} {how}{tail}"
                    f"{gene.symbol}: expected the gene the word names, or no gene"
                ),
                data={
                    "word": x.family,
                    "gene": gene.symbol,
                    "gene_name": gene.name,
                    "kind": "expansion",
                    "means": means,
                    "vocabulary": vocabulary,
                    "others": others_data,
                },
            )
