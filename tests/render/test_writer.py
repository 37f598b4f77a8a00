"""The atomic writer: all or nothing, never outside OUT, never over the playbook."""

from __future__ import annotations

import errno
import io
import os
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.errors import OutputError
from gtmplay.render import writer
from gtmplay.render.names import safe_name
from gtmplay.render.writer import MARKER, check_paths, write_tree

from .support import tree

HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    "",
    ".hidden",
    "a/b",
    "a\\b",
    "C:evil",
    "con",
    "NUL",
    "x\x00y",
    "Stage One",
    "é",
    "a" * 300,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_name_of_hostile_values(value: str) -> None:
    name = safe_name(value)
    assert name and len(name) <= 100
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789_-" for c in name)
    assert not name.startswith(("-", "_", "."))
    assert name != value  # none of these is a plain id


def test_safe_name_keeps_ids_and_separates_lookalikes() -> None:
    assert safe_name("closed-won") == "closed-won"
    assert safe_name("s_1") == "s_1"
    assert safe_name("a/b") != safe_name("a-b") == "a-b"
    assert safe_name("../x") == "x-" + safe_name("../x").split("-")[-1]


@given(st.text())
def test_safe_name_is_one_safe_segment(value: str) -> None:
    name = safe_name(value)
    assert check_paths({name + ".html": b""}) == [name + ".html"]
    assert safe_name(value) == name


@pytest.mark.parametrize(
    "rel", ["/abs.html", "../up.html", "a/../../b", "a//b", "./a", "a\\b", "C:/x", "", MARKER]
)
def test_paths_that_could_escape_are_refused(rel: str) -> None:
    with pytest.raises(OutputError, match="absolute or leaves the output folder"):
        check_paths({"ok.html": b"", rel: b""})


def test_a_path_both_file_and_folder_is_refused() -> None:
    with pytest.raises(OutputError, match="cannot write a: a build target wrote it both"):
        check_paths({"a": b"", "a/b": b""})


def test_writes_exactly_the_files_and_the_marker(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_tree(out, {"b/c.txt": b"c", "a.txt": b"a"}, playbook_dir=tmp_path / "pb")
    assert tree(out) == {"a.txt": b"a", "b/c.txt": b"c", MARKER: writer.MARKER_TEXT}
    write_tree(out, {"z.txt": b"z"}, playbook_dir=tmp_path / "pb")
    assert tree(out) == {"z.txt": b"z", MARKER: writer.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temp folders left


@pytest.mark.parametrize("where", ["same", "parent", "grandparent"])
def test_refuses_the_playbook_folder_and_its_parents(tmp_path: Path, where: str) -> None:
    pb = tmp_path / "repo" / "playbooks" / "acme"
    pb.mkdir(parents=True)
    (pb / "playbook.yaml").write_text("gtmplay: 1\n")
    out = {"same": pb, "parent": pb.parent, "grandparent": pb.parent.parent}[where]
    with pytest.raises(OutputError, match=r"is the playbook folder .* or contains it"):
        write_tree(out, {"x": b""}, playbook_dir=pb)
    assert (pb / "playbook.yaml").read_text() == "gtmplay: 1\n"


def test_refuses_the_playbook_folder_through_a_symlink(tmp_path: Path) -> None:
    pb = tmp_path / "pb"
    pb.mkdir()
    (tmp_path / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError, match="contains it"):
        write_tree(tmp_path / "link", {"x": b""}, playbook_dir=pb)


def test_refuses_a_folder_not_written_by_gtmplay(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError) as info:
        write_tree(out, {"x": b""}, playbook_dir=tmp_path / "pb")
    assert str(info.value) == (
        f"cannot write {out}: the folder is not empty and was not written by gtmplay build. "
        "Choose a new or empty folder: a build replaces everything in it."
    )
    assert tree(out) == {"notes.txt": b"mine"}


def test_accepts_an_empty_folder_and_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_tree(tmp_path / "empty", {"x": b"1"}, playbook_dir=tmp_path / "pb")
    assert tree(tmp_path / "empty")["x"] == b"1"
    (tmp_path / "file").write_text("f")
    with pytest.raises(OutputError, match="it is a file, not a folder"):
        write_tree(tmp_path / "file", {"x": b""}, playbook_dir=tmp_path / "pb")


def _previous(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    write_tree(out, {"index.html": b"old"}, playbook_dir=tmp_path / "pb")
    return out


def test_a_failed_write_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _previous(tmp_path)
    real_open = open
    calls = {"n": 0}

    def failing_open(path: object, mode: str = "r", *a: object, **k: object) -> object:
        calls["n"] += 1
        if "x" in mode and calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real_open(path, mode, *a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OutputError, match=r"No space left on device.*previous output is unchanged"):
        write_tree(
            out,
            {"index.html": b"new", "a.html": b"a", "b.html": b"b"},
            playbook_dir=tmp_path / "pb",
        )
    monkeypatch.undo()
    assert tree(out) == {"index.html": b"old", MARKER: writer.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_unwritable_parent_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _previous(tmp_path)

    def no_mkdir(path: object, *a: object, **k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writer.os, "mkdir", no_mkdir)
    with pytest.raises(OutputError, match="Permission denied"):
        write_tree(out, {"index.html": b"new"}, playbook_dir=tmp_path / "pb")
    monkeypatch.undo()
    assert tree(out)["index.html"] == b"old"


def test_interrupt_during_swap_restores_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _previous(tmp_path)
    real_rename = os.rename
    calls = {"n": 0}

    def interrupted(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # old OUT is aside, the new one not yet in place
            raise KeyboardInterrupt
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.os, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, {"index.html": b"new"}, playbook_dir=tmp_path / "pb")
    monkeypatch.undo()
    assert tree(out)["index.html"] == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_interrupt_while_writing_leaves_no_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _previous(tmp_path)

    def interrupted(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_write_one", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, {"index.html": b"new"}, playbook_dir=tmp_path / "pb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert tree(out)["index.html"] == b"old"


def test_concurrent_builds_leave_one_complete_output(tmp_path: Path) -> None:
    out = tmp_path / "site"
    errors: list[BaseException] = []

    def one(n: int) -> None:
        files = {f"f{i}.txt": str(n).encode() for i in range(30)}
        try:
            write_tree(out, files, playbook_dir=tmp_path / "pb")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    files = tree(out)
    files.pop(MARKER)
    assert len(files) == 30 and len(set(files.values())) == 1  # all from one build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


class Files(dict[str, bytes]):
    """A target's files that can be watched with a weak reference."""


def test_each_target_is_on_disk_and_released_before_the_next_is_rendered(tmp_path: Path) -> None:
    out = _previous(tmp_path)
    seen: list[tuple[list[str], bool]] = []
    first: list[weakref.ref[Files]] = []

    def targets() -> Iterator[tuple[str, Files]]:
        files = Files({"a/one.html": b"1", "two.html": b"2"})
        first.append(weakref.ref(files))
        yield "first", files
        del files
        (tmp,) = tmp_path.glob(".site.tmp-*")  # the build's temporary folder, not yet OUT
        seen.append((sorted(tree(tmp)), first[0]() is None))
        yield "second", Files({"three.html": b"3"})

    count = writer.write_targets(out, targets(), playbook_dir=tmp_path / "pb")
    assert seen == [([MARKER, "a/one.html", "two.html"], True)]
    assert count == 3
    assert tree(out) == {
        MARKER: writer.MARKER_TEXT,
        "a/one.html": b"1",
        "two.html": b"2",
        "three.html": b"3",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_target_failing_after_another_was_written_keeps_the_previous_output(
    tmp_path: Path,
) -> None:
    out = _previous(tmp_path)

    def targets() -> Iterator[tuple[str, dict[str, bytes]]]:
        yield "first", {"index.html": b"new"}
        raise ValueError("the second target broke")

    with pytest.raises(ValueError, match="the second target broke"):
        writer.write_targets(out, targets(), playbook_dir=tmp_path / "pb")
    assert tree(out) == {"index.html": b"old", MARKER: writer.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


class Page(bytes):
    """A page's contents that say when they are released (bytes take no weak reference)."""

    released: ClassVar[list[bytes]] = []

    def __del__(self) -> None:
        Page.released.append(bytes(self))


def test_each_page_is_on_disk_and_released_before_the_next_is_made(tmp_path: Path) -> None:
    out = _previous(tmp_path)
    Page.released.clear()
    seen: list[tuple[list[str], list[bytes]]] = []

    def look() -> None:
        (tmp,) = tmp_path.glob(".site.tmp-*")  # the build's temporary folder, not yet OUT
        seen.append((sorted(tree(tmp)), list(Page.released)))

    def chunks() -> Iterator[bytes]:
        yield b"<p>"
        look()  # the first chunk of this page is written before the next is made
        yield b"2</p>"

    def pages() -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
        yield "a/one.html", Page(b"1")
        look()
        yield "two.html", chunks()
        look()

    count = writer.write_targets(out, [("html", pages())], playbook_dir=tmp_path / "pb")
    assert seen == [
        ([MARKER, "a/one.html"], [b"1"]),
        ([MARKER, "a/one.html", "two.html"], [b"1"]),
        ([MARKER, "a/one.html", "two.html"], [b"1"]),
    ]
    assert (tmp_path / "site" / "two.html").read_bytes() == b"<p>2</p>"
    assert count == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("where", ["between pages", "within a page"])
def test_a_target_failing_midway_keeps_the_previous_output(tmp_path: Path, where: str) -> None:
    out = _previous(tmp_path)
    closed: list[str] = []

    def chunks() -> Iterator[bytes]:
        yield b"half"
        if where == "within a page":
            raise ValueError("the page broke")
        yield b" and half"

    def pages() -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
        try:
            yield "index.html", b"new"
            yield "two.html", chunks()
            raise ValueError("the page broke")
        finally:
            closed.append("pages")  # run at once, not when collected

    with pytest.raises(ValueError, match="the page broke"):
        writer.write_targets(out, [("html", pages())], playbook_dir=tmp_path / "pb")
    assert closed == ["pages"]
    assert tree(out) == {"index.html": b"old", MARKER: writer.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_write_closes_the_page_being_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _previous(tmp_path)
    closed: list[str] = []

    class Full(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def full_for_index(path: Path, mode: str) -> IO[bytes]:
        return Full() if path.name == "index.html" else open(path, mode)

    def chunks() -> Iterator[bytes]:
        try:
            yield b"one"
            yield b"two"
        finally:
            closed.append("chunks")  # run at once, not when collected

    monkeypatch.setattr(writer, "open", full_for_index, raising=False)
    pages = [("index.html", chunks())]
    with pytest.raises(OutputError, match=r"No space left on device\. Free some space"):
        writer.write_targets(out, [("html", pages)], playbook_dir=tmp_path / "pb")
    assert closed == ["chunks"]
    assert tree(out) == {"index.html": b"old", MARKER: writer.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


BOTH = "a build target wrote it both as a file and as a folder"


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (
            {"x/y.html": b""},
            "cannot write x/y.html: two build targets write this file (the second is 'b')",
        ),
        ({"x/y.html/z": b""}, f"cannot write x/y.html: {BOTH}"),
        ({"x": b""}, f"cannot write x: {BOTH}"),
    ],
)
def test_targets_that_collide_keep_the_previous_output(
    tmp_path: Path, second: dict[str, bytes], message: str
) -> None:
    out = _previous(tmp_path)
    targets = [("a", {"x/y.html": b""}), ("b", second)]
    with pytest.raises(OutputError) as raised:
        writer.write_targets(out, targets, playbook_dir=tmp_path / "pb")
    assert str(raised.value).startswith(message)
    assert tree(out) == {"index.html": b"old", MARKER: writer.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
