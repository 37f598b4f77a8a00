"""Hostile files, end to end: exit status and the exact line a user reads.

The loader's own tests cover these at the function level; here each goes
through ``gtmplay check`` as a pull request from a stranger would.
"""

from __future__ import annotations

import builtins
import os
import time
from pathlib import Path
from typing import Any

import pytest

from hostile.helpers import BASE, Run, write

LIMIT_HINT = "(a playbook needs far less: check the indentation)"


def laughs(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return BASE + "x-laughs:\n" + "".join(f"  {line}\n" for line in lines)


def test_billion_laughs_stops_at_the_alias_limit(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": laughs(9)})  # 10^9 values if expanded
    # the finding at the alias is the proof that nothing was expanded
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/playbook.yaml:8:47: error[GTM004] aliases expand to more than 100000 values "
        "(write the values out, or use fewer nested aliases)\n1 finding: 1 error\n",
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("description:\n  " + "- " * 10_000 + "x\n", "4:129"),  # block sequences
        ("description: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "3:266"),
    ],
    ids=["block", "flow-mappings"],
)
def test_ten_thousand_deep_nesting(here: Path, run: Run, body: str, where: str) -> None:
    write(here, {"pb/playbook.yaml": BASE + body})
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:{where}: error[GTM004] nesting is deeper than 64 levels "
        f"{LIMIT_HINT}\n1 finding: 1 error\n",
    )


def test_ten_thousand_deep_flow_sequences_stop_in_libyaml(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + "description: " + "[" * 10_000 + "]" * 10_000})
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/playbook.yaml:3:1013: error[GTM004] exceeded maximum nesting depth "
        "(while increasing flow level)\n1 finding: 1 error\n",
    )


@pytest.mark.parametrize("as_include", [False, True], ids=["root", "include"])
def test_a_100_mb_file_is_refused_unread(
    here: Path, run: Run, monkeypatch: pytest.MonkeyPatch, as_include: bool
) -> None:
    write(here, {"pb/playbook.yaml": BASE + "include: [big.yaml]\n"})
    big = here / "pb" / ("big.yaml" if as_include else "playbook.yaml")
    with open(big, "ab") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    code, out, _ = run("check", "pb")
    monkeypatch.undo()
    assert str(big) not in opened and "pb/big.yaml" not in opened
    where, problem = (
        ("pb/playbook.yaml:3:11: error[GTM006] cannot include big.yaml:", "the file")
        if as_include
        else ("pb/playbook.yaml:1:1: error[GTM005]", "the file")
    )
    assert (code, out) == (
        2,
        f"{where} {problem} is 100.0 MiB, over the limit of 16.0 MiB "
        "(split it into included files)\n1 finding: 1 error\n",
    )


def test_a_directory_named_like_a_playbook_file(here: Path, run: Run) -> None:
    (here / "playbook.yaml").mkdir()
    code, out, err = run("check", "playbook.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "gtmplay: error: playbook.yaml: no playbook.yaml in this folder. "
        "Pass a playbook folder or a playbook YAML file.\n"
    )


def test_an_include_that_is_a_directory(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + "include: [d.yaml]\n"})
    (here / "pb" / "d.yaml").mkdir()
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/playbook.yaml:3:11: error[GTM006] cannot include d.yaml: this is a folder, not a "
        "file (name a YAML file, or a glob)\n1 finding: 1 error\n",
    )


@pytest.mark.parametrize("as_include", [False, True], ids=["root", "include"])
def test_a_fifo_is_never_opened(here: Path, run: Run, as_include: bool) -> None:
    write(here, {"pb/playbook.yaml": BASE + "include: [f.yaml]\n"})
    os.mkfifo(here / "pb" / ("f.yaml" if as_include else "root.yaml"))
    # nobody writes to the FIFO: opening it would hang this test
    code, out, _ = run("check", "pb" if as_include else "pb/root.yaml")
    expected = (
        "pb/playbook.yaml:3:11: error[GTM006] cannot include f.yaml: this is not a regular file"
        if as_include
        else "pb/root.yaml:1:1: error[GTM005] this is not a regular file"
    )
    assert (code, out) == (2, f"{expected} (name a YAML file)\n1 finding: 1 error\n")


def test_an_unreadable_file(here: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, who reads any file whatever its mode: simulate the refusal
    write(here, {"pb/playbook.yaml": BASE + "include: [u.yaml]\n", "pb/u.yaml": "teams: []\n"})
    real_open = os.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("u.yaml"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("gtmplay.sources.os.open", deny)
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/playbook.yaml:3:11: error[GTM006] cannot include u.yaml: permission denied "
        "(make the file readable)\n1 finding: 1 error\n",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_for_real(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + "include: [u.yaml]\n", "pb/u.yaml": "teams: []\n"})
    (here / "pb" / "u.yaml").chmod(0)
    code, out, _ = run("check", "pb")
    assert code == 2
    assert "cannot include u.yaml: permission denied (make the file readable)" in out


@pytest.mark.parametrize("target", ["file", "folder"])
def test_symlinks_out_of_the_playbook(here: Path, run: Run, target: str) -> None:
    write(here, {"secret/s.yaml": "teams: []\n", "pb/playbook.yaml": BASE + "include: [l.yaml]\n"})
    if target == "file":
        (here / "pb" / "l.yaml").symlink_to(here / "secret" / "s.yaml")
    else:
        write(here, {"pb/playbook.yaml": BASE + "include: [l/s.yaml]\n"})
        (here / "pb" / "l").symlink_to(here / "secret")
    code, out, _ = run("check", "pb")
    name = "l.yaml" if target == "file" else "l/s.yaml"
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:3:11: error[GTM006] cannot include {name}: this path leads outside "
        "the playbook folder (through a symbolic link) (keep every playbook file inside the "
        "playbook folder)\n1 finding: 1 error\n",
    )


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ("../outside.yaml", "include '../outside.yaml' points outside the playbook folder"),
        ("/etc/passwd", "include '/etc/passwd' points outside the playbook folder"),
        ("a/../../x.yaml", "include 'a/../../x.yaml' points outside the playbook folder"),
    ],
)
def test_includes_that_escape(here: Path, run: Run, include: str, message: str) -> None:
    write(
        here,
        {"outside.yaml": "teams: []\n", "pb/playbook.yaml": BASE + f"include: ['{include}']\n"},
    )
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        f"pb/playbook.yaml:3:11: error[GTM006] {message} "
        "(keep every included file inside the playbook folder)\n1 finding: 1 error\n",
    )


def test_includes_that_loop(here: Path, run: Run) -> None:
    write(
        here,
        {
            "pb/playbook.yaml": BASE + "include: [a.yaml]\n",
            "pb/a.yaml": "include: [b.yaml]\n",
            "pb/b.yaml": "include: [playbook.yaml]\n",
        },
    )
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        2,
        "pb/b.yaml:1:11: error[GTM006] include loop: playbook.yaml -> a.yaml -> b.yaml -> "
        "playbook.yaml (remove one of the includes)\n1 finding: 1 error\n",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BASE.encode("utf-16"), "1:1: error[GTM005] file is encoded as UTF-16 (save it as UTF-8)"),
        (
            # without a byte order mark UTF-16 is told apart by its NUL bytes
            BASE.encode("utf-16-be"),
            "1:1: error[GTM005] file is encoded as UTF-16 (save it as UTF-8)",
        ),
        (BASE.encode("utf-32"), "1:1: error[GTM005] file is encoded as UTF-32 (save it as UTF-8)"),
        (
            BASE.encode() + b"description: caf\xe9\n",
            "3:17: error[GTM005] file is not valid UTF-8 (byte 0xe9) (save it as UTF-8)",
        ),
        (
            BASE.encode() + b"description: a\x00b\n",
            "3:15: error[GTM005] file contains a NUL byte: it looks binary, not YAML "
            "(check that this is the file you meant)",
        ),
        (
            BASE.encode() + b"description: a\x1bb\n",
            "3:15: error[GTM001] special character U+001B is not allowed in YAML "
            "(remove control characters from the file)",
        ),
    ],
    ids=["utf-16", "utf-16-be", "utf-32", "latin-1", "nul", "escape"],
)
def test_encodings_and_bytes(here: Path, run: Run, data: bytes, message: str) -> None:
    write(here, {"pb/playbook.yaml": data})
    code, out, _ = run("check", "pb")
    assert (code, out) == (2, f"pb/playbook.yaml:{message}\n1 finding: 1 error\n")


def test_a_utf8_bom_is_accepted_and_columns_stay_right(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": b"\xef\xbb\xbf" + BASE.encode() + b"teams: 5\n"})
    code, out, _ = run("check", "pb")
    # the rules still run on the rest (one pass), so the line is among others
    assert code == 1
    assert "pb/playbook.yaml:3:8: error[GTM012] 'teams' must be a list, not the number 5" in (
        out.splitlines()
    )


def test_very_long_lines(here: Path, run: Run) -> None:
    # four times the line, at most about four times the CPU time (a ratio in
    # one process, not a wall-clock bound: the machine is shared)
    seconds = []
    for size in (500_000, 2_000_000):
        write(here, {"pb/playbook.yaml": BASE + f"description: {'x' * size}\nteams: 5\n"})
        start = time.process_time()
        code, out, _ = run("check", "pb")
        seconds.append(max(time.process_time() - start, 0.02))
    assert seconds[1] / seconds[0] < 8, seconds
    assert code == 1
    assert "pb/playbook.yaml:4:8: error[GTM012] 'teams' must be a list, not the number 5" in (
        out.splitlines()
    )


def test_a_huge_value_is_not_echoed_whole(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + "teams: " + "y" * 1_000_000 + "\n"})
    code, out, _ = run("check", "pb")
    assert code == 1
    assert len(out) < 2_000, out[:300]


def test_a_syntax_error_at_the_end_of_a_file_without_final_newline(here: Path, run: Run) -> None:
    # libyaml reports the end of such a file on a line after the last one
    write(here, {"pb/playbook.yaml": BASE + "teams:\n  - id: a\n    s"})
    code, out, _ = run("check", "pb")
    assert (code, out.splitlines()[0]) == (
        2,
        "pb/playbook.yaml:5:6: error[GTM001] could not find expected ':' (while scanning a "
        "simple key) (a key needs ':' after it; quote text with special characters)",
    )


def test_an_included_file_that_is_one_scalar_is_named(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + "include: [a.yaml]\n", "pb/a.yaml": "# note\na"})
    code, out, _ = run("check", "pb")
    assert (code, out) == (
        1,
        "pb/a.yaml:1:1: error[GTM012] this value must be a mapping of keys to values, not the "
        'text "a"\n1 finding: 1 error\n',
    )


def test_a_quote_left_open_at_the_end_of_a_file(here: Path, run: Run) -> None:
    write(here, {"pb/playbook.yaml": BASE + 'description: "never closed'})
    code, out, _ = run("check", "pb")
    # pointed at the quote that needs closing, a place that exists in the file
    assert (code, out.splitlines()[0]) == (
        2,
        "pb/playbook.yaml:3:14: error[GTM001] found unexpected end of stream (while scanning a "
        'quoted scalar) (the quote " opened here is never closed: add " at the end of the text)',
    )
