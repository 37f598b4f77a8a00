"""Records found from their parent's span, not from a table of every container's id()."""

from __future__ import annotations

import sys
from array import array
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.findings import Span
from gtmplay.loader import parse
from gtmplay.sourcemap import SourceMap

_scalars = st.one_of(st.integers(-5, 5), st.sampled_from(["a", "b c", "", "x: y", "- z"]))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["k", "id", "name", "x y"]), inner, max_size=4),
    ),
    max_leaves=25,
)


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path into ``value``, and one past the end of each list and mapping."""
    found = [path]
    if isinstance(value, dict):
        found += [p for k, v in value.items() for p in _paths(v, (*path, k))]
        found.append((*path, "missing"))
    elif isinstance(value, list):
        found += [p for i, v in enumerate(value) for p in _paths(v, (*path, i))]
        found.append((*path, len(value)))
    return found


def _composed(root: yaml.Node, path: tuple[str | int, ...], *, key: bool) -> Span:
    """``locate`` worked out from PyYAML's own tree of nodes (``yaml.compose``
    of the text), which has every position."""

    def span(node: yaml.Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return Span("f.yaml", start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    node = root
    best = Span("f.yaml", 1, 1, 1, 1)
    for depth, step in enumerate(path):
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            pairs = [(k, v) for k, v in node.value if k.value == step]
            if not pairs:
                break
            (key_node, node), *_ = pairs
            best = span(key_node if key and depth == len(path) - 1 else node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                break
            node = node.value[step]
            best = span(node)
        else:
            break
    return best


@settings(max_examples=150)
@given(_values, st.sampled_from([False, True, None]))
def test_every_path_is_located_where_the_yaml_tree_has_it(value: Any, flow: bool | None) -> None:
    # block and flow collections, nested, ending together: the record under
    # each parent's span is found by where it ends and starts
    doc = {"root": value}
    text = yaml.safe_dump(doc, default_flow_style=flow, sort_keys=False)
    smap = SourceMap()
    loaded, _ = parse(text, "f.yaml", smap)
    assert loaded == doc
    # composed once per example, not once per path: the tree is only read
    tree = yaml.compose(text)
    for path in _paths(loaded):
        for key in (False, True):
            assert smap.locate(loaded, path, key=key) == _composed(tree, path, key=key)


def test_an_alias_is_located_in_the_anchored_container() -> None:
    smap = SourceMap()
    doc, _ = parse("a: &x\n  k: [1, 2]\nb: *x\n", "f.yaml", smap)
    assert smap.locate(doc, ("b", "k", 1)) == Span("f.yaml", 2, 10, 2, 11)
    assert smap.locate(doc, ("b",)) == Span("f.yaml", 3, 4, 3, 6)


def test_a_file_parsed_again_keeps_both_parses_located() -> None:
    # gtmplay diff shares one map between two checks: a file of the same name
    # may be parsed twice, its old document still in use
    smap = SourceMap()
    old, _ = parse("a:\n  - {k: 1}\n", "f.yaml", smap)
    new, _ = parse("# changed\na:\n  - {k: 1}\n", "f.yaml", smap)
    assert smap.locate(old, ("a", 0, "k")) == Span("f.yaml", 2, 9, 2, 10)
    assert smap.locate(new, ("a", 0, "k")) == Span("f.yaml", 3, 9, 3, 10)


def test_the_map_holds_a_span_in_about_eight_bytes() -> None:
    # a dict entry and an int key per container took 74 bytes each, a quarter
    # of a check's source map; then an array per container 80 bytes of header
    # and 8 in a list, more than its spans: now a record is 4 bytes beside them,
    # and a span four two-byte ints (11.5 bytes a span with the file number in each)
    smap = SourceMap()
    text = "".join(f"- {{id: a{i}, tags: [x, y], owner: {{team: t}}}}\n" for i in range(2000))
    doc, _ = parse(text, "f.yaml", smap)
    assert len(smap) == 6001 + 1  # and the root, kept with its container
    spans = 2000 * (7 + 3 + 3) + 2001
    arrays = [packed for parse in smap._parses.values() for packed in parse]
    held = sum(map(sys.getsizeof, arrays)) + sys.getsizeof(smap._kept)
    assert held / spans < 10
    # a record found is its spans: a copy at its exact size
    record = smap.find(doc, (5, "tags"))
    assert record is not None and len(record) == 15
    assert sys.getsizeof(record) == sys.getsizeof(array(record.typecode, record))
    assert smap.locate(doc, (5, "tags", 1)) == Span("f.yaml", 6, 22, 6, 23)


def test_trimmed_parses_keep_their_arrays_at_their_exact_size() -> None:
    # arrays grown by appends keep room for more (0.19 MB of 10,000 activities)
    smap = SourceMap()
    doc, _ = parse("".join(f"- {{id: a{i}, tags: [x, y]}}\n" for i in range(3000)), "f.yaml", smap)
    smap.trim()
    for packed in smap._parses[0]:
        assert sys.getsizeof(packed) == sys.getsizeof(array(packed.typecode, packed))
    assert smap.locate(doc, (2999, "tags", 1)) == Span("f.yaml", 3000, 25, 3000, 26)


def test_a_parse_takes_two_bytes_a_number_until_one_does_not_fit() -> None:
    # four-byte numbers took 20 bytes a span, 3.6 MB of a 10,000-activity check
    smap = SourceMap()
    small, _ = parse("a: [1, 2]\nb: [x, y]\n", "f.yaml", smap)
    root = smap.pos(small)
    assert root is not None and root.itemsize == 2
    # a column past 65,535: the spans from there on, and the ones before, in four bytes
    large, _ = parse(f"a: [1, 2]\nb: [{'x' * 70_000}, y]\n", "g.yaml", smap)
    root = smap.pos(large)
    assert root is not None and root.itemsize == 4
    assert smap.locate(large, ("b", 1)) == Span("g.yaml", 2, 70_007, 2, 70_008)
    assert smap.locate(large, ("a", 1)) == Span("g.yaml", 1, 8, 1, 9)
    assert smap.locate(small, ("b", 1)) == Span("f.yaml", 2, 8, 2, 9)
