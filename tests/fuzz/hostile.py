"""Hypothesis strategies for what a hostile pull request controls beyond YAML values.

:mod:`fuzz.strategies` makes valid playbooks and :mod:`fuzz.mutations`
damages their bytes; neither would have found the holes of issue 11, which
hid in YAML structure (aliases), in include patterns, in numbers past what a
float holds, in user templates and in the file-system layout around the
playbook. Each strategy here generates one of those from the pieces an
attacker combines, so that the fuzz tests reach each hole by chance:

- :func:`alias_bombs`: anchors and aliases, nested (depth after expansion),
  fanned out (billion laughs), used as keys, merged, self-referring;
- :func:`huge_numbers`: integers of thousands of digits, floats past the
  double range, NaN, infinities, YAML 1.1 oddities, huge durations;
- :func:`include_patterns`: ``**`` repeated, inside segments, ``..``,
  absolute paths, NUL, character classes;
- :func:`layouts`: folders, files, symbolic links into and out of the
  playbook (to a folder holding a secret, ``/proc/self/environ``), links
  looping back, dangling links, FIFOs and deep trees;
- :func:`user_templates`: Jinja templates that loop, recurse, include
  themselves or a linked secret, build huge values or reach for internals.

Everything outside the playbook that a link may point at lives under
``OUTSIDE`` and holds ``SECRET``: a test checks that no file there is
opened and that the secret never reaches an output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

OUTSIDE = "outside"  # a folder next to the playbook, never to be read
SECRET = "TOKEN-5ec2e7-never-read"
# where a hostile link points, relative to the working folder's root
LINK_TARGETS = (
    f"{OUTSIDE}/secret.yaml",  # a file out of the folder
    OUTSIDE,  # a folder out of the folder
    "/proc/self/environ",  # the CI environment: tokens
    "pb",  # the playbook folder itself (a loop)
    "pb/parts",  # a folder of the playbook (inside: fine)
    "pb/parts/a.yaml",  # a file of the playbook (inside: fine)
    "pb/nowhere",  # dangling
)

# ---------------------------------------------------------------- aliases


@st.composite
def alias_bombs(draw: st.DrawFn) -> str:
    """A YAML value (indented under a key) built from anchors and aliases."""
    kind = draw(st.sampled_from(["chain", "laughs", "key", "merge", "self", "undefined"]))
    if kind == "chain":
        # each anchor wraps the previous alias `depth` levels deep: the
        # written nesting stays shallow, the expanded one does not
        anchors, depth = draw(st.integers(1, 40)), draw(st.integers(1, 80))
        lines = ["  a0: &a0 x"]
        for i in range(1, anchors):
            lines.append(f"  a{i}: &a{i} " + "[" * depth + f"*a{i - 1}" + "]" * depth)
        return "\n" + "\n".join(lines)
    if kind == "laughs":
        levels, fan = draw(st.integers(1, 12)), draw(st.integers(2, 12))
        lines = ["  l0: &l0 [" + ", ".join(["x"] * fan) + "]"]
        for i in range(1, levels):
            lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * fan) + "]")
        return "\n" + "\n".join(lines)
    if kind == "key":
        return "\n  base: &k {a: 1}\n  ? *k\n  : value"
    if kind == "merge":
        n = draw(st.integers(1, 30))
        lines = ["  m0: &m0 {a: 1}"]
        lines += [f"  m{i}: &m{i} {{<<: *m{i - 1}, b{i}: {i}}}" for i in range(1, n)]
        return "\n" + "\n".join(lines)
    if kind == "self":
        return " &s [1, *s]"
    return " *nowhere"


# ---------------------------------------------------------------- numbers

_DIGITS = st.integers(1, 6_000).map(lambda n: "9" * n)
_ODD_NUMBERS = [
    "1e400", "-1e400", "1e-400", "1E+308", "1.7976931348623159e308", ".nan", ".NaN",
    ".inf", "-.inf", "+.Inf", "0x" + "f" * 300, "0o" + "7" * 300, "0b" + "1" * 3000,
    "190:20:30", "1_000_000", "+12", "-0", "0.", ".5", "1e", "~", "null", "true",
]  # fmt: skip
huge_numbers: st.SearchStrategy[str] = st.one_of(
    _DIGITS,
    _DIGITS.map(lambda d: "-" + d),
    _DIGITS.map(lambda d: "0." + d),
    st.sampled_from(_ODD_NUMBERS),
)
huge_durations: st.SearchStrategy[str] = st.one_of(
    st.tuples(st.integers(1, 1_000), st.sampled_from("mhdw")).map(
        lambda t: "1" + "0" * t[0] + t[1]
    ),
    st.sampled_from(["0h", "-1h", "1.5h", "1e400h", "nanh", "infd", "h", "1", "4 h", "4hh"]),
)

# ---------------------------------------------------------------- includes

_SEGMENTS = st.sampled_from(
    [
        "**", "*", "*.yaml", "parts", "d", "?", "[a-z]*", "[!a]", "***", "a**", "**.yaml",
        "..", ".", "", "{a,b}", "x\\y", "a\x00b", OUTSIDE, "link*", "loop", "deep",
    ]
)  # fmt: skip


@st.composite
def include_patterns(draw: st.DrawFn) -> str:
    """An include pattern: segments an attacker would string together."""
    segments = draw(st.lists(_SEGMENTS, min_size=1, max_size=12))
    if draw(st.integers(0, 9)) == 0:
        segments = ["", "etc", *segments]  # an absolute path
    if draw(st.booleans()):
        segments.append("*.yaml")
    return "/".join(segments)


# ---------------------------------------------------------------- layouts


@dataclass
class Layout:
    """Entries to make under the working folder, in order (parents first)."""

    dirs: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # path -> target
    fifos: list[str] = field(default_factory=list)


_NAMES = st.sampled_from(["parts", "d", "loop", "link", "linkdir", "x.yaml", "deep"])


@st.composite
def layouts(draw: st.DrawFn) -> Layout:
    """A hostile layout of the playbook folder ``pb`` (next to ``OUTSIDE``)."""
    layout = Layout(dirs=["pb/parts"], files={"pb/parts/a.yaml": "teams: []\n"})
    for _ in range(draw(st.integers(0, 6))):
        parent = draw(st.sampled_from(["pb", "pb/parts", *layout.dirs]))
        path = f"{parent}/{draw(_NAMES)}{draw(st.integers(0, 3))}"
        if path in layout.links or path in layout.files or path in layout.fifos:
            continue
        kind = draw(st.sampled_from(["dir", "file", "link", "link", "link", "fifo", "deep"]))
        if kind == "dir" and path not in layout.dirs:
            layout.dirs.append(path)
        elif kind == "file" and path not in layout.dirs:
            layout.files[path + ".yaml"] = "teams: []\n"
        elif kind == "link" and path not in layout.dirs:
            target = draw(st.sampled_from([*LINK_TARGETS, "..", ".", "../.."]))
            layout.links[path] = target
        elif kind == "fifo" and path not in layout.dirs:
            layout.fifos.append(path + ".yaml")
        elif kind == "deep" and path not in layout.dirs:
            depth = draw(st.integers(1, 40))
            folders = [path + "/d" * i for i in range(depth)]
            layout.dirs += [f for f in folders if f not in layout.dirs]
            layout.files[folders[-1] + "/x.yaml"] = "teams: []\n"
    return layout


# ---------------------------------------------------------------- templates

_TEMPLATE_PIECES = st.sampled_from(
    [
        "{{ pb.name }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for i in range(10**12) %}{% endfor %}",
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "{% include 'html/index.html.j2' %}",
        "{% include 'markdown/index.md.j2' %}",
        "{% include 'html/secret.txt' %}",
        "{% include 'html/env.txt' %}",
        "{% include '../outside/secret.yaml' %}",
        "{% include '/etc/passwd' %}",
        "{% include 'html/fifo.j2' %}",
        "{{ 'x' * 10**10 }}",
        "{{ 'x' * 1000 }}",
        "{{ 'x'|center(10**10) }}",
        "{{ '{:>9999999999}'.format(1) }}",
        "{{ '%9999999999d' % 1 }}",
        "{{ 2 ** 10**8 }}",
        "{{ lipsum(n=10**6) }}",
        "{{ range(100000)|list|join }}",
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}",
        "{% set a = [1] %}" + "{% set a = [a, a] %}" * 30 + "{{ a }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ pb.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{{ self.__dict__ }}",
        "{{ 1/0 }}",
        "{{ undefined_name }}",
        "{% extends 'html/index.html.j2' %}",
        "{% import 'html/macros.html.j2' as m %}{{ m }}",
        "{{ pb.stages|map(attribute='name')|join(', ') }}",
        "{% for s in pb.stages %}{{ s.name|md }}{% endfor %}",
        "{{ '<script>alert(1)</script>' }}",
        "{% raw %}{{ not rendered }}{% endraw %}",
        "{{",
        "{% for %}",
    ]
)


@st.composite
def user_templates(draw: st.DrawFn) -> dict[str, str]:
    """Files of a ``--templates`` folder: ``{relative path: template text}``."""
    files: dict[str, str] = {}
    for name in draw(
        st.lists(
            st.sampled_from(["html/index.html.j2", "markdown/index.md.j2", "html/stage.html.j2"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    ):
        files[name] = "".join(draw(st.lists(_TEMPLATE_PIECES, min_size=1, max_size=3)))
    return files


# links a hostile templates folder holds; the templates above include them
template_links: st.SearchStrategy[dict[str, str]] = st.fixed_dictionaries(
    {
        "html/secret.txt": st.just(f"{OUTSIDE}/secret.yaml"),
        "html/env.txt": st.just("/proc/self/environ"),
    },
    optional={
        "html/style.css": st.sampled_from([f"{OUTSIDE}/secret.yaml", OUTSIDE]),
        "html/stage.html.j2": st.just(f"{OUTSIDE}/index.html.j2"),
        "markdown": st.just(OUTSIDE),
    },
)
