"""Hostile numbers, aliases, tags and include names, end to end through
``gtmplay check``: a finding at the place, never an internal error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gtmplay.schema import FRAGMENT_SCHEMA, PLAYBOOK_SCHEMA, load_schema
from hostile.helpers import BASE, EXAMPLE, Run, write

NOT_A_NUMBER = "pb/kpis.yaml:25:13: error[GTM012] 'target' must be a number, not the text"


def acme(here: Path, rel: str, old: str, new: str) -> None:
    """A copy of the example in ``here/pb`` with ``old`` replaced by ``new`` in ``rel``."""
    shutil.copytree(EXAMPLE, here / "pb")
    path = here / "pb" / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_aliases_nest_no_deeper_than_the_limit_once_expanded(here: Path, run: Run) -> None:
    # twenty anchors, each a 60-deep list around the previous alias: 1,200
    # levels once expanded, in a 2.7 KB file whose written nesting is 61
    lines = ["x-deep:", "  a0: &a0 x"]
    lines += [f"  a{i}: &a{i} " + "[" * 60 + f"*a{i - 1}" + "]" * 60 for i in range(1, 21)]
    write(here, {"pb/playbook.yaml": BASE + "\n".join(lines) + "\n"})
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/playbook.yaml:6:71: error[GTM004] nesting is deeper than 64 levels once aliases "
        "are expanded (write the values out, or use fewer nested aliases)\n1 finding: 1 error\n",
    )


def test_an_alias_that_fits_within_the_limit_is_fine(here: Path, run: Run) -> None:
    deep = "[" * 30 + "x" + "]" * 30
    write(here, {"pb/playbook.yaml": BASE + f"x-a: &a {deep}\nx-b: [*a, *a]\n"})
    code, out, _ = run("check", "pb")
    assert "GTM004" not in out
    assert code == 1


@pytest.mark.parametrize(
    ("key", "tag"),
    [
        ("!python/object:os.system name", "!python/object:os.system"),
        ("!!int 1", "tag:yaml.org,2002:int"),
        ("!custom description", "!custom"),
    ],
)
def test_tags_on_keys_are_refused_like_tags_on_values(
    here: Path, run: Run, key: str, tag: str
) -> None:
    write(here, {"pb/playbook.yaml": f"gtmplay: 1\n{key}: Hostile\n"})
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:2:1: error[GTM001] unsupported YAML tag {tag} (remove the tag)\n"
        "1 finding: 1 error\n",
    )


def test_a_str_tag_on_a_key_is_accepted(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": "gtmplay: 1\n!!str name: Tagged\n"})
    code, out, _ = run("check", "pb")
    assert "GTM001" not in out and code in (0, 1)


@pytest.mark.parametrize(
    ("new", "line"),
    [
        (
            "target: " + "9" * 5001,
            "pb/kpis.yaml:25:13: error[GTM004] a number of 5,001 characters is longer than "
            "1000 characters (quote it if it is text)",
        ),
        (
            "target: 0x" + "f" * 4000,
            "pb/kpis.yaml:25:13: error[GTM004] a number of 4,002 characters is longer than "
            "1000 characters (quote it if it is text)",
        ),
        (
            "target: " + "1:" * 50_000 + "1",
            "pb/kpis.yaml:25:13: error[GTM004] a number of 100,001 characters is longer than "
            "1000 characters (quote it if it is text)",
        ),
        (
            "target: 1" + "0" * 400,
            "pb/kpis.yaml:25:13: error[GTM013] 'target' must be at most 1000000000000, "
            "not a number of 401 digits",
        ),
        (
            "target: 1.0e+400",
            "pb/kpis.yaml:25:13: error[GTM012] 'target' must be a number, not the text "
            '"1.0e+400"',
        ),
        ("target: .nan", f"{NOT_A_NUMBER} \".nan\""),
        ("target: -.inf", f"{NOT_A_NUMBER} \"-.inf\""),
    ],
    ids=["5001-digits", "hex", "sexagesimal", "1e400-as-integer", "float-overflow", "nan", "inf"],
)  # fmt: skip
def test_huge_and_non_finite_numbers(here: Path, run: Run, new: str, line: str) -> None:
    acme(here, "kpis.yaml", "target: 22", new)
    code, out, _ = run("check", "pb")
    assert (code, out) == (2 if "GTM004" in line else 1, f"{line}\n1 finding: 1 error\n")


def test_a_nan_cycle_target_does_not_silence_gtm306(here: Path, run: Run) -> None:
    acme(here, "kpis.yaml", "target: 90", "target: .nan")
    code, out, _ = run("check", "pb")
    assert code == 1
    assert 'must be a number, not the text ".nan"' in out


def test_a_duration_of_400_digits(here: Path, run: Run) -> None:
    acme(here, "handoffs.yaml", "respond_within: 4h", "respond_within: 1" + "0" * 400 + "h")
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        1,
        "pb/handoffs.yaml:15:23: error[GTM013] 'respond_within' is longer than 16 characters\n"
        "1 finding: 1 error\n",
    )


def test_an_include_with_a_nul_character(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + 'include: ["a\\0b.yaml"]\n'})
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/playbook.yaml:3:11: error[GTM006] cannot include a<U+0000>b.yaml: the name contains "
        "a NUL character (remove it)\n1 finding: 1 error\n",
    )


def _numbers(node: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        kind = node.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "integer" in kinds or "number" in kinds:
            found.append((path, node))
        for key, value in node.items():
            found += _numbers(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _numbers(value, f"{path}/{index}")
    return found


@pytest.mark.parametrize("name", [PLAYBOOK_SCHEMA, FRAGMENT_SCHEMA])
def test_every_number_in_the_schema_has_finite_bounds(name: str) -> None:
    fields = _numbers(load_schema(name), "")
    assert len(fields) >= 10
    unbounded = [
        path
        for path, node in fields
        if "const" not in node
        and "enum" not in node
        and not (
            {"minimum", "exclusiveMinimum"} & set(node)
            and {"maximum", "exclusiveMaximum"} & set(node)
        )
    ]
    assert unbounded == []


def test_every_duration_has_a_bounded_length() -> None:
    duration = load_schema()["$defs"]["duration"]
    assert duration["maxLength"] == 16
    assert json.dumps(duration).count("[0-9]+") == 4
