"""did you mean: the indexed ``Suggester`` against difflib's ``suggest``."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmplay.didyoumean import Suggester, suggest

IDS = st.text("abcde-01", min_size=1, max_size=8)


def ratio(word: str, hint: str) -> float:
    choice = hint.removeprefix('did you mean "').removesuffix('"?')
    # the order get_close_matches uses: difflib's ratio is not symmetric
    # ("a0aa" against "01aa0" is 0.44, "01aa0" against "a0aa" 0.67)
    return difflib.SequenceMatcher(None, choice, word).ratio()


@given(st.sets(IDS, max_size=40), IDS)
def test_same_answer_as_suggest_for_a_shortlist(ids: set[str], word: str) -> None:
    # up to the shortlist every choice is compared: exactly suggest's answer
    assert Suggester(ids, shortlist=40)(word) == suggest(word, ids)


@given(st.sets(IDS, min_size=1, max_size=80), IDS, st.integers(1, 12))
def test_the_index_never_suggests_worse_or_where_suggest_finds_nothing(
    ids: set[str], word: str, shortlist: int
) -> None:
    hint = Suggester(ids, shortlist=shortlist, postings=20)(word)
    expected = suggest(word, ids)
    if not expected:
        assert hint == ""
    elif hint:
        choice = hint.removeprefix('did you mean "').removesuffix('"?')
        assert choice in ids
        assert 0.6 <= ratio(word, hint) <= ratio(word, expected)


@given(st.sets(IDS, min_size=1, max_size=80), IDS)
def test_same_answer_when_the_index_may_read_everything(ids: set[str], word: str) -> None:
    # a shortlist as long as the ids and no limit on the index entries read:
    # every choice sharing a letter is compared (the others score 0)
    assert Suggester(ids, shortlist=len(ids), postings=10**6)(word) == suggest(word, ids)


def test_typos_in_ten_thousand_ids() -> None:
    ids = [f"asset-{i}" for i in range(10_000)]
    find = Suggester(ids)
    assert find("aset-4242") == 'did you mean "asset-4242"?'
    assert find("asset-x9999") == 'did you mean "asset-9999"?'
    assert find("asset-77q") == 'did you mean "asset-77"?'
    assert find("zzzz") == ""
    assert find("aset-4242") == 'did you mean "asset-4242"?'  # memoised, same answer


def test_work_per_lookup_does_not_grow_with_the_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    import gtmplay.didyoumean as module

    compared: list[int] = []
    real = module._closest

    def counted(word: str, choices: list[str]) -> list[str]:
        compared.append(len(choices))
        return real(word, choices)

    monkeypatch.setattr(module, "_closest", counted)
    for size in (1_000, 20_000):
        Suggester([f"act-{i}" for i in range(size)])("act-12x")
    assert compared == [16, 16]


@given(st.lists(IDS, max_size=30), IDS)
def test_closest_is_get_close_matches(choices: list[str], word: str) -> None:
    import gtmplay.didyoumean as module

    expected = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    assert module._closest(word, choices) == expected
