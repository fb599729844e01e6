"""Korean morphological analysis (Kiwi) for the index and the queries, in Python, so that
every engine sees the same terms: the embedded engine has no Korean analyser and a cluster
may lack `analysis-nori`.

A text becomes its content morphemes: nouns, roots, foreign words, numbers, adverbs that
carry meaning, and verb and adjective stems as dictionary forms ("끊길" -> "끊기다").
Particles, endings and grading adverbs are dropped, so "혼자사는노인이" and "혼자 사는
노인" give the same terms. The same function analyses documents (`morph.*` fields,
whitespace-tokenised by the engine) and queries, so index-time and query-time analysis
always agree."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["KOREAN_MODES", "analyse", "analyse_many", "terms_of"]

# How Korean query text is matched (HANARO_SEARCH_KOREAN): `morph` the analyser's terms,
# `bigram` character bigrams, `both` either (scores add up). Measured in docs/benchmarks.md.
KOREAN_MODES = ("morph", "bigram", "both")
_NOUNS = frozenset({"NNG", "NNP", "XR", "SH", "SN"})
_STEMS = frozenset({"VV", "VA", "VV-R", "VA-R", "VV-I", "VA-I"})
# Adverbs are content too ("홀로", "깜빡깜빡"), except the ones that only grade or negate.
_ADVERB_STOP = frozenset(
    "못 안 잘 더 덜 좀 꼭 다 또 늘 자주 많이 너무 매우 아주 가장 항상 같이 함께 바로 이미 다시 "
    "및 등 또는 그리고 특히 모두 각각 직접 미리 따로 먼저 수시로 주로 약 함께 무료로".split()
)
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7af]+")
_LOCK = threading.Lock()
_kiwi: Any = None


def _analyser() -> Any:
    """One Kiwi per process, loaded on first use (about 2 s and 300 MB): a server that never
    indexes or searches Korean text does not pay for it."""
    global _kiwi
    if _kiwi is None:
        with _LOCK:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def terms_of(tokens: Iterable[Any]) -> list[str]:
    """The content terms of one analysed text, in order, each once."""
    terms: dict[str, None] = {}
    for token in tokens:
        tag = token.tag
        if tag in _NOUNS:
            terms[token.form.lower()] = None
        elif tag in _STEMS:
            terms[f"{token.form}다"] = None
        elif tag == "MAG" and token.form not in _ADVERB_STOP:
            terms[token.form] = None
        elif tag == "SL":  # Latin letters: kept lowercased (the `.en` fields stem them)
            terms[token.form.lower()] = None
    return list(terms)


@lru_cache(maxsize=65_536)
def analyse(text: str) -> tuple[str, ...]:
    """The terms of one text. Cached: queries repeat, and directories repeat texts (the same
    programme described alike by every 읍면동 office)."""
    if not _HANGUL.search(text):
        return ()
    terms = terms_of(_analyser().tokenize(text))
    # A lone word can lose its reading without context ("아이" alone reads as an
    # interjection): then the Korean words themselves are its terms.
    return tuple(terms) if terms else tuple(_HANGUL_WORD.findall(text))


def analyse_many(texts: Sequence[str | None]) -> list[str]:
    """Each text's terms joined by spaces (the `morph.*` field values); a text seen before
    comes from `analyse`'s cache."""
    return [" ".join(analyse(text)) if text else "" for text in texts]
