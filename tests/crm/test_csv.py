"""CSV target: exact tables, spreadsheet formula neutralisation."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.render import csv as csv_target
from gtmplay.render.csv import FORMULA_START, neutralise

from .support import EDGE_DOC, context, playbook


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


@given(st.text(alphabet=st.sampled_from("=+-@\t\r 'a\u2028\x00"), max_size=3))
def test_neutralise_marks_exactly_the_texts_starting_a_formula(text: str) -> None:
    # its fast test (the first character) stands for str.startswith(FORMULA_START)
    marked = text.startswith(FORMULA_START)
    assert neutralise(text) == ("'" + text if marked else text)


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


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text(alphabet=',"\r\n =+-@\tx\x00\u2028', max_size=6),
)


@given(
    header=st.lists(st.text(max_size=4), max_size=4),
    rows=st.lists(st.lists(cells, max_size=5), max_size=5),
)
def test_tables_are_what_the_csv_module_writes(
    header: list[str], rows: list[list[str | int | float | bool | None]]
) -> None:
    # a table is the csv module's rows, neutralised, behind a byte order mark
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    made = b"".join(csv_target.table(header, rows))
    assert made == b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("row", "line"),
    [
        ([""], '""'),  # one empty cell: not an empty line
        (["", ""], ","),
        ([], ""),
        (['a"b', "c,d", "e\rf", "g\nh", " i "], '"a""b","c,d","e\rf","g\nh", i '),
    ],
)
def test_a_row_quoted_as_the_csv_module_quotes(row: list[str], line: str) -> None:
    assert b"".join(csv_target.table(["h"], [row])) == f"\ufeffh\r\n{line}\r\n".encode()


def test_motions_get_their_table_and_columns() -> None:
    from gtmplay.pipeline import check_path

    from .support import ROOT

    result = check_path(str(ROOT / "playbooks" / "acme-motions"))
    assert result.playbook is not None
    files = csv_target.render(context(result.playbook))
    assert sorted(files) == [
        "csv/activities.csv",
        "csv/handoffs.csv",
        "csv/lifecycle.csv",
        "csv/motions.csv",
        "csv/stages.csv",
    ]
    motions = read(files["csv/motions.csv"])
    assert motions[0] == ["order", "id", "name", "owner", "default_stage", "stages", "description"]
    assert [row[:6] for row in motions[1:]] == [
        ["1", "new-business", "New business", "field-sales", "discovery",
         "discovery; qualification; solution-design; proposal; negotiation; closed-won; "
         "closed-lost"],
        ["2", "expansion", "Expansion", "customer-success", "discovery",
         "discovery; proposal; negotiation; closed-won; closed-lost"],
    ]  # fmt: skip
    stages = read(files["csv/stages.csv"])
    assert stages[0][-1] == "motions"
    assert [(row[1], row[-1]) for row in stages[1:3]] == [
        ("discovery", "new-business; expansion"),
        ("qualification", "new-business"),
    ]
    handoffs = read(files["csv/handoffs.csv"])
    assert (handoffs[0][-1], [row[-1] for row in handoffs[1:]]) == ("motion", ["", "new-business"])
    assert read(files["csv/lifecycle.csv"])[0][-1] == "motion"
    activities = read(files["csv/activities.csv"])
    assert activities[0][-1] == "motions"
    assert [row[-1] for row in activities[1:] if row[-1]] == ["expansion"]


def test_no_motion_column_without_motions() -> None:
    files = csv_target.render(context(playbook(EDGE_DOC)))
    assert "csv/motions.csv" not in files
    assert read(files["csv/stages.csv"])[0][-1] == "description"


def test_a_long_table_is_made_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # 600 activities of about 250 characters: some 150,000 characters of rows
    doc = {
        "activities": [
            {"id": f"act-{i}", "owner": "marketing", "supports": ["mql"], "description": "d" * 230}
            for i in range(600)
        ]
    }
    pages = list(csv_target.pages(context(playbook(doc))))
    assert [path for path, _ in pages] == [
        "csv/activities.csv",
        "csv/handoffs.csv",
        "csv/lifecycle.csv",
        "csv/stages.csv",
    ]
    made = []
    calls = 0
    real = csv_target.neutralise

    def counted(cell: str | int | bool | None) -> str:
        nonlocal calls
        calls += 1
        return real(cell)

    chunks = pages[0][1]
    assert not isinstance(chunks, bytes)
    monkeypatch.setattr(csv_target, "neutralise", counted)
    for chunk in chunks:
        made.append((chunk, calls))
    # the header first (no row made yet), then rows of at least CHUNK_CHARS
    # each but the last, each row made only when its chunk is asked for
    header = b"id,name,owner,kind,supports,personas,markets,assets,metrics,description\r\n"
    assert made[0] == (b"\xef\xbb\xbf" + header, 0)
    sizes = [len(chunk) for chunk, _ in made[1:]]
    assert len(sizes) == 3
    assert all(csv_target.CHUNK_CHARS <= size < csv_target.CHUNK_CHARS + 300 for size in sizes[:-1])
    # the rows made so far (ten cells each) are the rows written so far
    so_far = b""
    for chunk, cells in made:
        so_far += chunk
        assert cells == 10 * (so_far.count(b"\r\n") - 1)
    whole = b"".join(chunk for chunk, _ in made)
    assert whole == csv_target.render(context(playbook(doc)))["csv/activities.csv"]
    assert len(read(whole)) == 601
