"""``gtmplay init``: a new playbook from a starter template. No click here.

The starters are complete playbooks in ``templates/init/<name>/``, check-clean
and commented to teach the format (tests check and build each one). A new
playbook goes into an empty or new folder only, written beside it and moved
in whole, so a failure never leaves half a playbook.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import gtmplay
from gtmplay.errors import OutputError, UsageError

STARTERS_DIR = Path(gtmplay.__file__).parent / "_data" / "templates" / "init"


@dataclass(frozen=True)
class Starter:
    name: str
    summary: str


# in the order `gtmplay init --help` lists them; the first is the default
STARTERS: tuple[Starter, ...] = (
    Starter("sdr-led", "Mid-market B2B: marketing creates demand, SDRs qualify, AEs close."),
    Starter("product-led", "Product-led with sales assist: sign-ups, PQLs, assisted upgrades."),
    Starter(
        "enterprise-partners",
        "Enterprise field sales with partners: named accounts, deal registration, long cycles.",
    ),
)
DEFAULT = STARTERS[0].name


def starter_files(name: str) -> dict[str, bytes]:
    """Every file of the starter ``name`` by POSIX relative path."""
    if name not in {s.name for s in STARTERS}:
        known = ", ".join(s.name for s in STARTERS)
        raise UsageError(problem=f"no template named {name!r}", fix=f"choose one of: {known}")
    folder = STARTERS_DIR / name
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check_target(target: Path) -> None:
    """Refuse a target that exists and is not an empty folder (nothing is overwritten)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(
            problem=f"{target} exists and is not a folder",
            fix="name a new or empty folder for the playbook",
        )
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(
            problem=f"{target} is not empty",
            fix="name a new or empty folder; gtmplay init never overwrites files",
        )


def init(target: Path, name: str) -> int:
    """Write the starter ``name`` into ``target``; returns the number of files written.

    The files are written into a staging folder first: beside a new target
    (then renamed to it), inside an existing empty one such as ``.`` (then its
    entries are moved up), so a failure leaves no half-written playbook.
    """
    files = starter_files(name)
    check_target(target)
    exists = target.is_dir()
    home = target if exists else target.absolute().parent
    try:
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".gtmplay-init-", dir=home))
    except OSError as exc:
        raise OutputError(path=str(target), problem=exc.strerror or str(exc)) from exc
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if exists:
            for entry in sorted(staging.iterdir()):
                os.replace(entry, target / entry.name)
            staging.rmdir()
        else:
            staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private
            os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(path=str(target), problem=exc.strerror or str(exc)) from exc
    return len(files)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
