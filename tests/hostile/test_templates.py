"""Hostile user templates (``--templates DIR``): no file read outside DIR, no
unbounded run, no traceback; the error names the template and the previous
output stays as it was."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gtmplay.render.sandbox as sandbox
from hostile.helpers import EXAMPLE, Run

BOUNDS = "Templates from --templates run with bounds on time, memory and output size."
FIX = (
    "Fix the template (templates from --templates run in a sandbox, "
    "with bounds on time, memory and output size)."
)


@pytest.fixture
def site(here: Path, run: Run) -> Path:
    """A previous build of the example into ``site``."""
    code, _, _ = run("build", str(EXAMPLE), "-o", "site", "--only", "html")
    assert code == 0
    return here / "site"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_with(run: Run, here: Path, site: Path, files: dict[str, str]) -> str:
    """Build with templates ``files``; it must fail (2) and keep the previous site."""
    for rel, text in files.items():
        path = here / "tpl" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    before = tree(site)
    code, out, err = run(
        "build", str(EXAMPLE), "-o", "site", "--only", "html", "--templates", "tpl"
    )
    assert (code, out) == (2, ""), err
    assert tree(site) == before
    return err


def index(here: Path) -> str:
    return f"gtmplay: error: template {here.resolve()}/tpl/html/index.html.j2:1: "


def test_a_template_linked_out_of_the_folder_is_not_read(here: Path, run: Run, site: Path) -> None:
    (here / "secret").write_text("TOKEN=hunter2\n")
    (here / "tpl" / "html").mkdir(parents=True)
    os.symlink(here / "secret", here / "tpl" / "html" / "secret.txt")
    err = build_with(run, here, site, {"html/index.html.j2": "{% include 'html/secret.txt' %}"})
    assert err == index(here) + (
        "html/secret.txt leads outside the templates folder (through a symbolic link); "
        f"copy the file into the folder instead. {BOUNDS}\n"
    )


def test_an_asset_linked_out_of_the_folder_is_not_copied(here: Path, run: Run, site: Path) -> None:
    (here / "secret").write_text("TOKEN=hunter2\n")
    (here / "tpl" / "html").mkdir(parents=True)
    os.symlink(here / "secret", here / "tpl" / "html" / "style.css")
    err = build_with(run, here, site, {})
    assert err == (
        "gtmplay: error: template html/style.css: html/style.css leads outside the templates "
        f"folder (through a symbolic link); copy the file into the folder instead. {BOUNDS}\n"
    )


def test_proc_environ_through_a_link_is_refused(here: Path, run: Run, site: Path) -> None:
    (here / "tpl" / "html").mkdir(parents=True)
    os.symlink("/proc/self/environ", here / "tpl" / "html" / "env.txt")
    err = build_with(run, here, site, {"html/index.html.j2": "{% include 'html/env.txt' %}"})
    assert "html/env.txt leads outside the templates folder" in err


def test_a_link_inside_the_folder_is_followed(here: Path, run: Run) -> None:
    (here / "tpl" / "html").mkdir(parents=True)
    (here / "tpl" / "shared.css").write_text("body { color: teal }\n")
    os.symlink("../shared.css", here / "tpl" / "html" / "style.css")
    code, _, err = run("build", str(EXAMPLE), "-o", "site", "--only", "html", "--templates", "tpl")
    assert (code, err) == (0, "")
    assert (here / "site/html/assets/style.css").read_text() == "body { color: teal }\n"


def test_a_fifo_template_is_never_opened(here: Path, run: Run, site: Path) -> None:
    (here / "tpl" / "html").mkdir(parents=True)
    os.mkfifo(here / "tpl" / "html" / "index.html.j2")
    err = build_with(run, here, site, {})
    assert err == (
        "gtmplay: error: template html/index.html.j2: html/index.html.j2 is not a regular file. "
        f"{BOUNDS}\n"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{% for i in range(10**12) %}{% endfor %}",
            f"OverflowError: Range too big. The sandbox blocks ranges larger than "
            f"MAX_RANGE (100000). {FIX}",
        ),
        (
            "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
            "it calls itself without end (a recursive macro, or a template including itself). "
            "Fix the template.",
        ),
        (
            "{% include 'html/index.html.j2' %}",
            "it calls itself without end (a recursive macro, or a template including itself). "
            "Fix the template.",
        ),
        ("{{ 1/0 }}", f"ZeroDivisionError: division by zero. {FIX}"),
        (
            "{{ ''.__class__.__mro__ }}",
            "access to attribute '__class__' of 'str' object is unsafe. Fix the template "
            "(templates from --templates run in a sandbox).",
        ),
        (
            "{{ 'x' * 10**10 }}",
            f"a repeated value would be over 16,777,216 characters or items. {BOUNDS}",
        ),
        (
            "{{ 'x'|center(10**10) }}",
            f"the center filter's result would be over 16,777,216 characters or items. {BOUNDS}",
        ),
        (
            "{{ 'x'.ljust(10**10) }}",
            f"a text would be over 16,777,216 characters or items. {BOUNDS}",
        ),
        (
            "{{ '{:>9999999999}'.format(1) }}",
            f"a formatted text would be over 16,777,216 characters or items. {BOUNDS}",
        ),
        (
            "{{ '%9999999999d' % 1 }}",
            f"a formatted text would be over 16,777,216 characters or items. {BOUNDS}",
        ),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(100) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            f"a value would be over 16,777,216 characters or items. {BOUNDS}",
        ),
        (
            "{% set a = 'x' %}" + "{% set a = a ~ a %}" * 40,
            f"a value would be over 16,777,216 characters or items. {BOUNDS}",
        ),
    ],
    ids=[
        "huge-range", "recursive-macro", "self-include", "zero-division", "internals", "repeat",
        "center", "ljust", "format", "percent", "namespace-doubling", "concat-doubling",
    ],
)  # fmt: skip
def test_templates_that_would_never_end_or_fill_memory(
    here: Path, run: Run, site: Path, template: str, message: str
) -> None:
    err = build_with(run, here, site, {"html/index.html.j2": template})
    assert err == index(here) + message + "\n"


@pytest.mark.parametrize(
    "template",
    [
        "{% set r = range(100000)|list %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% set a = [1] %}" + "{% set a = [a, a] %}" * 40 + "{{ a }}",
    ],
    ids=["nested-loops", "nested-ranges", "aliased-list"],
)
def test_a_template_running_too_long_is_stopped(
    here: Path, run: Run, site: Path, monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    # The bound covers every page of the target, counted from the first; under
    # load, what runs before index's template could use up a short bound (the
    # message would then name no template). So the deadline is counted again
    # from the start of index's render: the loop still runs until the sandbox's
    # own alarm stops it, a fifth of a second of busy work instead of a second.
    import time

    import gtmplay.render.templating as templating

    real = templating.render

    def render_from_now(env: Any, name: str, values: Any) -> str:
        if name == "html/index.html.j2":
            sandbox._clock.deadline = time.monotonic() + sandbox.SECONDS
        return real(env, name, values)

    monkeypatch.setattr(sandbox, "SECONDS", 0.2)
    monkeypatch.setattr(templating, "render", render_from_now)
    err = build_with(run, here, site, {"html/index.html.j2": template})
    assert err.startswith(index(here))
    assert err.endswith(f": it ran for more than 0.2 seconds. {BOUNDS}\n")


def test_time_running_out_between_two_pages_is_a_usage_error(
    here: Path, run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timer covers all pages of a target, so its alarm can land after one
    render has returned and before the next starts (seen on a loaded machine as
    "internal error: TemplateLimit"): it is the same clear error."""
    import gtmplay.render.templating as templating

    real = templating.render

    def render_then_alarm(*args: object, **kwargs: object) -> str:
        text = real(*args, **kwargs)  # type: ignore[arg-type]
        sandbox._clock.deadline = 0.0  # what the alarm finds when the time is up
        sandbox.check_time()
        return text

    monkeypatch.setattr(templating, "render", render_then_alarm)
    err = build_with(run, here, site, {"html/index.html.j2": "fine"})
    assert err == (
        "gtmplay: error: templates of the html pages: "
        f"it ran for more than {sandbox.SECONDS:g} seconds. {BOUNDS}\n"
    )


def test_the_output_of_a_page_is_bounded(
    here: Path, run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 1024 * 1024)
    err = build_with(
        run,
        here,
        site,
        {"html/index.html.j2": "{% for i in range(2000) %}{{ 'x' * 1000 }}{% endfor %}"},
    )
    assert (
        err == f"gtmplay: error: template html/index.html.j2: its output is over 1 MiB. {BOUNDS}\n"
    )


def test_the_bounds_leave_no_timer_or_memory_limit_behind(here: Path, run: Run) -> None:
    import resource
    import signal

    before = (signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS))
    (here / "tpl" / "html").mkdir(parents=True)
    (here / "tpl" / "html" / "index.html.j2").write_text("{{ pb.name }}")
    code, _, _ = run("build", str(EXAMPLE), "-o", "site", "--only", "html", "--templates", "tpl")
    assert code == 0
    name = "Acme Analytics — Mid-Market Go-to-Market Playbook"
    assert (here / "site/html/index.html").read_text() == name
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert (signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS)) == before


def _finalizer_needing_stack() -> Iterator[int]:
    try:
        yield 1
    finally:
        # a few frames of work, as a generator of a template frame or of
        # markdown needs when it is closed
        functools.reduce(lambda a, _: a + sum(range(3)), range(50), 0)
        json.dumps([[[[[[[[[[1]]]]]]]]]])


@pytest.mark.parametrize(
    "template",
    [
        "{% include 'html/index.html.j2' %}",
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    ],
    ids=["self-include", "recursive-macro"],
)
def test_runaway_recursion_is_one_clean_error_on_stderr(
    here: Path,
    run: Run,
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    template: str,
) -> None:
    # Objects dropped while a runaway template is a thousand frames deep are
    # finalized there and hit the recursion limit too; Python printed
    # "Exception ignored in: <generator ...> RecursionError" for each. Which
    # object is dropped at the deepest frame depends on the build; here a
    # suspended generator is released at every sandbox hook, deep or not.
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)  # not pytest's
    real_check = sandbox.check_time

    def check_and_release() -> None:
        pending = _finalizer_needing_stack()
        next(pending)
        del pending  # finalized here, at whatever depth the template reached
        real_check()

    monkeypatch.setattr(sandbox, "check_time", check_and_release)
    err = build_with(run, here, site, {"html/index.html.j2": template})
    assert err == index(here) + (
        "it calls itself without end (a recursive macro, or a template including itself). "
        "Fix the template.\n"
    )
