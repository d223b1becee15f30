"""Document numbers (发文字号) as GB/T 9704 writes them: 机关代字〔年份〕序号号, e.g. 示党工通〔2025〕3号.

The year stands in hexagonal brackets 〔〕 (not [], （）, 【】), the serial has no leading zero and no
第. `normalize_document_number` turns what people type (full-width digits, spaces, other brackets,
leading zeros) into that form, and refuses what is no document number with a sentence saying so.
"""

import re

from django.core.exceptions import ValidationError

from jiguan.numbers import normalize_number

_OPEN = "〔[［(（【〖{"
_CLOSE = "〕]］)）】〗}"
_PATTERN = re.compile(
    rf"^(?P<prefix>[^\d{re.escape(_OPEN)}]+?)[{re.escape(_OPEN)}](?P<year>\d{{4}})[{re.escape(_CLOSE)}]第?0*(?P<serial>[1-9]\d*)号$"
)

EXAMPLE = "示党工通〔2025〕3号"


def normalize_document_number(value) -> str:
    """The number in GB/T 9704 form ("" stays ""); ValidationError for text that is no number."""
    text = normalize_number(value)
    if not text:
        return ""
    # NFKC turns 〔〕 into nothing else, but （） into ()
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            f"文号“{value}”不符合发文字号的格式：机关代字〔年份〕序号号，如 {EXAMPLE}（年份用六角括号〔〕，序号不编虚位）。"
        )
    return f"{match['prefix']}〔{match['year']}〕{match['serial']}号"
