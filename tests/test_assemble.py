"""Reading a playbook folder: includes, merging, and files that cannot be used."""

from __future__ import annotations

import os
import sys
import time
from array import array
from pathlib import Path

import pytest

from gtmplay.assemble import assemble, merge
from gtmplay.loader import Limits
from gtmplay.sources import DiskSource, SourceProblem, safe_relative


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def texts(root: Path, limits: Limits | None = None) -> list[str]:
    here = Path.cwd()
    os.chdir(root)
    try:
        out = assemble(DiskSource(Path(".")), "playbook.yaml", limits or Limits())
    finally:
        os.chdir(here)
    return [f.text() for f in out.findings]


def test_includes_merge_in_order_and_keep_positions(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbook.yaml": "gtmplay: 1\nname: A\ninclude: [b.yaml, 'more/*.yaml']\n"
            "stages: [{id: s1}]\nscoring: {threshold: 5}\n",
            "b.yaml": "stages: [{id: s2}]\nscoring: {mql: mql}\n",
            "more/z.yaml": "stages: [{id: s4}]\n",
            "more/a.yaml": "stages: [{id: s3}]\n",
        },
    )
    out = assemble(DiskSource(tmp_path), "playbook.yaml")
    assert out.findings == [] and not out.broken
    assert [f.rel for f in out.files] == ["playbook.yaml", "b.yaml", "more/a.yaml", "more/z.yaml"]
    doc, conflicts = merge(out.files, out.smap)
    assert conflicts == []
    assert [s["id"] for s in doc["stages"]] == ["s1", "s2", "s3", "s4"]
    assert doc["scoring"] == {"threshold": 5, "mql": "mql"}
    span = out.smap.locate(doc, ("stages", 2, "id"))
    assert (Path(span.file).name, span.line, span.column) == ("a.yaml", 1, 15)
    span = out.smap.locate(doc, ("scoring", "mql"))
    assert (Path(span.file).name, span.line) == ("b.yaml", 2)


def test_the_files_read_share_equal_lists_and_keep_no_spare_room(tmp_path: Path) -> None:
    items = "".join(f"  - {{id: s{i}, entry: [a, b]}}\n" for i in range(500))
    write(
        tmp_path, {"playbook.yaml": "include: [b.yaml]\nstages:\n" + items, "b.yaml": "x: [a, b]\n"}
    )
    out = assemble(DiskSource(tmp_path), "playbook.yaml")
    root, other = (f.data for f in out.files)
    assert root["stages"][0]["entry"] is root["stages"][499]["entry"] is other["x"]
    for spans, starts in out.smap._parses.values():
        for packed in (spans, starts):
            assert sys.getsizeof(packed) == sys.getsizeof(array(packed.typecode, packed))


def test_merge_extends_one_list_and_leaves_the_files_alone(tmp_path: Path) -> None:
    parts = {
        f"p/{i:02d}.yaml": f"stages: [{{id: s{i}}}]\nstrategy: {{markets: [{{id: m{i}}}]}}\n"
        for i in range(5)
    }
    write(tmp_path, {"playbook.yaml": "gtmplay: 1\nname: A\ninclude: ['p/*.yaml']\n", **parts})
    out = assemble(DiskSource(tmp_path), "playbook.yaml")
    before = len(out.smap)
    doc, conflicts = merge(out.files, out.smap)
    assert conflicts == []
    assert [s["id"] for s in doc["stages"]] == [f"s{i}" for i in range(5)]
    assert [m["id"] for m in doc["strategy"]["markets"]] == [f"m{i}" for i in range(5)]
    # each file keeps its own one-item lists
    assert [f.data["stages"][0]["id"] for f in out.files[1:]] == [f"s{i}" for i in range(5)]
    assert all(len(f.data["strategy"]["markets"]) == 1 for f in out.files[1:])
    # one new container per merged list or mapping (the document, stages,
    # strategy, markets), not one per file: intermediate lists are not kept
    assert len(out.smap) - before == 4
    span = out.smap.locate(doc, ("strategy", "markets", 4, "id"))
    assert (Path(span.file).name, span.line, span.column) == ("04.yaml", 2, 27)


def test_merge_conflict_is_reported_at_the_second_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbook.yaml": "gtmplay: 1\nname: A\ninclude: [b.yaml]\nscoring: {threshold: 5}\n",
            "b.yaml": "scoring:\n  threshold: 6\n",
        },
    )
    out = assemble(DiskSource(tmp_path), "playbook.yaml")
    _, conflicts = merge(out.files, out.smap)
    assert [(Path(f.file).name, f.line, f.column, f.rule) for f in conflicts] == [
        ("b.yaml", 2, 3, "GTM007")
    ]
    assert conflicts[0].message.startswith("'threshold' is already defined in ")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"playbook.yaml": "include: [../x.yaml]\n"},
            "playbook.yaml:1:11: error[GTM006] include '../x.yaml' points outside the playbook"
            " folder (keep every included file inside the playbook folder)",
        ),
        (
            {"playbook.yaml": "include: [a.yaml]\n", "a.yaml": "include: [playbook.yaml]\n"},
            "a.yaml:1:11: error[GTM006] include loop: playbook.yaml -> a.yaml -> playbook.yaml"
            " (remove one of the includes)",
        ),
        (
            {"playbook.yaml": "include: [a.yaml, ./a.yaml]\n", "a.yaml": "x: 1\n"},
            "playbook.yaml:1:19: error[GTM006] a.yaml is already included by playbook.yaml"
            " (include each file once, or its ids would be defined twice)",
        ),
        (
            {"playbook.yaml": "include: [nope.yaml]\n"},
            "playbook.yaml:1:11: error[GTM006] cannot include nope.yaml: no such file"
            " (check the path and its spelling)",
        ),
        (
            {"playbook.yaml": "include: [sub]\n", "sub/x.yaml": "x: 1\n"},
            "playbook.yaml:1:11: error[GTM006] cannot include sub: this is a folder, not a file"
            " (name a YAML file, or a glob)",
        ),
        (
            {"playbook.yaml": "include: ['none/*.yaml']\n"},
            "playbook.yaml:1:11: warning[GTM006] include pattern 'none/*.yaml' matches no file",
        ),
        (
            {"playbook.yaml": ""},
            "playbook.yaml:1:1: error[GTM005] the file is empty"
            " (add the playbook's content, or remove the file)",
        ),
        (
            {"playbook.yaml": "\ufeffinclude: [a.yaml]\n", "a.yaml": b"\xff\xfea\x00"},
            "a.yaml:1:1: error[GTM005] file is encoded as UTF-16 (save it as UTF-8)",
        ),
    ],
)
def test_include_problems(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    write(tmp_path, dict(files))
    assert texts(tmp_path) == [expected]


def test_a_broken_include_does_not_stop_the_others(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "playbook.yaml": "include: [a.yaml, b.yaml]\n",
            "a.yaml": "x: [\n",
            "b.yaml": "y: 1\ny: 2\n",
        },
    )
    found = texts(tmp_path)
    assert [line.split(" ")[0:2] for line in found] == [
        ["a.yaml:2:1:", "error[GTM001]"],
        ["b.yaml:2:1:", "error[GTM002]"],
    ]


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("password: hunter2\n", encoding="utf-8")
    root = tmp_path / "pb"
    write(root, {"playbook.yaml": "include: [link.yaml]\n"})
    (root / "link.yaml").symlink_to(outside)
    assert texts(root) == [
        "playbook.yaml:1:11: error[GTM006] cannot include link.yaml: this path leads outside the"
        " playbook folder (through a symbolic link) (keep every playbook file inside the"
        " playbook folder)"
    ]


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    write(tmp_path, {"playbook.yaml": "include: [pipe.yaml]\n"})
    os.mkfifo(tmp_path / "pipe.yaml")
    start = time.perf_counter()
    found = texts(tmp_path)
    assert time.perf_counter() - start < 1
    assert found == [
        "playbook.yaml:1:11: error[GTM006] cannot include pipe.yaml: this is not a regular"
        " file (name a YAML file)"
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    write(tmp_path, {"playbook.yaml": "include: [a.yaml]\n", "a.yaml": "x: 1\n"})
    (tmp_path / "a.yaml").chmod(0)
    assert texts(tmp_path) == [
        "playbook.yaml:1:11: error[GTM006] cannot include a.yaml: permission denied"
        " (make the file readable)"
    ]


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    write(tmp_path, {"playbook.yaml": "include: [big.yaml]\n"})
    with open(tmp_path / "big.yaml", "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: 100 MiB without using the disk
    start = time.perf_counter()
    found = texts(tmp_path)
    assert time.perf_counter() - start < 1
    assert found == [
        "playbook.yaml:1:11: error[GTM006] cannot include big.yaml: the file is 100.0 MiB,"
        " over the limit of 16.0 MiB (split it into included files)"
    ]


def test_file_count_limit(tmp_path: Path) -> None:
    write(tmp_path, {"playbook.yaml": "include: ['*.yml']\n"})
    for i in range(5):
        write(tmp_path, {f"f{i}.yml": "x: 1\n"})
    found = texts(tmp_path, Limits(max_files=3))
    assert found[0] == "playbook.yaml:1:11: error[GTM006] more than 3 files are included"


@pytest.mark.parametrize(
    ("base", "entry", "expected"),
    [
        ("", "a.yaml", "a.yaml"),
        ("sub", "../a.yaml", "a.yaml"),
        ("sub", "./x/../b.yaml", "sub/b.yaml"),
        ("", "../a.yaml", None),
        ("", "/etc/passwd", None),
        ("", "C:/x.yaml", None),
        ("sub", "../../a.yaml", None),
    ],
)
def test_safe_relative(base: str, entry: str, expected: str | None) -> None:
    assert safe_relative(base, entry) == expected


def test_file_swapped_for_a_fifo_after_the_stat_does_not_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"playbook.yaml": "include: [a.yaml]\n", "a.yaml": "x: 1\n"})
    real_stat = os.stat

    def stat_then_swap(path: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(path)  # type: ignore[arg-type]
        if str(path).endswith("a.yaml"):
            os.remove(tmp_path / "a.yaml")
            os.mkfifo(tmp_path / "a.yaml")
        return result

    monkeypatch.setattr("gtmplay.sources.os.stat", stat_then_swap)
    start = time.perf_counter()
    out = assemble(DiskSource(tmp_path), "playbook.yaml")
    assert time.perf_counter() - start < 1
    assert [f.message for f in out.findings] == [
        "cannot include a.yaml: this is not a regular file"
    ]


def test_reading_allocates_what_the_file_holds_not_the_limit(tmp_path: Path) -> None:
    import tracemalloc

    write(tmp_path, {"a.yaml": "x: 1\n" * 200})
    tracemalloc.start()
    try:
        data = DiskSource(tmp_path).read("a.yaml", 16 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data == b"x: 1\n" * 200
    assert peak < 64 * 1024  # not a 16 MiB buffer per file


def test_a_file_that_grew_after_the_stat_is_read_whole_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gtmplay.sources

    write(tmp_path, {"a.yaml": "x: 1\n" * 200})
    real = os.stat

    def stale(path: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real(path, *args, **kwargs)  # type: ignore[arg-type]
        return os.stat_result((*info[:6], 10, *info[7:]))  # st_size: 10 bytes

    monkeypatch.setattr(gtmplay.sources.os, "stat", stale)
    assert DiskSource(tmp_path).read("a.yaml", 5000) == b"x: 1\n" * 200
    with pytest.raises(SourceProblem, match="over the limit"):
        DiskSource(tmp_path).read("a.yaml", 500)
