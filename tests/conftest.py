from __future__ import annotations

import os
from collections.abc import Iterator

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
