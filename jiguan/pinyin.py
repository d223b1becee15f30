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


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# An ordinal: 第 and a number in Chinese (第十一党支部); elsewhere 一 is part of a word (统一).
_CN_ORDINAL = re.compile(r"(?<=第)[零〇一二两三四五六七八九十百]+")
_DIGITS = re.compile(r"\d+")


def _chinese_number(text: str) -> int | None:
    """一 1, 十 10, 十一 11, 二十三 23, 一百零五 105; None for what is no number."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def order_key(name: str) -> str:
    """sort_key as one string of [a-z0-9] for the database to sort by (NameOrderField): the same
    order under any collation, so that a paged list is ordered by the database, not by Python. A
    leading 中共 / 中国共产党 is not read (中共县审计局党支部 sorts with 县审计局…)."""
    name = name or ""
    for prefix in ("中国共产党", "中共"):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
            break
    return _NOT_LETTERS.sub("", sort_key(name)[0].lower())[:200]


@functools.lru_cache(maxsize=8192)
def sort_key(name: str) -> tuple:
    """How people expect names in order: numbers as numbers (第二 before 第十一, 2 before 11, written
    in Chinese or in digits), the rest by pinyin (张 after 王), then the name itself."""
    pypinyin = _pinyin()
    name = name or ""

    def number(match):
        value = _chinese_number(match.group())
        return f"{value:08d}" if value is not None else match.group()

    text = _CN_ORDINAL.sub(number, name)
    text = _DIGITS.sub(lambda m: f"{int(m.group()):08d}", text)
    spelled = " ".join(pypinyin.lazy_pinyin(text, errors="default"))
    return (spelled, name)
