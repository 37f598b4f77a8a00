"""Playbooks that grow along one dimension, for the benchmark and the scaling tests.

``bench.generate`` makes the benchmark's kind layout (many activities over a
few files, every reference resolving). The layouts here grow one thing each,
including the ones that used to be quadratic:

- ``activities``: activities (50 per file).
- ``stages``: stages (20 activities).
- ``personas``: personas in the strategy (20 activities).
- ``handoffs``: handoffs between the teams (20 activities).
- ``files``: included files, one activity each.
- ``broken-references``: activities whose asset reference names an id that
  does not exist (one asset per activity, all renamed: each needs a
  did-you-mean among as many ids).
- ``description``: the length of the playbook's description, in KB.
- ``markdown``: the description is KBs of unclosed ``[`` (Python-Markdown's
  worst input); it matters to builds, which render it.

``make(root, dimension, size)`` writes the playbook and returns its YAML bytes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any


def _bench() -> Any:
    """bench/bench.py, by its path: bench/ is not a package."""
    spec = importlib.util.spec_from_file_location(
        "gtmplay_bench_generate", Path(__file__).resolve().parent / "bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _bench().generate

DIMENSIONS = (
    "activities",
    "stages",
    "personas",
    "handoffs",
    "files",
    "broken-references",
    "description",
    "markdown",
)


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def _total(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*.yaml"))


def make(root: Path, dimension: str, size: int) -> int:
    """Write the ``dimension`` layout of ``size`` under ``root``; its YAML bytes."""
    if dimension == "activities":
        generate(root, size, 10, per_file=50)
    elif dimension == "stages":
        generate(root, 20, size)
    elif dimension == "personas":
        generate(root, 20, 10)
        _append(
            root / "strategy.yaml",
            "".join(
                f"    - id: persona-{i}\n      name: Persona {i}\n      markets: [emea]\n"
                for i in range(size)
            ),
        )
    elif dimension == "handoffs":
        generate(root, 20, 10)
        _append(
            root / "handoffs.yaml",
            "".join(
                f"  - id: handoff-{i}\n    from: marketing\n    to: sdr\n    at: sal\n"
                f"    accept: [Criterion {i}]\n    sla: {{respond_within: 4h, attempts: 6}}\n"
                "    reject_reasons: [No budget]\n    on_reject: nurture\n"
                for i in range(size)
            ),
        )
    elif dimension == "files":
        generate(root, size, 10, per_file=1)
    elif dimension == "broken-references":
        generate(root, size, 10, assets=size)
        assets = root / "assets.yaml"
        assets.write_text(
            assets.read_text(encoding="utf-8").replace("id: asset-", "id: asset-x"),
            encoding="utf-8",
        )
    elif dimension in ("description", "markdown"):
        generate(root, 20, 10)
        words = "Marketing and sales agree on **one** funnel, and review it weekly. " * 16
        # about 1 KB a paragraph; the brackets are one paragraph of ``size`` KB
        body = "".join(f"  {words}\n\n" for _ in range(size))
        if dimension == "markdown":
            body = f"  {'[' * 1024 * size}\n"
        playbook = root / "playbook.yaml"
        text = playbook.read_text(encoding="utf-8")
        playbook.write_text(
            text.replace("description: A generated playbook.\n", f"description: |\n{body}"),
            encoding="utf-8",
        )
    else:
        raise ValueError(f"unknown dimension {dimension!r}: one of {', '.join(DIMENSIONS)}")
    return _total(root)
