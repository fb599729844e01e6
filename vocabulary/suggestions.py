"""How a typed prefix matches a label, for suggestions as you type (`suggest`).

One rule, applied in places that must agree: the index's documents (`search/`), and in
memory the institutions' names (`LabelIndex`) and the needs (`resolvers/`). A label matches
when, lower-cased, it or one of its words begins with the prefix; a word begins at the start
of the label or where a separator (`WORD_SEPARATORS`: spaces and punctuation) is followed by
anything else, so "배달" finds "도시락 배달" and "(배달)" but not "도시락배달". The separators
are a fixed list rather than `str.isalnum` because a Cypher statement once applied the rule
(Cypher cannot ask whether a character is a letter); the indexed documents follow the list.

A prefix ending in a lone initial consonant (도시ㄹ: some keyboards send the syllable being
typed that way) matches any syllable that begins with it (도시락), so each match is "the head,
then one character in [low, high)"; for any other prefix that range is its last character."""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "WORD_SEPARATORS",
    "LabelIndex",
    "Prefix",
    "match_position",
    "parse_prefix",
    "word_starts",
]

WORD_SEPARATORS = tuple(
    " \t\n\u00a0\u3000·•・,，、./-–—_()[]{}<>（）［］｛｝〈〉《》「」『』【】&+:;~!?'\"“”‘’|"
)
_SEPARATORS = frozenset(WORD_SEPARATORS)
_SPACES = re.compile(r"\s+")
# Syllables 가..힣 are 0xAC00 + (initial * 21 + vowel) * 28 + final; 588 per initial.
_SYLLABLES = 0xAC00
_PER_INITIAL = 21 * 28
# The initial consonants as compatibility jamo (what keyboards send) and as conjoining jamo.
_INITIALS = {ch: n for n, ch in enumerate("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")}
_INITIALS |= {chr(0x1100 + n): n for n in range(19)}


@dataclass(frozen=True)
class Prefix:
    """A typed prefix, normalised: `head`, then one character in [`low`, `high`)."""

    head: str
    low: str
    high: str

    @property
    def literal(self) -> bool:
        """Whether the last character is just itself (not a range of syllables)."""
        return ord(self.high) - ord(self.low) == 1

    @property
    def text(self) -> str:
        """Text every matching label contains: the whole prefix, or the head before a range."""
        return self.head + self.low if self.literal else self.head

    def matches_at(self, label: str, position: int) -> bool:
        """Whether `label` (lower-cased) continues with this prefix at `position`."""
        end = position + len(self.head)
        return (
            label.startswith(self.head, position)
            and end < len(label)
            and self.low <= label[end] < self.high
        )


def parse_prefix(text: str) -> Prefix:
    """`text` (non-empty after stripping) as a `Prefix`: NFC, lower-cased, runs of whitespace
    as one space."""
    normal = _SPACES.sub(" ", unicodedata.normalize("NFC", text).strip().lower())
    head, last = normal[:-1], normal[-1]
    initial = _INITIALS.get(last)
    if initial is not None:
        first = _SYLLABLES + initial * _PER_INITIAL
        return Prefix(head, chr(first), chr(first + _PER_INITIAL))
    # U+10FFFF has no successor; nothing it ends matches (it is a noncharacter anyway).
    return Prefix(head, last, chr(min(ord(last) + 1, 0x10FFFF)))


def word_starts(label: str) -> list[int]:
    """Positions in `label` where a word begins: 0, and each character that is not a
    separator after one that is."""
    return [
        k
        for k in range(len(label))
        if k == 0 or (label[k - 1] in _SEPARATORS and label[k] not in _SEPARATORS)
    ]


def match_position(label: str, prefix: Prefix) -> int | None:
    """The first word start of `label` (lower-cased) where `prefix` matches, or None: 0 is a
    match of the whole label."""
    return next((k for k in word_starts(label) if prefix.matches_at(label, k)), None)


class LabelIndex:
    """Labels held in memory, found by prefix without a scan: every word start of every
    label (lower-cased) is a sorted key, and the keys a prefix matches are one range of
    them. Answers what `match_position` would, best first as the suggestions rank them (a
    whole-label match, then the shorter label, then the label and the id)."""

    def __init__(self, records: Iterable[tuple[str, Sequence[str | None]]]) -> None:
        entries = []
        for ident, labels in records:
            for label in labels:
                if not label:
                    continue
                lowered = label.lower()
                for start in word_starts(lowered):
                    entries.append((lowered[start:], start > 0, len(lowered), lowered, ident))
        entries.sort()
        self._keys = [entry[0] for entry in entries]
        self._ranks = [entry[1:] for entry in entries]

    def __len__(self) -> int:
        return len(self._keys)

    def best(self, prefix: Prefix, limit: int) -> list[str]:
        """The ids of the `limit` best-matching records."""
        low = bisect_left(self._keys, prefix.head + prefix.low)
        high = bisect_left(self._keys, prefix.head + prefix.high, low)
        ranks: dict[str, tuple[bool, int, str, str]] = {}
        for key in self._ranks[low:high]:
            ident = key[3]
            if ident not in ranks or key < ranks[ident]:
                ranks[ident] = key
        return [key[3] for key in heapq.nsmallest(limit, ranks.values())]
