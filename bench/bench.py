"""Benchmark: generate a large playbook repo and time gtmplay on it.

Not a test: it prints timings. Usage::

    python bench/bench.py                      # 10,000 activities over 50 stages
    python bench/bench.py --activities 100 1000 10000 50000
    python bench/bench.py --keep out/          # keep the generated playbooks

For each size it prints the time libyaml alone needs to load the same files
(``yaml.load`` with ``CSafeLoader``), the time of ``gtmplay check`` in-process
(best of ``--repeat`` runs), the end-to-end CLI time, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PER_FILE = 250
PERSONAS = ("cfo", "revops-lead", "sales-leader", "analyst", "it-admin")
MARKETS = ("mid-market", "enterprise", "emea")
STEPS = ("inquiry", "mql", "sal", "sql", "nurture")
KINDS = ("content", "campaign", "event", "webinar", "email", "ads", "enablement")


def generate(root: Path, activities: int, stages: int = 50) -> int:
    """Write a playbook of the given size under ``root``; returns its YAML bytes."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "activities").mkdir(exist_ok=True)
    files: dict[str, str] = {}
    files["playbook.yaml"] = (
        "gtmplay: 1\nname: Benchmark Corp\ndescription: A generated playbook.\n"
        "include: [teams.yaml, strategy.yaml, lifecycle.yaml, stages.yaml, handoffs.yaml,"
        " scoring.yaml, kpis.yaml, cadence.yaml, assets.yaml, 'activities/*.yaml']\n"
    )
    files["teams.yaml"] = "teams:\n" + "".join(
        f"  - id: {t}\n    name: {t.title()}\n    function: {f}\n"
        for t, f in (("marketing", "marketing"), ("sdr", "sdr"), ("sales", "sales"))
    )
    files["strategy.yaml"] = (
        "strategy:\n  innovation: process\n  value: total-solution\n"
        "  brand: fixes-operational-problems\n  sales_role: trusted-specialist\n"
        "  markets:\n"
        + "".join(f"    - id: {m}\n      name: {m.title()}\n" for m in MARKETS)
        + "  icp:\n    problems: [Slow forecasting, Leaky funnel]\n  personas:\n"
        + "".join(
            f"    - id: {p}\n      name: {p.title()}\n      markets: [mid-market]\n"
            for p in PERSONAS
        )
    )
    files["lifecycle.yaml"] = (
        "lifecycle:\n"
        "  - {id: inquiry, name: Inquiry, owner: marketing}\n"
        "  - {id: mql, name: MQL, owner: marketing}\n"
        "  - {id: sal, name: SAL, owner: sdr}\n"
        "  - {id: sql, name: SQL, owner: sales, converted: true}\n"
        "  - {id: nurture, name: Nurture, owner: marketing, kind: recycle}\n"
        "  - {id: disqualified, name: Disqualified, owner: marketing, kind: disqualified}\n"
    )
    open_stages = stages - 2
    lines = ["stages:\n"]
    for i in range(open_stages):
        probability = 5 + (90 * i) // max(open_stages - 1, 1)
        lines.append(
            f"  - id: stage-{i}\n    name: Stage {i}\n    owner: sales\n"
            f"    probability: {probability}\n    forecast: pipeline\n    target_days: 2\n"
            f"    entry: [Criterion {i}a, Criterion {i}b]\n    exit: [Exit {i}]\n"
            f"    guidance: |\n      Ask about the **problem** behind stage {i}.\n"
            "    key_fields: [Amount, CloseDate]\n"
        )
    lines.append(
        "  - {id: won, name: Closed Won, owner: sales, probability: 100,"
        " forecast: closed, outcome: won}\n"
        "  - {id: lost, name: Closed Lost, owner: sales, probability: 0,"
        " forecast: omitted, outcome: lost}\n"
    )
    files["stages.yaml"] = "".join(lines)
    files["handoffs.yaml"] = (
        "handoffs:\n"
        "  - id: mql-to-sdr\n    from: marketing\n    to: sdr\n    at: sal\n"
        "    accept: [Fits the ICP]\n    sla: {respond_within: 4h, attempts: 6, window: 10d}\n"
        "    reject_reasons: [No budget]\n    on_accept: sal\n    on_reject: nurture\n"
        "  - id: sal-to-sales\n    from: sdr\n    to: sales\n    at: sql\n"
        "    accept: [Meeting booked]\n    sla: {respond_within: 1d, attempts: 3}\n"
        "    reject_reasons: [Not ready]\n    on_reject: nurture\n"
    )
    files["scoring.yaml"] = (
        "scoring:\n  threshold: 50\n  mql: mql\n  signals:\n"
        "    - {id: pricing, points: 30}\n    - {id: demo-request, points: 40}\n"
    )
    files["kpis.yaml"] = (
        "kpis:\n  - {id: cycle, name: Sales cycle, owner: sales, target: "
        f"{2 * open_stages + 10}, unit: days, kind: sales-cycle}}\n"
    )
    files["cadence.yaml"] = (
        "cadence:\n  - id: funnel-review\n    name: Funnel review\n    every: weekly\n"
        "    owner: marketing\n    attendees: [marketing, sdr, sales]\n    kpis: [cycle]\n"
    )
    assets = max(activities // 10, 1)
    files["assets.yaml"] = "assets:\n" + "".join(
        f"  - {{id: asset-{i}, name: Asset {i}, type: guide}}\n" for i in range(assets)
    )
    for start in range(0, activities, PER_FILE):
        chunk = ["activities:\n"]
        for i in range(start, min(start + PER_FILE, activities)):
            chunk.append(
                f"  - id: act-{i}\n"
                f'    name: "Activity {i}: {KINDS[i % len(KINDS)]} for stage {i % open_stages}"\n'
                "    owner: marketing\n"
                f"    kind: {KINDS[i % len(KINDS)]}\n"
                f"    supports: [stage-{i % open_stages}, {STEPS[i % len(STEPS)]}]\n"
                f"    personas: [{PERSONAS[i % 5]}, {PERSONAS[(i + 2) % 5]}]\n"
                f"    markets: [{MARKETS[i % 3]}]\n"
                f"    assets: [asset-{i % assets}]\n"
                "    metrics: [Registrations, Influenced pipeline]\n"
                "    description: >-\n"
                f"      Activity {i} helps buyers move through stage {i % open_stages} with"
                " content that answers the questions they ask at that point, and"
                " measures its effect on pipeline and conversion.\n"
            )
        files[f"activities/part-{start // PER_FILE:04d}.yaml"] = "".join(chunk)
    total = 0
    for rel, text in files.items():
        data = text.encode("utf-8")
        (root / rel).write_bytes(data)
        total += len(data)
    return total


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def libyaml_load(root: Path) -> None:
    import yaml

    for path in sorted(root.rglob("*.yaml")):
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)


def gtmplay_check(root: Path) -> None:
    from gtmplay.pipeline import check_path

    result = check_path(str(root))
    errors = [f for f in result.findings if f.level.name == "ERROR"]
    if errors:
        raise SystemExit(f"benchmark playbook is not clean: {errors[0].text()}")


def cli_time(args: list[str], repeat: int) -> float:
    exe = shutil.which("gtmplay") or ""
    command = [exe] if exe else [sys.executable, "-m", "gtmplay"]
    return best_of(
        repeat, lambda: subprocess.run([*command, *args], capture_output=True, check=False)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, nargs="+", default=[10_000])
    parser.add_argument("--stages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the playbooks here and keep them")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="gtmplay-bench-"))
    print(f"gtmplay --version: {cli_time(['--version'], 10) * 1000:.0f} ms (best of 10)")
    header = f"{'activities':>10} {'MB':>6} {'libyaml':>9} {'check':>9} {'ratio':>6} {'CLI':>9}"
    print(header)
    try:
        for size in args.activities:
            root = base / f"playbook-{size}"
            if root.exists():
                shutil.rmtree(root)
            nbytes = generate(root, size, args.stages)
            parse = best_of(args.repeat, lambda root=root: libyaml_load(root))
            check = best_of(args.repeat, lambda root=root: gtmplay_check(root))
            cli = cli_time(["check", str(root)], 1)
            print(
                f"{size:>10} {nbytes / 1e6:>6.2f} {parse:>8.3f}s {check:>8.3f}s"
                f" {check / parse:>6.2f} {cli:>8.3f}s"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; times are best of {args.repeat}"
    )


if __name__ == "__main__":
    main()
