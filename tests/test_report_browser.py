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
from collections import Counter, defaultdict
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


def text_of(driver, css: str, expected: str) -> str:
    """The text of the element ``css`` selects, once it is ``expected`` or
    after 30 s (a click changes the location's hash; the page draws on the
    hash change, later on a loaded machine)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def shown(d):
        found = d.find_elements(By.CSS_SELECTOR, css)
        return found[0].text if found and found[0].text == expected else None

    try:
        return WebDriverWait(driver, 30).until(shown)
    except TimeoutException:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        return found[0].text if found else f"(no element {css})"


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


# -- issue 18: sort indicators, keyboard, anchors, filters in the URL, fix first, baseline ----
def test_sort_headers_show_their_state_and_work_from_the_keyboard(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    out, _ = page
    open_page(browser, out)
    headers = browser.find_elements(By.CSS_SELECTOR, "th[data-sort]")
    assert headers and {h.get_attribute("aria-sort") for h in headers} == {"none"}
    th = browser.find_element(By.CSS_SELECTOR, "th[data-sort='8']")
    button = th.find_element(By.CSS_SELECTOR, "button.sort")
    # reached with Tab from the element before it, like any control
    browser.execute_script("arguments[0].focus()", headers[0].find_element(By.TAG_NAME, "button"))
    for _ in range(len(headers)):
        if browser.switch_to.active_element == button:
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == button
    arrow = "return getComputedStyle(arguments[0].querySelector('.arrow'), '::after').content"
    assert browser.execute_script(arrow, th) == '"↕"'

    def warnings() -> list[int]:
        cells = browser.find_elements(By.CSS_SELECTOR, "#rows tr:not(.paper) td:nth-child(7)")
        return [int(c.text) for c in cells]

    button.send_keys(Keys.ENTER)
    assert th.get_attribute("aria-sort") == "descending"
    assert browser.execute_script(arrow, th) == '"▼"'
    shown = warnings()
    assert shown == sorted(shown, reverse=True) and shown[0] > shown[-1]
    button.send_keys(Keys.SPACE)
    assert th.get_attribute("aria-sort") == "ascending"
    assert browser.execute_script(arrow, th) == '"▲"'
    assert warnings() == sorted(warnings())
    others = [h.get_attribute("aria-sort") for h in headers if h != th]
    assert set(others) == {"none"}  # one sorted column at a time


def test_filters_live_in_the_url_and_survive_a_record_view(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, findings = page
    code = Counter(f["code"] for f in findings).most_common(1)[0][0]
    sev = next(f["severity"] for f in findings if f["code"] == code)
    open_page(browser, out)
    Select(browser.find_element(By.ID, "f-rule")).select_by_value(code)
    Select(browser.find_element(By.ID, "f-sev")).select_by_value(sev)
    browser.find_element(By.CSS_SELECTOR, "th[data-sort='0'] button").click()
    fragment = browser.execute_script("return location.hash")
    assert f"rule={code}" in fragment and f"sev={sev}" in fragment and "sort=0" in fragment
    count = browser.find_element(By.ID, "count").text
    figids = shown_figids(browser)
    # the same address opened afresh shows the same table
    browser.get("about:blank")
    open_page(browser, out, fragment)
    assert (
        Select(browser.find_element(By.ID, "f-rule")).first_selected_option.get_attribute("value")
        == code
    )
    assert browser.find_element(By.ID, "f-sev").get_attribute("value") == sev
    assert browser.find_element(By.ID, "count").text == count
    assert shown_figids(browser) == figids
    assert (
        browser.find_element(By.CSS_SELECTOR, "th[data-sort='0']").get_attribute("aria-sort")
        == "ascending"
    )
    # a record's link is its figid; back to the table, the filters are still set
    first = browser.find_element(By.CSS_SELECTOR, "#rows tr td:first-child a")
    figid = first.text
    assert first.get_attribute("href").endswith(f"#record/{figid}")
    first.click()
    assert text_of(browser, "#record h2", figid) == figid
    browser.find_element(By.CSS_SELECTOR, "#record a.back").click()
    assert browser.find_element(By.ID, "records").is_displayed()
    assert browser.find_element(By.ID, "f-rule").get_attribute("value") == code
    assert browser.find_element(By.ID, "count").text == count
    # a hostile fragment is ignored, not obeyed
    open_page(browser, out, "#rule=%3Cimg%20src%3Dx%3E&sev=bogus&sort=99&page=-1")
    assert browser.find_element(By.ID, "f-rule").get_attribute("value") == ""
    assert browser.find_element(By.ID, "f-sev").get_attribute("value") == ""


def test_a_record_opens_by_its_figid(browser, page):
    from selenium.webdriver.common.by import By

    out, findings = page
    figid = record_figid(findings[-1]["filename"])
    open_page(browser, out, f"#record/{figid}")
    assert text_of(browser, "#record h2", figid) == figid
    assert not browser.find_element(By.ID, "records").is_displayed()
    open_page(browser, out, "#record/PMC0__no-such-figure")  # unknown: the table
    assert browser.find_element(By.ID, "records").is_displayed()
    assert shown_figids(browser)  # filled, not left empty


def test_fix_first_panel_links_to_filters_and_records(browser, page):
    from selenium.webdriver.common.by import By

    out, findings = page
    open_page(browser, out)
    panel = browser.find_element(By.ID, "fix-first")
    assert panel.is_displayed()
    cmds = panel.find_elements(By.CSS_SELECTOR, "code.cmd")
    assert [c.text.split(" --fix")[0] for c in cmds] == ["pfocr-lint check"] * len(cmds) != []
    # the worst record: a click opens it
    worst = panel.find_element(By.CSS_SELECTOR, "#ff-worst li a")
    figid = worst.text
    worst.click()
    assert text_of(browser, "#record h2", figid) == figid
    errors = Counter(record_figid(f["filename"]) for f in findings if f["severity"] == "error")
    assert errors[figid] == max(errors.values())
    browser.find_element(By.CSS_SELECTOR, "#record a.back").click()
    # an error rule: the table filtered to its errors
    link = browser.find_element(By.CSS_SELECTOR, "#ff-errors li a")
    code = link.find_element(By.TAG_NAME, "strong").text
    link.click()
    assert browser.find_element(By.ID, "f-rule").get_attribute("value") == code
    assert browser.find_element(By.ID, "f-sev").get_attribute("value") == "error"
    expected = {record_figid(f["filename"]) for f in findings if f["code"] == code}
    assert sorted(shown_figids(browser)) == sorted(expected)


@pytest.fixture(scope="module")
def backlog_page(tmp_path_factory):
    from reportdata import build_baseline_report

    _, out, every, new = build_baseline_report(tmp_path_factory.mktemp("browser-backlog"))
    return out, every, new


def test_baseline_filter_shows_new_and_baselined_findings(browser, backlog_page):
    from reportdata import NEW_FIGID
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, every, new = backlog_page
    open_page(browser, out)
    count = browser.find_element(By.ID, "count").text
    assert count.endswith(f"{len(every)} findings ({len(every) - len(new)} baselined)")
    base = Select(browser.find_element(By.ID, "f-base"))
    base.select_by_value("new")
    assert shown_figids(browser) == [NEW_FIGID]
    assert browser.find_element(By.ID, "count").text.endswith(
        f"{len(new)} finding{'s' if len(new) != 1 else ''} (0 baselined)"
    )
    assert "base=new" in browser.execute_script("return location.hash")
    base.select_by_value("baselined")
    old = {record_figid(f["filename"]) for f in every} - {NEW_FIGID}
    assert sorted(shown_figids(browser)) == sorted(old)
    # a baselined record's findings carry the mark; the new record's do not
    figid = sorted(old)[0]
    open_page(browser, out, f"#record/{figid}")
    boxes = browser.find_elements(By.CSS_SELECTOR, "#record article.finding")
    assert boxes and all("baselined" in b.get_attribute("class") for b in boxes)
    assert all(b.find_elements(By.CSS_SELECTOR, ".badge.base") for b in boxes)
    open_page(browser, out, f"#record/{NEW_FIGID}")
    boxes = browser.find_elements(By.CSS_SELECTOR, "#record article.finding")
    assert len(boxes) == len(new)
    assert not browser.find_elements(By.CSS_SELECTOR, "#record .badge.base")
    ARTIFACTS.mkdir(exist_ok=True)
    open_page(browser, out)
    browser.save_screenshot(str(ARTIFACTS / "report-baseline.png"))
