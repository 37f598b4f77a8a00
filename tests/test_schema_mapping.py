"""Schema errors become findings at the right place, with a useful message."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from gtmplay.pipeline import check_path


def findings(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "playbook.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_path(str(path), rules=False)
    return [f"{f.line}:{f.column} {f.rule} {f.message}" for f in result.findings]


def test_trailing_newline_in_an_id_is_refused(tmp_path: Path) -> None:
    # jsonschema's Python regex lets "$" match before a final newline;
    # fastjsonschema does not, and its stricter answer must not be lost.
    assert findings(
        tmp_path,
        'gtmplay: 1\nname: A\nteams:\n  - id: "mql\\n"\n    name: M\n    function: sales\n',
    ) == ['4:9 GTM013 "mql\\n" is not a valid id']


def test_unknown_field_lists_what_is_allowed(tmp_path: Path) -> None:
    assert findings(tmp_path, "gtmplay: 1\nname: A\nliaison: {name: Kim, tem: revops}\n") == [
        "3:22 GTM011 unknown field 'tem' in liaison"
    ]


def test_unknown_key_in_a_map_without_named_fields_has_no_empty_hint(tmp_path: Path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text("gtmplay: 1\nname: A\ncrm: {salesforce: {bogus: 1}}\n", encoding="utf-8")
    result = check_path(str(path), rules=False)
    assert [f.hint for f in result.findings if f.rule == "GTM011"] != ["allowed here: "]
    assert all(not f.hint.endswith(": ") for f in result.findings)


def test_validator_cache_is_used_and_a_broken_one_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gtmplay import schema

    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(tmp_path / "cache"))
    schema._fast_validator.cache_clear()
    assert schema._fast_error({"gtmplay": 1, "name": "A"}, schema.PLAYBOOK_SCHEMA) is None
    (cached,) = (tmp_path / "cache").iterdir()
    for junk in (b"not marshal data", marshal.dumps(42)):
        cached.write_bytes(junk)
        schema._fast_validator.cache_clear()
        assert schema._fast_error({"gtmplay": 2, "name": "A"}, schema.PLAYBOOK_SCHEMA) is not None
        assert cached.read_bytes() != junk
    schema._fast_validator.cache_clear()


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gtmplay import schema

    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(blocker / "cache"))
    schema._fast_validator.cache_clear()
    assert schema._fast_error({"gtmplay": 1, "name": "A"}, schema.PLAYBOOK_SCHEMA) is None
    schema._fast_validator.cache_clear()
