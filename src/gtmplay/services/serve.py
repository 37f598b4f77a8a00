"""``gtmplay serve``: the site of a playbook on a local web server, rebuilt on every save.

Named steps, as in :mod:`gtmplay.services.build`: check the playbook and its
templates -> build in memory -> serve the files -> on each change under the
playbook folder (and ``--templates``), build again and tell the open pages to
reload. No click here.

The files are served from memory, never written: nothing is left behind on
Ctrl-C, and a request never meets a half-replaced folder. A build is always
forced, so a playbook with errors still shows its site with the findings on
top; one that cannot be rendered at all (YAML or schema errors, a broken
template) shows a page with the findings instead. Only served pages get the
small reload script and the findings box; ``gtmplay build`` output never has
them.
"""

from __future__ import annotations

import http.server
import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from markupsafe import Markup, escape

from gtmplay.errors import GtmplayError, UsageError
from gtmplay.services.build import (
    playbook_folder,
    render_checked,
    select_targets,
    templates_dir,
)

if TYPE_CHECKING:
    from gtmplay.findings import Finding

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
HOME = "/html/index.html"
# the one address of the server's own: the reload script waits here for the next build
CHANGES = "/_gtmplay/changes"
# how long one wait for a change lasts before the page asks again
WAIT_SECONDS = 25.0


@dataclass(frozen=True)
class ServeOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    templates: Path | None = None


@dataclass(frozen=True)
class Snapshot:
    """One build as served: its number, its files, and what the check found."""

    version: int
    files: dict[str, bytes]
    report: str  # the findings as ``gtmplay check`` prints them; empty when none
    problem: str = ""  # why nothing could be rendered; then ``files`` is empty


class Served:
    """The snapshot being served, replaced whole by each build (safe across threads)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._snapshot = Snapshot(0, {}, "", "not built yet")

    @property
    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def publish(self, files: dict[str, bytes], report: str, problem: str = "") -> Snapshot:
        with self._changed:
            self._snapshot = Snapshot(self._snapshot.version + 1, files, report, problem)
            self._changed.notify_all()
            return self._snapshot

    def wait(self, after: int, timeout: float) -> int:
        """The version after ``after``, or the current one when none came within ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.version != after, timeout)
            return self._snapshot.version


def build_once(path: str, templates: Path | None, served: Served) -> Snapshot:
    """Build the site of ``path`` into ``served``; any problem becomes the page shown."""
    from gtmplay.report import ReportInput, text

    try:
        outcome, files = render_checked(path, select_targets(()), templates, force=True)
    except GtmplayError as exc:  # an unreadable playbook, a broken --templates file
        return served.publish({}, "", str(exc))
    findings: tuple[Finding, ...] = tuple(outcome.result.findings) if outcome.result else ()
    report = text.render(ReportInput(findings=findings))
    return served.publish(files, report, "" if outcome.status == 0 else outcome.reason)


def serve(
    path: str,
    options: ServeOptions,
    *,
    ready: Callable[[str], None],
    rebuilt: Callable[[Snapshot], None],
) -> None:
    """Serve the site of ``path`` until Ctrl-C; ``ready(url)`` once
    listening, ``rebuilt(snapshot)`` after each build that follows a change."""
    import watchfiles

    from gtmplay.sources import open_playbook

    templates = templates_dir(options.templates)
    open_playbook(path)  # a missing playbook is a usage error, before anything listens
    served = Served()
    build_once(path, templates, served)
    server = _listen(options.host, options.port, served)
    thread = threading.Thread(target=server.serve_forever, name="gtmplay-serve", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        ready(f"http://{_url_host(str(host))}:{port}/")
        watched = [playbook_folder(path), *([templates] if templates else [])]
        for _changes in watchfiles.watch(*watched, debounce=200, raise_interrupt=True):
            rebuilt(build_once(path, templates, served))
    except KeyboardInterrupt:
        pass  # Ctrl-C is how serve stops: not an error
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _listen(host: str, port: int, served: Served) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"served": served})
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise UsageError(
            problem=f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            fix="choose another port with --port (0 lets the system pick a free one)",
        ) from exc
    server.daemon_threads = True  # a page waiting for a change never holds up Ctrl-C
    return server


class _Handler(http.server.BaseHTTPRequestHandler):
    served: Served
    server_version = "gtmplay-serve"
    head_only = False  # a HEAD request: the same status and headers as GET, no body

    def do_HEAD(self) -> None:
        # link checkers and curl -I ask with HEAD; http.server answers it 501 by default
        self.head_only = True
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == CHANGES:
            after = parse_qs(url.query).get("after", ["0"])[0]
            # HEAD only asks whether the address answers: it does not wait for a build
            wait = 0 if self.head_only else WAIT_SECONDS
            version = self.served.wait(int(after) if after.isdigit() else 0, wait)
            self._send(200, str(version).encode(), "text/plain; charset=utf-8")
            return
        snapshot = self.served.snapshot
        if url.path in ("", "/"):
            self.send_response(302)
            self.send_header("Location", HOME)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if snapshot.problem:
            body = problem_page(snapshot)
            self._send(200, inject(body, snapshot), "text/html; charset=utf-8")
            return
        rel = PurePosixPath(unquote(url.path)).as_posix().lstrip("/")
        data = snapshot.files.get(rel)
        if data is None:
            self._send(404, b"not found\n", "text/plain; charset=utf-8")
            return
        kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if kind == "text/html":
            self._send(200, inject(data, snapshot), "text/html; charset=utf-8")
        else:
            self._send(200, data, kind + ("; charset=utf-8" if kind.startswith("text/") else ""))

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the rebuild messages


# Waits for the next build and reloads; after a failed request (the server
# restarting) it tries again a little later. Kept tiny: it is all the
# JavaScript gtmplay ever sends, and only in serve mode.
_RELOAD = (
    "<script>(function(){{var v={version};function w(){{"
    'fetch("' + CHANGES + '?after="+v,{{cache:"no-store"}})'
    ".then(function(r){{return r.text()}}).then(function(t){{"
    "if(+t!==v){{location.reload()}}else{{w()}}}},function(){{setTimeout(w,1000)}})}}w()}})()"
    "</script>"
)
_BOX = (
    '<aside aria-label="Findings of the last check" style="margin:0;padding:.75rem 1rem;'
    "background:#fff4e5;color:#1a1a1a;border-bottom:2px solid #8a5300;font:14px/1.4 "
    'system-ui,sans-serif"><strong>gtmplay serve: the last check found this</strong>'
    '<pre style="margin:.5rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere;'
    'font:13px/1.4 ui-monospace,monospace">{report}</pre></aside>'
)


def inject(page: bytes, snapshot: Snapshot) -> bytes:
    """``page`` with the findings box after ``<body>`` and the reload script before
    ``</body>``; the built files themselves are never changed."""
    text = page.decode("utf-8")
    box = _BOX.format(report=escape(snapshot.report)) if snapshot.report else ""
    script = _RELOAD.format(version=snapshot.version)
    head, found, rest = text.partition("<body>")
    if found:
        text = head + found + box + rest
    body, found, tail = text.rpartition("</body>")
    text = body + script + found + tail if found else text + script
    return text.encode("utf-8")


def problem_page(snapshot: Snapshot) -> bytes:
    """The page served for every address while the playbook cannot be rendered."""
    page = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Not built · gtmplay serve</title>\n</head>\n"
        '<body><main style="max-width:60rem;margin:2rem auto;padding:0 1rem;'
        'font:16px/1.5 system-ui,sans-serif;color:#1a1a1a">\n'
        "<h1>The site could not be built</h1>\n<p>{problem}</p>\n"
        "<p>Fix the playbook and save: this page reloads by itself.</p>\n</main></body>\n</html>\n"
    ).format(problem=snapshot.problem)
    return str(page).encode("utf-8")
