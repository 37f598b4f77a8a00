"""The ``gtmplay`` command line: thin, and quick to start.

Each command lives in ``gtmplay.commands.<name>`` and is imported only when it
runs, and ``gtmplay --version`` is answered before click is imported (click
was two thirds of its time). Exceptions become exit statuses here and nowhere
else.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from typing import Any

from gtmplay import __version__

# name -> (module, help line); the module's ``command`` attribute is the command
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("gtmplay.commands.check", "Check playbooks: schema, references, alignment rules."),
    "build": ("gtmplay.commands.build", "Render docs, handoff SLAs and CRM configuration."),
    "schema": ("gtmplay.commands.schema", "Print the playbook JSON Schema."),
    "diff": ("gtmplay.commands.diff", "What a change does to a playbook, in business terms."),
    "rules": ("gtmplay.commands.rules", "List every rule: id, name, default level, summary."),
    "explain": ("gtmplay.commands.explain", "Show what a rule checks, why, and examples."),
    "import": ("gtmplay.commands.import_", "Start a playbook from a Salesforce or HubSpot CRM."),
    "init": ("gtmplay.commands.init", "Start a new playbook from a template."),
    "plan": ("gtmplay.commands.plan", "Reverse waterfall: volumes needed per step for a target."),
    "serve": ("gtmplay.commands.serve", "Serve the site locally; rebuild and reload on save."),
    "measure": ("gtmplay.commands.measure", "Measure CRM history against the playbook."),
}

# 1 (findings) is the commands' own business: they return it
EXIT_OK, EXIT_UNUSABLE = 0, 2
BUG_REPORT = "this is a bug in gtmplay: please report it with the command you ran"


@cache
def command_group() -> Any:
    """The click group of every command (click is imported here, not at start-up)."""
    import click

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(COMMANDS)

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            entry = COMMANDS.get(cmd_name)
            if entry is None:
                return None
            command: click.Command = importlib.import_module(entry[0]).command
            return command

        def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
            # help lines come from the table, so `gtmplay --help` imports no command
            rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "-V", "--version", prog_name="gtmplay")
    @click.option("--debug", is_flag=True, help="Show the Python traceback of an internal error.")
    @click.pass_context
    def cli(ctx: click.Context, debug: bool) -> None:
        """gtmplay: one go-to-market playbook for sales and marketing, as code.

        Keep the GTM strategy, demand waterfall, sales stages, marketing
        activities, handoffs, scoring, KPIs and cadence as YAML; check that they
        align; render docs and CRM configuration from them.
        """
        ctx.obj = {"debug": debug}

    return cli


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and maps every outcome to an exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"gtmplay, version {__version__}\n")  # click's wording
        return EXIT_OK
    import click

    from gtmplay.errors import GtmplayError

    debug = "--debug" in args or bool(os.environ.get("GTMPLAY_DEBUG"))
    try:
        result: Any = command_group().main(args=args, prog_name="gtmplay", standalone_mode=False)
    except click.exceptions.Abort as exc:
        click.echo(_interrupted(exc.__cause__), err=True)
        return 130
    except click.exceptions.ClickException as exc:
        exc.show()
        return EXIT_UNUSABLE
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except GtmplayError as exc:
        click.echo(f"gtmplay: error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        click.echo(_interrupted(exc), err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(f"gtmplay: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo(f"gtmplay: {BUG_REPORT} (add --debug for the traceback)", err=True)
        return EXIT_UNUSABLE
    return int(result or 0)


def _interrupted(exc: BaseException | None) -> str:
    # the build writer says when Ctrl-C came after the new output was in place
    detail = str(exc) if isinstance(exc, KeyboardInterrupt) else ""
    return f"interrupted: {detail}" if detail else "interrupted"


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
