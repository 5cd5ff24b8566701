"""The HTML report in a real headless Chromium (Debian's chromium and
chromium-driver, driven by selenium): it loads with no console error and no
network request, its charts show, filtering by a rule shows exactly the
records with that rule, a record view shows its findings and the figure link,
and hostile record text stays text. Screenshots of the summary and of one
record view are saved in tests/artifacts/ (gitignored).

Skipped, saying why, only when no Chromium / chromedriver is installed
(`.ci/run` installs them with apt-get where it can)."""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT
from reportdata import build_report, embedded

pytest.importorskip("jinja2")
pytest.importorskip("vl_convert")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

ARTIFACTS = ROOT / "tests" / "artifacts"
sys.path.insert(0, str(ROOT / "tools"))
import headless  # noqa: E402  (tools/headless.py: the Chromium flags)


def find_browser() -> None:
    if None in headless.find():
        pytest.skip(
            "no headless Chromium here: install Debian's chromium and chromium-driver "
            "(apt-get install chromium chromium-driver) to run the browser tests"
        )


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The report of the corpus, and the findings `check` finds there."""
    _, out, findings = build_report(tmp_path_factory.mktemp("browser"))
    return out, findings


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    find_browser()
    driver = headless.start(
        tmp_path_factory.mktemp("chromium-profile"),
        capabilities={"goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}},
    )
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_page(driver, path: Path, fragment: str = ""):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri() + fragment)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.body.dataset.ready === '1'")
    )


def record_figid(filename: str) -> str:
    """The record a finding belongs to: its own file, or the record whose
    sidecar table it is in."""
    p = Path(filename)
    if p.suffix == ".tsv":
        return p.stem.rsplit("-", 1)[0]
    return p.stem


def shown_figids(driver) -> list[str]:
    """The figids of every row the table shows, page after page."""
    from selenium.webdriver.common.by import By

    seen = []
    while True:
        seen += [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#rows tr td:first-child a")]
        nxt = driver.find_element(By.ID, "next")
        if not nxt.is_enabled():
            return seen
        nxt.click()


def test_loads_offline_without_errors_and_shows_charts(browser, page):
    from selenium.webdriver.common.by import By

    out, _ = page
    browser.get_log("browser")  # drop what an earlier page logged
    browser.get_log("performance")
    open_page(browser, out)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    # no request but the page itself: the DevTools network log and the
    # page's own resource timing agree
    requested = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            requested.append(msg["params"]["request"]["url"])
    assert all(u.startswith("file://") for u in requested), requested
    assert len([u for u in requested if u.startswith("file://")]) == 1
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert len(charts) == 3
    for svg in charts:
        assert svg.is_displayed()
        assert svg.size["width"] > 150 and svg.size["height"] > 80
        assert svg.find_elements(By.CSS_SELECTOR, "path, rect")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "report-summary.png"))
    assert (ARTIFACTS / "report-summary.png").stat().st_size > 10_000


def test_filter_by_rule_shows_exactly_its_records(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, findings = page
    by_rule = defaultdict(set)
    for f in findings:
        by_rule[f["code"]].add(record_figid(f["filename"]))
    open_page(browser, out)
    total = len({record_figid(f["filename"]) for f in findings})
    assert len(shown_figids(browser)) == min(total, 100)
    for code in sorted(by_rule, key=lambda c: -len(by_rule[c]))[:3]:
        open_page(browser, out)
        Select(browser.find_element(By.ID, "f-rule")).select_by_value(code)
        count = browser.find_element(By.ID, "count").text
        n = sum(1 for f in findings if f["code"] == code)
        assert count.startswith(f"{len(by_rule[code])} of ")
        assert count.endswith(f"{n} finding{'s' if n != 1 else ''}")
        assert sorted(shown_figids(browser)) == sorted(by_rule[code])


def test_record_view_shows_findings_and_the_figure_link(browser, page):
    from selenium.webdriver.common.by import By

    out, findings = page
    per_record = defaultdict(list)
    for f in findings:
        per_record[record_figid(f["filename"])].append(f)
    # a record with a fix and a figure link
    figid = next(
        k
        for k, v in sorted(per_record.items(), key=lambda kv: -len(kv[1]))
        if any(f["fix"] for f in v)
    )
    open_page(browser, out)
    browser.find_element(By.ID, "f-text").send_keys(figid)
    browser.find_element(By.LINK_TEXT, figid).click()
    view = browser.find_element(By.ID, "record")
    assert view.is_displayed()
    assert not browser.find_element(By.ID, "records").is_displayed()
    assert view.find_element(By.TAG_NAME, "h2").text == figid
    boxes = view.find_elements(By.CSS_SELECTOR, "article.finding")
    assert len(boxes) == len(per_record[figid])
    assert sorted(b.find_element(By.CSS_SELECTOR, ".code").text for b in boxes) == sorted(
        f["code"] for f in per_record[figid]
    )
    assert {b.find_element(By.CSS_SELECTOR, ".msg").text for b in boxes} == {
        f["message"] for f in per_record[figid]
    }
    fig = view.find_element(By.LINK_TEXT, "figure on PMC").get_attribute("href")
    pmcid = figid.split("__")[0]
    assert fig.startswith(f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/figure/")
    assert view.find_elements(By.CSS_SELECTOR, "pre.frame mark")
    assert view.find_elements(By.CSS_SELECTOR, ".fix code.cmd")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "report-record.png"))
    # back to the table
    view.find_element(By.CSS_SELECTOR, "a.back").click()
    assert browser.find_element(By.ID, "records").is_displayed()


def test_hostile_record_text_stays_text(browser, page):
    from selenium.webdriver.common.by import By

    out, _ = page
    data = embedded(out.read_text(encoding="utf-8"))
    i = next(i for i, r in enumerate(data["rows"]) if r[0] == "PMC1234567__evil-g001")
    open_page(browser, out, f"#record/{i}")
    view = browser.find_element(By.ID, "record")
    assert '<img src=x onerror="window.pwned = 4">' in view.text
    assert "</script><script>window.pwned = 1</script>" in view.text
    assert not view.find_elements(By.CSS_SELECTOR, "img, b, script")
    assert browser.execute_script("return window.pwned === undefined")


def test_gn106_caption_marks_the_abbreviation_and_its_long_form(browser, page):
    from selenium.webdriver.common.by import By

    out, findings = page
    gn106 = [f for f in findings if f["code"] == "GN106"]
    if not gn106:
        pytest.fail("the corpus has no GN106 finding to show")
    figid = record_figid(gn106[0]["filename"])
    data = embedded(out.read_text(encoding="utf-8"))
    i = next(i for i, r in enumerate(data["rows"]) if r[0] == figid)
    open_page(browser, out, f"#record/{i}")
    caption = browser.find_element(By.CSS_SELECTOR, "#record p.caption")
    defined = caption.find_elements(By.CSS_SELECTOR, "mark.defined")
    marked = {(m.get_attribute("class").split()[0], m.text) for m in defined}
    assert {kind for kind, _ in marked} == {"abbr", "long"}
    for f in gn106:
        if record_figid(f["filename"]) == figid:
            said = f["related"][0]["message"]  # where the caption defines it, and as what
            abbr, long = re.search(r"defines '(.+)' as '(.+)'$", said).groups()
            assert ("abbr", abbr) in marked
            assert ("long", long.lower()) in {(k, t.lower()) for k, t in marked}
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "report-gn106.png"))


def test_sort_and_group_by_paper(browser, page):
    from selenium.webdriver.common.by import By

    out, findings = page
    open_page(browser, out)
    # sorting by warnings: most first, then least first on a second click
    header = browser.find_element(By.CSS_SELECTOR, "th[data-sort='8']")
    header.click()

    def warnings() -> list[int]:
        cells = browser.find_elements(By.CSS_SELECTOR, "#rows tr:not(.paper) td:nth-child(7)")
        return [int(c.text) for c in cells]

    shown = warnings()
    assert shown == sorted(shown, reverse=True) and shown[0] > shown[-1]
    header.click()
    assert warnings() == sorted(warnings())
    # grouped by paper: one header row per pmcid, its figures right under it
    browser.find_element(By.ID, "f-group").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#rows tr")
    papers, current, seen = [], None, {}
    for tr in rows:
        if "paper" in tr.get_attribute("class"):
            current = tr.find_element(By.TAG_NAME, "strong").text
            papers.append(current)
        else:
            figid = tr.find_element(By.CSS_SELECTOR, "td a").text
            seen.setdefault(current, []).append(figid)
    assert len(papers) == len(set(papers)) > 1
    for pmcid, figids in seen.items():
        assert all(f.startswith(pmcid + "__") for f in figids if pmcid.startswith("PMC"))
    several = {p for p, figs in seen.items() if len(figs) > 1}
    expected = {}
    for f in findings:
        figid = record_figid(f["filename"])
        expected.setdefault(figid.split("__")[0], set()).add(figid)
    multi = {p for p, figs in expected.items() if len(figs) > 1}
    assert several == {p for p in multi if p in seen}
