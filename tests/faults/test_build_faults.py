"""``gtmplay build`` when the disk fails it: the previous output always survives.

CI runs as root, for whom a read-only folder is writable, so the failures are
simulated where the writer meets the operating system (``os.mkdir``,
``open``, ``os.rename``); concurrency and Ctrl-C use real processes.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import gtmplay.render.writer as writer
from gtmplay.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "playbooks" / "acme"
TARGETS = "html,markdown,handoffs,salesforce,hubspot,pipedrive,csv"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture
def previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An output folder holding a complete earlier build."""
    out = tmp_path / "site"
    assert main(["build", str(EXAMPLE), "-o", str(out), "--only", TARGETS]) == 0
    capsys.readouterr()
    return out


def build_fails(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = tree(out)
    code = main(["build", str(EXAMPLE), "-o", str(out), "--only", TARGETS])
    _, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err and "internal error" not in err
    assert tree(out) == before, "the previous output must stay as it was"
    assert leftovers(out.parent) == []
    return err


def test_read_only_output_folder(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(path: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(writer.os, "mkdir", refuse)
    err = build_fails(previous, capsys)
    assert err.startswith(f"gtmplay: error: cannot write {previous.parent}/.site.tmp-")
    assert err.endswith(
        f": Read-only file system. Make {previous.parent} writable; "
        "the previous output is unchanged.\n"
    )


def test_disk_full_in_the_middle_of_a_build(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_open = open
    written: list[str] = []

    class Full:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def close(self) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            if len(written) >= 10:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written.append("x")
            return int(self.handle.write(data))

    monkeypatch.setattr(writer, "open", lambda *a, **k: Full(real_open(*a, **k)), raising=False)
    err = build_fails(previous, capsys)
    assert len(written) == 10
    assert err.endswith(
        f": No space left on device. Free some space on the disk of {previous.parent}; "
        "the previous output is unchanged.\n"
    )


def test_name_too_long_says_which_name_to_shorten(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_open = open

    def too_long(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).endswith(".html"):
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(writer, "open", too_long, raising=False)
    err = build_fails(previous, capsys)
    assert err.endswith(
        ": File name too long. Shorten the name it comes from (an id or a crm: name); "
        "the previous output is unchanged.\n"
    )


def test_swap_refused_puts_the_old_output_back(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_rename = os.rename
    calls: list[str] = []

    def rename(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if ".tmp-" in str(src):  # the new build going in place: refused
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        real_rename(src, dst)

    monkeypatch.setattr(writer.os, "rename", rename)
    err = build_fails(previous, capsys)
    assert len(calls) == 3  # OUT aside, new build refused, OUT back
    assert err == (
        f"gtmplay: error: cannot write {previous}: Permission denied. Check that the folder is "
        "not open elsewhere and is writable; the previous output is unchanged.\n"
    )


def test_two_builds_at_once_leave_one_complete_build(previous: Path) -> None:
    reference = tree(previous)
    command = [sys.executable, "-m", "gtmplay", "build", str(EXAMPLE), "-o", str(previous)]
    for _ in range(3):
        procs = [
            subprocess.Popen([*command, "--only", TARGETS], stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
        for code, err in results:
            assert "Traceback" not in err
            assert code == 0, err
        assert tree(previous) == reference
        assert leftovers(previous.parent) == []


# A child that builds with a slow disk: each file takes 50 ms to write, and
# the first one tells the test that writing has started.
# The child restores Python's SIGINT handler: a shell starts background jobs
# with SIGINT ignored, and the child would inherit that and never see Ctrl-C.
SLOW_BUILD = textwrap.dedent(
    """
    import signal, sys, time
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from pathlib import Path
    import gtmplay.render.writer as writer
    real_open = open
    def slow_open(path, *args, **kwargs):
        Path(sys.argv[3]).touch()
        time.sleep(0.05)
        return real_open(path, *args, **kwargs)
    writer.open = slow_open
    from gtmplay.cli import main
    sys.exit(main(["build", sys.argv[1], "-o", sys.argv[2], "--only", sys.argv[4]]))
    """
)


def test_ctrl_c_while_writing_leaves_the_previous_output(previous: Path, tmp_path: Path) -> None:
    before = tree(previous)
    started = tmp_path / "started"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(EXAMPLE), str(previous), str(started), TARGETS],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not started.exists():
        assert time.monotonic() < deadline and proc.poll() is None, "the build never started"
        time.sleep(0.01)
    time.sleep(0.2)  # a few files in
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=30)
    err = proc.stderr.read() if proc.stderr else ""
    assert (code, err.strip()) == (130, "interrupted")
    assert tree(previous) == before
    assert leftovers(previous.parent) == []


def test_ctrl_c_during_the_swap_finishes_it_and_says_so(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ctrl-C right after the new build went in place, before the old one is
    # removed: it used to report "interrupted" and leave .site.old-<hex>
    real_rename = os.rename
    old_marker = previous / "old-build.txt"
    old_marker.write_text("from the previous build\n")

    def rename(src: Any, dst: Any) -> None:
        real_rename(src, dst)
        if ".tmp-" in str(src):
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(writer.os, "rename", rename)
    # the handler of whoever runs the tests: Python's own, or SIG_IGN when they were
    # started in the background by a shell without job control
    handler = signal.getsignal(signal.SIGINT)
    code = main(["build", str(EXAMPLE), "-o", str(previous), "--only", TARGETS])
    _, err = capsys.readouterr()
    assert (code, err.strip()) == (
        130,
        "interrupted: the new build was already complete and is in place",
    )
    assert not old_marker.exists()  # the new build, whole
    assert (previous / "html" / "index.html").is_file()
    assert leftovers(previous.parent) == []
    assert signal.getsignal(signal.SIGINT) is handler  # given back as it was


def test_ctrl_c_between_the_two_renames_keeps_one_complete_build(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_rename = os.rename

    def rename(src: Any, dst: Any) -> None:
        if ".old-" in str(dst):
            signal.raise_signal(signal.SIGINT)  # OUT is about to be moved aside
        real_rename(src, dst)

    monkeypatch.setattr(writer.os, "rename", rename)
    code = main(["build", str(EXAMPLE), "-o", str(previous), "--only", TARGETS])
    _, err = capsys.readouterr()
    assert (code, err.strip()) == (
        130,
        "interrupted: the new build was already complete and is in place",
    )
    assert (previous / writer.MARKER).is_file()
    assert leftovers(previous.parent) == []


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(
    previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = previous.parent
    for name in (".site.tmp-0123456789ab", ".site.old-ba9876543210"):
        (parent / name / "html").mkdir(parents=True)
        (parent / name / "html" / "index.html").write_text("half a build\n")
    (parent / ".other.tmp-0123456789ab").mkdir()  # another output's: not ours to remove
    assert main(["build", str(EXAMPLE), "-o", str(previous), "--only", TARGETS]) == 0
    capsys.readouterr()
    assert leftovers(parent) == [".other.tmp-0123456789ab"]


def test_the_temporary_folder_of_a_live_build_is_kept(
    previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import fcntl

    live = previous.parent / ".site.tmp-00000000000a"
    live.mkdir()
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a build at work holds it
        assert main(["build", str(EXAMPLE), "-o", str(previous), "--only", TARGETS]) == 0
        capsys.readouterr()
        assert leftovers(previous.parent) == [live.name]
    finally:
        os.close(fd)


def test_a_build_killed_while_writing_is_cleaned_up_by_the_next(
    previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = tmp_path / "started"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(EXAMPLE), str(previous), str(started), TARGETS],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not started.exists():
        assert time.monotonic() < deadline and proc.poll() is None, "the build never started"
        time.sleep(0.01)
    proc.kill()
    proc.wait(timeout=30)
    assert [name[:10] for name in leftovers(previous.parent)] == [".site.tmp-"]
    assert main(["build", str(EXAMPLE), "-o", str(previous), "--only", TARGETS]) == 0
    capsys.readouterr()
    assert leftovers(previous.parent) == []


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_honour_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: int
) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / "site"
        assert main(["build", str(EXAMPLE), "-o", str(out), "--only", "handoffs"]) == 0
        sarif = tmp_path / "report" / "gtmplay.sarif"
        main(["check", str(EXAMPLE), "-o", f"sarif={sarif}"])
        diff = tmp_path / "diff.md"
        assert main(["diff", str(EXAMPLE), str(EXAMPLE), "-o", str(diff)]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    file_mode, dir_mode = 0o666 & ~umask, 0o777 & ~umask
    assert oct((out / "handoffs" / "handoffs.yaml").stat().st_mode & 0o777) == oct(file_mode)
    assert oct(out.stat().st_mode & 0o777) == oct(dir_mode)
    assert oct(sarif.stat().st_mode & 0o777) == oct(file_mode)
    assert oct(diff.stat().st_mode & 0o777) == oct(file_mode)


def test_an_existing_report_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sarif = tmp_path / "gtmplay.sarif"
    sarif.write_text("{}")
    sarif.chmod(0o640)
    main(["check", str(EXAMPLE), "-o", f"sarif={sarif}"])
    capsys.readouterr()
    assert oct(sarif.stat().st_mode & 0o777) == oct(0o640)
    assert sarif.read_text() != "{}"


def test_an_output_folder_inside_the_playbook_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # with a recursive include pattern, the next check would read site/handoffs/*.yaml
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE, tmp_path / "pb")
    code = main(["build", "pb", "-o", "pb/site"])
    _, err = capsys.readouterr()
    assert (code, err) == (
        2,
        "gtmplay: error: cannot write pb/site: it is inside the playbook folder pb, so the "
        "next check would read the generated files as part of the playbook. Choose an output "
        "folder outside the playbook, e.g. -o site/.\n",
    )
    assert not (tmp_path / "pb" / "site").exists()
