"""GN109 (linter/rules/gn_alias.py): the senses table loads only when
they run, the findings carry their facts, and bad input stays linear."""

from __future__ import annotations

import time

from conftest import SEEDS, run_python

from linter import lint
from linter.pipeline.check import Check, CheckOptions

CODES = ["GN109"]


def _record(tmp_path, body: str, name: str = "PMC1__f1.md"):
    path = tmp_path / name
    path.write_text("---\n" + body + "---\n", encoding="utf-8")
    return path


def test_senses_table_is_read_only_by_these_rules(tmp_path):
    record = _record(
        tmp_path,
        "caption: ADP\ngenes:\n"
        "- {word: ADP, symbol: ADP, source: hgnc_alias_symbol, hgnc_symbol: WDTC1, entrez: '23038'}\n",
    )
    code = f"""
        import sys
        from linter.cli.main import main
        main(["check", "--no-cache", "-q", "{record}", "--ignore", "GN109"])
        print("SENSES", "linter.knowledge.senses" in sys.modules)
        main(["check", "--no-cache", "-q", "{SEEDS / "PMC6457213__advances029850f7.md"}",
              "--select", "GN109"])
        print("SENSES", "linter.knowledge.senses" in sys.modules)
        main(["check", "--no-cache", "-q", "{record}", "--select", "GN109"])
        import linter.knowledge.senses as s
        print("SENSES", [p.rsplit("/", 1)[-1] for p in s.loaded()])
        """
    out = run_python(code)
    lines = [line[7:] for line in out.splitlines() if line.startswith("SENSES ")]
    # GN109 on a record with genes reads the tables (small ones, whole)
    assert lines == ["False", "True", "['ncbi_aliases.tsv.gz', 'word_senses.tsv.gz']"]


def test_alias_index_is_built_only_for_keyword_records(tmp_path):
    """The keyword pass's alias index (every alias row of the table, by
    gene) is built when a record with keywords asks for it, not by a record
    with a ``genes`` list; the English words only when a text is read."""
    genes = _record(
        tmp_path,
        "caption: ADP\ngenes:\n"
        "- {word: ADP, symbol: ADP, source: hgnc_alias_symbol, hgnc_symbol: WDTC1, entrez: '23038'}\n",
    )
    keywords = _record(
        tmp_path,
        "figtitle: Signalling\ncaption: p38 and ERK\nschema-jsonld:\n"
        "  keywords: [AIMP2, MAPK14, EPHB2]\n",
        name="PMC2__f2.md",
    )
    code = f"""
        from linter.cli.main import main
        import linter.knowledge.senses as s
        def built():
            state = s._state()
            return [state[2] is not None, state[4] is not None]
        main(["check", "--no-cache", "-q", "{genes}", "--select", "GN109"])
        print("BUILT", built())
        main(["check", "--no-cache", "-q", "{keywords}", "--select", "GN109"])
        print("BUILT", built())
        """
    out = run_python(code)
    lines = [line[6:] for line in out.splitlines() if line.startswith("BUILT ")]
    assert lines == ["[False, False]", "[True, True]"]


def test_alias_indexes_hold_every_alias_row():
    """``alias_index`` and ``ncbi_keys`` answer, per gene, the keys of every
    ``alias`` row of the table (built from the rows kept as read)."""
    from linter.knowledge import senses

    index: dict[str, set[str]] = {}
    ncbi: dict[str, set[str]] = {}
    for k, rows in senses.table().items():
        for s in rows:
            if s.sense == "alias":
                for gene in s.targets:
                    index.setdefault(gene, set()).add(k)
                    if s.label == "NCBI Gene synonyms":
                        ncbi.setdefault(gene, set()).add(k)
    assert index and ncbi
    assert {g: set(v) for g, v in senses.alias_index().items()} == index
    assert all(senses.judged_keys(g) == v for g, v in index.items())
    assert all(senses.ncbi_keys(g) == v for g, v in ncbi.items())
    assert senses.ncbi_keys("NOT-A-GENE") == frozenset()


def test_findings_carry_word_gene_meaning_and_vocabulary(tmp_path):
    path = _record(
        tmp_path,
        "caption: ADP and p38.\ngenes:\n"
        "- {word: ADP, symbol: ADP, source: hgnc_alias_symbol, hgnc_symbol: WDTC1, entrez: '23038'}\n"
        "- {word: p38, symbol: p38, source: hgnc_alias_symbol, hgnc_symbol: AIMP2, entrez: '7965'}\n",
    )
    run = Check(CheckOptions(paths=[str(path)], select=CODES))
    data = {f.extra["data"]["word"]: f.extra["data"] for res in run.results() for f in res.findings}
    assert data["ADP"]["gene"] == "WDTC1" and data["ADP"]["kind"] == "chemical"
    assert data["ADP"]["vocabulary"].startswith("ChEBI CHEBI:16761")
    assert data["p38"]["gene"] == "AIMP2" and data["p38"]["kind"] == "family"
    assert "MAPK14" in data["p38"]["others"].split("|")
    assert "FamPlex p38" in data["p38"]["vocabulary"]


def test_no_keywords_or_genes_and_bad_values(tmp_path):
    paths = [
        _record(tmp_path, "caption: ADP\n", "PMC1__a.md"),
        _record(tmp_path, "caption: ADP\nschema-jsonld:\n  keywords: []\n", "PMC1__b.md"),
        _record(tmp_path, "caption: [ADP]\nschema-jsonld:\n  keywords: ADP\n", "PMC1__c.md"),
        _record(
            tmp_path,
            "caption: 7 WDTC1\nschema-jsonld:\n  description: {a: 1}\n"
            "  keywords: [7, null, '', WDTC1]\n",
            "PMC1__d.md",
        ),
    ]
    assert [f for f in lint([str(p) for p in paths], select=CODES) if f["code"] in CODES] == []


def _keywords_record(tmp_path, n: int):
    words = " ".join(f"ADP{i} p65" for i in range(n // 10))
    keywords = "".join(f"  - WDTC{i}\n" if i else "  - SYT1\n" for i in range(n))
    return _record(
        tmp_path,
        f"caption: {words}\nschema-jsonld:\n  keywords:\n{keywords}",
        f"PMC{n}__f.md",
    )


def _timed(small, big, config):
    """Lint ``small`` once to warm the tables, then time ``small`` and ``big``:
    the findings on ``big`` and both times."""
    lint([str(small)], select=CODES, config=config)
    t0 = time.perf_counter()
    lint([str(small)], select=CODES, config=config)
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = lint([str(big)], select=CODES, config=config)
    return found, t_small, time.perf_counter() - t0


def test_many_keywords_take_linear_time(tmp_path):
    small, big = _keywords_record(tmp_path, 10_000), _keywords_record(tmp_path, 100_000)
    config = tmp_path / "pfocr-lint.toml"
    config.write_text("max-file-size = 8000000\n", encoding="utf-8")
    found, t_small, t_big = _timed(small, big, config)
    # two findings: SYT1 (from the caption's p65) at its first position, and
    # WDTC1 (from ADP, a chemical the caption never writes: it writes ADP1, ...)
    assert [(f["code"], f["path"]) for f in found] == [
        ("GN109", "/schema-jsonld/keywords/0"),
        ("GN109", "/schema-jsonld/keywords/1"),
    ]
    assert t_big < 10 * t_small + 2.0  # ten times the input, about ten times the time


def test_chemical_words_keep_their_case():
    """ChEBI's and the grounding maps' chemical words match as written (`CaP`,
    calcium phosphate, is not `CAP`), or in any case when written in capitals."""
    from linter.knowledge import reference, senses

    reference.configure()
    cap = [s for s in senses.senses("CAP") if s.sense == "chemical"]
    assert cap and cap[0].written("CaP") and not cap[0].written("CAP")
    atp = [s for s in senses.senses("ATP") if s.sense == "chemical"]
    assert atp and atp[0].written("ATP") and atp[0].written("atp")


def test_a_one_megabyte_caption_takes_linear_time(tmp_path):
    config = tmp_path / "pfocr-lint.toml"
    config.write_text("max-file-size = 4000000\n", encoding="utf-8")

    def record(n: int):
        caption = " ".join(f"Word{i} p65" for i in range(n))
        body = f"caption: {caption}\nschema-jsonld:\n  keywords: [SYT1, RELA]\n"
        return _record(tmp_path, body, f"PMC{n}__c.md")

    small, big = record(10_000), record(100_000)  # about 110 KB and 1.2 MB
    found, t_small, t_big = _timed(small, big, config)
    assert [(f["code"], f["path"]) for f in found] == [("GN109", "/schema-jsonld/keywords/0")]
    assert t_big < 10 * t_small + 2.0


def test_every_ncbi_synonym_is_looked_up_by_key_and_only_with_its_table(tmp_path):
    """``senses.synonym_genes`` answers for every NCBI Gene synonym HGNC does
    not list (``ncbi_synonyms.tsv.gz``: `KD` is AR's, a word the rules could
    not judge, so ``ncbi_genes`` does not hold it); a data folder without
    the table answers nothing, and GN106 reads the table, GN109 never does."""
    import shutil

    from linter.knowledge import reference, senses

    reference.configure()
    assert "AR" in senses.synonym_genes("KD")
    assert senses.ncbi_genes("KD") == frozenset()
    assert senses.synonym_genes("STAT3") == frozenset()  # an approved symbol, no synonym
    assert senses.synonym_genes("") == frozenset()
    bare = tmp_path / "data"
    shutil.copytree(reference.DEFAULT_DATA_DIR, bare)
    (bare / "ncbi_synonyms.tsv.gz").unlink()
    try:
        reference.configure(data_dir=bare)
        assert senses.synonym_genes("KD") == frozenset()
    finally:
        reference.configure()
    record = _record(
        tmp_path,
        "caption: 'Kawasaki disease (KD).'\nschema-jsonld:\n  keywords: [AR]\n",
    )
    code = f"""
        import sys
        from linter.cli.main import main
        main(["check", "--no-cache", "-q", "{record}", "--select", "GN109"])
        import linter.knowledge.senses as s
        print("SYN", s._synonym_table.cache_info().currsize)
        main(["check", "--no-cache", "-q", "{record}", "--select", "GN106"])
        print("SYN", s._synonym_table.cache_info().currsize)
        """
    out = run_python(code)
    assert [line[4:] for line in out.splitlines() if line.startswith("SYN ")] == ["0", "1"]
