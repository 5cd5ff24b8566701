"""How the HTML report scales: build the report of N generated records
(copies of the corpus, as bench.py makes them) and measure its size, how long
`pfocr-lint report` takes, how long headless Chromium takes to open it, and
how long a filter takes to answer in the page.

    python bench/report_scale.py --n 10000 [--n 100000] [--corpus DIR]

Prints its figures; asserts nothing (the machines are noisy: quote medians
of a few runs). Needs the `report` extra, selenium, Debian's chromium and
chromium-driver. The corpus defaults to tests/fixtures/corpus.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tools"))

import headless  # noqa: E402  (tools/headless.py: Chromium through selenium)

from bench import build  # noqa: E402  (bench/bench.py's record generator)

# one filter change in the page, timed inside the page (input event → rows drawn)
FILTER_JS = """
const [id, value] = arguments;
const el = document.getElementById(id);
const t0 = performance.now();
el.value = value;
el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input'));
return [performance.now() - t0, document.getElementById('count').textContent];
"""


def browser(profile: Path):
    driver = headless.start(profile)
    driver.set_page_load_timeout(300)
    return driver


def open_time(driver, page: Path) -> float:
    """Seconds from navigation start to the table drawn (the page's script
    marks <body data-ready>)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get(page.as_uri())
    WebDriverWait(driver, 300).until(
        lambda d: d.execute_script("return document.body.dataset.ready === '1'")
    )
    # the page's script notes when it has drawn the table (ms since navigation start)
    return int(driver.execute_script("return document.body.dataset.readyMs")) / 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, action="append", help="records (repeatable; default 10000)")
    ap.add_argument("--runs", type=int, default=3, help="page opens per size (median)")
    ap.add_argument("--corpus", type=Path, default=REPO / "tests" / "fixtures" / "corpus")
    args = ap.parse_args(argv)
    sizes = args.n or [10000]
    with tempfile.TemporaryDirectory(prefix="pfocr-report-bench-") as tmp:
        tmp = Path(tmp)
        driver = browser(tmp / "profile")
        try:
            for n in sizes:
                work = tmp / f"n{n}"
                build(args.corpus, work, n)
                page = work / "report.html"
                t0 = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "linter",
                        "report",
                        "--no-cache",
                        "collection",
                        "-o",
                        str(page),
                    ],
                    cwd=work,
                    check=True,
                    capture_output=True,
                )
                built = time.perf_counter() - t0
                opens = [open_time(driver, page) for _ in range(args.runs)]
                rule = driver.execute_script(
                    "return document.querySelectorAll('#f-rule option')[1].value"
                )
                timings = {}
                for label, (id_, value) in {
                    f"rule {rule}": ("f-rule", rule),
                    "rule: all": ("f-rule", ""),
                    "text 'homo'": ("f-text", "homo"),
                    "text cleared": ("f-text", ""),
                }.items():
                    ms, count = driver.execute_script(FILTER_JS, id_, value)
                    timings[label] = (ms, count)
                print(
                    f"{n:,} records: report {page.stat().st_size / 1e6:.1f} MB, built in {built:.1f} s"
                )
                print(
                    f"  open in Chromium: median {statistics.median(opens):.2f} s "
                    f"({', '.join(f'{t:.2f}' for t in opens)})"
                )
                for label, (ms, count) in timings.items():
                    print(f"  filter {label}: {ms:.0f} ms  ({count})")
                shutil.rmtree(work, ignore_errors=True)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
