"""Headless Chromium through selenium, for the browser tests, the report's
screenshots (tools/report_screenshot.py) and its scale benchmark
(bench/report_scale.py): one place for the flags a closed network needs.

Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# no sandbox as root; no background connections (the machine's network is
# closed: Chromium would keep retrying them); a fresh profile per start
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find() -> tuple[str | None, str | None]:
    """(browser, chromedriver) paths, ``None`` where not installed."""
    browser = next((shutil.which(n) for n in BROWSERS if shutil.which(n)), None)
    return browser, shutil.which("chromedriver")


def start(profile: Path, *, window: str = "1400,1000", extra=(), capabilities=None):
    """A selenium Chrome driver on a fresh ``profile`` folder; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    browser, driver = find()
    if not browser or not driver:
        raise RuntimeError("no chromium / chromedriver installed")
    options = Options()
    options.binary_location = browser
    for flag in (*FLAGS, f"--window-size={window}", *extra, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    for name, value in (capabilities or {}).items():
        options.set_capability(name, value)
    return webdriver.Chrome(service=Service(driver), options=options)
