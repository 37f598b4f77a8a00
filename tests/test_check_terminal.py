"""``gtmplay check`` on a terminal says a clean playbook is clean; piped, it stays silent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gtmplay.cli import main
from gtmplay.services.check import CheckOptions, run_check

ROOT = Path(__file__).resolve().parent.parent
ACME = "playbooks/acme"
FILES = len(list((ROOT / ACME).rglob("*.yaml")))


def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run gtmplay with its standard output on a pseudo-terminal; exit status and output."""
    master, slave = os.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "gtmplay", *args],
        stdout=slave, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal is closed and read to the end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def test_a_clean_playbook_is_confirmed_on_a_terminal() -> None:
    assert _on_a_terminal("check", ACME) == (0, f"{ACME}: no findings ({FILES} files)\n")


def test_quiet_and_pipes_keep_the_silence(capsys: pytest.CaptureFixture[str]) -> None:
    assert _on_a_terminal("check", "-q", ACME) == (0, "")
    assert main(["check", str(ROOT / ACME)]) == 0
    assert capsys.readouterr().out == ""


def test_only_the_clean_playbooks_are_confirmed(tmp_path: Path) -> None:
    broken = tmp_path / "pb.yaml"
    broken.write_text("gtmplay: 1\nname: Acme\nteams: marketing\n", encoding="utf-8")
    out = run_check(
        CheckOptions(paths=(str(ROOT / ACME), str(broken)), confirm=True, format="text")
    ).stdout
    assert out.endswith(f"{ROOT / ACME}: no findings ({FILES} files)\n")
    assert f"{broken}: no findings" not in out and "pb.yaml:3:8: error[GTM012]" in out
    # another format is for machines: nothing is added
    json_out = run_check(CheckOptions(paths=(str(ROOT / ACME),), confirm=True, format="json"))
    assert "no findings" not in json_out.stdout
