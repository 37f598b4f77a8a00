"""``gtmplay serve``."""

from __future__ import annotations

from pathlib import Path

import click

from gtmplay.commands import options
from gtmplay.services.serve import DEFAULT_HOST, DEFAULT_PORT


@click.command(name="serve")
@click.argument("path", type=click.Path())
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on. Anything but 127.0.0.1 or ::1 lets other machines read "
    "the playbook.",
)
@options.templates(watched=True)
def command(path: str, port: int, host: str, templates: Path | None) -> int:
    """Serve the site of the playbook at PATH on this machine and rebuild it on every save.

    Open pages reload by themselves after each build and show the findings of
    the last check; a playbook that cannot be rendered shows its findings
    instead. Nothing is written to disk. Ctrl-C stops the server.
    Exit status: 0 when stopped, 2 when PATH or the port cannot be used.
    """
    from gtmplay.services.serve import ServeOptions, Snapshot, serve

    def ready(url: str) -> None:
        click.echo(f"serving {path} at {url} (Ctrl-C to stop)")

    def rebuilt(snapshot: Snapshot) -> None:
        if snapshot.problem:
            click.echo(f"rebuilt #{snapshot.version}: not rendered: {snapshot.problem}")
        else:
            click.echo(f"rebuilt #{snapshot.version}: {len(snapshot.files)} files")
        if snapshot.report:
            click.echo(snapshot.report, nl=False)

    serve(
        path, ServeOptions(host=host, port=port, templates=templates), ready=ready, rebuilt=rebuilt
    )
    click.echo("stopped")
    return 0
