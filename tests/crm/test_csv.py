"""CSV target: exact tables, spreadsheet formula neutralisation."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.render import csv as csv_target
from gtmplay.render.csv import neutralise

from .conftest import EDGE_DOC, context, playbook


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (-5, "-5"),
        (True, "yes"),
        (False, "no"),
    ],
)
def test_neutralise(cell: str | int | bool | None, expected: str) -> None:
    assert neutralise(cell) == expected


def read(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_stages_table_exact() -> None:
    doc = {
        "stages": [
            {"id": "a", "name": "=cmd|' /C calc'!A0", "probability": 10, "forecast": "pipeline",
             "entry": ["x", "-y"], "key_fields": ["Amount", "Close Date"], "target_days": 7},
            {"id": "w", "name": "Won, \"big\"", "probability": 100, "forecast": "closed",
             "outcome": "won", "guidance": "line 1\nline 2"},
        ]
    }  # fmt: skip
    files = csv_target.render(context(playbook(doc)))
    data = files["csv/stages.csv"]
    assert (
        data
        == (
            "\ufefforder,id,name,owner,probability,forecast,outcome,target_days,entry,exit,"
            "key_fields,guidance,description\r\n"
            "1,a,'=cmd|' /C calc'!A0,,10,pipeline,open,7,x; -y,,Amount; Close Date,,\r\n"
            '2,w,"Won, ""big""",,100,closed,won,,,,,"line 1\nline 2",\r\n'
        ).encode()
    )
    assert read(data)[2][2] == 'Won, "big"'


def test_list_cell_starting_with_minus_is_neutralised() -> None:
    doc = {"lifecycle": [{"id": "x", "name": "X", "entry": "-1 score", "exit": "@mention"}]}
    rows = read(csv_target.render(context(playbook(doc)))["csv/lifecycle.csv"])
    assert rows == [
        ["order", "id", "name", "owner", "kind", "converted", "entry", "exit", "description"],
        ["1", "x", "X", "", "funnel", "no", "'-1 score", "'@mention", ""],
    ]


def test_every_table_has_header_only_when_empty() -> None:
    files = csv_target.render(context(playbook({})))
    assert sorted(files) == [
        "csv/activities.csv",
        "csv/handoffs.csv",
        "csv/lifecycle.csv",
        "csv/stages.csv",
    ]
    assert [len(read(v)) for v in files.values()] == [1, 1, 1, 1]


def test_edge_names_survive() -> None:
    rows = read(csv_target.render(context(playbook(EDGE_DOC)))["csv/stages.csv"])
    assert [r[2] for r in rows[1:]] == [s["name"] for s in EDGE_DOC["stages"]]


@given(st.text(min_size=1))
def test_no_cell_starts_a_formula(text: str) -> None:
    doc = {"stages": [{"id": "s", "name": text, "probability": 1, "forecast": "pipeline",
                       "guidance": text, "description": text}]}  # fmt: skip
    data = csv_target.render(context(playbook(doc)))["csv/stages.csv"]
    row = read(data)[1]
    for cell in (row[2], row[11], row[12]):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell == (("'" + text) if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text)
