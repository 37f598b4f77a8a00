"""Invisible and control characters in playbook text are shown, never obeyed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.findings import Finding, Level, visible
from gtmplay.report import REPORTERS
from hostile.helpers import EXAMPLE, Run

# bidi embeddings, overrides and isolates (the "Trojan Source" characters)
BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, 100%", "plain text, 100%"),
        (
            "Ünïcødé — 日本語 — \u0639\u0631\u0628\u0649",
            "Ünïcødé — 日本語 — \u0639\u0631\u0628\u0649",
        ),
        ("admin\u202egnp.exe", "admin<U+202E>gnp.exe"),
        ("\u2066isolate\u2069", "<U+2066>isolate<U+2069>"),
        (
            "bell\x07 esc\x1b[31m del\x7f c1\x85",
            "bell<U+0007> esc<U+001B>[31m del<U+007F> c1<U+0085>",
        ),
        (
            "zero\u200bwidth \ufeffbom \u2060joiner \u00adsoft",
            "zero<U+200B>width <U+FEFF>bom <U+2060>joiner <U+00AD>soft",
        ),
        ("line\u2028para\u2029", "line<U+2028>para<U+2029>"),
        ("tag\U000e0041\U000e007f", "tag<U+E0041><U+E007F>"),
        ("lone \ud800 surrogate", "lone <U+D800> surrogate"),
        ("private \ue000", "private <U+E000>"),
        # kept: spaces of every script, joiners that scripts and emoji need, and
        # line structure, which each reporter escapes in its own way
        ("no\u00a0break ideographic\u3000space", "no\u00a0break ideographic\u3000space"),
        ("\u0645\u06cc\u200c\u062e 👩\u200d💻", "\u0645\u06cc\u200c\u062e 👩\u200d💻"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


@pytest.mark.parametrize("code", [*BIDI, *range(0x20), 0x7F])
def test_every_bidi_and_control_character_is_shown(code: int) -> None:
    char = chr(code)
    expected = char if char in "\t\n\r" else f"<U+{code:04X}>"
    assert visible(f"a{char}b") == f"a{expected}b"


@given(st.text())
def test_visible_is_idempotent_and_always_encodable(text: str) -> None:
    shown = visible(text)
    assert visible(shown) == shown
    shown.encode("utf-8")  # a lone surrogate would raise here
    assert not any(ord(c) in BIDI for c in shown)


def test_findings_carry_visible_text_whoever_builds_them() -> None:
    f = Finding("a.yaml", 1, 1, "GTM999", "name \u202eevil", Level.ERROR, hint="\x1b", path="x")
    assert (f.message, f.hint) == ("name <U+202E>evil", "<U+001B>")


@pytest.fixture
def trojan(here: Path) -> Path:
    root = here / "pb"
    shutil.copytree(EXAMPLE, root)
    path = root / "activities" / "awareness.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    name: Annual forecast accuracy benchmark\n",
        '    name: "Annual \\u202eforecast\\u2066 \\a report"\n',
        1,
    ).replace("    metrics: [Report downloads, Inquiries sourced, Pipeline influenced]\n", "", 1)
    path.write_text(text, encoding="utf-8")
    return root


SHOWN = "Annual <U+202E>forecast<U+2066> <U+0007> report"


def test_text_report_shows_bidi_and_control_characters(trojan: Path, run: Run) -> None:
    code, out, _ = run("check", "pb", "--fail-on", "note", "--format", "text")
    assert code == 1
    assert out.splitlines()[0] == (
        f'pb/activities/awareness.yaml:6:5: note[GTM108] Activity "{SHOWN}" has no metrics '
        "(list what it is measured by under metrics:)"
    )


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_report_format_carries_the_raw_characters(trojan: Path, run: Run, fmt: str) -> None:
    code, out, _ = run("check", "pb", "--fail-on", "note", "--format", fmt)
    assert code == 1
    assert not any(ord(c) in BIDI or c == "\x07" for c in out)
    # markdown and junit escape the angle brackets of the marker in their own syntax
    marker = "U+202E" if fmt in ("markdown", "junit") else "<U+202E>"
    assert marker in out


def test_diff_shows_bidi_and_control_characters(here: Path, run: Run) -> None:
    shutil.copytree(EXAMPLE, here / "old")
    shutil.copytree(EXAMPLE, here / "new")
    stages = here / "new" / "stages.yaml"
    text = stages.read_text(encoding="utf-8")
    stages.write_text(
        text.replace("    name: Discovery\n", '    name: "Disc\\u202eovery \\e[31m"\n', 1),
        encoding="utf-8",
    )
    code, out, _ = run("diff", "old", "new")
    assert code == 0
    assert "  ~ discovery " in out
    changed = next(line for line in out.splitlines() if line.startswith("  ~ discovery "))
    assert changed.endswith(": name Discovery -> Disc<U+202E>overy <U+001B>[31m")
    assert not any(ord(c) in BIDI or c == "\x1b" for c in out)
