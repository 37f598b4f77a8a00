"""Hypothesis strategies: valid playbooks with random names, text and shape.

A generated playbook is a dict of files (relative path -> YAML text) that
passes the schema: ids follow the id pattern and are unique per list,
references point at generated objects, enums take their allowed values.
Everything else (names, descriptions, sizes, how the playbook is split into
files) is random.
"""

from __future__ import annotations

import string
from typing import Any

import yaml
from hypothesis import strategies as st

# the ids of r"[a-z][a-z0-9_-]{0,10}", drawn as one letter and one text: the
# same ids, at the same lengths and share of "-" or "_" within a few points,
# for 40 % of the CPU of from_regex (one draw per character, then a fullmatch)
IDS = st.builds(
    str.__add__,
    st.sampled_from(string.ascii_lowercase),
    st.text(string.ascii_lowercase + string.digits + "_-", max_size=10),
)
# any text YAML can hold (no lone surrogates), markdown included
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
MARKDOWN = st.one_of(
    TEXT,
    st.lists(TEXT, min_size=1, max_size=4).map("\n\n".join),
    st.sampled_from(["**bold** and _em_", "- a\n- b\n", "[x](https://example.com)", "`c`"]),
)
FORECASTS = ("pipeline", "best-case", "commit")
ACTIVITY_KINDS = ("content", "campaign", "event", "webinar", "email", "ads", "enablement")


def unique_ids(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(IDS, min_size=n_min, max_size=n_max, unique=True)


@st.composite
def playbooks(draw: st.DrawFn) -> dict[str, str]:
    """Files of one valid playbook: ``{"playbook.yaml": ..., "x.yaml": ...}``."""
    ids = draw(unique_ids(21, 30))
    take = iter(ids)
    teams = [
        {"id": next(take), "name": draw(TEXT), "function": function}
        for function in ("marketing", "sdr", "sales")
    ]
    team_ids = [t["id"] for t in teams]
    n_steps = draw(st.integers(1, 4))
    steps: list[dict[str, Any]] = [
        {"id": next(take), "name": draw(TEXT), "owner": draw(st.sampled_from(team_ids))}
        for _ in range(n_steps)
    ]
    steps[-1]["converted"] = True
    n_open = draw(st.integers(1, 4))
    probabilities = sorted(draw(st.lists(st.integers(1, 99), min_size=n_open, max_size=n_open)))
    stages: list[dict[str, Any]] = [
        {
            "id": next(take),
            "name": draw(TEXT),
            "owner": draw(st.sampled_from(team_ids)),
            "probability": p,
            "forecast": draw(st.sampled_from(FORECASTS)),
            "entry": draw(st.lists(TEXT, max_size=2)),
            "guidance": draw(MARKDOWN),
        }
        for p in probabilities
    ]
    stages.append(
        {"id": next(take), "name": draw(TEXT), "probability": 100, "forecast": "closed",
         "outcome": "won"}
    )  # fmt: skip
    stages.append(
        {"id": next(take), "name": draw(TEXT), "probability": 0, "forecast": "omitted",
         "outcome": "lost"}
    )  # fmt: skip
    targets = [s["id"] for s in stages[:n_open]] + [s["id"] for s in steps]
    activities = [
        {
            "id": next(take),
            "name": draw(TEXT),
            "owner": draw(st.sampled_from(team_ids)),
            "kind": draw(st.sampled_from(ACTIVITY_KINDS)),
            "supports": draw(
                st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True)
            ),
            "metrics": draw(st.lists(TEXT, max_size=2)),
            "description": draw(MARKDOWN),
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    doc: dict[str, Any] = {
        "teams": teams,
        "lifecycle": steps,
        "stages": stages,
        "activities": activities,
    }
    if draw(st.booleans()):
        doc["handoffs"] = [
            {
                "id": next(take),
                "name": draw(TEXT),
                "from": team_ids[0],
                "to": team_ids[1],
                "at": steps[-1]["id"],
                "accept": draw(st.lists(TEXT, min_size=1, max_size=2)),
                "sla": {"respond_within": draw(st.sampled_from(["4h", "1d", "30m"]))},
            }
        ]
    root: dict[str, Any] = {"gtmplay": 1, "name": draw(TEXT), "description": draw(MARKDOWN)}
    files: dict[str, str] = {}
    split = draw(st.lists(st.sampled_from(sorted(doc)), unique=True))
    for key, value in doc.items():
        if key in split:
            files[f"parts/{key}.yaml"] = dump({key: value})
        else:
            root[key] = value
    if split:
        root["include"] = ["parts/*.yaml"]
    files["playbook.yaml"] = dump(root)
    return files


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
