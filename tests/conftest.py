from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None)
# `long`: the fuzz tests in two processes finish in under 30 minutes on two
# cores (docs/hardening.md has the commands and the last run's figures)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session", autouse=True)
def own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test process (each xdist worker) keeps compiled templates in a folder of its own.

    The tests then never write into the user's cache folder, and workers running
    at once never share one; the gtmplay processes the tests start inherit it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path_factory.mktemp("gtmplay-cache")))
        yield


@pytest.fixture(scope="session")
def maven_measured() -> tuple[Any, Any]:
    """``measure_path`` of tests/measure/playbooks/maven.yaml on the shared Maven
    export: the check result and the measurement. Three modules count it a second
    way; measured once, not three times (about 0.9 s each)."""
    from tests.measure.support import MAVEN, PLAYBOOKS

    from gtmplay.services.measure import measure_path

    if not MAVEN.is_dir():
        pytest.skip(f"the shared Maven export is not here: {MAVEN}")
    result, measured = measure_path(str(PLAYBOOKS / "maven.yaml"), (str(MAVEN),))
    assert result.playbook is not None and measured is not None
    return result, measured


# pytest-xdist hands out tests in units, each run whole on one worker. With
# ``--dist loadfile`` (pyproject.toml) the unit here is a test module, so its module
# fixtures (a built site) are made once, except for the modules that share a session
# or package fixture slow to make: they are one unit, so it is made once in the run,
# not once on each worker (the Salesforce XSD takes seconds to load; Chromium about
# 1.7 s of CPU to start and quit). Not done with xdist_group marks: pytest-xdist 3.8
# loses them on pytest 9.2 (pytest-xdist#1386).
SHARED = {
    "salesforce_xsd": (
        "tests/crm/test_golden.py",
        "tests/crm/test_import.py",
        "tests/crm/test_motions_export.py",
        "tests/crm/test_orgs.py",
        "tests/crm/test_salesforce.py",
    ),
    "maven_measured": (
        "tests/measure/test_periods.py",
        "tests/measure/test_realworld.py",
        "tests/render/test_scorecard_page.py",
    ),
    "driver": ("tests/render/test_browser.py", "tests/render/test_scorecard_browser.py"),
}
_GROUP = {module: fixture for fixture, modules in SHARED.items() for module in modules}

# The units handed out first, longest first (module times of the whole suite, see
# docs/performance.md, "Test suite"): a long unit given out last leaves one worker
# busy alone at the end. The others follow in the order they are collected.
LONGEST_FIRST = (
    "tests/measure/test_spark.py",
    "driver",  # the two browser modules
    "tests/fuzz/test_pipeline.py",
    "tests/plan/test_sqlexport.py",
    "salesforce_xsd",
    "tests/measure/test_postgres.py",
    "tests/fuzz/test_scaling_dimensions.py",
    "tests/fuzz/test_hostile.py",
    "tests/measure/test_properties.py",
    "tests/plan/test_dialects.py",
)


def unit(nodeid: str) -> str:
    """The unit of work of a test: its module, or the group of modules it belongs to."""
    module = nodeid.split("::", 1)[0]
    return _GROUP.get(module, module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` by :func:`unit`, handed out in the order collected."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit(nodeid)

    return Units(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest units first; a module using a shared fixture must be in its group."""
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        for fixture, modules in SHARED.items():
            if fixture in getattr(item, "fixturenames", ()) and module not in modules:
                raise pytest.UsageError(
                    f"{module} uses the shared fixture {fixture}: add it to SHARED in "
                    "tests/conftest.py, so that the fixture is made once"
                )
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    # a stable sort: the other units, and the tests of each, stay in collected order
    items.sort(key=lambda item: rank.get(unit(item.nodeid), len(rank)))
