"""Organization names as people type them: one normalisation for matching a typed or pasted name
exactly, and one key for telling that two names are near-identical (the same organization written
with or without 中共, with other spaces, brackets or punctuation)."""

import re
import unicodedata

# What may stand before an organization's name and not change which organization it is.
PARTY_PREFIXES = ("中国共产党", "中共")

_PUNCTUATION = re.compile(r"[\s\u3000·•．.、,，()（）\[\]【】〔〕《》<>\"'“”‘’:：;；\-—_]+")


def normalize_name(value) -> str:
    """NFKC (full-width letters and digits), spaces at the ends dropped, runs of spaces made one."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"\s+", " ", text).strip()


def name_key(value) -> str:
    """The key two near-identical names share: no party prefix, no spaces or punctuation."""
    text = normalize_name(value)
    for prefix in PARTY_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return _PUNCTUATION.sub("", text).lower()


def near_identical(a, b) -> bool:
    """Two different spellings of what is probably one organization's name."""
    return a != b and name_key(a) == name_key(b)
