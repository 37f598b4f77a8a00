from __future__ import annotations

import contextlib
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.findings import Span
from gtmplay.loader import Limits, LoadProblem, decode, parse
from gtmplay.sourcemap import SourceMap


def load(text: str, limits: Limits | None = None) -> tuple[object, SourceMap, list[str]]:
    smap = SourceMap()
    value, findings = parse(text, "f.yaml", smap, limits or Limits())
    return value, smap, [f.text() for f in findings]


def problem(text: str, limits: Limits | None = None) -> LoadProblem:
    with pytest.raises(LoadProblem) as info:
        parse(text, "f.yaml", SourceMap(), limits or Limits())
    return info.value


def test_values_match_yaml_safe_load() -> None:
    import yaml

    text = "a: 1\nb: [x, 'y', {c: 2.5}]\nd: null\ne: true\nf: 2024-01-01\ng: ''\n"
    value, _, findings = load(text)
    expected = yaml.safe_load(text)
    expected["f"] = "2024-01-01"  # dates stay text
    assert value == expected
    assert findings == []


def test_positions_are_one_based_and_exact() -> None:
    value, smap, _ = load("stages:\n  - id: discovery\n    probability: 10\n")
    assert smap.locate(value, ("stages", 0, "probability")) == Span("f.yaml", 3, 18, 3, 20)
    assert smap.locate(value, ("stages", 0, "probability"), key=True) == Span("f.yaml", 3, 5, 3, 16)
    assert smap.locate(value, ("stages", 0)).line == 2
    # a path into a missing key points at its parent
    assert smap.locate(value, ("stages", 0, "nope")) == Span("f.yaml", 2, 5, 4, 1)


def test_key_span_is_taken_only_at_the_last_step() -> None:
    value, smap, _ = load("name:\n  name: x\n")
    assert smap.locate(value, ("name", "name"), key=True) == Span("f.yaml", 2, 3, 2, 7)
    assert smap.locate(value, ("name", "name")) == Span("f.yaml", 2, 9, 2, 10)
    # a missing last key points at the parent's value, even when the parent has the same name
    other, smap2, _ = load("name:\n  other: x\n")
    assert smap2.locate(other, ("name", "name"), key=True) == Span("f.yaml", 2, 3, 3, 1)


def test_duplicate_key_is_reported_at_the_second() -> None:
    value, _, findings = load("name: a\nname: b\n")
    assert value == {"name": "a"}
    assert findings == [
        "f.yaml:2:1: error[GTM002] duplicate key 'name' (first defined at line 1)"
        " (remove one of them: YAML keeps only one)"
    ]


def test_duplicate_key_in_a_large_mapping_names_the_first_line() -> None:
    # past eight keys a mapping's positions are found through an index: it must
    # follow the mapping as the loader extends it
    text = "".join(f"k{i}: {i}\n" for i in range(12)) + "k3: again\nk11: again\nk12: 12\n"
    value, smap, findings = load(text)
    assert isinstance(value, dict)
    assert list(value) == [f"k{i}" for i in range(13)]
    assert [f.split(" (remove")[0] for f in findings] == [
        "f.yaml:13:1: error[GTM002] duplicate key 'k3' (first defined at line 4)",
        "f.yaml:14:1: error[GTM002] duplicate key 'k11' (first defined at line 12)",
    ]
    # the duplicates' values are dropped with their spans: later keys keep theirs
    assert smap.locate(value, ("k12",)) == Span("f.yaml", 15, 6, 15, 8)
    assert smap.locate(value, ("k12",), key=True) == Span("f.yaml", 15, 1, 15, 4)
    assert smap.locate(value, ("k0",)) == Span("f.yaml", 1, 5, 1, 6)


def test_a_record_takes_no_room_beyond_its_spans() -> None:
    # a container's record is made at its exact size when the container ends
    # (an array extended span by span kept up to a third more room than it used)
    text = "a: [1, 2]\nb:\n" + "".join(f"  k{i}: {{x: [{i}]}}\n" for i in range(20))
    value, smap, _ = load(text)
    records = [smap.find(value, ()), smap.find(value, ("a",)), smap.find(value, ("b",))]
    records += [smap.find(value, ("b", f"k{i}")) for i in range(20)]
    records += [smap.find(value, ("b", f"k{i}", "x")) for i in range(20)]
    assert [len(r) if r is not None else None for r in records[:3]] == [25, 15, 205]
    for record in records:
        assert record is not None
        empty = type(record)(record.typecode)
        assert sys.getsizeof(record) - sys.getsizeof(empty) == record.itemsize * len(record)


@given(st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=30))
def test_every_key_and_item_is_located_where_it_is_written(shape: list[int]) -> None:
    # one key per line, each value a list of ``n`` items on the next lines
    lines, where = [], {}
    for number, items in enumerate(shape):
        key = f"key{number}"
        lines.append(f"{key}:" + ("" if items else " []"))
        where[key] = len(lines)
        for item in range(items):
            lines.append(f"  - item{item}")
    value, smap, _ = load("\n".join(lines) + "\n")
    assert isinstance(value, dict)
    for number, items in enumerate(shape):
        key = f"key{number}"
        line = where[key]
        assert smap.locate(value, (key,), key=True) == Span("f.yaml", line, 1, line, len(key) + 1)
        for item in range(items):
            span = smap.locate(value, (key, item))
            assert span == Span("f.yaml", line + item + 1, 5, line + item + 1, 10)
        # past the last item: the list itself
        assert smap.locate(value, (key, items)).line == (line if not items else line + 1)


def test_yaml11_booleans_are_recorded_for_the_schema_check() -> None:
    value, smap, findings = load("name: no\nflag: yes\nok: true\n")
    assert value == {"name": False, "flag": True, "ok": True}
    assert smap.ambiguity(value, ("name",)) == ("no", "false")
    assert smap.ambiguity(value, ("ok",)) is None
    assert findings == []


def test_yaml11_surprises_in_lists_are_found_at_their_item() -> None:
    text = "a: [yes, x]\nb:\n  - c: [on]\n  - [off, [no]]\nd: [1, 2]\n"
    value, smap, _ = load(text)
    assert value == {"a": [True, "x"], "b": [{"c": [True]}, [False, [False]]], "d": [1, 2]}
    assert smap.ambiguity(value, ("a", 0)) == ("yes", "true")
    assert smap.ambiguity(value, ("a", 1)) is None
    assert smap.ambiguity(value, ("b", 0, "c", 0)) == ("on", "true")
    assert smap.ambiguity(value, ("b", 1, 0)) == ("off", "false")
    assert smap.ambiguity(value, ("b", 1, 1, 0)) == ("no", "false")
    # and the positions of every list are those of the list the document holds
    assert smap.locate(value, ("b", 1, 1, 0)) == Span("f.yaml", 4, 12, 4, 14)
    assert smap.locate(value, ("d", 1)) == Span("f.yaml", 5, 8, 5, 9)


def test_a_list_without_surprises_takes_no_room_beyond_its_items() -> None:
    # a list appended item by item keeps room for more; the loader keeps a copy
    # at its exact size (the 50,000 short lists of 10,000 activities: 0.8 MB)
    value, _, _ = load("a: [x]\nb: [x, y]\nc:\n  - 1\n  - 2\n  - 3\nd: []\n")
    assert isinstance(value, dict)
    for items in value.values():
        assert sys.getsizeof(items) == sys.getsizeof([]) + 8 * len(items)


def test_equal_lists_are_one_list_and_keep_their_own_positions() -> None:
    # many activities name the same personas and markets: one list for all
    # (3.4 MB of 10,000 activities' 50,156 lists, 1,353 distinct)
    text = "a: [x, y]\nb:\n  - x\n  - y\nc: [y, x]\nd: [x]\ne: []\nf: []\n"
    value, smap, _ = load(text)
    assert isinstance(value, dict)
    assert value["a"] is value["b"]
    assert value["c"] == ["y", "x"] and value["c"] is not value["a"]
    assert value["d"] is not value["a"]
    assert value["e"] is value["f"] == []
    # each place keeps the span written there
    assert smap.locate(value, ("a", 1)) == Span("f.yaml", 1, 8, 1, 9)
    assert smap.locate(value, ("b", 1)) == Span("f.yaml", 4, 5, 4, 6)


def test_only_lists_of_the_very_same_items_are_one() -> None:
    # equal is not enough: 1 == true == 1.0, and YAML keeps them apart
    text = "a: [1]\nb: [true]\nc: [1.0]\nd: [1]\ne: [1.5]\nf: [1.5]\ng: [{k: v}]\nh: [{k: v}]\n"
    value, _, _ = load(text)
    assert isinstance(value, dict)
    assert value == {
        "a": [1],
        "b": [True],
        "c": [1.0],
        "d": [1],
        "e": [1.5],
        "f": [1.5],
        "g": [{"k": "v"}],
        "h": [{"k": "v"}],
    }
    assert [type(value[k][0]) for k in "abc"] == [int, bool, float]
    assert value["a"] is value["d"]
    assert value["b"] is not value["a"] and value["c"] is not value["a"]
    assert value["e"] is not value["f"]  # two float objects: not the same items
    assert value["g"] is not value["h"]


def test_short_text_is_one_string_however_it_is_written() -> None:
    # text that a YAML 1.1 word could start (n: no, null) or quoted text
    # (2,003 copies of "nurture" in 10,000 activities)
    value, _, _ = load("a: nurture\nb: [nurture]\nc: 'team x'\nd: team x\ne: \"team x\"\n")
    assert isinstance(value, dict)
    assert value["a"] is value["b"][0] == "nurture"
    assert value["c"] is value["d"] is value["e"] == "team x"


def test_a_list_with_a_surprise_is_its_own() -> None:
    # the surprise is kept under the list's id(): another list must not take it
    value, smap, _ = load("a: [x, yes]\nb: [x, yes]\nc: [x, true]\n")
    assert isinstance(value, dict)
    assert value["a"] is not value["b"] and value["c"] is not value["a"]
    assert smap.ambiguity(value, ("a", 1)) == ("yes", "true")
    assert smap.ambiguity(value, ("c", 1)) is None


def test_parses_given_one_table_share_their_lists() -> None:
    shared: dict[tuple[object, ...], list[object]] = {}
    smap = SourceMap()
    one, _ = parse("a: [x, y]\n", "one.yaml", smap, shared=shared)
    two, _ = parse("b: [x, y]\n", "two.yaml", smap, shared=shared)
    alone, _ = parse("c: [x, y]\n", "three.yaml", smap)
    assert one["a"] is two["b"]
    assert alone["c"] == one["a"] and alone["c"] is not one["a"]
    assert smap.locate(two, ("b", 1)) == Span("two.yaml", 1, 8, 1, 9)


def test_octal_looking_numbers_are_an_error() -> None:
    _, _, findings = load("target_days: 010\n")
    assert findings == [
        "f.yaml:1:14: error[GTM003] YAML 1.1 reads 010 as the number 8 (write the number"
        ' plainly, or quote it ("010") if it is text)'
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: [1,\n", (2, 1), "did not find expected node content"),
        ("a: b: c\n", (1, 5), "mapping values are not allowed"),
        ("a: *nope\n", (1, 4), "alias *nope refers to no anchor defined before it"),
        ("- 1\n---\n- 2\n", (2, 1), "one YAML document"),
        ("a: \x07\n", (1, 4), "special character U+0007"),
        ("<<: {a: 1}\n", (1, 1), "merge keys (<<) are not supported"),
        ("? [a]\n: 1\n", (1, 3), "a key must be plain text"),
        ("a: !!python/object x\n", (1, 4), "unsupported YAML tag"),
    ],
)
def test_syntax_problems(text: str, where: tuple[int, int], message: str) -> None:
    exc = problem(text)
    assert (exc.span.line, exc.span.column) == where
    assert message in exc.message


def test_control_character_position_counts_characters_not_bytes() -> None:
    exc = problem("a: ééééé\n  b: [\x07\n")
    assert (exc.span.line, exc.span.column) == (2, 7)
    exc = problem("a: ééééé\x07\n")
    assert (exc.span.line, exc.span.column) == (1, 9)


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        pytest.param(
            "stages:\n  - id: a\n    name: A\n   probability: 10\n",
            (4, 4),
            "this line is indented 3 spaces: the items of the list begun at line 2 start "
            "with '- ' in column 3 and the fields of the item above in column 5; "
            "line it up with one of them",
            id="indented-between-list-and-fields",
        ),
        pytest.param(
            "stages:\n  - id: a\n    name: A\n      probability: 10\n",
            (4, 7),
            "this line starts right of the fields above it, which start in column 5, so YAML "
            "reads it as more of the value above: start it in column 5, or quote the text if "
            "it holds ': '",
            id="indented-too-deep",
        ),
        pytest.param(
            "stages:\n  - id: a\n    name: A\n  id: b\n",
            (4, 3),
            "a new item of the list begun at line 2 starts with '- ' (column 3); to continue "
            "the item above, indent this line like its other fields",
            id="missing-dash",
        ),
        pytest.param(
            "stages:\n  - id: a\n - id: b\n",
            (3, 2),
            "this line does not line up with the keys of the mapping begun at line 1 "
            "(column 1): keys of one mapping start in the same column",
            id="dash-out-of-line",
        ),
        pytest.param(
            'name: "Acme\ndescription: x\n',
            (1, 7),
            'the quote " opened here is never closed: add " at the end of the text',
            id="unclosed-quote",
        ),
        pytest.param(
            "supports: [a, b\nname: x\n",
            (1, 11),
            "the bracket [ opened here is never closed: add ] after the last item",
            id="unclosed-bracket",
        ),
        pytest.param(
            "stages:\n  - id: a\n\tname: b\n",
            (3, 1),
            "YAML does not allow tabs for indentation: use spaces",
            id="tab",
        ),
        pytest.param(
            "name: Acme: the best\n", (1, 11), "quote text that contains ': '", id="colon-in-text"
        ),
    ],
)
def test_the_syntax_errors_people_meet_most_say_what_to_do(
    text: str, where: tuple[int, int], hint: str
) -> None:
    exc = problem(text)
    assert ((exc.span.line, exc.span.column), exc.hint) == (where, hint)


def test_an_unknown_escape_in_a_quote_is_not_called_unclosed() -> None:
    exc = problem('name: "a\\qb"\n')
    assert ((exc.span.line, exc.span.column), exc.hint) == ((1, 9), "")


def test_tab_indentation_gets_a_hint() -> None:
    exc = problem("a:\n\t- b\n")
    assert exc.hint == "YAML does not allow tabs for indentation: use spaces"


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(9):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    start = time.perf_counter()
    exc = problem("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert exc.rule[0] == "GTM004"
    assert "aliases expand to more than 100000 values" in exc.message


def test_deep_nesting_is_refused() -> None:
    exc = problem("[" * 10_000 + "]" * 10_000)
    assert exc.rule[0] == "GTM004"
    exc = problem("a:\n" + "".join("  " * i + "- \n" for i in range(1, 70)))
    assert exc.rule[0] == "GTM004"


def test_nesting_limit_is_configurable() -> None:
    exc = problem("a: {b: {c: 1}}", Limits(max_depth=2))
    assert exc.message == "nesting is deeper than 2 levels"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfea\x00", "file is encoded as UTF-16"),
        (b"a: \x00\n", "file contains a NUL byte"),
        ("gtmplay: 1\n".encode("utf-16-le"), "file is encoded as UTF-16"),
        ("gtmplay: 1\n".encode("utf-16-be"), "file is encoded as UTF-16"),
        (b"a: \xe9t\xe9\n", "file is not valid UTF-8 (byte 0xe9)"),
    ],
)
def test_decode_problems(data: bytes, message: str) -> None:
    with pytest.raises(LoadProblem) as info:
        decode(data, "f.yaml")
    assert info.value.message.startswith(message)


def test_utf8_bom_is_accepted() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n", "f.yaml") == "a: 1\n"


@given(st.text(max_size=200))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        parse(text, "f.yaml", SourceMap())
    except LoadProblem as exc:
        assert exc.span.line >= 1 and exc.span.column >= 1


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_fail_cleanly(data: bytes) -> None:
    with contextlib.suppress(LoadProblem):
        parse(decode(data, "f.yaml"), "f.yaml", SourceMap())
