"""One normalisation for every number a person types: ID numbers, phone numbers, numbers searched for.

Forms, services and importers all call `normalize_number` before they check or store a number, so
that `４５０３２２…` typed with full-width digits, `450322 1975 0412 011x` with spaces, and the
plain form are one and the same number (and the duplicate check sees them as one).
"""

import unicodedata

# Spaces of every kind (the ideographic space of a Chinese keyboard included), and invisible marks
# that a copy from a web page or a spreadsheet drags along (zero-width space, byte-order mark).
_DROPPED_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def normalize_number(value) -> str:
    """NFKC (full-width digits and letters become ASCII), every space and invisible mark removed,
    letters upper-cased (the check character X of an ID number). None becomes ""."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isalnum():  # the usual case, already plain (an import reads 144,000)
        return text.upper()
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES).upper()
