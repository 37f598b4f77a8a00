"""The site in a real browser: headless Chromium loads every page from file://.

Each page must load without SEVERE console entries and show its diagram (an
inline ``svg`` with a non-zero size). Needs Debian's ``chromium`` and
``chromium-driver``; skipped without them unless CI is set, where it must run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gtmplay.services.build import Options, build

from .conftest import example_or_skip

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = os.environ.get("GTMPLAY_SCREENSHOTS")  # a folder: keep screenshots there to look at


def _require_browser() -> None:
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    reason = f"{CHROMIUM} and {CHROMEDRIVER} are needed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI is set but the browser is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    example = example_or_skip()
    out = tmp_path_factory.mktemp("browser") / "site"
    assert build(str(example), Options(output=out)).status == 0
    return out / "html"


@pytest.fixture(scope="module")
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


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_loads_cleanly_and_shows_its_diagram(driver: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    pages = _pages(site)
    assert len(pages) >= 10
    problems: dict[str, list[str]] = {}
    for rel in pages:
        driver.get((site / rel).as_uri())
        found: list[str] = []
        severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        found.extend(severe)
        diagrams = driver.find_elements(By.CSS_SELECTOR, "figure.diagram svg[role=img]")
        if not diagrams:
            found.append("no diagram")
        for svg in diagrams:
            size = svg.size
            if size["width"] <= 0 or size["height"] <= 0:
                found.append(f"diagram of size {size}")
        sheet = driver.execute_script(
            "return getComputedStyle(document.querySelector('header.top')).display"
        )
        if sheet != "flex":
            found.append("style sheet not applied")
        if SHOTS and rel in ("index.html", "stages/proposal.html", "guides/sdr.html"):
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(Path(SHOTS) / (rel.replace("/", "_") + ".png")))
        if found:
            problems[rel] = found
    assert problems == {}


def test_a_broken_page_is_noticed(driver: Any, tmp_path: Path) -> None:
    # the console check can fail: a missing image is a SEVERE entry
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><img src="missing.png"><p>x</p>')
    driver.get(page.as_uri())
    assert any(e["level"] == "SEVERE" for e in driver.get_log("browser"))


def test_phone_width_has_no_horizontal_scroll(driver: Any, site: Path) -> None:
    driver.set_window_size(390, 844)
    try:
        for rel in _pages(site):
            driver.get((site / rel).as_uri())
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{rel} scrolls sideways by {overflow}px on a phone"
    finally:
        driver.set_window_size(1280, 1000)
