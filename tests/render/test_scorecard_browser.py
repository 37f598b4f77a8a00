"""The scorecard in a real browser, as test_browser.py looks at the rest of the site.

The example playbook built with its measured figures (tests/render/data), and
the scorecard of each shared real CRM export measured against its playbook in
tests/measure/playbooks: the scorecard and the overview that links it, at 390,
768 and 1366 px, must not scroll sideways, draw chart text under 11 px or clip
a table cell, and axe-core must find no serious or critical violation.
Screenshots go beside the site's, under ``build/screenshots/WIDTH/scorecard*.png``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gtmplay.measure.figures import from_json
from gtmplay.render.writer import write_tree

from .support import ROOT, example_or_skip, render
from .test_browser import SHOTS, WIDTHS, _look

DATA = ROOT / "tests" / "render" / "data" / "acme-measurement.json"
REAL = Path("/work/shared/realworld/crm-history")
if not REAL.is_dir():  # the shared data sits beside the repository in CI
    REAL = ROOT.parent / "shared" / "realworld" / "crm-history"
# each shared data set with the playbook tests/measure writes for it; a data set
# added later without a playbook has nothing to be measured against
REAL_PLAYBOOKS = {
    "maven-crm-sales-opportunities": "maven-kpis",  # with the revenue, volume, velocity KPIs
    "edtech-lead-funnel": "edtech",
    "salesforce-sample-org-opportunity-history": "salesforce",
    "x-education-leads": "xeducation",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gtmplay.pipeline import check_path

    result = check_path(str(example_or_skip()))
    assert result.playbook is not None
    measurement = from_json(json.loads(DATA.read_text(encoding="utf-8")))
    out = tmp_path_factory.mktemp("scorecard") / "site"
    files = render(result.playbook, ("html",), measurement=measurement)
    write_tree(out, files, playbook_dir=example_or_skip())
    return out / "html"


@pytest.fixture(scope="module")
def real_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site of each shared data set with its scorecard, by playbook name."""
    from gtmplay.services.measure import measure_path

    sets = {n: p for n, p in REAL_PLAYBOOKS.items() if (REAL / n).is_dir()}
    if not sets:
        pytest.skip(f"the shared real CRM exports are not at {REAL}")
    playbooks = ROOT / "tests" / "measure" / "playbooks"
    sites = {}
    for folder, name in sorted(sets.items()):
        result, measurement = measure_path(str(playbooks / f"{name}.yaml"), (str(REAL / folder),))
        assert result.playbook is not None and measurement is not None, folder
        out = tmp_path_factory.mktemp(name) / "site"
        files = render(result.playbook, ("html",), measurement=measurement)
        write_tree(out, files, playbook_dir=playbooks)
        sites[name] = out / "html"
    return sites


@pytest.mark.parametrize("width", WIDTHS)
def test_real_data_scorecards_read_well_at_this_width(
    audited: Any, real_sites: dict[str, Path], width: int
) -> None:
    problems: dict[str, list[str]] = {}
    try:
        for name, html in real_sites.items():
            shot = SHOTS / str(width) / f"scorecard-{name}.png"
            found = _look(audited, (html / "scorecard.html").as_uri(), width, shot)
            if found:
                problems[name] = found
    finally:
        audited.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert problems == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_scorecard_reads_well_at_this_width(audited: Any, site: Path, width: int) -> None:
    problems: dict[str, list[str]] = {}
    try:
        for page in ("scorecard", "index"):
            name = "scorecard" if page == "scorecard" else "scorecard-overview"
            shot = SHOTS / str(width) / f"{name}.png"
            found = _look(audited, (site / f"{page}.html").as_uri(), width, shot)
            if found:
                problems[page] = found
    finally:
        audited.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert problems == {}


def test_every_chart_is_drawn_at_its_natural_size(driver: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get((site / "scorecard.html").as_uri())
    charts = driver.find_elements(By.CSS_SELECTOR, "figure.diagram svg.chart")
    assert len(charts) == 8
    for chart in charts:
        # one unit per CSS pixel: what makes the smallest text 11 px on the screen
        assert chart.size["width"] == int(chart.get_attribute("width"))
