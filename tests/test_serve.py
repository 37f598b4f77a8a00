"""``gtmplay serve``: a real server in a real process, read over HTTP while the playbook
is edited. Nothing here sleeps to assert: each wait polls until a deadline."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from gtmplay.cli import main
from gtmplay.services.init import init
from gtmplay.services.serve import CHANGES, Served, Snapshot, inject, problem_page

T = TypeVar("T")
DEADLINE = 90.0  # seconds; generous, the machine is shared: only a hang reaches it
NAME = "name: Example Co — Mid-Market Go-to-Market Playbook"


def until(check: Callable[[], T | None], what: str) -> T:
    """The first true value of ``check()``, polled until :data:`DEADLINE`."""
    end = time.monotonic() + DEADLINE
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def page_with(url: str, text: str) -> Callable[[], str | None]:
    """A check for :func:`until`: the page at ``url`` once it holds ``text``."""

    def check() -> str | None:
        page = get(url)[1]
        return page if text in page else None

    return check


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=DEADLINE) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """``gtmplay serve`` on a new playbook, on a free port; the process, its URL, the folder."""
    folder = tmp_path / "pb"
    init(folder, "sdr-led")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gtmplay", "serve", str(folder), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as from a terminal, even when the tests run in the background (a shell
        # without job control starts those with SIGINT ignored, and exec keeps that)
        preexec_fn=_default_sigint,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # blocks until listening (or the process ended)
        assert first.startswith(f"serving {folder} at http://127.0.0.1:"), (
            first + proc.stderr.read()
        )  # type: ignore[union-attr]
        url = first.split(" at ")[1].split(" ")[0]
        yield proc, url, folder
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_serve_rebuilds_on_save_and_stops_cleanly_on_ctrl_c(
    server: tuple[subprocess.Popen[str], str, Path],
) -> None:
    proc, url, folder = server
    status, page = get(url)  # / goes to the overview
    assert status == 200
    assert "<title>Overview · Example Co — Mid-Market Go-to-Market Playbook</title>" in page
    assert f'fetch("{CHANGES}?after="+v' in page and "var v=1;" in page
    assert "the last check found this" not in page  # the template checks clean

    # a page waiting for the next build hears of it as soon as it is served
    waited: list[str] = []
    waiter = threading.Thread(target=lambda: waited.append(get(f"{url}{CHANGES[1:]}?after=1")[1]))
    waiter.start()
    playbook = folder / "playbook.yaml"
    text = playbook.read_text(encoding="utf-8")
    assert NAME in text
    playbook.write_text(text.replace(NAME, "name: Renamed Co"), encoding="utf-8")
    page = until(page_with(f"{url}html/index.html", "Renamed Co"), "the renamed playbook")
    assert "<title>Overview · Renamed Co</title>" in page
    waiter.join(DEADLINE)
    assert waited and int(waited[0]) >= 2

    # broken YAML: every address shows the findings instead of a dead page
    playbook.write_text(text.replace(NAME, 'name: "Renamed Co'), encoding="utf-8")
    page = until(page_with(f"{url}html/kpis.html", "could not be built"), "the findings page")
    assert "the last check found this" in page
    assert "playbook.yaml:16:7: error[GTM001]" in page and "never closed" in page

    # fixed again: the site is back
    playbook.write_text(text, encoding="utf-8")
    until(page_with(f"{url}html/kpis.html", "Example Co"), "the site again")

    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=DEADLINE)
    assert (proc.returncode, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == "stopped"
    assert any(line.startswith("rebuilt #") and "not rendered" in line for line in lines)
    assert "Traceback" not in out


def head(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method="HEAD")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=DEADLINE) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kw: object) -> None:
        return None  # the test looks at the 302 itself


def test_head_answers_as_get_does_without_a_body(
    server: tuple[subprocess.Popen[str], str, Path],
) -> None:
    _, url, _ = server
    with urllib.request.urlopen(f"{url}html/index.html", timeout=DEADLINE) as response:
        page = response.read()
    status, headers, body = head(f"{url}html/index.html")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len(page))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, headers, body = head(url)
    assert (status, headers["Location"], body) == (302, "/html/index.html", b"")
    assert head(f"{url}html/no-such-page.html")[0] == 404
    # the change feed answers at once instead of waiting for the next build
    status, headers, body = head(f"{url}{CHANGES[1:]}?after=1")
    assert (status, headers["Content-Length"], body) == (200, "1", b"")


def test_a_port_in_use_is_a_usage_error(
    server: tuple[subprocess.Popen[str], str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, url, folder = server
    port = url.rsplit(":", 1)[1].strip("/")
    assert main(["serve", str(folder), "--port", port]) == 2
    assert capsys.readouterr().err == (
        f"gtmplay: error: cannot listen on 127.0.0.1:{port}: Address already in use. "
        "Choose another port with --port (0 lets the system pick a free one).\n"
    )


def test_a_missing_playbook_is_refused_before_anything_listens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path / "nothing"), "--port", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "nothing" in err and "Traceback" not in err


def test_only_served_pages_get_the_script_and_the_findings() -> None:
    page = b"<html><body><p>x</p></body></html>"
    clean = inject(page, Snapshot(3, {}, ""))
    assert clean.startswith(b"<html><body><p>x</p><script>(function(){var v=3;")
    assert clean.endswith(b"</script></body></html>")
    found = inject(page, Snapshot(4, {}, "a.yaml:1:2: error[GTM101] <b>bad</b>\n"))
    assert b"a.yaml:1:2: error[GTM101] &lt;b&gt;bad&lt;/b&gt;\n</pre></aside><p>x</p>" in found


def test_the_problem_page_escapes_what_it_quotes() -> None:
    page = problem_page(Snapshot(1, {}, "", "template <x>:3: bad"))
    assert b"<p>template &lt;x&gt;:3: bad</p>" in page


def test_a_waiting_page_hears_of_the_next_build_and_no_other() -> None:
    served = Served()
    first = served.publish({"html/index.html": b"1"}, "")
    assert first.version == 1
    assert served.wait(after=1, timeout=0.01) == 1  # nothing new: the same version
    result: list[int] = []
    waiter = threading.Thread(target=lambda: result.append(served.wait(1, DEADLINE)))
    waiter.start()
    served.publish({}, "", "broken")
    waiter.join(DEADLINE)
    assert result == [2]
    assert served.snapshot.problem == "broken"
