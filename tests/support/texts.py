"""What a text people read must be: a sentence, in Korean where asked, never a Python value."""

from __future__ import annotations

import re

PYTHON_VALUE = re.compile(r"frozenset|set\(\)|\bNone\b|\bTrue\b|\bFalse\b|[\[\]{}]|'\w+',")
HANGUL = re.compile(r"[가-힣]")


def assert_sentence(text: str, *, korean: bool = False) -> None:
    assert not PYTHON_VALUE.search(text), text
    assert text.endswith("."), text
    assert not korean or HANGUL.search(text), text
    assert korean or text[0].isupper() or HANGUL.match(text), text
