"""Salesforce metadata XML: a tiny deterministic writer and a safe reader.

The writer produces what Salesforce's own tools write: the UTF-8 declaration,
the metadata namespace on the root, 4-space indentation, one element per
line, text escaped with the five XML entities. Element order is the caller's
(it follows the XSD's ``xsd:sequence``), so there is no reordering here.

The reader parses untrusted files with the stdlib expat parser but refuses
any DOCTYPE (and with it every entity declaration), which rules out entity
expansion attacks, and it records the line of every element so that errors
about the content can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Union

NS = "http://soap.sforce.com/2006/04/metadata"

# A node is (tag, text) for a leaf or (tag, children) for a parent.
Node = tuple[str, Union[str, "list[Node]"]]

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;"}
_ESCAPE_RE = re.compile("[&<>\"'\r]")
# Characters XML 1.0 cannot carry at all, not even escaped.
_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> tuple[str, bool]:
    """``text`` without the characters XML cannot carry; True when some were removed."""
    cleaned = _INVALID_RE.sub("", text)
    return cleaned, cleaned != text


def escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def leaf(tag: str, value: str | bool | int) -> Node:
    if isinstance(value, bool):
        return (tag, "true" if value else "false")
    return (tag, str(value))


def document(root: str, children: Iterable[Node]) -> bytes:
    """The file for ``<root xmlns=NS>`` with ``children``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{NS}">']
    _write(list(children), 1, lines)
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(nodes: list[Node], depth: int, lines: list[str]) -> None:
    pad = "    " * depth
    for tag, content in nodes:
        if isinstance(content, str):
            # the last defence: callers clean (and warn) where they can, but no
            # value may make the file unreadable as XML
            lines.append(f"{pad}<{tag}>{escape(_INVALID_RE.sub('', content))}</{tag}>")
        else:
            lines.append(f"{pad}<{tag}>")
            _write(content, depth + 1, lines)
            lines.append(f"{pad}</{tag}>")


# --------------------------------------------------------------------------
# Reading


class XmlProblem(Exception):
    """A file that is not usable metadata XML; ``line`` is 1-based (0: unknown)."""

    def __init__(self, *, file: str, line: int, problem: str) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}")


@dataclass(slots=True)
class Element:
    """A parsed element: local tag name (namespace dropped), text, children, line."""

    tag: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def all(self, tag: str) -> list[Element]:
        return [c for c in self.children if c.tag == tag]

    def first(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def get(self, tag: str, default: str | None = None) -> str | None:
        child = self.first(tag)
        return child.text if child is not None else default

    def flag(self, tag: str) -> bool | None:
        """A boolean child; None when absent."""
        value = self.get(tag)
        return None if value is None else value.strip() == "true"


def parse(data: bytes, file: str) -> Element:
    """Parse ``data`` into an :class:`Element` tree, or raise :class:`XmlProblem`."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[Element] = []
    root: list[Element] = []
    texts: list[list[str]] = []

    def refuse(*_args: object) -> None:
        raise XmlProblem(
            file=file,
            line=parser.CurrentLineNumber,
            problem="DOCTYPE and entity declarations are not allowed in metadata files",
        )

    def start(tag: str, _attrs: dict[str, str]) -> None:
        element = Element(tag=tag.rpartition("}")[2], line=parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        else:
            root.append(element)
        stack.append(element)
        texts.append([])

    def end(_tag: str) -> None:
        element = stack.pop()
        element.text = "".join(texts.pop())

    def chars(text: str) -> None:
        if texts:
            texts[-1].append(text)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        problem = f"not well-formed XML: {expat.ErrorString(exc.code)} at column {exc.offset + 1}"
        raise XmlProblem(file=file, line=exc.lineno, problem=problem) from None
    except LookupError as exc:  # an XML declaration naming an encoding Python lacks
        raise XmlProblem(file=file, line=1, problem=str(exc)) from None
    if not root:
        raise XmlProblem(file=file, line=0, problem="no XML element in the file")
    return root[0]
