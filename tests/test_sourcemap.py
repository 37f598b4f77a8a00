"""Records found from their parent's span, not from a table of every container's id()."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.findings import Span
from gtmplay.loader import parse
from gtmplay.sourcemap import MapPos, Pos, SeqPos, SourceMap

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


def _by_id(smap: SourceMap, doc: Any, path: tuple[str | int, ...], *, key: bool) -> Span:
    """``locate`` as it was with a table of every record by id(container)."""
    table = {id(r.container): r for r in smap.records}
    node, best = doc, Span(smap.files[0], 1, 1, 1, 1)
    for depth, step in enumerate(path):
        pos = table.get(id(node))
        raw = None
        if isinstance(pos, MapPos) and isinstance(step, str):
            raw = smap.entry(pos, step, of_key=key and depth == len(path) - 1)
        elif isinstance(pos, SeqPos) and isinstance(step, int):
            raw = smap.item(pos, step)
        if raw is None:
            break
        best = Span(*raw)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return best


def _counting_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    scans: list[int] = []
    scan = SourceMap._scan

    def counted(self: SourceMap, container: Any, first: int, stop: int) -> Pos | None:
        scans.append(stop - first)
        return scan(self, container, first, stop)

    monkeypatch.setattr(SourceMap, "_scan", counted)
    return scans


@settings(max_examples=150)
@given(_values, st.sampled_from([False, True, None]))
def test_every_path_is_located_as_by_identity_and_without_a_scan(
    value: Any, flow: bool | None
) -> None:
    # block and flow collections, nested, ending together: the record under
    # each parent's span is found by where it ends, as the id() table found it
    doc = {"root": value}
    text = yaml.safe_dump(doc, default_flow_style=flow, sort_keys=False)
    smap = SourceMap()
    loaded, _ = parse(text, "f.yaml", smap)
    assert loaded == doc
    with pytest.MonkeyPatch.context() as patch:
        scans = _counting_scans(patch)
        for path in _paths(loaded):
            for key in (False, True):
                assert smap.locate(loaded, path, key=key) == _by_id(smap, loaded, path, key=key)
    assert scans == []


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


def test_the_map_keeps_no_table_of_every_container() -> None:
    # a dict entry and an int key per container took 74 bytes each, a quarter
    # of a check's source map; the list of records takes about 8
    smap = SourceMap()
    text = "".join(f"- {{id: a{i}, tags: [x, y], owner: {{team: t}}}}\n" for i in range(2000))
    parse(text, "f.yaml", smap)
    assert len(smap.records) == 6001
    kept = sys.getsizeof(smap.records) + sys.getsizeof(smap._kept) + sys.getsizeof(smap._runs)
    assert kept / len(smap.records) < 10
