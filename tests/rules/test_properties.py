"""Properties of the rules on generated playbooks, and their speed."""

from __future__ import annotations

import importlib.util
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.pipeline import check_path
from gtmplay.rules.runner import run as run_rules

BASE = (Path(__file__).parent / "fixtures" / "base.yaml").read_text(encoding="utf-8")
STAGES_START = BASE.index("stages:\n")
STAGES_END = BASE.index("assets:\n")
ACTIVITIES_START = BASE.index("activities:\n")
ACTIVITIES_END = BASE.index("handoffs:\n")

stage_st = st.tuples(
    st.integers(0, 100),
    st.sampled_from(["pipeline", "best-case", "commit"]),
)


def _playbook(stages: list[tuple[int, str]], supports: list[list[int]]) -> str:
    lines = ["stages:\n"]
    for i, (probability, forecast) in enumerate(stages):
        lines.append(
            f"  - {{id: s{i}, name: Stage {i}, probability: {probability},"
            f" forecast: {forecast}, exit: [Done]}}\n"
        )
    lines.append("  - {id: won, name: Won, outcome: won, probability: 100, forecast: closed}\n")
    lines.append("  - {id: lost, name: Lost, outcome: lost, probability: 0, forecast: omitted}\n")
    acts = ["activities:\n", "  - {id: base, name: Base, kind: content, owner: marketing,"]
    acts.append(" supports: [mql, nurture], personas: [ops], assets: [roi], metrics: [m]}\n")
    for j, targets in enumerate(supports):
        ids = ", ".join(f"s{t}" for t in targets if t < len(stages))
        acts.append(
            f"  - {{id: a{j}, name: A{j}, kind: webinar, owner: marketing,"
            f" supports: [{ids}], personas: [ops], metrics: [m]}}\n"
        )
    return (
        BASE[:STAGES_START]
        + "".join(lines)
        + BASE[STAGES_END:ACTIVITIES_START]
        + "".join(acts)
        + BASE[ACTIVITIES_END:]
    )


@given(
    stages=st.lists(stage_st, min_size=1, max_size=8),
    supports=st.lists(st.lists(st.integers(0, 7), max_size=3, unique=True), max_size=6),
)
def test_coverage_and_probability_rules_match_an_oracle(
    tmp_path_factory: pytest.TempPathFactory,
    stages: list[tuple[int, str]],
    supports: list[list[int]],
) -> None:
    path = tmp_path_factory.mktemp("p") / "playbook.yaml"
    path.write_text(_playbook(stages, supports), encoding="utf-8")
    findings = check_path(str(path)).findings
    assert findings == check_path(str(path)).findings  # deterministic

    covered = {t for targets in supports for t in targets if t < len(stages)}
    unsupported = [
        f'Stage "Stage {i}" has no marketing activity supporting it'
        for i in range(len(stages))
        if i not in covered
    ]
    assert sorted(f.message for f in findings if f.rule == "GTM101") == sorted(unsupported)
    drops = sum(b[0] < a[0] for a, b in pairwise(stages))
    assert sum(f.rule == "GTM301" for f in findings) == drops
    rank = {"pipeline": 0, "best-case": 1, "commit": 2}
    steps_back = sum(rank[b[1]] < rank[a[1]] for a, b in pairwise(stages))
    assert sum(f.rule == "GTM305" for f in findings) == steps_back
    # persona gaps are never reported for stages GTM101 already reports
    assert not [f for f in findings if f.rule == "GTM102"]
    empty = sum(not [t for t in targets if t < len(stages)] for targets in supports)
    assert sum(f.rule == "GTM104" for f in findings) == empty
    assert {f.rule for f in findings} <= {"GTM101", "GTM104", "GTM301", "GTM305"}


def _bench() -> Any:
    path = Path(__file__).resolve().parents[2] / "bench" / "bench.py"
    spec = importlib.util.spec_from_file_location("gtmplay_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_are_fast_on_10000_activities(tmp_path: Path) -> None:
    _bench().generate(tmp_path, 10_000)
    result = check_path(str(tmp_path), rules=False)
    assert result.valid and result.playbook is not None
    assert len(result.playbook.activities) == 10_000
    best = min(_timed(result) for _ in range(3))
    assert best < 0.5, f"all rules took {best:.3f} s on 10,000 activities"


def _timed(result: Any) -> float:
    start = time.perf_counter()
    run_rules(result)
    return time.perf_counter() - start


toml_text = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda key, value: f"[rules]\n{key} = {value}\n",
        st.sampled_from(
            ["GTM101", '"coverage.unused-asset"', "coverage.unused-asset", "x", "GTM0"]
        ),
        st.sampled_from(['"off"', '"note"', '"warn"', "1", "true", "[1]", '"ERROR"']),
    ),
)


@given(text=toml_text)
def test_any_gtmplay_toml_gives_findings_not_tracebacks(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    folder = tmp_path_factory.mktemp("t")
    (folder / "playbook.yaml").write_text(BASE, encoding="utf-8")
    (folder / "gtmplay.toml").write_text(text, encoding="utf-8")
    findings = check_path(str(folder)).findings
    assert {f.rule for f in findings} <= {"GTM030", "GTM032"}
    assert all(f.file.endswith("gtmplay.toml") and f.line >= 1 for f in findings)
