"""Placeholders in the annual summary's text: the numbers staff write as ``{{ code }}``.

The text of an annual summary (``AnnualReport.text``) is typed by committee staff. It is NEVER
given to Django's template engine: ``{% load %}``, ``{{ request }}`` and the like stay literal
text (they are refused at save as unknown placeholders when they look like one). Placeholders are
replaced by one regular expression, here.

Syntax
------
``{{ code }}``
    the value of a metric of METRICS.md (``reports.metrics.REGISTRY``), e.g.
    ``全年开展工委理论学习中心组学习活动{{ central_group_study_sessions }}次``. Numbers print as
    digits (1234), the condolence money with two decimals (0.41), ``oath_date`` as 2021年6月28日.
``{{ code|余 }}``
    the number rounded down for "XXX余" sentences, followed by 余: from 1000 up to the hundred
    (1,234 → 1200余), from 100 up to the ten (567 → 560余), below 100 as it is (87 → 87余).
``{{ lists_issued_numbers }}``, ``{{ orgs_dissolved_names }}``
    lists, joined with 、: the document numbers of the responsibility lists counted by
    ``lists_issued``, the names of the organizations counted by ``orgs_dissolved``. An empty list
    prints nothing, and a bracket around nothing but it goes with it: ``撤销党组织{{ orgs_dissolved }}个
    （{{ orgs_dissolved_names }}）`` reads 撤销党组织0个, never 撤销了无（共0个）.
``{{ year }}``, ``{{ party_anniversary }}``
    the report's year (2021) and the years since the Party's founding in it (100).

Spaces inside the braces are optional. Anything else between ``{{`` and ``}}`` is an unknown
placeholder: saving the text is refused with a message listing them.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from decimal import ROUND_HALF_UP, Decimal

from jiguan.dates import chinese_date
from reports.metrics import FIRST_YEAR, LIST_PLACEHOLDERS, REGISTRY, NoRecords, metric_codes
from reports.metrics.registry import Percent

# Any {{ … }} at all (so that unknown ones are found), and the known shape inside it.
ANY_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
PLACEHOLDER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*(余)\s*)?$")

ROUND_SUFFIX = "余"
CONTEXT_PLACEHOLDERS = {"year": "年度", "party_anniversary": "建党周年数"}

# Control characters pasted from Word or PDFs break the layout and the XML of the workbook.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\ufeff]")


def known_codes() -> list[str]:
    return [*metric_codes(), *LIST_PLACEHOLDERS, *CONTEXT_PLACEHOLDERS]


def clean_text(text: str) -> str:
    """Line ends normalized, control characters and zero-width marks removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\u00a0", " ").replace("\u3000\u3000", "")
    return CONTROL_CHARS.sub("", text)


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders of `text` that name nothing known (in order, each once), as typed."""
    known = set(known_codes())
    unknown: list[str] = []
    for match in ANY_PLACEHOLDER.finditer(text):
        inner = PLACEHOLDER.match(match.group(1))
        ok = inner and inner.group(1) in known
        if ok and inner.group(2) and inner.group(1) not in metric_codes():
            ok = False  # 余 rounds numbers only
        if not ok and match.group(0) not in unknown:
            unknown.append(match.group(0))
    return unknown


def unknown_placeholders_message(unknown: list[str]) -> str:
    return f"正文中有无法识别的占位符：{'、'.join(unknown)}。请改为指标代码，例如 {{{{ orgs_total }}}}。"


def round_down_approx(number: int) -> int:
    """The number shown before 余: 1234 → 1200, 567 → 560, 87 → 87."""
    number = int(number)
    if number >= 1000:
        return number // 100 * 100
    if number >= 100:
        return number // 10 * 10
    return number


def format_value(value) -> str:
    """A value as the text prints it: money (万元) with two decimals rounded half up (1.225 → 1.23),
    a date as 2021年6月28日, a list joined with 、 (nothing when empty)."""
    if value is None:
        return "（未记录）"
    if isinstance(value, NoRecords):
        return str(value)
    if isinstance(value, datetime.date):
        return chinese_date(value)
    if isinstance(value, Percent):
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


@dataclasses.dataclass
class Piece:
    """A run of the rendered text: plain text, or a placeholder's value (``code`` set)."""

    text: str
    code: str = ""
    previous: str = ""  # last year's value, formatted, for metrics


def substitute(text: str, values: dict, previous: dict | None = None) -> list[Piece]:
    """Split `text` into plain runs and placeholder values. `values` maps every known code
    (metrics, lists, context) to its value; unknown placeholders stay as typed."""
    pieces: list[Piece] = []
    position = 0
    for match in ANY_PLACEHOLDER.finditer(text):
        inner = PLACEHOLDER.match(match.group(1))
        if not inner or inner.group(1) not in values:
            continue
        code, rounding = inner.group(1), inner.group(2)
        if match.start() > position:
            pieces.append(Piece(text[position : match.start()]))
        value = values[code]
        last = (previous or {}).get(code)
        if rounding and isinstance(value, int):
            shown = f"{round_down_approx(value)}{ROUND_SUFFIX}"
            last_shown = (
                f"{round_down_approx(last)}{ROUND_SUFFIX}" if isinstance(last, int) else format_value(last)
            )
        else:
            shown = format_value(value)
            last_shown = format_value(last) if previous is not None and code in REGISTRY else ""
        pieces.append(
            Piece(
                shown, code=code if code in REGISTRY or code in LIST_PLACEHOLDERS else "", previous=last_shown
            )
        )
        position = match.end()
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return _without_empty_brackets(pieces)


def _without_empty_brackets(pieces: list[Piece]) -> list[Piece]:
    """An empty list placeholder alone in full-width brackets takes the brackets with it."""
    for index, piece in enumerate(pieces):
        if piece.code not in LIST_PLACEHOLDERS or piece.text:
            continue
        before = pieces[index - 1] if index > 0 else None
        after = pieces[index + 1] if index + 1 < len(pieces) else None
        if before and after and not before.code and not after.code:
            if before.text.endswith("（") and after.text.startswith("）"):
                before.text, after.text = before.text[:-1], after.text[1:]
    return [piece for piece in pieces if piece.text or piece.code]


def render_plain(text: str, values: dict) -> str:
    return "".join(piece.text for piece in substitute(text, values))


def context_values(year: int) -> dict:
    return {"year": year, "party_anniversary": year - FIRST_YEAR}


# ---- the text's structure: headings and paragraphs ---------------------------------------------

SECTION = re.compile(r"^[一二三四五六七八九十]+、")
SUBSECTION = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclasses.dataclass
class Block:
    """A line of the text: a section heading ("一、…"), or a paragraph, possibly opening with a
    run-in subsection heading ("（一）明职责。")."""

    kind: str  # "h2" or "p"
    pieces: list[Piece]
    head: list[Piece] = dataclasses.field(default_factory=list)


def blocks(text: str, values: dict, previous: dict | None = None) -> list[Block]:
    result = []
    for line in clean_text(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        if SECTION.match(line):
            result.append(Block("h2", substitute(line, values, previous)))
        elif SUBSECTION.match(line):
            head, stop, rest = line.partition("。")
            result.append(
                Block("p", substitute(rest, values, previous), head=substitute(head + stop, values, previous))
            )
        else:
            result.append(Block("p", substitute(line, values, previous)))
    return result


def _pieces_html(pieces: list[Piece], link=None) -> str:
    out = []
    for piece in pieces:
        text = html.escape(piece.text)
        if piece.code and link:
            out.append(link(piece, text))
        else:
            out.append(text)
    return "".join(out)


def blocks_html(items: list[Block], link=None) -> str:
    """The body as escaped HTML: <h2> sections, <p> paragraphs with <span class="run-in"> run-in heads.
    `link(piece, escaped_text)` wraps placeholder values (the web page's drill-down links)."""
    out = []
    for block in items:
        body = _pieces_html(block.pieces, link)
        if block.kind == "h2":
            out.append(f"<h2>{body}</h2>")
        elif block.head:
            out.append(f'<p><span class="run-in">{_pieces_html(block.head, link)}</span>{body}</p>')
        else:
            out.append(f"<p>{body}</p>")
    return "\n".join(out)
