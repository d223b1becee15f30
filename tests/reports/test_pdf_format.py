"""The annual summary PDF follows GB/T 9704-2012.

Renders the 2021 seed summary through the real template and stylesheet and
checks the PDF with pypdf: A4, fonts embedded, the 22 x 28 grid, page numbers
at the outer edge; and, with fontTools, that the installed free fonts cover
every character of the seed.  No database is needed.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import Context, Engine
from django.utils.safestring import mark_safe
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader

from jiguan.pdf import FALLBACK_FAMILIES, FONT_PACKAGES, official_css, render_pdf

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "reports" / "templates"
# A copy of ../shared/seed/annual-summary-2021.txt kept in the repository, so the test never skips.
SEED = ROOT / "tests" / "fixtures" / "annual-summary-2021.txt"
TITLE = "中共xx县委县直机关工委2021年工作总结"

MM = 72 / 25.4
A4 = (595.28, 841.89)
TOP, LEFT, BLOCK_W, BLOCK_H = 37 * MM, 28 * MM, 156 * MM, 225 * MM
LINES, CHARS = 22, 28
PITCH = BLOCK_H / LINES


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_body_html(text: str) -> str:
    """The seed as the report body: "一、" lines are <h2>, "（一）" headings run
    in (楷体) at the start of their paragraph, the rest are <p>."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if re.match(r"^[一二三四五六七八九十]+、", line):
            out.append(f"<h2>{html.escape(line)}</h2>")
        elif re.match(r"^（[一二三四五六七八九十]+）", line):
            head, stop, rest = line.partition("。")
            out.append(f'<p><span class="run-in">{html.escape(head + stop)}</span>{html.escape(rest)}</p>')
        else:
            out.append(f"<p>{html.escape(line)}</p>")
    return "\n".join(out)


def render_summary(body: str, css: str | None = None, title: str = TITLE) -> bytes:
    engine = Engine(dirs=[str(TEMPLATES)], autoescape=True)
    template = engine.get_template("reports/pdf/summary.html")
    page = template.render(
        Context({"css": css if css is not None else official_css(), "title": title, "body": mark_safe(body)})
    )
    return render_pdf(page)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return _seed_text()


@pytest.fixture(scope="module")
def pdf(seed_text) -> PdfReader:
    return PdfReader(io.BytesIO(render_summary(seed_body_html(seed_text))))


# ---- helpers ------------------------------------------------------------------


def text_runs(page) -> list[tuple[float, float, str]]:
    """(x from the left, baseline from the top, text) of every text run, in pt."""
    runs = []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        runs.append((x, height - y, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def body_lines(page) -> list[tuple[float, str]]:
    """Baselines and text of the lines inside the text block, top to bottom."""
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in text_runs(page):
        if y > TOP + BLOCK_H:  # the page number
            continue
        key = next((k for k in lines if abs(k - y) < 1), y)
        lines.setdefault(key, []).append((x, text))
    return [(y, "".join(t for _, t in sorted(parts))) for y, parts in sorted(lines.items())]


def page_number_runs(page) -> list[tuple[float, float, str]]:
    return [run for run in text_runs(page) if run[1] > TOP + BLOCK_H]


def iter_fonts(resources, seen=None):
    """Every font dictionary reachable from a resources dictionary, Form
    XObjects (inline SVG charts) included."""
    seen = set() if seen is None else seen
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from iter_fonts(xobject.get("/Resources"), seen)


def font_is_embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":  # glyphs drawn by the PDF itself
        return True
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def is_a4(page) -> bool:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1


def fc_match(family: str) -> tuple[str, int, str]:
    out = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}\n%{family}", family],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return out[0], int(out[1] or 0), out[2]


def font_cmap(path: str, index: int) -> set[int]:
    font = TTCollection(path).fonts[index] if path.lower().endswith((".ttc", ".otc")) else TTFont(path)
    return set(font.getBestCmap())


def needed_chars(text: str) -> set[str]:
    return {c for c in text + TITLE if ord(c) > 127 and not c.isspace()}


# ---- tests ----------------------------------------------------------------------


def test_pages_are_a4(pdf):
    assert len(pdf.pages) >= 2
    for number, page in enumerate(pdf.pages, 1):
        assert is_a4(page), f"page {number} is {page.mediabox.width} x {page.mediabox.height} pt"


def test_every_font_is_embedded(pdf):
    fonts = [font for page in pdf.pages for font in iter_fonts(page.get("/Resources"))]
    assert fonts
    missing = [str(font.get("/BaseFont")) for font in fonts if not font_is_embedded(font)]
    assert not missing, f"fonts not embedded: {missing}"


def test_free_fonts_are_used(pdf):
    """Without the official fonts, each role falls back to its free face,
    not to fontconfig's last resort (DejaVu has no Chinese)."""
    names = {
        re.sub(r"[^a-z]", "", str(font.get("/BaseFont")).split("+")[-1].lower())
        for page in pdf.pages
        for font in iter_fonts(page.get("/Resources"))
    }
    assert not any("dejavu" in name for name in names), names
    for family in FALLBACK_FAMILIES.values():
        if fc_match(family)[2].split(",")[0] != family:
            continue  # reported by test_fallback_fonts_cover_the_seed
        wanted = re.sub(r"[^a-z]", "", family.lower())
        assert any(name.startswith(wanted) for name in names), f"{family} not used; fonts: {names}"


@pytest.mark.parametrize("role", sorted(FALLBACK_FAMILIES))
def test_fallback_fonts_cover_the_seed(role, seed_text):
    assert shutil.which("fc-match"), "fc-match missing: apt-get install fontconfig"
    family = FALLBACK_FAMILIES[role]
    path, index, found = fc_match(family)
    assert found.split(",")[0] == family, (
        f"{family} ({role}) is not installed, fontconfig gives {found}; "
        f"the Makefile must apt-get install {' '.join(FONT_PACKAGES)}"
    )
    cmap = font_cmap(path, index)
    missing = sorted(c for c in needed_chars(seed_text) if ord(c) not in cmap)
    assert not missing, f"{family} lacks {''.join(missing)}"


def test_page_numbers(pdf):
    assert "— 1 —" in pdf.pages[0].extract_text()
    assert "— 2 —" in pdf.pages[1].extract_text()


def test_page_numbers_sit_at_the_outer_edge(pdf):
    middle = A4[0] / 2
    for number in (1, 2):
        runs = [run for run in page_number_runs(pdf.pages[number - 1]) if str(number) in run[2]]
        assert runs, f"no page number below the text block on page {number}"
        x, baseline, _ = runs[0]
        # 4号 numbers, their dashes about 7 mm below the text block
        assert TOP + BLOCK_H + 5 * MM < baseline < TOP + BLOCK_H + 15 * MM
        if number % 2:  # odd page: right, one character in from the edge
            assert middle < x < LEFT + BLOCK_W
        else:  # even page: left, one character in
            assert LEFT + 10 < x < middle


def test_text_block_and_grid(pdf):
    """Full pages hold 22 lines on a 225/22 mm pitch, inside the text block."""
    pages = pdf.pages[1:-1]  # the first has the title, the last is short
    assert pages
    for number, page in enumerate(pages, 2):
        lines = body_lines(page)
        assert len(lines) == LINES, f"page {number} has {len(lines)} lines"
        # headings in another face may sit a fraction of a point off the
        # baseline, but every line stays on its grid position
        first = lines[0][0]
        offsets = [round(y - first - k * PITCH, 2) for k, (y, _) in enumerate(lines)]
        assert all(abs(offset) < 1 for offset in offsets), offsets
        assert lines[0][0] > TOP and lines[-1][0] < TOP + BLOCK_H
        for x, _, _ in text_runs(page):
            assert x >= LEFT - 0.5


def test_28_characters_per_line(pdf):
    """A line of full-width characters holds 28 of them, never more."""
    counts = [
        len(text)
        for page in pdf.pages
        for _, text in body_lines(page)
        if text and all(ord(c) > 0x2000 for c in text)
    ]
    assert max(counts) == CHARS, counts
    assert counts.count(CHARS) > len(counts) / 2, counts


def test_checks_catch_a_bad_layout():
    """The checks above do fail: US Letter, 12 pt text and no page numbers."""
    css = official_css().replace("size: A4", "size: letter").replace("font-size: 16pt", "font-size: 12pt")
    css = css.replace('content: "— " counter(page) " —"', "content: none")
    bad = PdfReader(io.BytesIO(render_summary("<p>" + "党" * 600 + "</p>", css=css)))
    assert not is_a4(bad.pages[0])
    assert "— 1 —" not in bad.pages[0].extract_text()
    assert max(len(text) for _, text in body_lines(bad.pages[0])) > CHARS


def _line_ends(document) -> list[tuple[float, float, bool, str]]:
    """(right edge of the text block, right end of the line, last line of its paragraph, text)."""
    from weasyprint.formatting_structure import boxes

    from jiguan.pdf import _font_config, _paragraphs, _text_boxes

    ends = []
    for paragraph in _paragraphs(document.render(font_config=_font_config())):
        right = paragraph.content_box_x() + paragraph.width
        lines = [line for line in paragraph.children if isinstance(line, boxes.LineBox)]
        for number, line in enumerate(lines):
            texts = _text_boxes(line)
            end = max(t.position_x + t.width for t in texts)
            ends.append((right, end, number == len(lines) - 1, "".join(t.text for t in texts)))
    return ends


def test_body_lines_reach_both_edges_and_a_paragraphs_last_line_starts_left():
    """GB/T 9704 (issue 10): justified to both edges, Chinese included (WeasyPrint alone widens
    spaces only, so a line with half-width digits stopped short); the last line is left alone."""
    from weasyprint import HTML

    from jiguan.pdf import _justified

    template = Engine(dirs=[str(TEMPLATES)], autoescape=True).get_template("reports/pdf/summary.html")
    page = template.render(
        Context({"css": official_css(), "title": TITLE, "body": mark_safe(seed_body_html(_seed_text()))})
    )
    before = _line_ends(HTML(string=page))
    assert any(not last and right - end > 5 for right, end, last, _ in before)  # ragged as WeasyPrint lays it
    after = _line_ends(_justified(HTML(string=page), None))
    assert [text for *_, text in after] == [text for *_, text in before]  # the same lines, nothing added
    ragged = [
        (round(right - end, 2), text) for right, end, last, text in after if not last and abs(right - end) > 1
    ]
    assert ragged == []
    assert any(
        last and right - end > 50 for right, end, last, _ in after
    )  # last lines stay short, on the left
