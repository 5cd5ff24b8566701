"""`pfocr-lint report`: the HTML page's content, its safety with hostile
record text, its fix commands, and its optional dependencies. The page in a
real browser: tests/test_report_browser.py."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from conftest import run_cli as run
from reportdata import XSS_CAPTION, build_report, embedded

pytest.importorskip("jinja2")
pytest.importorskip("altair")
pytest.importorskip("vl_convert")


def report(capsys, *args) -> tuple[int, str]:
    code, out, err = run(capsys, "report", "--no-cache", *args, check=False)
    return code, err


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The report of the corpus (+ a hostile record), and the check's JSON."""
    src, out, findings = build_report(tmp_path_factory.mktemp("report"))
    return src, out.read_text(encoding="utf-8"), findings


def test_one_self_contained_page(built):
    _, html, findings = built
    assert html.startswith("<!DOCTYPE html>")
    # nothing the page loads: no external script, style, image, font or frame
    assert not re.search(r"<(?:link|iframe|img|object|embed)\b", html, re.I)
    assert not re.search(r"""\bsrc\s*=\s*["']?(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", html, re.I)
    assert "default-src 'none'" in html  # and the page forbids it anyway
    # the charts are inline SVG drawn at build time
    charts = re.findall(r'<figure class="chart" id="chart-(\w+)"><svg', html)
    assert charts == ["rules", "generations", "years"]


def test_embedded_data_matches_the_check(built):
    src, html, findings = built
    data = embedded(html)
    records = list((src / "_figures").glob("*.md"))
    assert len(data["rows"]) == len(records)
    per_code = Counter(f["code"] for f in findings)
    assert {c: r["count"] for c, r in data["rules"].items()} == dict(per_code)
    shown = Counter(x["code"] for d in data["details"].values() for x in d["findings"])
    assert shown == per_code
    # a row's counts by severity are its findings'
    for i, d in data["details"].items():
        row = data["rows"][int(i)]
        sev = Counter(x["sev"] for x in d["findings"])
        assert row[7:10] == [sev["error"], sev["warning"], sev["info"]]
        assert sorted(row[10]) == sorted({x["code"] for x in d["findings"]})
    # the rule's explanation is `pfocr-lint rule CODE`
    code = next(iter(data["rules"]))
    said = subprocess.run(
        [sys.executable, "-m", "linter", "rule", code], capture_output=True, text=True
    ).stdout
    assert data["rules"][code]["text"] + "\n" == said


def test_record_text_never_becomes_markup(built):
    _, html, _ = built
    # the hostile record's text is in the page only as escaped JSON
    for raw in ("<script>window.pwned", "<img src=x", 'onerror="window', "<b onmouseover"):
        assert raw not in html
    assert html.count("</script>") == 2  # the data block's and the script's own
    data = embedded(html)
    i = next(i for i, r in enumerate(data["rows"]) if r[0] == "PMC1234567__evil-g001")
    assert data["rows"][i][1] == '<img src=x onerror="window.pwned = 4">'
    assert data["details"][str(i)]["caption"] == XSS_CAPTION


def test_embed_json_escapes_what_could_end_the_script():
    from linter.reporters.html import embed_json

    value = {"t": "</script><!-- & \u2028\u2029 >"}
    text = embed_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_fix_command_applies_the_fix(capsys, tmp_path):
    """The command a record view shows for a fix, run, removes that finding."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for p in SEEDS.glob("*.md"):
        (folder / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "r.html"
    code, err = report(capsys, str(folder), "-o", str(out))
    assert code == 0 and "Wrote" in err
    data = embedded(out.read_text(encoding="utf-8"))
    fixes = [x for d in data["details"].values() for x in d["findings"] if "fix" in x]
    assert fixes
    target = fixes[0]
    rows = {int(i): r for i, r in enumerate(data["rows"])}
    owner = next(int(i) for i, d in data["details"].items() if target in d["findings"])
    target["file"] = target["file"] or rows[owner][6]  # None: the record's own file
    assert target["fix"]["diff"].startswith("@@ -")
    argv = shlex.split(target["fix"]["cmd"])
    assert argv[:3] == ["pfocr-lint", "check", "--fix"]

    def count() -> int:
        _, out, _ = run(capsys, "--output-format", "json", target["file"])
        return sum(1 for f in json.loads(out) if f["code"] == target["code"])

    before_text, before = Path(target["file"]).read_text(encoding="utf-8"), count()
    assert argv[-1] == target["file"]
    run(capsys, *argv[2:], check=False)
    assert Path(target["file"]).read_text(encoding="utf-8") != before_text
    assert count() < before


def test_gn106_highlight_from_the_definition_and_the_message():
    from linter.pipeline.check import Check, CheckOptions
    from linter.reporters.html import _metadata, gn106_highlight

    run_ = Check(CheckOptions(paths=[str(SEEDS)], cache=False, select=["GN106"]))
    found = [(res.filename, f) for res in run_.results() for f in res.findings]
    assert found
    for record, f in found:
        caption = _metadata(record)["caption"]
        h = gn106_highlight(f, caption, lambda name: Path(name).read_text(encoding="utf-8"))
        # where the finding says the caption defines the abbreviation
        marked = {kind: caption[s:e] for s, e, kind in h["ranges"]}
        assert marked == {"abbr": h["abbr"], "long": h["long"]}
        assert f"'{h['abbr']}'" in f.message and f"'{h['long']}'" in f.message
        assert f"defines '{h['abbr']}' as '{h['long']}'" in f.extra["related"][0][0]
    # the words come from the finding's data (see the next test), never its message
    assert all(h_f.extra["data"]["abbreviation"] in h_f.message for _, h_f in found)


def _main_without(module: str, args: list[str], cwd):
    """``pfocr-lint ARGS`` in a fresh interpreter where ``module`` cannot be
    imported (as if the extra that ships it were not installed)."""
    code = (
        f"import sys; sys.modules[{module!r}] = None; from linter.cli.main import main; "
        f"sys.exit(main({args!r}))"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)


def test_report_needs_its_extra(tmp_path):
    """Without jinja2 / altair / vl-convert: exit 2 naming the extra."""
    done = _main_without("vl_convert", ["report", str(SEEDS), "-o", "r.html"], tmp_path)
    assert done.returncode == 2
    assert "pip install 'pfocr-lint[report]'" in done.stderr
    assert "needs vl-convert-python:" in done.stderr  # the package to install, by name
    assert not (tmp_path / "r.html").exists()


def test_html_format_needs_the_extra_too(tmp_path):
    done = _main_without("jinja2", ["check", "--output-format", "html", str(SEEDS)], tmp_path)
    assert done.returncode == 2
    assert "the HTML report needs jinja2" in done.stderr
    assert "pip install 'pfocr-lint[report]'" in done.stderr
    assert "Traceback" not in done.stderr and not done.stdout


def test_check_does_not_import_the_report_packages(tmp_path):
    code = (
        "import sys; from linter.cli.main import main; "
        f"main(['check', '--no-cache', {str(SEEDS)!r}]); "
        "print(sorted(m for m in ('jinja2', 'altair', 'vl_convert') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_templates_and_assets_ship_with_the_package():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"linter.reporters.html" = ["templates/*.j2", "assets/*.js", "assets/*.css"]' in text
    here = ROOT / "linter" / "reporters" / "html"
    assert (here / "templates" / "report.html.j2").is_file()
    assert (here / "assets" / "report.js").is_file()
    assert (here / "assets" / "report.css").is_file()


def test_fix_diff_is_the_whole_files_diff(capsys):
    """The record view's diff, made from the lines a fix touches, has the
    hunks (and line numbers) of the whole file's diff."""
    import difflib

    from linter.engine import apply_fixes
    from linter.pipeline.check import Check, CheckOptions
    from linter.reporters.html import fix_diff

    run_ = Check(CheckOptions(paths=[str(SEEDS)], cache=False))
    fixes = [f for res in run_.results() for f in res.findings if f.fix is not None]
    assert len(fixes) >= 5
    for f in fixes:
        text = Path(f.filename).read_text(encoding="utf-8")
        fixed, _ = apply_fixes(text, [f.fix])
        whole = difflib.unified_diff(
            text.splitlines(keepends=True), fixed.splitlines(keepends=True), n=1
        )
        assert fix_diff(text, f.fix) == "".join(list(whole)[2:])


def test_metadata_reads_the_fields_the_report_shows():
    from linter.reporters.html import META_KEYS, _full_metadata, _metadata

    for p in SEEDS.glob("*.md"):
        full = {k: v for k, v in _full_metadata(str(p)).items() if k in META_KEYS}
        assert _metadata(str(p)) == full
        assert full["figid"] == p.stem


def test_notebook_findings_load_as_plain_dicts(built):
    """README "For curators": `lint()` gives plain data a notebook can load
    (what pandas.json_normalize flattens), the same findings as the command."""
    from linter import lint

    src, _, from_cli = built
    findings = lint(str(src))

    def plain(x) -> bool:
        if isinstance(x, dict):
            return type(x) is dict and all(type(k) is str and plain(v) for k, v in x.items())
        if isinstance(x, list):
            return type(x) is list and all(plain(v) for v in x)
        return x is None or type(x) in (str, int, float, bool)

    assert findings and all(plain(f) for f in findings)

    def flatten(d, prefix=""):
        out = {}
        for k, v in d.items():
            if isinstance(v, dict):
                out.update(flatten(v, f"{prefix}{k}."))
            else:
                out[f"{prefix}{k}"] = v
        return out

    rows = [flatten(f) for f in findings]
    assert all({"code", "severity", "location.row", "filename"} <= set(r) for r in rows)
    assert any("fix.applicability" in r for r in rows)
    assert Counter((r["code"], r["severity"]) for r in rows) == Counter(
        (f["code"], f["severity"]) for f in from_cli
    )


def test_gn106_highlight_reads_the_findings_data_not_its_message(tmp_path):
    """The report takes the abbreviation, long form and word from GN106's
    structured data (``extra["data"]``), whatever the message says; the data
    survives the results cache."""
    from linter.base.model import Finding
    from linter.pipeline.check import Check, CheckOptions
    from linter.reporters.html import gn106_highlight

    f = Finding("GN106", "abbreviation-collision", "warning", "reworded", "x.md", "", None)
    f.extra["data"] = {"word": "Pgp", "abbreviation": "Pgp", "long_form": "P-glycoprotein"}
    assert gn106_highlight(f, "") == {"abbr": "Pgp", "long": "P-glycoprotein"}
    f.extra["data"] = {"word": "Pgp"}
    assert gn106_highlight(f, "") == {"abbr": "Pgp"}

    seed = tmp_path / "PMC6566596__ijms-20-02505-g004.md"
    seed.write_bytes((SEEDS / seed.name).read_bytes())
    for _ in range(2):  # cold, then answered by the cache
        opts = CheckOptions(paths=[str(seed)], select=["GN106"], config=None)
        found = [f for res in Check(opts).results() for f in res.findings]
        data = {f.extra["data"]["abbreviation"]: f.extra["data"] for f in found}
        assert data["Pgp"]["long_form"] == "P-glycoprotein"
        assert data["Pgp"]["gene"] == "PGP" and data["Pgp"]["word"] == "Pgp"


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="charts render in a forked process on Linux"
)
def test_the_charts_leave_no_thread_in_the_process_that_asked():
    """vl-convert starts V8 and tokio threads that live as long as the process
    that rendered; the run's own process must stay without them, since it may
    fork workers later (a `--watch` run's next pass, the Python API)."""
    code = (
        "import os; from linter.reporters.html import charts; "
        "rows = [['a.md', 't', '2020', '', 'B', 0, 0, 1, 0, 0], "
        "['b.md', 't', '2021', '', 'C', 0, 0, 0, 0, 0]]; "
        "out = charts(rows, {'NA101': {'count': 1, 'severity': 'error'}}); "
        "print(sorted(out), all(v.lstrip().startswith('<svg') for v in out.values()), "
        "len(os.listdir('/proc/self/task')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['generations',", "'rules',", "'years']", "True", "1"]
