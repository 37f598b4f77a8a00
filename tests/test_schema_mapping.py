"""Schema errors become findings at the right place, with a useful message."""

from __future__ import annotations

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
    # jsonschema-rs does not, and its stricter answer must not be lost.
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


def test_validation_writes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # jsonschema-rs compiles the schema in milliseconds: nothing is kept on
    # disk, so a cold first run costs what a warm one does
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GTMPLAY_CACHE_DIR", str(home / "gtmplay"))
    assert findings(tmp_path, "gtmplay: 2\nname: A\n") == [
        "1:10 GTM013 this gtmplay reads format version 1, not 2"
    ]
    assert not home.exists()


def test_a_value_jsonschema_rs_cannot_take_is_judged_by_jsonschema() -> None:
    import datetime

    from gtmplay.schema import validate
    from gtmplay.sourcemap import SourceMap

    # the loader makes only JSON values; a caller with a date still gets a finding
    (finding,) = validate({"gtmplay": 1, "name": datetime.date(2026, 1, 1)}, SourceMap(), root=True)
    assert (finding.rule, finding.message) == ("GTM012", "'name' must be text, not a mapping")
