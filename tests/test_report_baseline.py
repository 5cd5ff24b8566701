"""`pfocr-lint report` with a baseline (issue 18, item 6): the curators'
backlog stays in the report. With a configured baseline (or ``--baseline``)
every finding is shown and the baseline's are marked; ``--no-baseline``
ignores it; ``report -o FILE.csv`` writes the worklist the same way. The
"fix first" panel, the safe/unsafe fix counts and the figid anchors. The page
in a real browser: tests/test_report_browser.py."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from html import unescape

import pytest
from reportdata import NEW_FIGID, build_baseline_report, embedded

pytest.importorskip("jinja2")
pytest.importorskip("altair")
pytest.importorskip("vl_convert")

from linter.cli.main import main  # noqa: E402
from linter.reporters.html import fix_first, record_anchors  # noqa: E402


@pytest.fixture(scope="module")
def backlog(tmp_path_factory):
    return build_baseline_report(tmp_path_factory.mktemp("backlog"))


def items(data):
    return [x for d in data["details"].values() for x in d["findings"]]


def test_check_hides_the_baseline_and_report_shows_it_marked(backlog):
    src, out, every, new = backlog
    # check: the baseline's findings dropped, the new record's left
    assert new and {f["filename"].rsplit("/", 1)[-1] for f in new} == {f"{NEW_FIGID}.md"}
    data = embedded(out.read_text(encoding="utf-8"))
    assert data["baseline"] and data["baseline"].endswith("baseline.json")
    shown = items(data)
    assert Counter(x["code"] for x in shown) == Counter(f["code"] for f in every)
    marked = [x for x in shown if x.get("base")]
    assert len(marked) == len(every) - len(new)
    assert Counter(x["code"] for x in shown if not x.get("base")) == Counter(f["code"] for f in new)
    # the row's baselined count is its marked findings'
    for i, d in data["details"].items():
        assert data["rows"][int(i)][12] == sum(1 for x in d["findings"] if x.get("base"))
    new_row = next(r for r in data["rows"] if r[0] == NEW_FIGID)
    assert new_row[12] == 0 and new_row[7] + new_row[8] + new_row[9] == len(new)


def test_the_page_has_the_baseline_filter_and_counts(backlog):
    _, out, every, new = backlog
    html = out.read_text(encoding="utf-8")
    assert '<select id="f-base">' in html
    assert 'data-sort="12"' in html  # the baselined column, sortable
    n = re.search(r'data-stat="baselined">(\d+)<', html)
    assert n and int(n.group(1)) == len(every) - len(new)
    assert "baseline.json" in html


def test_no_baseline_and_an_explicit_one(backlog, tmp_path):
    src, _, every, new = backlog
    plain = tmp_path / "plain.html"
    assert main(["report", "--no-cache", "--no-baseline", str(src), "-o", str(plain)]) == 0
    data = embedded(plain.read_text(encoding="utf-8"))
    assert data["baseline"] is None
    assert not [x for x in items(data) if x.get("base")]
    assert len(items(data)) == len(every)
    assert '<select id="f-base">' not in plain.read_text(encoding="utf-8")
    # --baseline FILE names one explicitly (the configured one ignored)
    explicit = tmp_path / "explicit.html"
    args = ["report", "--no-cache", "--no-baseline", "--baseline", str(src / "baseline.json")]
    assert main([*args, str(src), "-o", str(explicit)]) == 0
    data = embedded(explicit.read_text(encoding="utf-8"))
    assert len([x for x in items(data) if x.get("base")]) == len(every) - len(new)


def test_the_csv_worklist_keeps_the_backlog(backlog, tmp_path, capsys):
    src, _, every, new = backlog
    out = tmp_path / "worklist.csv"
    assert main(["report", "--no-cache", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Wrote" in err
    n = len(every) - len(new)
    assert f"{n} findings in the baseline {src / 'baseline.json'} shown, marked." in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == len(every)
    assert Counter(r["baselined"] for r in rows) == {"yes": len(every) - len(new), "no": len(new)}
    assert {r["figid"] for r in rows if r["baselined"] == "no"} == {NEW_FIGID}
    # check's worklist: the new findings only, none marked
    assert main(["check", "--no-cache", "--output-format", "csv", str(src)]) == 1
    checked = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(checked) == len(new) and {r["baselined"] for r in checked} == {"no"}


def test_fix_first_panel(backlog):
    _, out, every, _ = backlog
    html = out.read_text(encoding="utf-8")
    panel = re.search(r'<section id="fix-first".*?</section>', html, re.S)
    assert panel, "no fix first panel"
    text = unescape(panel.group(0))
    safe = sum(1 for f in every if f["fix"] and f["fix"]["applicability"] == "safe")
    unsafe = sum(1 for f in every if f["fix"] and f["fix"]["applicability"] != "safe")
    assert safe and unsafe
    assert f"<strong>{safe}</strong> safe fixes" in text
    assert f"<strong>{unsafe}</strong> unsafe fixes" in text
    src = out.parent / "collection"
    assert f'data-cmd="safe">pfocr-lint check --fix {src}</code>' in text
    assert f'data-cmd="unsafe">pfocr-lint check --fix --unsafe-fixes {src}</code>' in text
    errors = Counter(f["code"] for f in every if f["severity"] == "error")
    top = re.findall(r'href="#sev=error&rule=(\w+)"><strong>\1</strong>', text)
    assert top and top[0] == min(errors, key=lambda c: (-errors[c], c))
    # the worst records: most errors first, each linked by its figid
    per = Counter()
    for f in every:
        if f["severity"] == "error":
            per[f["filename"].rsplit("/", 1)[-1].split(".")[0].removesuffix("-genes")] += 1
    worst = re.findall(r'<li><a href="#record/([^"]+)">([^<]+)</a>', text)
    assert worst and worst[0][0] == worst[0][1]
    counts = [int(n) for n in re.findall(r'<span class="error">(\d+) error</span>', text)]
    assert counts == sorted(counts, reverse=True) and counts[0] == max(per.values())


def test_fix_counts_say_safe_and_unsafe_as_the_cli_does(backlog):
    _, out, every, _ = backlog
    html = unescape(out.read_text(encoding="utf-8"))
    safe = sum(1 for f in every if f["fix"] and f["fix"]["applicability"] == "safe")
    unsafe = sum(1 for f in every if f["fix"] and f["fix"]["applicability"] != "safe")
    hint = (
        f"[*] {safe} fixable with the `--fix` option ({unsafe} hidden fix"
        f"{'' if unsafe == 1 else 'es'} can be enabled with the `--unsafe-fixes` option)."
    )
    assert hint in html
    assert f'<span data-stat="safe">{safe}</span> safe' in html
    assert f'<span data-stat="unsafe">{unsafe}</span> unsafe' in html


def test_anchors_are_figids_and_duplicates_numbered():
    rows = [["A"], ["B"], ["A"], ["A"]]
    assert record_anchors(rows) == ["A", "B", "A~2", "A~3"]
    row = ["PMC1__a b", "t", "", "", "", "PMC1", "f.md", 2, 1, 0, ["NA101"], "", 0]
    rules = {
        "NA101": {"name": "na-character", "severity": "error", "count": 3, "safe": 2, "unsafe": 0}
    }
    panel = fix_first([row], rules, ["my dir"])
    assert panel["worst"][0]["anchor"] == "PMC1__a%20b"
    assert panel["safe_cmd"] == "pfocr-lint check --fix 'my dir'"
    assert panel["fix_rules"][0]["cmd"] == "pfocr-lint check --fix --select NA101 'my dir'"


@pytest.mark.parametrize("figid", ["[a, b]", "{x: 1}", "12", "''", "null"])
def test_a_malformed_figid_still_makes_a_page(tmp_path, figid):
    """Bad input never crashes: the row is named after the file."""
    from reportdata import embedded as data_of

    rec = tmp_path / "PMC1__f1.md"
    rec.write_text(f"---\nfigid: {figid}\ndoi: .na.character\n---\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", "--no-cache", str(rec), "-o", str(out)]) == 0
    rows = data_of(out.read_text(encoding="utf-8"))["rows"]
    assert rows[0][0] == "PMC1__f1"  # 12 is a number in YAML, not a figid
