"""``gtmplay plan``: exact volumes and entry times, every refusal a clear exit 2."""

# the text report is compared line by line as the terminal shows it
# ruff: noqa: E501

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.cli import main

ROOT = Path(__file__).resolve().parents[2]
ACME = str(ROOT / "playbooks" / "acme")
MOTIONS = str(ROOT / "playbooks" / "acme-motions")
STAGES = ["discovery", "qualification", "solution-design", "proposal", "negotiation"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def plan_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(["plan", *args, "--format", "json"], capsys)
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def needed(data: dict[str, Any]) -> dict[str, float | None]:
    return {r["id"]: r["needed"] for r in data["rows"]}


def test_won_deals_back_through_the_stage_probabilities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # acme: 10, 20, 40, 60, 80 %: a deal entering discovery wins one time in ten
    data = plan_json([ACME, "--target", "12"], capsys)
    assert needed(data) == {
        "inquiry": None, "mql": None, "sal": None, "sql": None,
        "opportunity": 120.0, "discovery": 120.0, "qualification": 60.0,
        "solution-design": 30.0, "proposal": 20.0, "negotiation": 15.0, "closed-won": 12.0,
    }  # fmt: skip
    days = {r["id"]: r["enter_days_before_close"] for r in data["rows"]}
    # target_days 10 + 14 + 21 + 14 + 21 from discovery; mql adds speed-to-lead's 4 hours
    assert [days[s] for s in STAGES] == [80.0, 70.0, 56.0, 35.0, 21.0]
    assert days["mql"] == pytest.approx(80 + 4 / 24)
    assert {r["id"]: r["days_known"] for r in data["rows"]}["sal"] is False
    assert data["target"] == {"won": 12.0, "source": "--target", "revenue": None, "deal_size": None}
    assert data["notes"] == [
        "declare a conversion from sql to opportunity (a conversion KPI, or "
        "--rate sql:opportunity=PERCENT) to plan the steps before opportunity"
    ]


def test_given_rates_reach_the_leads_through_a_spanning_kpi(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 120 opportunities at 80% from SQL: 150 SQLs; acme's MQL -> SQL KPI is 22%: 681.8 MQLs,
    # of which --rate mql:sal=50 sends half to SAL
    data = plan_json(
        [ACME, "--target", "12", "--rate", "sql:opportunity=80", "--rate", "mql:sal=50%"], capsys
    )
    got = needed(data)
    assert got["sql"] == 150.0
    assert got["mql"] == round(150 / 0.22, 6) == 681.818182
    assert got["sal"] == round(150 / 0.22 / 2, 6)
    assert got["inquiry"] is None
    rates = {r["id"]: (r["rate_to_next"], r["rate_source"]) for r in data["rows"]}
    assert rates["sql"] == (0.8, "--rate sql:opportunity=80")
    assert rates["discovery"] == (0.5, "probabilities 10% → 20%")
    assert rates["negotiation"] == (0.8, "probability 80%")


def test_revenue_kpi_per_quarter_and_per_month(capsys: pytest.CaptureFixture[str]) -> None:
    # new-arr: 2,400,000 a quarter at 40,000 a deal = 60 won deals a quarter, 20 a month
    quarter = plan_json([ACME, "--target", "new-arr", "--deal-size", "40000", "--period",
                         "quarter"], capsys)  # fmt: skip
    assert quarter["target"] == {
        "won": 60.0, "source": 'KPI "New ARR booked"', "revenue": 2_400_000.0,
        "deal_size": 40_000.0,
    }  # fmt: skip
    assert needed(quarter)["discovery"] == 600.0
    month = plan_json([ACME, "--deal-size", "40000"], capsys)  # new-arr is the default target
    assert month["target"]["won"] == 20.0
    assert needed(month)["discovery"] == 200.0


def test_motion_with_fewer_stages(capsys: pytest.CaptureFixture[str]) -> None:
    # expansion: discovery 10% -> proposal 60% -> negotiation 80% -> won
    data = plan_json([MOTIONS, "--target", "12", "--motion", "expansion"], capsys)
    assert data["motion"] == "expansion"
    rows = {r["id"]: r for r in data["rows"] if r["kind"] != "step"}
    assert {k: r["needed"] for k, r in rows.items()} == {
        "discovery": 120.0, "proposal": 20.0, "negotiation": 15.0, "closed-won": 12.0,
    }  # fmt: skip
    assert rows["discovery"]["rate_to_next"] == round(10 / 60, 6)
    assert rows["discovery"]["enter_days_before_close"] == 45.0


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["plan", MOTIONS, "--target", "6", "--motion", "expansion",
                        "--rate", "sql:opportunity=50"], capsys)  # fmt: skip
    assert code == 0
    # 120 SQLs / 22% (acme's MQL -> SQL KPI) = 545.5 MQLs; 60 deals x 10/60 x 60/80 x 80% = 6
    assert out.splitlines() == [
        "Plan for 6.0 won deals per month, from --target, motion expansion; declared and given rates",
        "",
        "step                                     needed  to next  rate from                          enter before close",
        "Inquiry (inquiry)                             ?                                                        ≥ 45.2 d",
        "Marketing Qualified Lead (mql)            545.5                                                        ≥ 45.2 d",
        "Sales Accepted Lead (sal)                     ?                                                          ≥ 45 d",
        "Sales Qualified Lead (sql)                120.0    50.0%  --rate sql:opportunity=50                      ≥ 45 d",
        "Opportunity (opportunity)                  60.0   100.0%  the converted lead opens the deal              ≥ 45 d",
        "Discovery (discovery)                      60.0    16.7%  probabilities 10% → 60%                          45 d",
        "Proposal & Pricing (proposal)              10.0    75.0%  probabilities 60% → 80%                          35 d",
        "Negotiation & Procurement (negotiation)     7.5    80.0%  probability 80%                                  21 d",
        "Closed Won (closed-won)                     6.0                                                             0 d",
        "",
        "note: declare a conversion from inquiry to mql (a conversion KPI, or --rate inquiry:mql=PERCENT) to plan the steps before mql",
        "note: sal: inside a conversion KPI that spans several steps; declare each step's conversion to plan them one by one",
    ]


def test_markdown_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["plan", ACME, "--target", "3", "--format", "markdown"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "# Plan for 3.0 won deals per month, from --target; declared rates"
    assert lines[2:4] == [
        "| step | needed | to next | rate from | enter before close |",
        "|---|---:|---:|---|---:|",
    ]
    assert "| Solution Design & Demo (solution-design) | 7.5 | 66.7% | probabilities 40% → 60%"\
        " | 56 d |" in lines  # fmt: skip


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plan.json"
    code, out, _ = run(["plan", ACME, "--target", "1", "--format", "json", "-o", str(target)],
                       capsys)  # fmt: skip
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["target"]["won"] == 1.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--target", "new-arr"],
            'the target from KPI "New ARR booked" is revenue: the plan '
            "needs the average deal size. Give --deal-size AMOUNT (the average amount of a won "
            "deal).",
        ),
        (
            ["--target", "win-rate"],
            "--target win-rate: not a number of won deals nor a KPI to "
            "plan from. Give a number, or a revenue KPI (unit currency) or a volume KPI counting "
            "won deals; usable KPIs: new-arr.",
        ),
        (["--target", "0"], "--target 0: the target must be above 0"),
        (
            ["--target", "5", "--rate", "sql-opportunity"],
            "--rate 'sql-opportunity' is not "
            "FROM:TO=PERCENT. Write for example --rate sql:opportunity=80 (a percent above 0, at "
            "most 100).",
        ),
        (
            ["--target", "5", "--rate", "sql:opportunity=120"],
            "--rate 'sql:opportunity=120' is "
            "not FROM:TO=PERCENT. Write for example --rate sql:opportunity=80 (a percent above 0, "
            "at most 100).",
        ),
        (
            ["--target", "5", "--motion", "upsell"],
            "--motion upsell: the playbook declares no such motion. Use one of: .",
        ),
        (["--target", "5", "--revenue", "10"], "give --target or --revenue, not both"),
    ],
)
def test_refusals(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", ACME, *args], capsys)
    assert (code, out, err) == (2, "", f"gtmplay: error: {message}\n")


def test_broken_playbook_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "playbook.yaml"
    broken.write_text("gtmplay: 1\nname: x\nstages: [\n", encoding="utf-8")
    code, out, err = run(["plan", str(broken), "--target", "1"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"gtmplay: error: {broken}: the playbook has errors (first: ")
    assert "playbook.yaml:4:1: error[GTM001] did not find expected node content" in err
    assert err.endswith("Run gtmplay check on it and fix them first.\n")


@given(won=st.floats(0.01, 1e6), rate=st.floats(0.5, 100))
def test_first_stage_times_its_probability_is_the_target(won: float, rate: float) -> None:
    from gtmplay.funnel import chain, motion_of, volumes
    from gtmplay.pipeline import check_path
    from gtmplay.services.plan import parse_rates

    playbook = check_path(ACME, rules=False).playbook
    assert playbook is not None
    motion = motion_of(playbook, None)
    assert motion is not None
    line = chain(playbook, motion, overrides=parse_rates((f"sql:opportunity={rate}",)))
    got = volumes(line, won)
    discovery = got[line.index("discovery") or 0]
    sql = got[line.index("sql") or 0]
    assert discovery is not None and sql is not None
    assert discovery * 0.10 == pytest.approx(won)
    assert sql * rate / 100 == pytest.approx(discovery)


SCRATCH = Path(tempfile.mkdtemp(prefix="gtmplay-plan-test-"))


@given(spec=st.text(max_size=30))
def test_any_rate_text_is_used_or_refused(spec: str) -> None:
    out = SCRATCH / "plan.json"
    out.unlink(missing_ok=True)
    code = main(["plan", ACME, "--target", "3", "--rate", spec, "--format", "json", "-o", str(out)])
    # used: the plan is written; refused: exit 2 and nothing written
    assert (code, out.exists()) in ((0, True), (2, False))


def test_docs_example_is_what_the_command_prints(capsys: pytest.CaptureFixture[str]) -> None:
    docs = (ROOT / "docs" / "plan.md").read_text(encoding="utf-8")
    command = docs.split("`gtmplay plan playbooks/acme ", 1)[1].split("`", 1)[0]
    printed = docs.split("prints:\n\n```\n", 1)[1].split("```", 1)[0]
    code, out, _ = run(["plan", ACME, *command.split()], capsys)
    assert (code, out) == (0, printed)


def test_measured_rates_are_the_data_s(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a generated history of acme, counted here in plain Python: a stage's rate is the share
    # of the deals that entered it and reached a later stage that is not lost
    from collections import defaultdict

    from gtmplay.measure import generate
    from gtmplay.pipeline import check_path

    pb = check_path(ACME, rules=False).playbook
    assert pb is not None
    events = list(generate.history(pb, seed=4, deals=3000, leads=3000, days=1825))
    data = tmp_path / "events.csv"
    with data.open("w", encoding="utf-8", newline="") as out:
        generate.write_events(out, events)
    order = [*STAGES, "closed-won"]
    seen: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e.kind == "deal":
            seen[e.record_id].add(e.stage)
    furthest = {r: max(order.index(s) for s in stages if s in order) for r, stages in seen.items()}
    rate = {}
    for i, stage in enumerate(STAGES):
        entered = [r for r, stages in seen.items() if stage in stages]
        rate[stage] = sum(1 for r in entered if furthest[r] > i) / len(entered)
    expected = 12.0
    want = {"closed-won": 12.0}
    for stage in reversed(STAGES):
        expected /= rate[stage]
        want[stage] = round(expected, 6)
    data_json = plan_json([ACME, str(data), "--rates", "measured", "--target", "12"], capsys)
    assert data_json["rates"] == "measured"
    got = {r["id"]: r["needed"] for r in data_json["rows"] if r["kind"] != "step"}
    assert got == pytest.approx(want, rel=1e-5)
    sources = {r["id"]: r["rate_source"] for r in data_json["rows"]}
    entered = sum(1 for stages in seen.values() if "discovery" in stages)
    assert sources["discovery"].startswith("measured: ")
    assert sources["discovery"].endswith(f" of {entered:,}")


def test_data_without_measured_rates_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", ACME, "some.csv", "--target", "3"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        "gtmplay: error: DATA is read only with --rates measured. Add --rates measured to plan "
        "with the rates measured in DATA.\n"
    )
    code, out, err = run(["plan", ACME, "--rates", "measured", "--target", "3"], capsys)
    assert (code, err) == (
        2,
        "gtmplay: error: --rates measured needs the CRM data to measure. Name the data files "
        "after the playbook, as for gtmplay measure.\n",
    )
