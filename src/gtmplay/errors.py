"""The one exception hierarchy of gtmplay.

Problems in a playbook are *findings* (values, see :mod:`gtmplay.findings`),
not exceptions. Exceptions are for what stops a command as a whole; the CLI
maps each class to an exit status in exactly one place (``cli.main``).
Constructors take keyword arguments and build the message themselves, so a
message reads the same wherever the error is raised.
"""

from __future__ import annotations


class GtmplayError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 2


class UsageError(GtmplayError):
    """Raised by the pipeline when options or arguments cannot be used.

    For example a playbook path that does not exist, or an unknown output
    format. Exit status 2.
    """

    def __init__(self, *, problem: str, fix: str = "") -> None:
        self.problem = problem
        self.fix = fix
        message = problem
        if fix:
            message += f". {fix[0].upper()}{fix[1:]}".rstrip(".") + "."
        super().__init__(message)


class PlaybookHasErrors(UsageError):
    """Raised by a command that needs a playbook without errors (``diff``, ``plan``).

    ``first`` is the first error as ``gtmplay check`` prints it. Exit status 2.
    """

    def __init__(self, *, label: str, first: str | None = None) -> None:
        self.label = label
        shown = f" (first: {first})" if first else ""
        super().__init__(
            problem=f"{label}: the playbook has errors{shown}",
            fix="Run gtmplay check on it and fix them first",
        )


class OutputError(GtmplayError):
    """Raised by the build writer when the output folder cannot be written.

    The previous output is left as it was. Exit status 2.
    """

    def __init__(self, *, path: str, problem: str, fix: str = "") -> None:
        self.path = path
        message = f"cannot write {path}: {problem}"
        if fix:
            message += f". {fix}"
        super().__init__(message)


class GitError(GtmplayError):
    """Raised when reading a playbook at a git revision fails (``--base``, ``diff``)."""

    def __init__(self, *, ref: str, problem: str) -> None:
        self.ref = ref
        super().__init__(f"cannot read the playbook at git revision {ref!r}: {problem}")
