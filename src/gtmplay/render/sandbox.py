"""Bounds for user templates (``--templates DIR``): what they read, how long
they run, how much they write.

Jinja2's immutable sandbox already keeps a template away from Python
internals and from the data. A template from a stranger's pull request can
still try to read a file through a symbolic link, run forever
(``{% for i in r %}{% for j in r %}...``), build a gigantic value
(``'x' * 10**10``), or recurse without end. Each of these becomes a
:class:`TemplateLimit` here, which :func:`gtmplay.render.templating.template_errors`
turns into a usage error naming the template:

- :class:`FolderLoader` reads only regular files whose real path is inside
  DIR (the playbook loader's rule), templates and ``style.css`` alike;
- :class:`BoundedSandbox` checks the size of what ``*``, ``**``, ``%``,
  ``format`` and width-taking filters would build *before* building it, and
  bounds ``namespace()`` attributes, the only value a loop can grow;
- :func:`bounded` arms a timer (``SIGALRM`` in the main thread, checks in
  every sandbox hook elsewhere) and :func:`collect` bounds the output.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.loaders import split_template_path
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

# What a user template may use. Module attributes, so tests can lower them.
SECONDS = 60.0  # per target: all pages of the HTML site together
MAX_OUTPUT = 64 * 1024 * 1024  # characters of one rendered page
MAX_VALUE = 16 * 1024 * 1024  # items or characters of one value built in a template
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024  # one template or asset file
# address space a template render may add: the backstop for what one C call
# builds (``str()`` of a list nested by aliasing, and the like)
MAX_MEMORY = 2 * 1024 * 1024 * 1024

# a number of 8 or more digits in a format string: a width of 10 million or more
_HUGE_WIDTH = re.compile(r"[0-9]{8}")
_WIDTH_FILTERS = ("center", "indent", "wordwrap", "truncate", "batch", "slice", "filesizeformat")


class TemplateLimit(Exception):
    """A user template went past one of the bounds above."""


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder: regular files inside it only, no links out."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.real = os.path.realpath(folder)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(self.folder, *split_template_path(template))
        real = os.path.realpath(path)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        if not (real == self.real or real.startswith(self.real + os.sep)):
            raise TemplateLimit(
                f"{template} leads outside the templates folder (through a symbolic link); "
                "copy the file into the folder instead"
            )
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except OSError as exc:
            raise TemplateLimit(f"{template}: cannot read it: {exc.strerror}") from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise jinja2.TemplateNotFound(template)
            if not stat.S_ISREG(info.st_mode):
                raise TemplateLimit(f"{template} is not a regular file")
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateLimit(f"{template} is over {MAX_TEMPLATE_BYTES // 1024 // 1024} MiB")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateLimit(f"{template} is not valid UTF-8") from None
        mtime = info.st_mtime_ns

        def uptodate() -> bool:
            try:
                return os.stat(real).st_mtime_ns == mtime
            except OSError:
                return False

        return text, path, uptodate


class _Clock(threading.local):
    deadline: float | None = None


_clock = _Clock()


def check_time() -> None:
    """Raise :class:`TemplateLimit` when the running template is out of time."""
    if _clock.deadline is not None and time.monotonic() > _clock.deadline:
        _clock.deadline = None
        raise TemplateLimit(f"it ran for more than {SECONDS:g} seconds")


def _on_alarm(signum: int, frame: Any) -> None:
    check_time()


@contextlib.contextmanager
def _memory_bound() -> Iterator[None]:
    """Cap the process's address space at its current size plus :data:`MAX_MEMORY`."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as handle:
            used = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):  # not Linux: time bound only
        yield
        return
    cap = used + MAX_MEMORY
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already bounded tighter
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    except MemoryError:
        raise TemplateLimit(
            f"it needed more than {MAX_MEMORY // 1024 // 1024 // 1024} GiB of memory"
        ) from None
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """Run the block with the time and memory bounds; nested blocks share the outer one."""
    if _clock.deadline is not None:
        yield
        return
    with _quiet_finalizers(), _memory_bound(), _deadline():
        yield


# what a runaway template raises, also in the finalizers it leaves behind
_RUNAWAY = (RecursionError, MemoryError, TemplateLimit)


@contextlib.contextmanager
def _quiet_finalizers() -> Iterator[None]:
    """Drop the runaway template's errors raised again in finalizers.

    An object released while a template is a thousand frames deep (a
    generator of a template frame, say) is finalized there, hits the same
    recursion limit, and Python prints "Exception ignored in ..." for each on
    stderr. The template's error is reported once, naming it; these are
    echoes of it. Any other unraisable error goes to the previous hook.
    """
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, _RUNAWAY):
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous


@contextlib.contextmanager
def _deadline() -> Iterator[None]:
    _clock.deadline = time.monotonic() + SECONDS
    timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous: Any = None
    if timer:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        # fire shortly after the deadline, then every 50 ms in case the
        # first one lands where Python cannot raise (inside a C call)
        signal.setitimer(signal.ITIMER_REAL, SECONDS + 0.01, 0.05)
    try:
        yield
    finally:
        _clock.deadline = None  # first: a late alarm now does nothing
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def collect(chunks: Iterable[str]) -> str:
    """The chunks of a rendered page joined, at most :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateLimit(f"its output is over {MAX_OUTPUT // 1024 // 1024} MiB")
        out.append(chunk)
        check_time()
    return "".join(out)


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what} would be over {MAX_VALUE:,} characters or items")


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_VALUE:
        raise _too_big("a value")
    return value


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _HUGE_WIDTH.search(text):
        raise _too_big("a formatted text")


def _check_ints(args: Iterable[Any], what: str) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_VALUE:
            raise _too_big(what)


class _BoundedNamespace(Namespace):
    """``namespace()``: the one value a template loop can grow; bounded."""

    def __setitem__(self, name: str, value: Any) -> None:
        check_time()
        super().__setitem__(name, _check_size(value))


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        # the first argument is the value (or the context/environment for
        # pass_* filters); widths and counts come after it
        _check_ints(args[1:], f"the {name} filter's result")
        _check_ints(kwargs.values(), f"the {name} filter's result")
        return func(*args, **kwargs)

    for attr in ("jinja_pass_arg",):
        if hasattr(func, attr):
            setattr(bounded, attr, getattr(func, attr))
    return bounded


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> Any:
    _check_format(value)
    _check_ints(args, "the format filter's result")
    return jinja2.filters.do_format(value, *args, **kwargs)


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        # `a ~ b` is no operator Jinja2 lets a sandbox intercept: wrap it
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with time and size bounds."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedCodeGenerator

    @staticmethod
    def checked(value: Any) -> Any:
        check_time()
        return _check_size(value)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["namespace"] = _BoundedNamespace
        for name in _WIDTH_FILTERS:
            self.filters[name] = _bounded_filter(name, self.filters[name])
        self.filters["format"] = _format_filter

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_time()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                repeats = isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                if repeats and len(seq) * times > MAX_VALUE:
                    raise _too_big("a repeated value")
        elif operator == "**":
            ints = isinstance(left, int) and isinstance(right, int)
            if ints and abs(left) > 1 and right * abs(left).bit_length() > 64 * 1024:
                raise _too_big("a power")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
            _check_ints(right if isinstance(right, tuple) else (right,), "a formatted text")
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_time()
        bound = getattr(__obj, "__self__", None)
        if isinstance(bound, (str, bytes)):
            _check_ints(args, "a text")
            _check_ints(kwargs.values(), "a text")
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        check_time()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped
