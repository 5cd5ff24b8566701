"""Regenerate the documentation's screenshots of the HTML report
(docs/report-summary.png, docs/report-record.png).

    python tools/report_screenshot.py

Builds the report of tests/fixtures/corpus, opens it in headless Chromium
(Debian's chromium + chromium-driver, through selenium) and writes
docs/report-summary.png (the summary and the table) and
docs/report-record.png (one record's view).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import headless  # noqa: E402  (Chromium through selenium)

DOCS = REPO / "docs"
RECORD = "PMC10003241__ijms-24-04893-g003"  # GN106 with its caption, sidecar frames, a fix


def main() -> int:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pfocr-report-shot-") as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run(
            # relative: the page shows file names as a user's clone would
            [sys.executable, "-m", "linter", "report", "--no-cache", "tests/fixtures/corpus"]
            + ["-o", str(page)],
            check=True,
            cwd=REPO,
        )
        driver = headless.start(
            Path(tmp) / "profile", window="1280,1100", extra=("--hide-scrollbars",)
        )
        try:
            driver.get(page.as_uri())
            WebDriverWait(driver, 30).until(
                lambda d: d.execute_script("return document.body.dataset.ready === '1'")
            )
            driver.save_screenshot(str(DOCS / "report-summary.png"))
            driver.find_element(By.ID, "f-text").send_keys(RECORD)
            driver.find_element(By.LINK_TEXT, RECORD).click()
            driver.save_screenshot(str(DOCS / "report-record.png"))
        finally:
            driver.quit()
    for name in ("report-summary.png", "report-record.png"):
        print(f"wrote docs/{name} ({(DOCS / name).stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
