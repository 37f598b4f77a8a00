"""The README stays in step with the schema and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_format_table_names_every_top_level_section() -> None:
    schema = json.loads((ROOT / "schemas" / "playbook.schema.json").read_text(encoding="utf-8"))
    table = README.split("## The playbook format", 1)[1].split("###", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", table))
    assert set(schema["properties"]) <= named


def test_every_command_is_in_the_command_table() -> None:
    from gtmplay.cli import COMMANDS

    table = README.split("## Commands", 1)[1].split("##", 1)[0]
    for name in COMMANDS:
        assert f"`gtmplay {name}" in table, name


def test_setup_is_two_commands() -> None:
    setup = README.split("## Set-up", 1)[1].split("##", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert len(blocks) == 2
    assert all(block.count("\n") == 1 for block in blocks)
    assert "gtmplay check playbooks/acme" in blocks[0]
    assert "python -m pytest" in blocks[1]
