"""The site in a real browser: headless Chromium loads every page from file://.

Each page must load without SEVERE console entries and show its diagram (an
inline ``svg`` with a non-zero size). Then every page is looked at on a phone
(390 px), a tablet (768 px) and a laptop (1366 px): the page never scrolls
sideways, no diagram text is drawn under 11 px, no table cell clips its text,
and axe-core finds no serious or critical accessibility violation. A
screenshot of each page at each width is kept under ``build/screenshots/``
(or ``$GTMPLAY_SCREENSHOTS``) for people to look at; CI keeps it as an artefact.

Needs Debian's ``chromium`` and ``chromium-driver`` and axe-core from npm
(``.ci/run`` installs it into ``build/npm``; ``$GTMPLAY_AXE`` names another
``axe.min.js``); skipped without them unless CI is set, where they must be there.
The browser (``driver``, and ``audited`` with axe-core in its pages) is made in
conftest.py, once for this module and test_scorecard_browser.py.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest

from gtmplay.services.build import Options, build

from .support import ROOT, example_or_skip

# a folder: screenshots of every page at every width, to look at (a CI artefact)
SHOTS = Path(os.environ.get("GTMPLAY_SCREENSHOTS") or ROOT / "build" / "screenshots")
WIDTHS = (390, 768, 1366)
MIN_FONT = 11  # px, the smallest diagram text a reader must be able to read


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    example = example_or_skip()
    out = tmp_path_factory.mktemp("browser") / "site"
    assert build(str(example), Options(output=out)).status == 0
    return out / "html"


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


# The diagrams shown and their sizes, and the header's display (is the style sheet
# applied?), in one call rather than one per element: a WebDriver call is a round trip
# through chromedriver (about 11 ms of CPU). "Shown" is WebDriver's own test, the atom
# selenium's WebElement.is_displayed runs; the size is the element's bounding box, as
# WebDriver's element rect gives it.
DIAGRAMS_JS = """
const shown = (%s);
return {
  diagrams: Array.from(document.querySelectorAll('figure.diagram svg[role]'))
    .filter(svg => shown(svg))
    .map(svg => { const r = svg.getBoundingClientRect();
                  return {height: r.height, width: r.width}; }),
  sheet: getComputedStyle(document.querySelector('header.top')).display};
"""


def _diagrams_js() -> str:
    import pkgutil

    atom = pkgutil.get_data("selenium.webdriver.remote", "isDisplayed.js")
    assert atom is not None, "selenium's isDisplayed.js is missing"
    return DIAGRAMS_JS % atom.decode("utf-8")


def _loads_cleanly(driver: Any, url: str, script: str) -> list[str]:
    """What is wrong with the page at ``url`` once loaded; ``script`` is _diagrams_js()."""
    driver.get(url)
    found = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    seen: dict[str, Any] = driver.execute_script(script)
    # a diagram drawn for another width (a narrow or wide variant) is hidden
    if not seen["diagrams"]:
        found.append("no diagram")
    for size in seen["diagrams"]:
        if size["width"] <= 0 or size["height"] <= 0:
            found.append(f"diagram of size {size}")
    if seen["sheet"] != "flex":
        found.append("style sheet not applied")
    return found


def test_every_page_loads_cleanly_and_shows_its_diagram(driver: Any, site: Path) -> None:
    pages = _pages(site)
    assert len(pages) >= 10
    script = _diagrams_js()
    problems: dict[str, list[str]] = {}
    for rel in pages:
        found = _loads_cleanly(driver, (site / rel).as_uri(), script)
        if found:
            problems[rel] = found
    assert problems == {}


def test_a_page_without_its_diagram_or_style_is_noticed(driver: Any, tmp_path: Path) -> None:
    # the diagram there is drawn for another width (hidden), the header is not laid out
    page = tmp_path / "bare.html"
    page.write_text(
        '<!DOCTYPE html><header class="top">x</header><figure class="diagram">'
        '<svg role="img" style="display: none" width="10" height="10"></svg></figure>'
    )
    found = _loads_cleanly(driver, page.as_uri(), _diagrams_js())
    assert found == ["no diagram", "style sheet not applied"]


def test_a_broken_page_is_noticed(driver: Any, tmp_path: Path) -> None:
    # the console check can fail: a missing image is a SEVERE entry
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><img src="missing.png"><p>x</p>')
    driver.get(page.as_uri())
    assert any(e["level"] == "SEVERE" for e in driver.get_log("browser"))


# What the layout checks measure, in the page: the sideways overflow of the page,
# diagram text drawn under MIN_FONT px, and table cells whose content is wider than the cell.
LAYOUT_JS = """
function layout(minFont) {
const out = {overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
             small: [], clipped: [], cut: []};
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.viewBox && svg.viewBox.baseVal;
  if (!box || !box.width) continue;
  const scale = svg.getBoundingClientRect().width / box.width;
  if (!scale) continue;  // a variant drawn for another width, hidden at this one
  for (const t of svg.querySelectorAll('text')) {
    const px = parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale;
    if (px < minFont - 0.01) out.small.push(`${t.textContent} (${px.toFixed(1)}px)`);
  }
}
// chevrons, outcomes and legend entries that wrap rather than scroll: each must lie inside the
// box of its figure (so on a stage page the current stage shows without scrolling)
for (const part of document.querySelectorAll(
    'svg.diagram-process g.stage, svg.diagram-process g.outcome, svg.diagram-waterfall g.legend')) {
  const r = part.getBoundingClientRect(), box = part.closest('figure').getBoundingClientRect();
  if (r.width && r.right > box.right + 0.5)
    out.cut.push(`${part.textContent.trim().slice(0, 40)} ` +
                 `(${Math.round(r.right)}>${Math.round(box.right)})`);
}
for (const cell of document.querySelectorAll('td, th')) {
  if (cell.scrollWidth > cell.clientWidth + 1)
    out.clipped.push(
      `${cell.textContent.trim().slice(0, 40)} (${cell.scrollWidth}>${cell.clientWidth})`);
}
return out;
}
"""

# The layout checks, then axe-core's audit, then the page's height (for the screenshot), in
# one call: each WebDriver call is a round trip through chromedriver, about 8 ms of CPU.
LOOK_JS = (
    LAYOUT_JS
    + """
const done = arguments[arguments.length - 1];
const found = layout(arguments[0]);
const seen = audit => ({layout: found, axe: audit,
                        height: document.documentElement.scrollHeight});
if (typeof axe === 'undefined') done(seen(['axe-core is not in the page']));
else axe.run(document, {resultTypes: ['violations']}).then(
  r => done(seen(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ` +
                  v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))),
  e => done(seen([`axe failed: ${e}`])));
"""
)


def _at_width(driver: Any, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _look(driver: Any, url: str, width: int, shot: Path | None = None) -> list[str]:
    """What is wrong with the page at ``url`` on a screen ``width`` px wide.

    ``driver`` is the ``audited`` browser: axe-core is in every page it loads. With
    ``shot``, a screenshot of the page is kept there too.
    """
    _at_width(driver, width)
    driver.get(url)
    seen: dict[str, Any] = driver.execute_async_script(LOOK_JS, MIN_FONT)
    found = seen["layout"]
    problems = []
    if found["overflow"] > 0:
        problems.append(f"the page scrolls sideways by {found['overflow']}px")
    problems += [f"diagram text under {MIN_FONT}px: {x}" for x in found["small"][:5]]
    problems += [f"clipped cell: {x}" for x in found["clipped"][:5]]
    problems += [f"past the right edge of its diagram: {x}" for x in found["cut"][:5]]
    problems += seen["axe"]
    if shot is not None:
        taken = _screenshot(driver, shot, width, seen["height"])
        if taken != width:
            problems.append(f"the screenshot is {taken}px wide, not {width}px")
    return problems


def _screenshot(driver: Any, target: Path, width: int, height: int) -> int:
    """The whole page (not only the screen), as the reader scrolls through it; its width in px.

    ``height`` is the page's, measured on the screen the checks used. The screen is made
    as tall as the page first, so the page is laid out without a scroll bar, at the full
    ``width`` a phone shows. (A capture beyond the screen lays the page out again without
    the bar, so clipping it to the width measured with the bar cut the right 15 px off
    every picture.) Without the bar the page may be taller or shorter: then the screen
    is made as tall as the page again.
    """
    tall = min(height, 12000)
    _at_width(driver, width, tall)
    height = min(driver.execute_script("return document.documentElement.scrollHeight"), 12000)
    if height != tall:
        _at_width(driver, width, height)
    # optimizeForSpeed: the same pixels, compressed less (a third of the capture's time
    # was spent compressing; the files are about a quarter bigger)
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "optimizeForSpeed": True}
    )
    png = base64.b64decode(shot["data"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    return int.from_bytes(png[16:20], "big")  # the width in the PNG's IHDR chunk


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_well_at_this_width(audited: Any, site: Path, width: int) -> None:
    problems: dict[str, list[str]] = {}
    try:
        for rel in _pages(site):
            shot = SHOTS / str(width) / (rel.removesuffix(".html") + ".png")
            found = _look(audited, (site / rel).as_uri(), width, shot)
            if found:
                problems[rel] = found
    finally:
        audited.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert problems == {}


BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Bad</title>
<meta name="viewport" content="width=device-width"></head><body><main>
<div style="width: 2000px">too wide</div>
<svg viewBox="0 0 1000 100" style="width: 300px" role="img" aria-label="small">
<text x="10" y="50" font-size="12">tiny</text></svg>
<table style="table-layout: fixed; width: 100px">
<tr><td style="overflow: hidden; white-space: nowrap">
a cell much too narrow for this text</td></tr></table>
<figure tabindex="0" style="width: 200px; overflow-x: auto">
<svg class="diagram-process" viewBox="0 0 400 40"
width="400" height="40"><g class="stage"><text x="300" y="20" font-size="12">Proposal</text></g>
</svg></figure>
<p style="color: #bbb; background: #fff">pale text</p><img src="data:,">
</main></body></html>"""


def test_the_layout_checks_and_the_audit_can_fail(audited: Any, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE)
    try:
        found = _look(audited, page.as_uri(), 390)
    finally:
        audited.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    kinds = sorted({p.split(":")[0].split(" (")[0].split(" by ")[0] for p in found})
    assert kinds == [
        "clipped cell",
        "color-contrast",
        "diagram text under 11px",
        "image-alt",
        "past the right edge of its diagram",
        "the page scrolls sideways",
    ], found
