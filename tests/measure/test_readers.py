"""Readers on exports as messy as real ones: encodings, line ends, dates, amounts, blanks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.errors import UsageError
from gtmplay.measure import textfile as tf
from gtmplay.measure.readers import read_inputs


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _stays(tmp_path: Path, name: str, text: str, **kw: Any) -> list[dict[str, Any]]:
    read = read_inputs([_write(tmp_path, name, text, **kw)])
    return read.events


MAVEN_HEAD = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value"
)


def test_maven_layout_cp1252_crlf_no_final_newline_and_currency(tmp_path: Path) -> None:
    text = (
        f"{MAVEN_HEAD}\r\n"
        'A1,Zoë Ångström,GTX,Acme,Won,2017-01-02,2017-02-01,"$923.00 "\r\n'
        "A2,Bo,GTX,Acme,Engaging,2017-01-05,,\r\n"
        "A3,Bo,GTX,Acme,Prospecting,,,"
    )
    read = read_inputs([_write(tmp_path, "pipeline.csv", text, "cp1252")])
    assert read.bad_row_count == 0
    got = [
        (e["record_id"], e["crm_stage"], e.get("entered_at"), e.get("amount")) for e in read.events
    ]
    assert [(r, s) for r, s, _, _ in got] == [
        ("A1", "Prospecting"), ("A1", "Engaging"), ("A1", "Won"),
        ("A2", "Prospecting"), ("A2", "Engaging"), ("A3", "Prospecting"),
    ]  # fmt: skip
    assert got[2][3] == 923.0
    assert read.events[0]["owner"] == "Zoë Ångström"


def test_a_bad_row_is_reported_with_its_line_and_the_rest_is_read(tmp_path: Path) -> None:
    text = (
        f"{MAVEN_HEAD}\n"
        "A1,Bo,GTX,Acme,Won,2017-01-02,2017-02-01,10\n"
        "A2,Bo,GTX,Acme,Won,2017-01-02,yesterday,10\n"
        "A3,Bo,GTX,Acme,Lost,2017-01-02,2017-02-03,ten\n"
        "\n"
        "Total,,,,,,,20,extra\n"
    )
    read = read_inputs([_write(tmp_path, "p.csv", text)])
    path = str(tmp_path / "p.csv")
    assert [(b.file, b.line, b.message) for b in read.bad_rows] == [
        (path, 6, "9 fields where the header has 8"),
        (path, 3, "'yesterday' is not a date like the rest of its column"),
        (path, 4, "'ten' is not an amount"),
    ]
    assert read.bad_row_count == 3
    assert {e["record_id"] for e in read.events} == {"A1"}


def test_edtech_dates_m_d_yyyy_and_na(tmp_path: Path) -> None:
    (tmp_path / "calls.csv").write_text(
        "jnr_sm_id,lead_id,lead_stage,call_done_date,call_status,call_reason\r\n"
        "J1,L1,lead,1/2/2022,successful,x\r\nJ1,L1,awareness,1/13/2022,successful,x\r\n",
        encoding="utf-8",
    )
    (tmp_path / "assigned.csv").write_text(
        "snr_sm_id,jnr_sm_id,assigned_date,cycle,lead_id\r\nS1,J1,1/1/2022,1,L1",
        encoding="utf-8",
    )
    (tmp_path / "reasons.csv").write_text(
        "lead_id,reasons_for_not_interested_in_demo,reasons_for_not_interested_to_consider,"
        "reasons_for_not_interested_to_convert\r\nL1,NA,Too costly,NA\r\n",
        encoding="utf-8",
    )
    read = read_inputs([str(tmp_path)])
    got = [
        (e["crm_stage"], str(e["entered_at"].date()), e.get("exited_at"), e.get("reason"))
        for e in read.events
    ]
    assert [g[:2] for g in got] == [("lead", "2022-01-01"), ("awareness", "2022-01-13")]
    assert str(got[0][2].date()) == "2022-01-13"
    assert got[1][3] == "Too costly"
    assert str(read.events[0]["responded_at"].date()) == "2022-01-02"


def test_x_education_select_is_no_value(tmp_path: Path) -> None:
    text = (
        "Prospect ID,Lead Origin,Lead Source,Converted,\r\np1,API,Select,1,\r\np2,API,Google,0,\r\n"
    )
    stays = _stays(tmp_path, "Leads.csv", text)
    assert [(e["record_id"], e["crm_stage"], e["source"]) for e in stays] == [
        ("p1", "Lead", None), ("p1", "Converted", None), ("p2", "Lead", "Google"),
    ]  # fmt: skip


def test_salesforce_history_merges_same_stage_rows_and_takes_the_outcome(tmp_path: Path) -> None:
    (tmp_path / "OpportunityHistory.csv").write_text(
        '"Id","OpportunityId","CreatedDate","StageName","Amount"\n'
        '"h1","o1","2024-01-01 09:00:00","Prospecting","100"\n'
        '"h2","o1","2024-01-03 09:00:00","Prospecting","150"\n'
        '"h3","o1","2024-01-05 09:00:00","Closed Won","150"\n',
        encoding="utf-8",
    )
    (tmp_path / "Opportunity.csv").write_text(
        '"Id","StageName","IsWon","IsClosed","LeadSource"\n"o1","Closed Won","1","1","Web"\n',
        encoding="utf-8",
    )
    stays = read_inputs([str(tmp_path)]).events
    assert [(e["crm_stage"], str(e["entered_at"]), str(e["exited_at"])) for e in stays] == [
        ("Prospecting", "2024-01-01 09:00:00", "2024-01-05 09:00:00"),
        ("Closed Won", "2024-01-05 09:00:00", "None"),
    ]
    assert {e["outcome"] for e in stays} == {"won"}
    assert {e["source"] for e in stays} == {"Web"}


def test_hubspot_deals_and_contacts(tmp_path: Path) -> None:
    (tmp_path / "deals.csv").write_text(
        'Record ID,Deal Name,Amount,Date entered "Qualified (Sales Pipeline)",'
        'Date exited "Qualified (Sales Pipeline)",Date entered "Closed Won (Sales Pipeline)"\n'
        '1,A,"$1,200.50",2024-03-01T10:00:00.000Z,2024-03-04T10:00:00.000Z,'
        "2024-03-04T10:00:00.000Z\n",
        encoding="utf-8",
    )
    (tmp_path / "contacts.csv").write_text(
        "Record ID,Became a Lead Date,Became a Marketing Qualified Lead Date,Original Source\n"
        "7,05-01-2024 09:30,07-01-2024 10:00,Organic Search\n",
        encoding="utf-8",
    )
    stays = read_inputs([str(tmp_path)]).events
    got = [(e["kind"], e["crm_stage"], str(e["entered_at"])) for e in stays]
    assert got == [
        ("lead", "Lead", "2024-01-05 09:30:00"),
        ("lead", "Marketing Qualified Lead", "2024-01-07 10:00:00"),
        ("deal", "Qualified", "2024-03-01 10:00:00"),
        ("deal", "Closed Won", "2024-03-04 10:00:00"),
    ]
    assert stays[2]["amount"] == 1200.5


def test_an_unknown_file_is_an_error_naming_its_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.csv", "a,b\n1,2\n")
    with pytest.raises(
        UsageError, match=r"x\.csv: not a CRM export gtmplay knows \(columns found: a, b\)"
    ):
        read_inputs([path])


def test_a_companion_alone_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "Opportunity.csv", "Id,StageName,IsWon\n1,A,0\n")
    with pytest.raises(UsageError, match="Give the Salesforce OpportunityHistory file with it"):
        read_inputs([path])


def test_amounts() -> None:
    assert tf.parse_amount("$923.00 ") == 923.0
    assert tf.parse_amount("1.234,50 €") == 1234.5
    assert tf.parse_amount("1,234") == 1234.0
    assert tf.parse_amount("(100)") == -100.0
    assert tf.parse_amount("NA") is None
    with pytest.raises(tf.ValueProblem, match="'abc' is not an amount"):
        tf.parse_amount("abc")


def test_date_format_is_chosen_per_column() -> None:
    assert tf.date_format(["03/04/2024", "13/04/2024"]) == "%d/%m/%Y"
    assert tf.date_format(["03/04/2024", "12/31/2024"]) == "%m/%d/%Y"
    assert tf.date_format(["05-01-2024 09:30"]) == "%d-%m-%Y %H:%M"
    assert tf.date_format(["2024-01-01", "nope"]) is None


@given(st.binary(max_size=400))
def test_any_bytes_read_or_say_why(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(MAVEN_HEAD.encode() + b"\n" + data)
        try:
            read = read_inputs([str(path)])
        except UsageError as exc:
            assert str(path) in str(exc)
            return
        assert read.bad_row_count >= len(read.bad_rows)


def test_salesforce_lead_history_status_changes(tmp_path: Path) -> None:
    (tmp_path / "LeadHistory.csv").write_text(
        "Id,LeadId,CreatedDate,Field,OldValue,NewValue\n"
        "h1,00Q1,2024-02-01 10:00:00,Status,Open - Not Contacted,Working - Contacted\n"
        "h2,00Q1,2024-02-01 10:00:00,Company,Acme,Acme Inc\n"
        "h3,00Q1,2024-02-03 09:00:00,Status,Working - Contacted,Closed - Converted\n",
        encoding="utf-8",
    )
    (tmp_path / "Lead.csv").write_text(
        "Id,Status,CreatedDate,IsConverted,LeadSource,OwnerId\n"
        "00Q1,Closed - Converted,2024-02-01 08:00:00,1,Web,005A\n",
        encoding="utf-8",
    )
    stays = read_inputs([str(tmp_path)]).events
    assert [(e["crm_stage"], str(e["entered_at"]), str(e["exited_at"])) for e in stays] == [
        ("Open - Not Contacted", "2024-02-01 08:00:00", "2024-02-01 10:00:00"),
        ("Working - Contacted", "2024-02-01 10:00:00", "2024-02-03 09:00:00"),
        ("Closed - Converted", "2024-02-03 09:00:00", "None"),
    ]
    assert {(e["outcome"], e["source"], e["owner"]) for e in stays} == {("won", "Web", "005A")}


def test_the_encoding_can_be_given(tmp_path: Path) -> None:
    text = f"{MAVEN_HEAD}\nA1,Zoë,GTX,Acme,Won,2017-01-02,2017-02-01,10\n"
    path = _write(tmp_path, "p.csv", text, "cp1252")
    assert read_inputs([path], encoding="cp1252").events[0]["owner"] == "Zoë"
    wrong = r"p\.csv: not utf-8 \(byte 94: invalid continuation byte\)\. Give the file's"
    with pytest.raises(UsageError, match=wrong):
        read_inputs([path], encoding="utf-8")
    with pytest.raises(UsageError, match="unknown encoding 'klingon'"):
        read_inputs([path], encoding="klingon")


def test_a_generic_format_file_is_recognised_by_its_head_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gtmplay.measure.events import REQUIRED_EVENT_COLUMNS

    path = tmp_path / "events.csv"
    row = ",".join("x" for _ in REQUIRED_EVENT_COLUMNS) + "\n"
    rows = tf.HEAD_BYTES // len(row) + 10  # the file runs past the head
    path.write_text(",".join(REQUIRED_EVENT_COLUMNS) + "\n" + row * rows, encoding="utf-8")
    parsed: list[int] = []
    real = tf.read_table

    def counting(p: str, encoding: str | None = None, data: bytes | None = None) -> tf.Table:
        table = real(p, encoding, data)
        parsed.append(len(table.rows))
        return table

    monkeypatch.setattr(tf, "read_table", counting)
    read = read_inputs([str(path)])
    assert read.canonical == [str(path)]
    assert read.events == []
    # only the rows in the head were parsed, the file's last ten never
    assert len(parsed) == 1 and 0 < parsed[0] < rows


def test_the_header_read_from_the_head_is_the_whole_file_s(tmp_path: Path) -> None:
    path = tmp_path / "pipeline.csv"
    body = "A1,Zoë,GTX,Acme,Won,2017-01-02,2017-02-01,10\n" * (tf.HEAD_BYTES // 40)
    path.write_text(f"\n{MAVEN_HEAD}\n{body}", encoding="utf-8")
    head, whole = tf.read_header(str(path)), tf.read_table(str(path))
    assert (head.header, head.encoding, head.rows) == (whole.header, whole.encoding, ())
    assert len(read_inputs([str(path)]).events) == 3 * len(whole.rows)
