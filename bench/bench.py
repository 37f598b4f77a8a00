"""Benchmark: generate large playbook repos and time gtmplay on them.

Not a test: it prints a table. Usage::

    python bench/bench.py                      # 100, 1,000, 10,000, 50,000 activities
    python bench/bench.py --activities 10000 --markdown   # the table for docs/performance.md
    python bench/bench.py --keep out/          # keep the generated playbooks
    python bench/bench.py --profile 10000      # cProfile of check, slowest functions
    python bench/bench.py --layouts            # the layouts that grow one dimension each

For each size: the YAML size; the time libyaml alone needs to load the same
files (``yaml.load`` with ``CSafeLoader``); ``gtmplay check`` in-process (best
of ``--repeat``); then, each in its own process so that its peak memory (max
RSS) is its own, ``gtmplay check``, ``gtmplay build --only T`` for every
target, ``build all`` (every target in one build), ``gtmplay diff`` against
a copy with a few changes, and ``check-jsonschema`` validating the same
files against gtmplay's schemas (a bench-only dependency:
``pip install check-jsonschema``). Then, side by side in CPU time: ``build
all`` and ``diff`` to ``check``, each command to the libyaml load, and each
command's peak memory per byte of YAML; and the time of a warm build of
``playbooks/acme``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import itertools
import math
import os
import pstats
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


def generate(
    root: Path,
    activities: int,
    stages: int = 50,
    *,
    per_file: int = PER_FILE,
    assets: int | None = None,
) -> int:
    """Write a playbook of the given size under ``root``; returns its YAML bytes.

    ``per_file`` activities go in each included file; ``assets`` defaults to
    one per ten activities.
    """
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
    assets = assets or max(activities // 10, 1)
    files["assets.yaml"] = "assets:\n" + "".join(
        f"  - {{id: asset-{i}, name: Asset {i}, type: guide}}\n" for i in range(assets)
    )
    for start in range(0, activities, per_file):
        chunk = ["activities:\n"]
        for i in range(start, min(start + per_file, activities)):
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
        files[f"activities/part-{start // per_file:04d}.yaml"] = "".join(chunk)
    total = 0
    for rel, text in files.items():
        data = text.encode("utf-8")
        (root / rel).write_bytes(data)
        total += len(data)
    return total


REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "schemas"


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


def gtmplay_command() -> list[str]:
    exe = shutil.which("gtmplay", path=str(Path(sys.executable).parent)) or ""
    return [exe] if exe else [sys.executable, "-m", "gtmplay"]


# Starts the command measured and prints its exit status, peak RSS (KiB) and
# CPU time. A process started straight from this one would count this one's
# resident memory in its peak: Linux keeps the largest RSS a process had under
# any program, and the image forked from this process (45 MiB after the
# in-process checks of 10,000 activities) is its first; `/bin/true` read 115
# MiB from a parent holding 100. So the command is the child of a small
# interpreter (about 10 MiB), whose own figures are not reported.
_LAUNCH = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


def measured(command: list[str], ok: tuple[int, ...] = (0, 1)) -> tuple[float, float, float]:
    """Wall time (s), peak RSS (MB) and CPU time (s) of one run of ``command``
    in its own process. CPU time (user + system) barely moves with the load
    of a shared machine, so the ratios are computed from it."""
    # without compiled modules (.pyc) every run would compile gtmplay again:
    # not what a user's installation does
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _LAUNCH, *command],
        capture_output=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    err = proc.stderr.decode("utf-8", "replace")
    fields = proc.stdout.split()
    if proc.returncode != 0 or len(fields) != 3:
        raise SystemExit(f"{' '.join(command)} could not be measured: {err[-500:]}")
    code, maxrss, cpu = int(fields[0]), int(fields[1]), float(fields[2])
    if code not in ok:
        raise SystemExit(f"{' '.join(command)} exited {code}: {err[-500:]}")
    # ru_maxrss is in KiB on Linux
    return elapsed, maxrss / 1024, cpu


def warm_build(repeat: int) -> tuple[float, float]:
    """Wall and CPU time (s) of ``gtmplay build playbooks/acme``, the
    templates already compiled by a first build: best of ``repeat``."""
    with tempfile.TemporaryDirectory(prefix="gtmplay-bench-acme-") as tmp:
        command = [*gtmplay_command(), "build", str(REPO / "playbooks" / "acme"), "-o", tmp]
        measured(command, ok=(0,))
        runs = [measured(command, ok=(0,)) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[2] for r in runs)


def changed_copy(root: Path, dest: Path) -> None:
    """A copy of the playbook with a few changes, for ``gtmplay diff``."""
    shutil.copytree(root, dest)
    stages = dest / "stages.yaml"
    text = stages.read_text(encoding="utf-8")
    stages.write_text(text.replace("name: Stage 1\n", "name: Stage One\n", 1), encoding="utf-8")
    part = dest / "activities" / "part-0000.yaml"
    text = part.read_text(encoding="utf-8")
    text = text.replace("    owner: marketing\n", "    owner: sdr\n", 3)
    part.write_text(text.replace("  - id: act-0\n", "  - id: act-renamed\n", 1), encoding="utf-8")


def jsonschema_time(root: Path) -> float:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    exe = exe or shutil.which("check-jsonschema")
    if exe is None:
        return float("nan")
    others = sorted(str(p) for p in root.rglob("*.yaml") if p.name != "playbook.yaml")
    _, _, first = measured(
        [exe, "--schemafile", str(SCHEMAS / "playbook.schema.json"), str(root / "playbook.yaml")],
        ok=(0,),
    )
    _, _, rest = measured(
        [exe, "--schemafile", str(SCHEMAS / "playbook-fragment.schema.json"), *others], ok=(0,)
    )
    return first + rest


def profile(root: Path, top: int) -> str:
    from gtmplay.pipeline import check_path

    check_path(str(root))  # warm caches and imports
    prof = cProfile.Profile()
    prof.enable()
    check_path(str(root))
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def measure(root: Path, size: int, nbytes: int, args: argparse.Namespace) -> dict[str, float]:
    """One column of the table. Times are CPU seconds (user + system), which
    barely move with the load of a shared machine; wall times did (3-5x)."""
    from gtmplay.services.build import TARGETS

    row: dict[str, float] = {"activities": size, "MB": nbytes / 1e6}
    # CPU-time medians of alternating runs: stable on a loaded machine
    row["libyaml"], row["check"] = cpu_medians(
        max(args.repeat, 5), lambda: libyaml_load(root), lambda: gtmplay_check(root)
    )
    row["check/libyaml"] = row["check"] / row["libyaml"]
    gtm = gtmplay_command()

    def record(key: str, args: list[str], ok: tuple[int, ...] = (0,)) -> None:
        _, peak, row[key] = measured([*gtm, *args], ok=ok)
        row[f"{key.removesuffix(' CLI')} MB"] = peak

    record("check CLI", ["check", str(root)], ok=(0, 1))
    with tempfile.TemporaryDirectory(prefix="gtmplay-bench-out-") as tmp:
        for target in TARGETS:
            out = str(Path(tmp) / target)
            record(f"build {target}", ["build", str(root), "-o", out, "--only", target])
        out = str(Path(tmp) / "all")
        record("build all", ["build", str(root), "-o", out, "--only", ",".join(TARGETS)])
        changed = Path(tmp) / "changed"
        changed_copy(root, changed)
        record("diff", ["diff", str(root), str(changed)])
    # side by side: each command to check, and to a bare libyaml load
    for key in (*(f"build {t}" for t in TARGETS), "build all", "diff"):
        row[f"{key}/check"] = row[key] / row["check CLI"]
    for name, key in (("check", "check CLI"), ("build all", "build all"), ("diff", "diff")):
        row[f"{key}/libyaml"] = row[key] / row["libyaml"]
        row[f"{name} B/byte"] = row[f"{name} MB"] * 1024 * 1024 / nbytes
    if not args.no_jsonschema:
        row["check-jsonschema"] = jsonschema_time(root)
        row["jsonschema/check"] = row["check-jsonschema"] / row["check CLI"]
    return row


# layout -> N (measured at N, 2N and 4N); see bench/layouts.py
LAYOUT_SIZES = {
    "activities": 2500,
    "stages": 250,
    "personas": 250,
    "handoffs": 250,
    "files": 1250,
    "broken-references": 2500,
    "description": 250,
    "markdown": 250,
}


def cpu_medians(repeat: int, *funcs: Callable[[], object]) -> list[float]:
    """Median CPU time of each function, run in turn (A B A B ...) ``repeat`` times."""
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(repeat):
        for spent, func in zip(times, funcs, strict=True):
            start = time.process_time()
            func()
            spent.append(time.process_time() - start)
    return [sorted(spent)[len(spent) // 2] for spent in times]


def fitted_exponent(sizes: list[int], times: list[float]) -> float:
    """Slope of log(time) over log(size), least squares: 1 is linear, 2 quadratic."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(t, 1e-9)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def layout_rows(base: Path, names: list[str], repeat: int) -> list[str]:
    """Markdown rows: each layout at N, 2N, 4N, against libyaml, and the exponent."""
    import layouts

    from gtmplay.cli import main as gtmplay_main

    rows = []
    for name in names:
        sizes = [LAYOUT_SIZES[name] * k for k in (1, 2, 4)]
        command = "build markdown" if name == "markdown" else "check"
        spent = []
        for size in sizes:
            root = base / f"{name}-{size}"
            shutil.rmtree(root, ignore_errors=True)
            nbytes = layouts.make(root, name, size)
            out = base / "out"

            def run(root: Path = root, out: Path = out, command: str = command) -> None:
                if command == "check":
                    check_path_quietly(root)
                else:
                    args = ["build", str(root), "-o", str(out), "--only", "markdown"]
                    with contextlib.redirect_stdout(io.StringIO()):
                        gtmplay_main(args)

            run()  # imports and caches
            anchor, took = cpu_medians(repeat, lambda root=root: libyaml_load(root), run)
            spent.append(took)
            rows.append(
                f"| {name} | {size:,} | {nbytes / 1e6:.2f} | {anchor:.3f}s | {command} "
                f"{took:.3f}s | {took / anchor:.2f}x |"
            )
            print(f"measured {name} {size:,}", file=sys.stderr)
        rows[-1] += f" {fitted_exponent(sizes, spent):.2f} |"
        rows[-3] += " |"
        rows[-2] += " |"
    return rows


def check_path_quietly(root: Path) -> None:
    from gtmplay.pipeline import check_path

    check_path(str(root))


def cell(key: str, value: float) -> str:
    if key == "activities":
        return f"{int(value):,}"
    if key.endswith("B/byte"):
        return f"{value:.0f}"
    if key.endswith("MB") or key == "MB":
        return f"{value:.0f}" if key != "MB" else f"{value:.2f}"
    if "/" in key:
        return f"{value:.2f}x"
    return f"{value:.2f}s"


def table(rows: list[dict[str, float]], markdown: bool) -> str:
    keys = list(rows[0])
    columns = [[key] + [cell(key, row.get(key, float("nan"))) for row in rows] for key in keys]
    if markdown:
        lines = [
            "| "
            + " | ".join(col[0] for col in columns[:1])
            + " | "
            + " | ".join(f"{int(r['activities']):,}" for r in rows)
            + " |"
        ]
        lines.append("|---|" + "---:|" * len(rows))
        lines += ["| " + " | ".join(col) + " |" for col in columns[1:]]
        return "\n".join(lines)
    width = max(len(key) for key in keys) + 2
    return "\n".join(col[0].ljust(width) + "".join(v.rjust(11) for v in col[1:]) for col in columns)


def version_ratio() -> tuple[float, float]:
    """CPU ms of ``gtmplay --version``, and its ratio to ``python -c pass``
    (medians of 10 alternating runs)."""
    version, bare = [], []
    for _ in range(10):
        version.append(measured([*gtmplay_command(), "--version"], ok=(0,))[2])
        bare.append(measured([sys.executable, "-c", "pass"], ok=(0,))[2])
    median = sorted(version)[5]
    return median * 1000, median / sorted(bare)[5]


def verdicts(
    rows: list[dict[str, float]], version: tuple[float, float], warm: tuple[float, float]
) -> list[str]:
    """The targets of docs/performance.md, each with pass or FAIL."""
    out = [
        f"gtmplay --version: {version[0]:.0f} ms CPU, {version[1]:.1f}x python -c pass "
        "(target <= 3x): " + ("pass" if version[1] <= 3 else "FAIL"),
        f"warm build of playbooks/acme: {warm[1]:.2f} s CPU ({warm[0]:.2f} s wall) "
        "(target < 0.25 s): " + ("pass" if warm[1] < 0.25 else "FAIL"),
    ]
    by = {int(r["activities"]): r for r in rows}
    if 10_000 in by:
        r = by[10_000]
        for key in ("build all", "diff"):
            ratio = r[f"{key}/check"]
            out.append(
                f"{key} at 10,000: {ratio:.2f}x check in CPU time (target <= 1.5x): "
                + ("pass" if ratio <= 1.5 else "FAIL")
            )
        for key in ("check", "build all", "diff"):
            per = r[f"{key} B/byte"]
            out.append(
                f"{key} at 10,000: peak memory {per:.0f} bytes per byte of YAML "
                "(target <= 10): " + ("pass" if per <= 10 else "FAIL")
            )
        ratio = r["check/libyaml"]
        out.append(
            f"check at 10,000: {ratio:.2f}x the libyaml parse in CPU time (target <= 0.8x): "
            + ("pass" if ratio <= 0.8 else "FAIL")
        )
        if "jsonschema/check" in r:
            speed = r["jsonschema/check"]
            out.append(
                f"check at 10,000: {speed:.1f}x faster than check-jsonschema "
                "(target >= 5x): " + ("pass" if speed >= 5 else "FAIL")
            )
    sizes = sorted(by)
    for small, big in itertools.pairwise(sizes):
        if small < 1000:
            continue  # start-up dominates below 1,000 activities
        for key in (
            "check",
            "check CLI",
            "diff",
            # times only: not the MB, ratio and bytes-per-byte rows
            *(k for k in by[big] if k.startswith("build") and k[-2:] != "MB" and "/" not in k),
        ):
            growth = (by[big][key] / by[small][key]) / (big / small)
            if growth > 1.3:
                out.append(
                    f"{key}: {small:,} -> {big:,} activities costs {growth:.2f}x per "
                    "activity (target: linear, <= 1.3x): FAIL"
                )
    if not any("per activity" in line for line in out):
        out.append("cost per activity grows by at most 1.3x between sizes: pass")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, nargs="+", default=[100, 1_000, 10_000, 50_000])
    parser.add_argument("--stages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the playbooks here and keep them")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-jsonschema", action="store_true", help="skip check-jsonschema")
    parser.add_argument("--profile", type=int, metavar="N", help="profile check of N activities")
    parser.add_argument(
        "--layouts",
        nargs="*",
        metavar="LAYOUT",
        help="time the layouts of bench/layouts.py (all without a name) at N, 2N, 4N",
    )
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="gtmplay-bench-"))
    try:
        if args.profile:
            root = base / f"playbook-{args.profile}"
            shutil.rmtree(root, ignore_errors=True)
            generate(root, args.profile, args.stages)
            print(profile(root, 40))
            return
        if args.layouts is not None:
            names = args.layouts or list(LAYOUT_SIZES)
            rows = layout_rows(base, names, args.repeat)
            print("| layout | size | YAML MB | libyaml | command | /libyaml | exponent |")
            print("|---|---:|---:|---:|---|---:|---:|")
            print("\n".join(rows))
            print(
                f"\npython {sys.version.split()[0]}, {os.cpu_count()} cpus; CPU-time medians of "
                f"{args.repeat} alternating runs in process; exponent: log-log fit over the three"
                " sizes (1 is linear)"
            )
            return
        version = version_ratio()
        warm = warm_build(args.repeat)
        rows = []
        for size in args.activities:
            root = base / f"playbook-{size}"
            shutil.rmtree(root, ignore_errors=True)
            nbytes = generate(root, size, args.stages)
            rows.append(measure(root, size, nbytes, args))
            print(f"measured {size:,} activities", file=sys.stderr)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print(table(rows, args.markdown))
    print()
    for line in verdicts(rows, version, warm):
        print(f"- {line}" if args.markdown else line)
    print(
        f"\npython {sys.version.split()[0]}, {os.cpu_count()} cpus; times are CPU seconds, "
        "in process the median of alternating runs, CLI one run each; MB columns are peak RSS "
        "of that process"
    )


if __name__ == "__main__":
    main()
