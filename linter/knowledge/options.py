"""The reference data's names, listed once: its tables and their file names,
and the keys of the configuration's ``[tool.pfocr-lint.reference]`` table.
Importing this loads nothing (the configuration reads it on every run; the
tables themselves load in :mod:`linter.knowledge.reference`)."""

from __future__ import annotations

#: Table name -> file name inside a data directory.
TABLE_FILES = {
    "hgnc": "hgnc.tsv.gz",
    "hgnc_keys": "hgnc_keys.tsv.gz",
    "hgnc_withdrawn": "hgnc_withdrawn.tsv.gz",
    "famplex": "famplex.tsv.gz",
    "pfocr_families": "pfocr_families.tsv.gz",  # PFOCR's 2018 families, merged with FamPlex
    "mesh": "mesh_ids.txt.gz",
    "taxonomy": "taxonomy_names.txt.gz",
    "lexicon": "lexicon.tsv.gz",  # GN106: what a long form denotes (linter.knowledge.lexicon)
    "gene_ec": "gene_ec.tsv.gz",  # GN106: HGNC's EC numbers per gene
    "word_senses": "word_senses.tsv.gz",  # GN109: what a short word names
    "ncbi_aliases": "ncbi_aliases.tsv.gz",  # GN109: NCBI Gene synonyms it can judge
    "ncbi_synonyms": "ncbi_synonyms.tsv.gz",  # GN106: every NCBI Gene synonym HGNC lacks
    "species_symbols": "species_symbols.tsv.gz",  # GN113: model-organism gene symbols
    "fly_symbols": "fly_symbols.tsv.gz",  # GN113: Drosophila gene symbols (NCBI Gene)
    "taxonomy_nonorganisms": "taxonomy_nonorganisms.tsv.gz",  # MD113: taxa that are no organism
    "genus_division": "genus_division.tsv.gz",  # MD112: NCBI division of each genus
    "taxonomy_renamed": "taxonomy_renamed.tsv.gz",  # MD107: outdated names -> NCBI's current one
    # GN106: a Bloom filter of the lexicon's keys (linter.knowledge.keyfilter); optional
    "lexicon_keys": "lexicon_keys.bloom",
    "sources": "SOURCES.json",
}

#: ``[tool.pfocr-lint.reference]`` keys and what each names.
REFERENCE_KEYS: dict[str, str] = {
    "data-dir": "folder of snapshots under their usual names (a `build_reference_data.py --out`)",
    "hgnc": "approved HGNC genes (hgnc.tsv.gz format)",
    "hgnc-keys": "name-key index of the hgnc table (hgnc_keys.tsv.gz format; default: beside it)",
    "hgnc-withdrawn": "withdrawn HGNC symbols (hgnc_withdrawn.tsv.gz format)",
    "famplex": "FamPlex families (famplex.tsv.gz format)",
    "pfocr-families": "PFOCR's 2018 gene families merged with FamPlex (famplex.tsv.gz format)",
    "mesh": "MeSH IDs, one per line, sorted",
    "taxonomy": "NCBI Taxonomy scientific names, one per line, sorted",
    "sources": "provenance (SOURCES.json format)",
    "gene-synonyms": "extra alias tables, symbol<TAB>synonym (e.g. NCBI Gene synonyms); a path or a list",
    "family-tables": "extra family tables, CSV family + entrez_id/symbol (e.g. pfocr_2018_bioentities.csv); a path or a list",
}
REFERENCE_LISTS = ("gene-synonyms", "family-tables")
