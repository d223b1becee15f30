"""What a name is found by when typed on a keyboard: its pinyin initials and its full pinyin.

"wsj" finds 卫生健康局机关第一党支部 (initials wsjkjjgdydzb), "weisheng" finds it too. The keys are
computed once, when a name is stored, so a search is a plain substring match on stored columns.
"""

import functools
import re

_NOT_LETTERS = re.compile(r"[^a-z0-9]")


@functools.cache
def _pinyin():
    # pypinyin loads its dictionaries on import (a few MB): only when a name is stored or searched.
    import pypinyin

    return pypinyin


def search_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of `name`, lower case, letters and digits only."""
    pypinyin = _pinyin()
    name = name or ""
    initials = "".join(pypinyin.lazy_pinyin(name, style=pypinyin.Style.FIRST_LETTER, errors="default"))
    full = "".join(pypinyin.lazy_pinyin(name, errors="default"))
    return _NOT_LETTERS.sub("", initials.lower()), _NOT_LETTERS.sub("", full.lower())


def typed_key(text: str) -> str:
    """The letters a user typed, as the search keys store them ("" when they typed Chinese)."""
    text = (text or "").strip().lower()
    return _NOT_LETTERS.sub("", text) if re.fullmatch(r"[a-z0-9\s'’-]+", text) else ""
