"""The one JSON layout, Markdown cell and atomic file writer."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.errors import OutputError
from gtmplay.textio import batched, json_text, markdown_cell, write_atomic


def test_json_text_is_indented_utf8_with_a_final_newline() -> None:
    assert json_text({"name": "Café", "ids": [1]}) == (
        '{\n  "name": "Café",\n  "ids": [\n    1\n  ]\n}\n'
    )


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("Plain name 42", "Plain name 42"),
        (42, "42"),
        ("a|b <i>&\r\nc\u200b", "a\\|b &lt;i&gt;& c&lt;U+200B&gt;"),
        ("&amp; &#60; R&D", "&amp;amp; &amp;#60; R&D"),
        # a line break reads as a space, a blank line (any line ends) as a break
        (
            "one\ntwo  three\n\npara\r\rold\r \nmac",
            "one two three<br><br>para<br><br>old<br><br>mac",
        ),
        ("\n\n  \n", ""),
        # a right-to-left override would move the cell's columns as shown
        ("Disc\u202eovery | x", "Disc&lt;U+202E&gt;overy \\| x"),
        (
            "[x](javascript:alert(1)) [ok](https://e.x)",
            "[x]\\(javascript:alert(1)) [ok](https://e.x)",
        ),
        ("[r]: https://e.x", "[r]\\: https://e.x"),
        ("run `gtmplay check`", "run `gtmplay check`"),
        ("```mermaid", "\\`\\`\\`mermaid"),
    ],
)
def test_markdown_cell_one_rule_set_for_docs_and_reports(text: object, cell: str) -> None:
    assert markdown_cell(text) == cell


@given(st.text())
def test_markdown_cell_is_one_cell(text: str) -> None:
    out = markdown_cell(text)
    assert "\n" not in out and "\r" not in out and "<" not in out.replace("<br>", "")
    assert "|" not in out.replace("\\|", "")


def test_write_atomic_writes_text_as_utf8_with_unix_line_ends(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.txt"
    write_atomic(target, "é\nline\n")
    assert target.read_bytes() == "é\nline\n".encode()
    write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.txt"]


def test_write_atomic_makes_an_ordinary_file_not_a_private_one(tmp_path: Path) -> None:
    # mkstemp creates 0600 files; a report or imported playbook is an ordinary file
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.sarif", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.sarif").stat().st_mode) == 0o644
    # a file replaced keeps its mode
    (tmp_path / "a.sarif").chmod(0o640)
    write_atomic(tmp_path / "a.sarif", "{}\n")
    assert stat.S_IMODE((tmp_path / "a.sarif").stat().st_mode) == 0o640


def test_write_atomic_failure_names_the_path_and_keeps_the_old_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        write_atomic(blocker / "x.json", "{}", fix="Choose another folder")
    assert str(info.value).startswith(f"cannot write {blocker / 'x.json'}: ")
    assert str(info.value).endswith(". Choose another folder")
    assert blocker.read_text(encoding="utf-8") == "old"


def test_batched_joins_small_texts_and_passes_a_big_one_alone() -> None:
    assert list(batched(["ab", "c", "", "d", "efghij", "k"], 3)) == ["abc", "d", "efghij", "k"]
    assert list(batched(["", ""], 3)) == []


@given(st.lists(st.text(max_size=12)), st.integers(min_value=1, max_value=20))
def test_batched_keeps_every_character_in_order_in_bounded_batches(
    texts: list[str], size: int
) -> None:
    out = list(batched(texts, size))
    assert "".join(out) == "".join(texts)
    for piece in out:
        assert piece
        # a text of `size` or more alone; else small texts (each under `size`),
        # ended by the first that brings the batch to `size`
        assert piece in texts or len(piece) <= 2 * size - 2
