"""How much work Python-Markdown will do on a text, estimated in linear time.

Python-Markdown is fast on what people write, but some inputs make it
quadratic or worse, and a text field of a pull request can be 100 KB:

- every ``[`` starts a scan for its ``]`` (and every ``](`` one for its
  ``)``) to the end of the paragraph: ``[`` or ``[a](`` repeated;
- a horizontal rule, ``#`` heading or ``===`` underline inside a block makes
  the block parser split the block and put the rest back, once per line;
- each inline match (link, emphasis, code, entity) rebuilds the block's
  text, so thousands of them in one block add up quadratically;
- lists and quotes nested by their markers (``> > > ...``, ``1. 1. 1. ...``)
  recurse once per level, up to Python's recursion limit.

:func:`too_costly` estimates the first three in one pass and bounds the
nesting and the number of lines.
A text over the budget, which grows linearly with its length, is shown as
plain escaped paragraphs instead (see :func:`gtmplay.render.sanitize.markdown_html`),
so the conversion of any field is linear in its length.
"""

from __future__ import annotations

import re

# Character steps allowed per character of text, plus a floor for short texts.
# Ordinary Markdown (links, headings, lists, tables) stays far below it.
STEPS_PER_CHAR = 50
STEPS_FLOOR = 100_000
MAX_NESTING = 16
# Past a few thousand lines the block parser's own bookkeeping grows faster
# than the text (100,000 one-line paragraphs: 14 s); no description is that long.
MAX_LINES = 5_000

_BLOCKS = re.compile(r"\n[ \t]*\n")
# lines the block parser splits a block at: rules, # headings, setext underlines
_SPLITTING = re.compile(
    r"^ {0,3}(?:(?:[-*_] *){3,}|=+[ \t]*|-+[ \t]*|#{1,6}(?:[ \t].*)?)$", re.MULTILINE
)
_INLINE = re.compile(r"[\[*_`<&]")
# one container marker at the start of a line: a quote or a list item
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|[0-9]{1,9}[.)][ \t])")


def too_costly(text: str) -> bool:
    """Whether converting ``text`` would cost more than its linear budget."""
    if text.count("\n") > MAX_LINES:
        return True
    budget = STEPS_FLOOR + STEPS_PER_CHAR * len(text)
    steps = 0
    for block in _BLOCKS.split(text):
        splits = len(_SPLITTING.findall(block))
        if splits > 1:
            steps += splits * len(block)
        if "[" in block:
            steps += _bracket_steps(block, "[", "]") + _bracket_steps(block, "(", ")")
        # each inline match rebuilds the block's text (a copy in C, hence cheap)
        steps += len(_INLINE.findall(block)) * len(block) // 64
        if steps > budget:
            return True
    return _nesting(text) > MAX_NESTING


def _bracket_steps(block: str, opening: str, closing: str) -> int:
    """Characters scanned from every ``opening`` to its match (or the block's end)."""
    steps = 0
    open_at: list[int] = []
    for match in re.finditer(re.escape(opening) + "|" + re.escape(closing), block):
        if match.group() == opening:
            open_at.append(match.start())
        elif open_at:
            steps += match.start() - open_at.pop()
    end = len(block)
    return steps + sum(end - start for start in open_at)


def _nesting(text: str) -> int:
    """The deepest run of quote and list markers opening a line."""
    deepest = 0
    for line in text.split("\n"):
        depth, pos = 0, 0
        while depth <= MAX_NESTING:
            marker = _CONTAINER.match(line, pos)
            if marker is None:
                break
            depth, pos = depth + 1, marker.end()
        deepest = max(deepest, depth)
    return deepest
