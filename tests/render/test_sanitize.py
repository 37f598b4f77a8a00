"""Text fields on their way into HTML, Markdown and Mermaid."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmplay.render.sanitize import markdown_html, mermaid_label, safe_url
from gtmplay.textio import markdown_cell, markdown_inline, markdown_text


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("Plain words.", "<p>Plain words.</p>"),
        ("**Bold** and *em*", "<p><strong>Bold</strong> and <em>em</em></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("<script>alert(1)</script>ok", "<p>ok</p>"),
        ("<b onclick=x>hi</b>", "<p><b>hi</b></p>"),
        ("[x](javascript:alert(1))", '<p><a rel="noopener noreferrer">x</a></p>'),
        ("[x](https://e.x)", '<p><a href="https://e.x" rel="noopener noreferrer">x</a></p>'),
        ("| a | b |\n|---|---|\n| 1 | 2 |", None),
        ("```\nx < 1\n```", "<pre><code>x &lt; 1\n</code></pre>"),  # fenced_code
        ("1. one\n* two", "<ol>\n<li>one\n* two</li>\n</ol>"),  # sane_lists: no second list
    ],
)
def test_markdown_html(text: str, html: str | None) -> None:
    out = str(markdown_html(text))
    if html is None:
        assert out.startswith("<table>") and "<td>1</td>" in out
    else:
        assert out == html


def test_markdown_html_reads_no_package_metadata() -> None:
    # extensions given by name are looked up among every installed package's
    # entry points: importing importlib.metadata and reading the metadata was
    # about 20 ms of each build
    probe = (
        "import sys; from gtmplay.render.sanitize import markdown_html; "
        "print(markdown_html('| a |\\n|---|\\n| *1* |').count('<em>'), "
        "'importlib.metadata' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "1 False\n", "")


@pytest.mark.parametrize(
    ("text", "md"),
    [
        ("Sales & marketing", "Sales & marketing"),
        ("a <b>c</b>", "a &lt;b>c&lt;/b>"),
        ("&amp; &#60;", "&amp;amp; &amp;#60;"),
        ("[ok](https://e.x) [bad](javascript:x)", "[ok](https://e.x) [bad]\\(javascript:x)"),
        ("[bad](<javascript:x>)", "[bad]\\(&lt;javascript:x>)"),
        ("[r]: javascript:x", "[r]\\: javascript:x"),
        ("[rel](docs/a.md)", "[rel](docs/a.md)"),
    ],
)
def test_markdown_text(text: str, md: str) -> None:
    assert markdown_text(text) == md


def test_markdown_cell_is_one_line_with_pipes_escaped() -> None:
    assert markdown_cell("a | b\n\nc  d") == "a \\| b<br><br>c d"
    assert markdown_cell(42) == "42"


@pytest.mark.parametrize(
    ("name", "md"),
    [
        ("Weekly ```mermaid", "Weekly \\`\\`\\`mermaid"),
        ("~~~~ python", "\\~\\~\\~\\~ python"),
        # what cannot open a block stays as written: code spans, strike-through
        ("run `check` ~~old~~ ``x``", "run `check` ~~old~~ ``x``"),
        ("a\n```mermaid\ngraph LR", "a \\`\\`\\`mermaid graph LR"),
    ],
)
def test_markdown_inline_never_opens_a_code_block(name: str, md: str) -> None:
    assert markdown_inline(name) == md


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://acme.example/deck", True),
        ("HTTP://acme.example", True),
        ("mailto:team@acme.example", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("docs/deck.pdf", False),
        ("https://e.x/a b", False),
        ('https://e.x/"onmouseover=', False),
        ("", False),
    ],
)
def test_safe_url(url: str, ok: bool) -> None:
    assert safe_url(url) == (url.strip() if ok else "")


def test_mermaid_label_cannot_break_out() -> None:
    label = mermaid_label('a"] --> b\n click a call alert(1) %%{init}%% `x` <b> | ; #')
    assert label == (
        "a#quot;#93; --#gt; b click a call alert(1) #37;#37;#123;init#125;#37;#37; "
        "#96;x#96; #lt;b#gt; #124; #59; #35;"
    )
    assert not set(label) & set('"\n`<>|[]{}')


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (22.0, "percent", "22%"),
        (3.5, "ratio", "3.5\u00d7"),
        (90.0, "days", "90 days"),
        (1.0, "hours", "1 hour"),
        (2400000.0, "currency", "2,400,000"),
        (450.0, "count", "450"),
        (None, "count", ""),
    ],
)
def test_kpi_targets_read_naturally(value: float | None, unit: str, text: str) -> None:
    from gtmplay.render.templating import measure

    assert measure(value, unit) == text


@given(
    st.text(alphabet=st.sampled_from(list("ab <>&[|`~\t\n\r\u00a0\u2028\u200b\u200c\x00é"))),
)
def test_the_fast_plain_test_of_a_cell_never_takes_what_the_expression_refuses(
    text: str,
) -> None:
    # markdown_cell returns a text as it is when _plain_words accepts it: that
    # must be only what _CELL_PLAIN (the test it speeds up) accepts too
    from gtmplay import textio

    if textio._plain_words(text):
        assert textio._CELL_PLAIN.fullmatch(text)
    assert textio._plain_words("Activity 12: content, for stage 3.")
    assert not textio._plain_words("two  spaces") and not textio._plain_words(" lead")


# mostly what plain_text takes, and a few characters one format or the other escapes
_NEAR_PLAIN = st.text(alphabet=st.sampled_from(list("aZ09 ,.;:?()%/'\"-<>&[|`~*_#\n\t\u00a0")))


@given(_NEAR_PLAIN)
def test_text_the_views_call_plain_is_printed_as_it_is_by_every_escaper(text: str) -> None:
    # the rows print a plain name or description without these functions: that
    # must be exactly what each of them would have printed
    from markupsafe import escape

    from gtmplay.render.sanitize import clean_html, converted, plain_name, plain_text

    if plain_text(text):
        # markdown_html prints it so without the library: the library agrees
        assert clean_html(converted(text)).strip() == f"<p>{text}</p>"
        assert markdown_cell(text) == text
        assert markdown_text(text) == text and markdown_inline(text) == text
    if plain_name(text):
        assert plain_text(text) and str(escape(text)) == text


@given(_NEAR_PLAIN)
def test_a_plain_name_is_plain_text_without_quotes(text: str) -> None:
    # plain_name is one match of its own; it must say what the definition says
    from gtmplay.render.sanitize import plain_name, plain_text

    assert plain_name(text) == (plain_text(text) and "'" not in text and '"' not in text)


@pytest.mark.parametrize(
    ("text", "as_text", "as_name"),
    [
        ("Activity 12: content for stage 3.", True, True),
        ("Buyers' questions (and answers), 50% off", True, False),
        ('A "quoted" word', True, False),
        ("", False, False),
        ("12 days", False, False),  # a leading digit may open a list
        ("two  spaces", False, False),
        ("trailing space ", False, False),
        ("ends with a dash -", False, False),
        ("a <b>", False, False),
        ("a & b", False, False),
        ("a | b", False, False),
        ("*em*", False, False),
        ("line\nbreak", False, False),
    ],
)
def test_plain_text_and_names(text: str, as_text: bool, as_name: bool) -> None:
    from gtmplay.render.sanitize import plain_name, plain_text

    assert (plain_text(text), plain_name(text)) == (as_text, as_name)


# Markdown's block and inline markers, near-fences ("``", "~~") and whole ones
_MARKDOWNISH = st.lists(
    st.sampled_from([*"ab `~*_-|#>:1.\n", "```", "~~~", "    ", "\n\n", "```py\n"]),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKDOWNISH)
def test_a_text_converts_the_same_whether_or_not_the_fenced_code_extension_is_loaded(
    text: str,
) -> None:
    # the converter without fenced code (no Pygments imported) is given only
    # texts without a fence, on which the extension changes nothing
    from gtmplay.render.sanitize import _converter, converted, has_fence

    assert converted.__wrapped__(text) == _converter(fenced=True)(text)
    if not has_fence(text):
        assert _converter(fenced=False)(text) == _converter(fenced=True)(text)


def test_a_fenced_block_is_still_code() -> None:
    from gtmplay.render.sanitize import markdown_html

    assert str(markdown_html.__wrapped__("Run:\n\n```\nmake <all>\n```\n")) == (
        "<p>Run:</p>\n<pre><code>make &lt;all&gt;\n</code></pre>"
    )
