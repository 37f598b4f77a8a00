"""A copy of the example playbook with hostile text in every free-text field.

Which fields are free text is read from the JSON Schema itself (strings with no
enum, pattern or format, and lists of them), so a field added to the schema
is poisoned without touching this file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from hostile.helpers import EXAMPLE, ROOT

# One string that is an attack on every output format at once: HTML and
# Markdown markup, a javascript: link, template syntax, an XML CDATA end,
# CSV formula start, a GitHub workflow command, terminal escapes and a
# right-to-left override. ``MARK`` lets a test find where it landed.
MARK = "PWN"
PAYLOAD = (
    '=HYPERLINK("http://x")PWN<script>alert(1)</script><img src=x onerror=alert(2)>'
    "[link](javascript:alert(3)) {{ 7*191 }} {% raw %}${7*191} ]]><!-- \"' & | * _ `"
    "\x1b[31m\u202egnp.exe\n::error file=x::injected\n# heading\n<iframe src=//x>"
)
URL_PAYLOAD = "javascript:alert(4)//PWN"


def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (ROOT / "schemas" / "playbook.schema.json").read_text(encoding="utf-8")
    )
    return loaded


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in ("id", "ref", "duration", "include"):
            return {"type": "structural"}
        node = root["$defs"][name]
    return node


def _free_text(node: dict[str, Any]) -> bool:
    types = node.get("type")
    strings = types == "string" or (isinstance(types, list) and "string" in types)
    return strings and not any(k in node for k in ("enum", "const", "pattern", "format"))


# CRM names become file names of the Salesforce export (at most 255 bytes on
# every file system, and Salesforce allows 80 characters): a shorter payload.
SHORT_PAYLOAD = "PWN<b>\"'&</b>]]>\u202e/.."


def poison_doc(value: Any, node: dict[str, Any], root: dict[str, Any], key: str = "") -> Any:
    """``value`` with every free-text string replaced by the payload."""
    node = _resolve(node, root)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            sub = node.get("properties", {}).get(k)
            if sub is None:
                sub = next(
                    (s for pat, s in node.get("patternProperties", {}).items() if pat != "^x-"),
                    None,
                )
            if sub is None or k.startswith("x-"):
                out[k] = v
            elif k == "crm":
                out[k] = _short(v)
            else:
                out[k] = poison_doc(v, sub, root, k)
        return out
    if isinstance(value, list):
        items = node.get("items")
        return [poison_doc(v, items, root, key) for v in value] if items else value
    if isinstance(value, str) and _free_text(node):
        text = URL_PAYLOAD if key == "url" else PAYLOAD
        return text[: node.get("maxLength", len(text))]
    return value


def _short(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _short(v) if k not in ("api_version", "fields") else v for k, v in value.items()}
    return SHORT_PAYLOAD if isinstance(value, str) and value else value


def poisoned_copy(dest: Path, *, drop_metrics: bool = True) -> Path:
    """Copy the example into ``dest`` with every free-text field poisoned.

    ``drop_metrics`` removes the metrics of every activity, so that rules
    report findings quoting the (poisoned) activity names.
    """
    shutil.copytree(EXAMPLE, dest)
    root = _schema()
    for path in sorted(dest.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = poison_doc(doc, root, root)
        if drop_metrics:
            for activity in doc.get("activities") or ():
                activity.pop("metrics", None)
        if "checks" in doc:
            # every name becomes the same payload, longer than Salesforce takes
            # (GTM501, GTM502: errors); these tests are about the text reaching
            # each output
            doc["checks"].setdefault("rules", {}).update({"GTM501": "off", "GTM502": "off"})
        path.write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
        )
    return dest
