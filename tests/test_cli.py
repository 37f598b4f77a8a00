"""The command line: exit statuses, messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gtmplay import __version__
from gtmplay.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "playbooks" / "acme"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert (code, out) == (0, f"gtmplay, version {__version__}\n")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from gtmplay.cli import COMMANDS

    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for name in COMMANDS:
        assert f"  {name} " in out


@pytest.mark.parametrize("name", ["check", "schema"])
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([name, "--help"], capsys)
    assert code == 0
    assert out.startswith(f"Usage: gtmplay {name}")


def test_schema_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema"], capsys)
    assert code == 0
    assert out == (ROOT / "schemas" / "playbook.schema.json").read_text(encoding="utf-8")
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_example_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", str(EXAMPLE), "--fail-on", "warning"], capsys)
    assert (code, out, err) == (0, "", "")


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "no/such/folder"], capsys)
    assert code == 2
    assert err == (
        "gtmplay: error: no/such/folder: no such file or folder. "
        "Pass a playbook folder or YAML file.\n"
    )


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--frobnicate", str(EXAMPLE)], capsys)
    assert code == 2
    assert "No such option '--frobnicate'" in err


def test_broken_file_exits_2_and_other_playbooks_still_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("gtmplay: 1\nname: [unclosed\n", encoding="utf-8")
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("gtmplay: 1\nname: Acme\nteams: marketing\n", encoding="utf-8")
    code, out, _ = run(["check", str(broken), str(invalid)], capsys)
    assert code == 2
    assert "broken.yaml:2:7: error[GTM001]" in out  # at the [ left open
    assert "invalid.yaml:3:8: error[GTM012] 'teams' must be a list, not the text" in out


def test_internal_error_is_a_short_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gtmplay.pipeline

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(gtmplay.pipeline, "check_path", explode)
    code, _, err = run(["check", str(EXAMPLE)], capsys)
    assert code == 2
    assert err.startswith("gtmplay: internal error: RuntimeError: boom\n")
    assert "Traceback" not in err
    code, _, err = run(["--debug", "check", str(EXAMPLE)], capsys)
    assert code == 2
    assert "Traceback" in err


def test_console_script_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gtmplay", "--version"], capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stdout) == (0, f"gtmplay, version {__version__}\n")


def test_version_and_its_short_form_import_no_click() -> None:
    # click was two thirds of the start-up of `gtmplay --version`
    probe = (
        "import sys; from gtmplay.cli import main; code = main([sys.argv[1]]); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'yaml')))"
    )
    for flag in ("--version", "-V"):
        proc = subprocess.run(
            [sys.executable, "-c", probe, flag], capture_output=True, text=True, check=False
        )
        assert proc.stdout == f"gtmplay, version {__version__}\n0 []\n"


def test_a_check_does_not_load_what_only_other_commands_need() -> None:
    # a check's fixed memory: hashlib loads OpenSSL (3.7 MiB, for fingerprints
    # that only --base and the GitLab report use), tempfile pulls shutil, lzma
    # and bz2 (0.5 MiB, for writing files), html's entity table 0.5 MiB (for
    # rendering), the measurement figures 0.75 MiB (for gtmplay measure)
    unwanted = ("hashlib", "_hashlib", "tempfile", "shutil", "html", "gtmplay.measure.figures")
    probe = (
        "import sys; from gtmplay.cli import main; code = main(sys.argv[2:]); "
        "print(code, sorted(m for m in sys.modules if m in sys.argv[1].split(',')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, ",".join(unwanted), "check", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stderr


def test_a_diff_does_not_load_openssl() -> None:
    # its memo keys files by BLAKE2b: hashlib loaded OpenSSL for it (3.6 MiB,
    # diff at 10,000 activities 52.8 -> 48.9 MiB)
    unwanted = ("hashlib", "_hashlib")
    probe = (
        "import sys; from gtmplay.cli import main; code = main(sys.argv[2:]); "
        "print(code, sorted(m for m in sys.modules if m in sys.argv[1].split(',')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, ",".join(unwanted), "diff", str(EXAMPLE), str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stderr


def test_a_build_checks_before_loading_what_writing_files_needs(tmp_path: Path) -> None:
    # the check is the peak of a build of a CRM or csv target: hashlib (OpenSSL,
    # 3.7 MiB, which secrets imports) and shutil (lzma, bz2) loaded before it
    # sat under that peak too (build --only csv: 61.4 MiB at 10,000 activities,
    # 57.0 without them)
    unwanted = ("hashlib", "_hashlib", "secrets", "shutil", "lzma", "bz2")
    probe = (
        "import sys; import gtmplay.pipeline as p; check = p.check_path; seen = []\n"
        "def hooked(*a, **k):\n"
        "    seen.extend(m for m in sys.argv[1].split(',') if m in sys.modules)\n"
        "    return check(*a, **k)\n"
        "p.check_path = hooked\n"
        "from gtmplay.cli import main; code = main(sys.argv[2:]); print(code, sorted(seen))"
    )
    out = tmp_path / "out"
    command = ["build", str(EXAMPLE), "-o", str(out), "--only", "csv"]
    proc = subprocess.run(
        [sys.executable, "-c", probe, ",".join(unwanted), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [".gtmplay-build", "csv"]


def test_a_check_keeps_no_schema_as_python_values() -> None:
    # the validator compiles the schemas from their text, and the model reads
    # the schema's defaults from a table of them: the schemas as dicts (0.7 MB)
    # are made only to list the errors of an invalid file
    probe = (
        "import sys; from gtmplay.cli import main; code = main(sys.argv[1:]); "
        "from gtmplay import schemafiles; "
        "print(code, schemafiles.load_schema.cache_info().currsize)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "check", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.splitlines()[-1] == "0 0", proc.stderr
