"""``did you mean "x"?``: the one place that guesses what a mistyped word meant.

Used for unknown fields, ids, rule names, report formats and build targets,
so every suggestion reads the same and uses the same closeness cut-off.

``suggest`` compares the word with every choice (difflib's ratio), which is
right for a few dozen field or rule names. Ids are different: a playbook can
hold 10,000 activities and, after a rename, 10,000 references to ids that no
longer exist; comparing each with every id made a check quadratic (144 s of
CPU at 10,000 broken references). ``Suggester`` is built once per set of ids
and does a bounded amount of work per lookup, so the check stays linear.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher, get_close_matches
from operator import itemgetter

CUTOFF = 0.6


def _hint(match: list[str]) -> str:
    return f'did you mean "{match[0]}"?' if match else ""


def suggest(word: str, choices: Iterable[str]) -> str:
    """``did you mean "x"?`` for the closest known choice, or nothing."""
    return _hint(get_close_matches(word, list(choices), n=1, cutoff=CUTOFF))


def _closest(word: str, choices: list[str]) -> list[str]:
    """``get_close_matches(word, choices, n=1, cutoff=CUTOFF)``, with fewer ratios.

    The same answer, the best (ratio, choice) at or above the cut-off, but the
    full ratio (difflib's costly step) is computed in the order of its upper
    bound (``quick_ratio``), stopping once no bound left can reach the best.
    """
    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    bounds = []
    for choice in choices:
        matcher.set_seq1(choice)
        if matcher.real_quick_ratio() >= CUTOFF:
            bound = matcher.quick_ratio()
            if bound >= CUTOFF:
                bounds.append((bound, choice))
    bounds.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, choice in bounds:
        if best is not None and bound < best[0]:
            break
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= CUTOFF and (best is None or (score, choice) > best):
            best = (score, choice)
    return [best[1]] if best else []


def _grams(text: str) -> set[str]:
    # Trigrams with start and end markers (a shared start or end counts, and
    # even a one-letter id has one), and the letters themselves: two words
    # can score 0.6 without a trigram in common, never without a letter.
    padded = f"\x02{text}\x03"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}.union(text)


class Suggester:
    """``suggest`` over a fixed set of choices, with bounded work per lookup.

    Up to ``shortlist`` choices the answer is exactly ``suggest``'s. Above
    that, a trigram index (built once, on the first lookup) picks the
    ``shortlist`` choices that share the largest part of their trigrams with
    the word, reading at most ``postings`` index entries: the rarest trigrams
    first, as they say the most, and of a trigram shared by too many choices
    those closest to the word in length, as difflib's ratio favours those.
    difflib then chooses among the shortlist with its usual scoring and
    cut-off. With a shortlist as long as the choices and no limit on the
    entries read, the answer is again exactly ``suggest``'s.
    """

    def __init__(
        self, choices: Iterable[str], *, shortlist: int = 16, postings: int = 2000
    ) -> None:
        # by length first, so that each index entry lists choices by length
        self._choices = sorted(set(choices), key=lambda c: (len(c), c))
        self._shortlist = shortlist
        self._postings = postings
        self._memo: dict[str, str] = {}
        self._index: dict[str, list[int]] | None = None

    def __call__(self, word: str) -> str:
        """``did you mean "x"?`` for the closest choice, or nothing."""
        hint = self._memo.get(word)
        if hint is None:
            hint = self._memo[word] = _hint(_closest(word, self._candidates(word)))
        return hint

    def _candidates(self, word: str) -> list[str]:
        choices = self._choices
        if len(choices) <= self._shortlist:
            return choices
        if self._index is None:
            self._index = {}
            for number, choice in enumerate(choices):
                for gram in _grams(choice):
                    self._index.setdefault(gram, []).append(number)
        index, size = self._index, len(word)
        shared: Counter[int] = Counter()
        budget = self._postings
        for numbers in sorted((index[g] for g in _grams(word) if g in index), key=len):
            if budget <= 0:
                break
            if len(numbers) > budget:  # the entries nearest the word's length
                middle = bisect_left(numbers, size, key=lambda n: len(choices[n]))
                low = max(0, min(middle - budget // 2, len(numbers) - budget))
                numbers = numbers[low : low + budget]
            shared.update(numbers)  # counted in C: the hot loop of a lookup
            budget -= len(numbers)
        # Rank by the share of trigrams in common (a Dice coefficient which,
        # like difflib's ratio, favours choices of a similar length), among
        # the choices that share the most (sorted in C: this is per lookup).
        most = sorted(shared.items(), key=itemgetter(1), reverse=True)[: 4 * self._shortlist]
        best = heapq.nlargest(
            self._shortlist, most, key=lambda item: item[1] / (len(choices[item[0]]) + size)
        )
        return [choices[number] for number, _ in best]
