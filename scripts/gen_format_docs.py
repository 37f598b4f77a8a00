"""Render the playbook JSON Schema into the format reference ``docs/format.md``.

The schema (``schemas/playbook.schema.json``) is the single source of truth for
the playbook format; this script turns it into a Markdown page with one
section per object type, each with a table of its fields.

    python scripts/gen_format_docs.py           # rewrite docs/format.md
    python scripts/gen_format_docs.py --check   # exit 1 if docs/format.md is out of date

Standard library only; the output depends on nothing but the schema.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "playbook.schema.json"
OUTPUT = ROOT / "docs" / "format.md"

Schema = dict[str, Any]

ROOT_ANCHOR = "playbook"
SHARED = 3  # an object type written in this many places is listed after the others
VALUE_TYPES_ANCHOR = "value-types"
# how a value type reads in the "Type" column; other value types use their title
VALUE_LABELS = {
    "ref": "reference",
    "text": "text (Markdown)",
}


def anchor(name: str) -> str:
    """The HTML anchor of the section of ``$defs/name``."""
    return name.replace("_", "-")


def def_name(schema: Schema) -> str | None:
    """The ``$defs`` name a schema refers to, if it is a ``$ref``."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return ref.removeprefix("#/$defs/")
    return None


def cell(text: str) -> str:
    """``text`` made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def code(value: Any) -> str:
    """A value as inline code: strings as written, anything else as JSON (valid YAML)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


class Renderer:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.defs: dict[str, Schema] = schema.get("$defs", {})
        # object types in the order a reader meets them, and where each one is written
        self.objects: list[str] = []
        self.where: dict[str, list[str]] = {}
        self.lists: dict[str, str] = {}  # object type -> list type that holds it
        self._discover(schema, "")

    # ------------------------------------------------------------------ kinds

    def is_object(self, name: str) -> bool:
        return "properties" in self.defs.get(name, {})

    def list_item(self, schema: Schema) -> str | None:
        """The object type a list schema holds, if it is a list of objects."""
        if schema.get("type") != "array":
            return None
        item = def_name(schema.get("items", {}))
        return item if item and self.is_object(item) else None

    def value_types(self) -> list[str]:
        """``$defs`` that are plain values (not objects, not lists of objects)."""
        return [
            name
            for name, d in self.defs.items()
            if not self.is_object(name) and self.list_item(d) is None
        ]

    # -------------------------------------------------------------- discovery

    def _discover(self, schema: Schema, path: str) -> None:
        """Collect object types depth first, in field order, with every place they appear."""
        for key, prop in schema.get("properties", {}).items():
            for name, where in self._targets(prop, f"{path}.{key}" if path else key):
                first = name not in self.where
                self.where.setdefault(name, []).append(where)
                if first:
                    self.objects.append(name)
                    self._discover(self.defs[name], where)

    def ordered_objects(self) -> list[str]:
        """Object types in reading order; those shared by many others come last."""
        shared = [n for n in self.objects if len(self.where[n]) >= SHARED]
        return [n for n in self.objects if n not in shared] + shared

    def _targets(self, prop: Schema, path: str) -> list[tuple[str, str]]:
        """The object types written at ``path``, with the path they are written at."""
        name = def_name(prop)
        if name is not None:
            if self.is_object(name):
                return [(name, path)]
            item = self.list_item(self.defs[name])
            if item is not None:
                self.lists.setdefault(item, name)
                return [(item, f"{path}[]")]
            return []
        item = self.list_item(prop)
        if item is not None:
            return [(item, f"{path}[]")]
        found = []
        for pattern, value in prop.get("patternProperties", {}).items():
            if pattern.startswith("^x-"):
                continue
            found.extend(self._targets(value, f"{path}.<{self.key_label(pattern)}>"))
        return found

    # ------------------------------------------------------------------ types

    def link(self, name: str) -> str:
        d = self.defs[name]
        if self.is_object(name):
            return f"[{d.get('title', name)}](#{anchor(name)})"
        label = VALUE_LABELS.get(name, str(d.get("title", name)).lower())
        return f"[{label}](#{anchor(name)})"

    def key_label(self, pattern: str) -> str:
        id_pattern = self.defs.get("id", {}).get("pattern")
        if pattern == id_pattern:
            return "id"
        if pattern.startswith("^(GTM"):
            return "rule"
        return "name"

    def type_label(self, schema: Schema) -> str:
        name = def_name(schema)
        if name is not None:
            item = self.list_item(self.defs[name])
            return f"list of {self.link(item)}" if item else self.link(name)
        if "const" in schema:
            return code(schema["const"])
        if "enum" in schema:
            return "choice"
        kind = schema.get("type")
        if isinstance(kind, list):
            return " or ".join(self.type_label({**schema, "type": k}) for k in kind)
        if kind == "null":
            return "empty (`null`)"
        if kind == "string":
            if schema.get("pattern") == self.defs.get("ref", {}).get("pattern"):
                return self.link("ref") if "ref" in self.defs else "text"
            return "text"
        if kind == "integer":
            return "whole number" + self.range_label(schema)
        if kind == "number":
            return "number" + self.range_label(schema)
        if kind == "boolean":
            return "`true` or `false`"
        if kind == "array":
            items = schema.get("items", {})
            item = def_name(items)
            if item == "ref":
                return f"list of [references](#{anchor(item)})"
            if item is not None:
                return f"list of {self.link(item)}"
            return f"list of {self.type_label(items)}"
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                return f"mapping: name → {self.type_label(extra)}"
            for pattern, value in schema.get("patternProperties", {}).items():
                if not pattern.startswith("^x-"):
                    return f"mapping: {self.key_label(pattern)} → {self.type_label(value)}"
            return "mapping"
        return "any value"

    @staticmethod
    def range_label(schema: Schema) -> str:
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f", {low} to {high}"
        if low is not None:
            return f", {low} or more"
        if high is not None:
            return f", {high} or less"
        return ""

    def details(self, schema: Schema) -> str:
        """Description of a field, with its default, format and examples."""
        parts = [str(schema.get("description", ""))]
        if schema.get("type") == "object" and "properties" not in schema:
            values = [
                v
                for p, v in schema.get("patternProperties", {}).items()
                if not p.startswith("^x-") and "enum" in v
            ]
            parts.extend(f"Each value: {v['description']}" for v in values)
        pattern = schema.get("pattern")
        if pattern and pattern != self.defs.get("ref", {}).get("pattern"):
            parts.append(f"Must match the pattern {code(pattern)}.")
        if "default" in schema:
            parts.append(f"Default: {code(schema['default'])}.")
        examples = schema.get("examples")
        if examples:
            label = "Example" if len(examples) == 1 else "Examples"
            parts.append(f"{label}: {', '.join(code(e) for e in examples)}")
        return cell(" ".join(p for p in parts if p))

    # ----------------------------------------------------------------- output

    def table(self, schema: Schema) -> list[str]:
        required = set(schema.get("required", ()))
        lines = ["| Field | Type | Required | Description |", "|---|---|---|---|"]
        for key, prop in schema.get("properties", {}).items():
            need = "**yes**" if key in required else "no"
            lines.append(f"| `{key}` | {self.type_label(prop)} | {need} | {self.details(prop)} |")
        return lines

    def object_section(self, name: str) -> list[str]:
        d = self.defs[name]
        places = ", ".join(code(p) for p in self.where[name])
        out = [f'<a id="{anchor(name)}"></a>', "", f"## {d.get('title', name)}", ""]
        out += [f"Written at: {places}", "", str(d.get("description", "")), ""]
        holder = self.lists.get(name)
        if holder is not None:
            out += [f"About the list: {self.defs[holder].get('description', '')}", ""]
        return [*out, *self.table(d), ""]

    def value_section(self, name: str) -> list[str]:
        d = self.defs[name]
        out = [f'<a id="{anchor(name)}"></a>', "", f"### {d.get('title', name)}", ""]
        out += [str(d.get("description", "")), ""]
        items = d.get("items", {}) if d.get("type") == "array" else {}
        base = {"string": "text", "array": "list of texts"}.get(d.get("type", ""), "any value")
        facts = [f"- Type: {base}"]
        for where, whose in ((d, ""), (items, "each entry ")):
            if "pattern" in where:
                facts.append(f"- {whose}must match the pattern {code(where['pattern'])}")
            if "minLength" in where and where["minLength"] > 1:
                facts.append(f"- {whose}at least {where['minLength']} characters")
            if "maxLength" in where:
                facts.append(f"- {whose}at most {where['maxLength']} characters")
        facts = [f"- {f[2].upper()}{f[3:]}" for f in facts]
        if d.get("uniqueItems"):
            facts.append("- No entry may appear twice")
        if d.get("examples"):
            facts.append(f"- Examples: {', '.join(code(e) for e in d['examples'])}")
        return [*out, *facts, ""]

    def render(self) -> str:
        s = self.schema
        custom = s.get("patternProperties", {}).get("^x-", {}).get("description", "")
        out = [
            "# Playbook format reference",
            "",
            "<!-- Generated from schemas/playbook.schema.json by scripts/gen_format_docs.py;"
            " do not edit by hand. -->",
            "",
            str(s.get("description", "")),
            "",
            "The format is defined by the JSON Schema `schemas/playbook.schema.json`; files "
            "included from the main file follow `schemas/playbook-fragment.schema.json`, which "
            "allows the same sections except `gtmplay`, `name` and `description`. Editors that "
            "read YAML schemas (such as VS Code with the YAML extension) complete and check "
            "fields when a file starts with a line like:",
            "",
            "```yaml",
            "# yaml-language-server: $schema=../../schemas/playbook.schema.json",
            "```",
            "",
            f"**Custom fields.** {custom}",
            "",
            "## Contents",
            "",
            f"- [Playbook file](#{ROOT_ANCHOR})",
        ]
        objects = self.ordered_objects()
        out += [f"- {self.link(n)}" for n in objects]
        out += [f"- [Value types](#{VALUE_TYPES_ANCHOR})", ""]
        out += [f'<a id="{ROOT_ANCHOR}"></a>', "", "## Playbook file", ""]
        out += [
            "The main file of a playbook, usually `playbook.yaml`. All sections are optional "
            "except `gtmplay` and `name`.",
            "",
            *self.table(s),
            "",
        ]
        for name in objects:
            out += self.object_section(name)
        out += [f'<a id="{VALUE_TYPES_ANCHOR}"></a>', "", "## Value types", ""]
        out += ["Kinds of values used by many fields above.", ""]
        for name in self.value_types():
            out += self.value_section(name)
        while out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n"


def render(schema: Schema) -> str:
    """The Markdown format reference for ``schema``."""
    return Renderer(schema).render()


def render_file(path: Path = SCHEMA) -> str:
    """The Markdown format reference for the schema file at ``path``."""
    return render(json.loads(path.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = render_file()
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
    if args.check:
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date; run {Path(__file__).name}")
            return 1
        return 0
    if current != text:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
