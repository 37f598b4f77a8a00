"""Fixtures of the build tests; their helpers are in support.py.

The browser of test_browser.py and test_scorecard_browser.py is made once for both
(package scope; tests/conftest.py makes the two modules one unit of work, so they run
one after the other on one worker): starting and quitting Chromium costs about 1.7 s of CPU.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = Path(
    os.environ.get("GTMPLAY_AXE")
    or ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so finding paths read ``playbooks/...``."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return ROOT


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _require_browser() -> None:
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    reason = f"{CHROMIUM} and {CHROMEDRIVER} are needed (apt-get install chromium chromium-driver)"
    if _on_ci():
        pytest.fail(f"CI is set but the browser is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def driver() -> Iterator[Any]:
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gtmplay-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        # a new document without a new frame host in the browser: a fifth less CPU per page
        # load (1.85 vs 2.3 s over the site's 19 pages, see docs/performance.md)
        "--disable-features=RenderDocument",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(20)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="package")
def audited(driver: Any) -> Any:
    """The browser, with axe-core in every page it loads from now on.

    The script (about 550 KB) goes to the browser once, which evaluates it in each new
    document before the page's own scripts: sent through WebDriver for every page, its
    transport cost more than evaluating it (the audits are the same, see docs/performance.md).
    """
    if not AXE.is_file():
        reason = (
            f"axe-core is needed at {AXE} "
            "(npm install --prefix build/npm axe-core, as .ci/run does)"
        )
        if _on_ci():
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    source = AXE.read_text(encoding="utf-8")
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    driver.set_script_timeout(30)  # an audit of a long page takes seconds on a loaded machine
    return driver
