"""Trust boundaries (issue 19): the machine-read outputs (github, gitlab,
junit, sarif, csv) cannot be steered by file names or record text.

Records are written under hostile names (``::stop-commands::``, ``##[error]``,
newlines, quotes, ``=cmd|' /C calc'!A0``, control characters, bytes that are
not UTF-8) and with a hostile value quoted in a message; the CLI runs on them
as a user runs it, and each output is read back by a real parser of its
format. The github format is read line by line as GitHub's runner reads it
(a port of ``ActionCommand.TryParseV2`` and ``TryParse`` of actions/runner).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SEEDS

from linter.base.model import Finding, Span
from linter.base.textsafe import clean
from linter.engine import FileResult
from linter.reporters import Summary, make_reporter
from linter.reporters.csvfmt import FORMULA_START

BAD = "PMC7773330__hs9-5-e516-g001"  # ID105 + five NA101, all errors
NA = "PMC11745090__cbm-21-1156-g007"  # warnings (NA102, GN106)

# file names as bytes: Linux allows any byte but "/" and NUL
HOSTILE_NAMES = [
    b"::stop-commands::pwned.md",
    b"  ::error title=forged::leading-blanks.md",
    b"\t::warning::tab.md",
    b"::error file=x,line=1::forged.md",
    b"##[error]legacy.md",
    b"x ##[stop-commands]tok.md",
    b"::add-mask::a\nb\x1b[31m\x01\x02\x03\x04\x05\x06\x07\x08\x7f.md",
    b"cr\r::error::after-cr.md",
    b"bad\xe9\xff::error::.md",  # not UTF-8: lone surrogates in Python
    b"q\"uo'te,<tag>&amp;%0A%3A%25.md",
    b"=HYPERLINK(1).md",
    b"+1+1.md",
    b"-2+3.md",
    b"@SUM(A1).md",
    b"\xef\xbf\xbe-fffe.md",  # U+FFFE: not a character XML 1.0 allows
    b"\xe2\x80\xa8line-separator.md",  # U+2028
    b"\xc2\xa0::notice::nbsp.md",  # a no-break space, then "::"
    b"::.md",
]
FORMULA_DIR = b"=cmd|' "  # "=cmd|' /C calc'!A0.md": the "/" makes a folder
FORMULA_FILE = b"C calc'!A0.md"
HOSTILE_VALUE = (
    "pmc/x\n::stop-commands::tok ##[error]forged =cmd|' /C calc'!A0 \r\n  ::error::y "
    '%0A %3A %25 \u2028 \t q"<&>'
)
QUOTED = "::stop-commands::tok ##[error]forged =cmd|\\' /C calc\\'!A0"  # as ID105 quotes it

# actions/runner: every command extension plus stop-commands (case-insensitive)
REGISTERED = {
    "add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error", "group",
    "notice", "remove-matcher", "save-state", "set-env", "set-output", "stop-commands",
    "warning",
}  # fmt: skip
ANNOTATION = re.compile(
    r"::(error|warning|notice) file=[^,:]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
    r"title=[A-Z]{2}\d{3} [a-z0-9-]+::[A-Z]{2}\d{3} "
)
COUNT_NOTICE = re.compile(r"::notice title=pfocr-lint::\d+ more findings? \(")
PLAIN = re.compile(
    r"(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{2}\d{3}) "
    r"\[(?P<severity>error|warning|info)\] (?P<message>.*)"
)
SUMMARY = re.compile(r"Found \d+ findings? in \d+ files? \(.*\)\.")
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# -- the tree and the runs -------------------------------------------------------------------
@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    # in a _figures folder: every Markdown file there is a record, whatever its name
    root = tmp_path_factory.mktemp("hostile") / "_figures"
    root.mkdir()
    bad = (SEEDS / f"{BAD}.md").read_bytes()
    raw = os.fsencode(root)
    for name in HOSTILE_NAMES:
        with open(os.path.join(raw, name), "wb") as fh:
            fh.write(bad)
    os.mkdir(os.path.join(raw, FORMULA_DIR))
    with open(os.path.join(raw, FORMULA_DIR, FORMULA_FILE), "wb") as fh:
        fh.write(bad)
    with open(os.path.join(raw, b"::warning::na.md"), "wb") as fh:
        fh.write((SEEDS / f"{NA}.md").read_bytes())
    # record text quoted in a message (ID105 quotes the figlink)
    text = bad.decode("utf-8").replace(
        "figlink: pmc/articles/PMC7773330/figure/F1/", "figlink: " + json.dumps(HOSTILE_VALUE)
    )
    (root / "##[error]value.md").write_text(text, encoding="utf-8")
    return root


def names(root: Path) -> set[str]:
    """Every record's name as the CLI reports it (relative, undecodable bytes
    as lone surrogates)."""
    top = os.fsencode(root)
    return {
        os.fsdecode(os.path.relpath(os.path.join(folder, f), top))
        for folder, _, files in os.walk(top)
        for f in files
    }


def run(root: Path, fmt: str, *extra: str) -> tuple[int, bytes, bytes]:
    """``python -m linter check --no-cache --output-format FMT .`` in the
    tree, as a user runs it: (exit code, stdout, stderr) as bytes."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR",
                        "FORCE_COLOR", "PFOCR_LINT_DEBUG")}  # fmt: skip
    env["PYTHONIOENCODING"] = "utf-8"
    p = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", "--output-format", fmt,
         *extra, "."],
        cwd=root, env=env, capture_output=True, stdin=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def expected(tree) -> list[dict]:
    """Every finding, read from the json format."""
    code, out, err = run(tree, "json")
    assert code == 1, err
    return json.loads(out.decode("utf-8"))


def test_every_hostile_name_is_linted(tree, expected):
    reported = {clean(f["filename"], newlines=True) for f in expected}
    assert reported == {clean(n, newlines=True) for n in names(tree)}
    assert any(QUOTED in f["message"] for f in expected)
    assert len(expected) > 100  # far past GitHub's 10 annotations per severity
    assert {f["severity"] for f in expected} >= {"error", "warning"}


# -- github: the runner's parser -------------------------------------------------------------
def _unescape(text: str, pairs) -> str:
    for code, char in pairs:
        text = text.replace(code, char)
    return text


DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def runner_command(line: str):
    """The workflow command GitHub's runner reads in a line of the log, or
    None: (form, command, properties, data), as ``ActionCommand.TryParseV2``
    (``::cmd k=v,…::data`` after leading white space) then ``TryParse``
    (``##[cmd k=v;…]data`` anywhere) do."""
    message = line.lstrip()  # .NET TrimStart: Python strips a superset of its white space
    if message.startswith("::"):
        end = message.find("::", 2)
        if end >= 0:
            info = message[2:end]
            name, _, rest = info.partition(" ")
            if name.lower() in REGISTERED:
                props = {}
                if rest:
                    for prop in filter(None, rest.strip().split(",")):
                        pair = [p for p in prop.split("=", 1) if p]
                        if len(pair) == 2:
                            props[pair[0]] = _unescape(pair[1], PROPERTY)
                return "v2", name, props, _unescape(message[end + 2 :], DATA)
    start = line.find("##[")
    if start >= 0:
        end = line.find("]", start)
        if end >= 0:
            name = line[start + 3 : end].split(" ", 1)[0]
            if name.lower() in REGISTERED:
                return "v1", name, {}, line[end + 1 :]
    return None


def log_lines(out: bytes) -> list[str]:
    """The lines of the log as the runner reads them (.NET ReadLine)."""
    text = out.decode("utf-8")  # strict: valid UTF-8
    assert text.endswith("\n")
    return re.split(r"\r\n|\r|\n", text[:-1])


def inert(name: str) -> str:
    """A file name as a line of the log shows it: the legacy prefix escaped."""
    return name.replace("##[", "##\\x5b")


def check_github_log(lines: list[str], known_files: set[str]) -> dict:
    """Assert every line is one of pfocr-lint's annotations or a line the
    runner reads as no command; return them sorted by kind."""
    kinds = {"annotation": [], "notice": [], "plain": [], "other": []}
    for line in lines:
        command = runner_command(line)
        if command is not None:
            form, name, props, data = command
            assert form == "v2" and line.startswith("::"), line
            assert name in ("error", "warning", "notice"), line
            if COUNT_NOTICE.match(line):
                assert props == {"title": "pfocr-lint"}
                kinds["notice"].append(data)
                continue
            assert ANNOTATION.match(line), line
            assert props.get("file", "") in known_files, line  # "file=" (no name): left out
            assert set(props) - {"file"} == {"line", "col", "endLine", "endColumn", "title"}
            kinds["annotation"].append((name, props, data))
            continue
        # not a command: it cannot look like one either
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line, line
        m = PLAIN.fullmatch(line)
        if m:
            kinds["plain"].append(m)
        else:
            kinds["other"].append(line)
    return kinds


def test_github_log_is_annotations_and_inert_lines(tree, expected):
    code, out, err = run(tree, "github")
    assert code == 1, err
    lines = log_lines(out)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", out.decode("utf-8"))
    files = {clean(f["filename"], newlines=True) for f in expected}
    kinds = check_github_log(lines, files)

    # the annotation cap holds: 10 errors, every warning (fewer than 10), and
    # the info findings as notices (one of the 10 notice places is kept for
    # the notice that counts the rest)
    annotations = kinds["annotation"]
    levels = [a[0] for a in annotations]
    warnings = sum(1 for f in expected if f["severity"] == "warning")
    infos = sum(1 for f in expected if f["severity"] == "info")
    errors = sum(1 for f in expected if f["severity"] == "error")
    assert errors > 10 and infos > 9
    assert levels == ["error"] * 10 + ["warning"] * warnings + ["notice"] * 9
    # each annotation says what the finding says: properties and data round-trip
    by_place = {}
    for f in expected:
        key = (clean(f["filename"], newlines=True), f["location"]["row"], f["location"]["column"])
        by_place.setdefault(key, []).append(f"{f['code']} " + clean(f["message"], newlines=True))
    for _, props, data in annotations:
        assert data in by_place[(props["file"], int(props["line"]), int(props["col"]))]
    # every finding past the cap is a plain line, its file a real one
    plain = kinds["plain"]
    assert len(plain) == len(expected) - len(annotations) > 50
    shown = {inert(clean(f["filename"])) for f in expected}
    for m in plain:  # a name that starts with ":" (blanks left out) is shown "./" + name
        name = m["file"].removeprefix("./")
        assert name in shown, m["file"]
        assert m["file"].startswith("./") == name.lstrip().startswith(":"), m["file"]
    assert sum(1 for m in plain if m["file"].startswith("./")) > 10
    [notice] = kinds["notice"]
    assert len(plain) == (errors - 10) + (infos - 9)
    assert notice.startswith(
        f"{len(plain)} more findings ({errors - 10} error, {infos - 9} info) not annotated"
    )
    assert kinds["other"] == [lines[-1]] and SUMMARY.fullmatch(lines[-1])


def test_github_statistics_lines_are_inert(tree, expected):
    code, out, err = run(tree, "github", "--statistics")
    lines = log_lines(out)
    kinds = check_github_log(lines, {clean(f["filename"], newlines=True) for f in expected})
    assert not kinds["annotation"] and not kinds["plain"]  # --statistics: the summary alone
    assert SUMMARY.fullmatch(lines[-1])


def _finding(filename: str, message: str, severity: str = "error", line: int = 1) -> Finding:
    return Finding("ID105", "figlink", severity, message, filename, "/figlink",
                   Span(line, 1, line, 2, 0, 1))  # fmt: skip


@pytest.mark.parametrize(
    "filename",
    [":", "::", ":x.md", " ::x.md", "\u3000::x.md", "\u00a0\t ::x.md", "\n::x.md",
     "::stop-commands::t", "##[error]x.md", "a ##[group]b.md", "##[##[x]", "", "ok.md"],
)  # fmt: skip
def test_github_line_past_the_cap_is_never_a_command(filename, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    message = "m ::error::x ##[warning]y \n::stop-commands::z"
    findings = [_finding(filename, message, line=i + 1) for i in range(3)]
    out = io.StringIO()
    rep = make_reporter("github", out, limit=1)
    rep.start()
    rep.file(FileResult(filename, findings))
    summary = Summary(files=1)
    summary.add(findings)
    rep.finish(summary, statistics=True)
    kinds = check_github_log(log_lines(out.getvalue().encode()), {clean(filename, newlines=True)})
    assert len(kinds["annotation"]) == 1 and len(kinds["plain"]) == 2
    for m in kinds["plain"]:  # the line still names the file (the same file: "./" + name)
        assert m["file"] in (inert(clean(filename)), "./" + inert(clean(filename)))
        assert m["file"].startswith("./") == clean(filename).lstrip().startswith(":")


def test_github_plain_lines_of_ordinary_names_are_unchanged():
    from linter.reporters.github import log_line, plain

    f = _finding("_figures/PMC1__a.md", "figlink 'x': no leading slash; expected '/x'")
    assert plain(f) == (
        "_figures/PMC1__a.md:1:1: ID105 [error] figlink 'x': no leading slash; expected '/x'\n"
    )
    for text in ("Found 2 findings in 1 file (2 error).", "     2\tID105\tfiglink", "", "a # [b]"):
        assert log_line(text) == text
    assert log_line("  ::x::y") == "  \\x3a:x::y"
    assert log_line("a ##[error]b") == "a ##\\x5berror]b"


def test_stderr_messages_are_not_commands(tmp_path):
    """stderr is read by the runner too: every message goes through to_stderr,
    which writes no line a runner takes for a command."""
    (tmp_path / "_figures").mkdir()
    os.symlink("nowhere", tmp_path / "_figures" / "##[error]dangling.md")  # an error line
    code, out, err = run(tmp_path / "_figures", "github")
    assert code == 2
    for line in log_lines(err):
        assert runner_command(line) is None, line


# -- gitlab ----------------------------------------------------------------------------------
def test_gitlab_report_with_hostile_names(tree, expected):
    import jsonschema
    from test_ci_formats import GITLAB_REPORT

    code, out, err = run(tree, "gitlab")
    assert code == 1, err
    issues = json.loads(out.decode("utf-8"))  # strict: control characters are escaped
    jsonschema.validate(issues, GITLAB_REPORT)
    assert len(issues) == len(expected)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue, f in zip(issues, expected, strict=True):
        assert issue["location"]["path"] == f["filename"]  # relative, as it is
        assert issue["location"]["lines"]["begin"] == f["location"]["row"]
        assert issue["check_name"] == f["code"]
        assert issue["description"] == f"{f['code']} {f['message']}"
    paths = {i["location"]["path"] for i in issues}
    assert "::stop-commands::pwned.md" in paths
    assert "=cmd|' /C calc'!A0.md" in paths
    assert "::add-mask::a\nb\x1b[31m\x01\x02\x03\x04\x05\x06\x07\x08\x7f.md" in paths
    assert "bad\\xe9\\xff::error::.md" in paths  # the bytes that are not UTF-8, shown


# -- junit -----------------------------------------------------------------------------------
def junit_text(value: str) -> str:
    """``value`` as the junit format writes it (XML 1.0 allows no U+FFFE)."""
    return clean(value, newlines=True).replace("\ufffe", "\\ufffe")


def test_junit_report_with_hostile_names(tree, expected):
    from junitparser import Failure, JUnitXml

    code, out, err = run(tree, "junit")
    assert code == 1, err
    text = out.decode("utf-8")
    root = ET.fromstring(out)  # well-formed XML 1.0
    for element in root.iter():
        for value in (element.text or "", element.tail or "", *element.attrib.values()):
            assert not NOT_XML.search(value), value
    path = tree.parent / f"{tree.name}.xml"
    path.write_bytes(out)
    [suite] = list(JUnitXml.fromfile(str(path)))
    cases = {c.classname + "/" + c.name: c for c in suite}
    xml_files = [case.get("file") for case in root.iter("testcase")]
    files = {junit_text(f["filename"]) for f in expected}
    assert sorted(xml_files) == sorted(files)  # one case per file
    assert suite.tests == len(files) and suite.failures == len(files) and suite.errors == 0
    assert "./::stop-commands::pwned.md" in cases
    assert "=cmd|' /C calc'!A0.md" in cases
    assert "./::add-mask::a\nb\\x1b[31m\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x7f.md" in cases
    assert "./\\ufffe-fffe.md" in cases and "./bad\\xe9\\xff::error::.md" in cases
    # every finding is in its file's failure, one per line
    for case, file in zip(suite, xml_files, strict=True):
        [failure] = case.result
        assert isinstance(failure, Failure)
        mine = [f for f in expected if junit_text(f["filename"]) == file]
        assert failure.message.startswith(f"{len(mine)} finding")
        assert len(failure.text.splitlines()) >= len(mine)
        for f in mine:
            assert junit_text(f["message"]) in failure.text
    assert "<tag>" not in text and "&lt;tag&gt;" in text


# -- sarif -----------------------------------------------------------------------------------
URI = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


def test_sarif_log_with_hostile_names(tree, expected):
    from test_ci_formats import sarif_validator

    code, out, err = run(tree, "sarif")
    assert code == 1, err
    log = json.loads(out.decode("utf-8"))
    assert [e.message for e in sarif_validator().iter_errors(log)] == []
    [run_] = log["runs"]
    results = run_["results"]
    assert len(results) == len(expected)
    on_disk = {os.fsencode(n) for n in names(tree)}
    seen = set()
    for result, f in zip(results, expected, strict=True):
        assert result["ruleId"] == f["code"] and result["message"]["text"] == f["message"]
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = artifact["uri"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        # a relative URI reference (RFC 3986): no scheme, nothing left unencoded
        assert URI.fullmatch(uri) and not urlsplit(uri).scheme, uri
        assert not urlsplit(uri).query and not urlsplit(uri).fragment, uri
        # the name round-trips, byte for byte
        raw = os.fsencode(unquote(uri, errors="surrogateescape"))
        assert raw in on_disk and os.path.exists(os.path.join(os.fsencode(tree), raw))
        seen.add(raw)
        for fix in result.get("fixes", []):
            assert fix["artifactChanges"][0]["artifactLocation"] == artifact
    assert seen == on_disk


# -- csv -------------------------------------------------------------------------------------
def test_csv_worklist_with_hostile_names(tree, expected):
    code, out, err = run(tree, "csv")
    assert code == 1, err
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    header, *rows = rows
    assert header[0] == "record" and len(header) == 18
    assert len(rows) == len(expected)
    for row, f in zip(rows, expected, strict=True):
        assert len(row) == 18, row  # every value in its own cell
        record, figid, pmcid, rule, name, severity, message, line, column, fixable = row[:10]
        record_path = row[11]
        if f["filename"].endswith(".md"):
            assert record_path == record  # the record's own finding: the same safe cell
        for value in row:
            assert not value.startswith(FORMULA_START), row  # no formula
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", value), row  # no control character
        name_ = clean(f["filename"], newlines=True)
        assert record == ("'" + name_ if name_.startswith(FORMULA_START) else name_)
        message_ = clean(f["message"], newlines=True)
        assert message == ("'" + message_ if message_.startswith(FORMULA_START) else message_)
        assert (rule, severity, line, column) == (
            f["code"], f["severity"], str(f["location"]["row"]), str(f["location"]["column"]),
        )  # fmt: skip
    records = {r[0] for r in rows}
    assert {"'=cmd|' /C calc'!A0.md", "'=HYPERLINK(1).md", "'+1+1.md", "'-2+3.md",
            "'@SUM(A1).md"} <= records  # fmt: skip
    assert "::add-mask::a\nb\\x1b[31m\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x7f.md" in records
    assert "q\"uo'te,<tag>&amp;%0A%3A%25.md" in records
    assert any(QUOTED in r[6] and r[0] == "##[error]value.md" for r in rows)  # in one cell
    figids = {r[1] for r in rows}
    assert "'=HYPERLINK(1)" in figids and "C calc'!A0" in figids
