"""Render official documents (公文) to PDF with WeasyPrint.

The layout follows GB/T 9704-2012 (A4, text block 156 x 225 mm, 22 lines of
28 characters); it lives in ``jiguan/static/jiguan/official.css``, which the
templates inline in a ``<style>`` tag, so rendering fetches nothing.

Fonts
-----
Every face in the stylesheet lists the official Windows/Founder fonts first
(仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体): where an office has
them installed they win.  On the server the free Debian fonts below stand in:

==========  =============================  ==========================
role        free face                      Debian package
==========  =============================  ==========================
body 仿宋    AR PL UMing CN (Light)         fonts-arphic-uming
title 小标宋  Noto Serif CJK SC Bold         fonts-noto-cjk
"一、" 黑体   WenQuanYi Zen Hei              fonts-wqy-zenhei
"（一）" 楷体  LXGW WenKai                    fonts-lxgw-wenkai
page no. 宋体 AR PL UMing CN                 fonts-arphic-uming
==========  =============================  ==========================

Why these:

* Debian has no free FangSong with simplified glyphs.  cwTeXFangSong
  (fonts-cwtex-fs) is a Taiwanese font: 161 of the 487 distinct characters
  of the 2021 summary are missing, so it would mix two styles on one line.
  UMing is a light Ming/Song face, the closest in colour to 仿宋; it covers
  every character of the seed and most rare name characters (unlike the
  GB2312-only AR PL SungtiL GB).
* 小标宋 is a heavy Song.  No TrueType Song face in Debian has a bold weight
  and WeasyPrint does not synthesise bold, so a "bold" UMing title prints
  regular.  Noto Serif CJK SC Bold (Source Han Serif) is the usual free
  stand-in for 小标宋.
* AR PL UKai CN draws some traditional variants (眞 for 真) and centres
  punctuation; AR PL KaitiM GB covers GB2312 only.  LXGW WenKai covers the
  seed and beyond, in simplified forms.

Timings
-------
Whole 2021 summary (6 pages), WeasyPrint 70, warm process, this machine:

=====================================  =================  ===================
body face                              HarfBuzz subset    fontTools subset
=====================================  =================  ===================
AR PL UMing CN (TrueType)              0.12 s             0.90 s
AR PL SungtiL GB (TrueType)            0.11 s             0.76 s
LXGW WenKai (TrueType)                 0.12 s             0.90 s
Noto Serif CJK SC (CFF)                0.18 s             4.6 s
chosen (UMing body, Noto title, ...)   0.14 s (0.21 s*)   2.6 s
=====================================  =================  ===================

(* first render in a fresh process.  ``import weasyprint`` adds ~0.5 s once,
paid by the first PDF of each process: its callers (reports.outputs.pdf_bytes, ...) import this
module lazily, so processes that never render a PDF never pay it.  It is not
imported ahead of time in a background thread: 0.5 s once per server process
is not worth start-up machinery.
The seed is 6 pages.  The rows swap the body face only; swapping a heading
face instead gives: 黑体 WenQuanYi Zen Hei or Micro Hei 0.12 s, Noto Sans
CJK SC 0.16 s; 楷体 AR PL UKai, KaitiM GB or LXGW WenKai 0.12 s.)
WeasyPrint subsets with HarfBuzz when libharfbuzz-subset0 is installed and
falls back to fontTools otherwise, which is what makes CFF (Noto) fonts slow.
So libharfbuzz-subset0 is in FONT_PACKAGES too: without it the 22-glyph
Noto title alone costs ~1.5 s per PDF.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse
from xml.etree import ElementTree

from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

# Debian packages the Makefile must install for the PDF to look right and to
# render fast (see the module docstring).
FONT_PACKAGES = [
    "fonts-arphic-uming",  # body (仿宋 stand-in) and page numbers (宋体)
    "fonts-noto-cjk",  # title (小标宋 stand-in): Noto Serif CJK SC Bold
    "fonts-wqy-zenhei",  # "一、" headings (黑体)
    "fonts-lxgw-wenkai",  # "（一）" headings (楷体)
    "fontconfig",  # fc-match, used by the tests
    "libharfbuzz-subset0",  # fast font subsetting in WeasyPrint
]

# The free families the stylesheet falls back to, by role; the tests check
# that they are installed and cover the text.
FALLBACK_FAMILIES = {
    "body": "AR PL UMing CN",
    "title": "Noto Serif CJK SC",
    "hei": "WenQuanYi Zen Hei",
    "kai": "LXGW WenKai",
}

CSS_PATH = Path(__file__).resolve().parent / "static" / "jiguan" / "official.css"

_local = threading.local()


@lru_cache(maxsize=1)
def official_css() -> str:
    """The GB/T 9704 print stylesheet, to inline in the template as ``css``."""
    return CSS_PATH.read_text(encoding="utf-8")


def _font_config() -> FontConfiguration:
    # A FontConfiguration keeps Pango's font map and its caches warm between
    # renders (~30 ms per PDF); it is not thread-safe, hence one per thread.
    font_config = getattr(_local, "font_config", None)
    if font_config is None:
        font_config = _local.font_config = FontConfiguration()
    return font_config


def _local_root(base_url: str | None) -> Path | None:
    if not base_url:
        return None
    parsed = urlparse(base_url)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
    elif not parsed.scheme:
        path = Path(base_url)
    else:
        return None
    path = path.resolve()
    return path if path.is_dir() else path.parent


def _allowed(url: str, root: Path | None) -> bool:
    """Only inline data and files under the base directory: content pasted
    into a report must not make the server fetch remote URLs or embed
    arbitrary local files."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme == "file" and root is not None:
        path = Path(unquote(parsed.path)).resolve()
        return path == root or root in path.parents
    return False


def _url_fetcher(base_url: str | None):
    root = _local_root(base_url)

    class _LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not _allowed(url, root):
                raise ValueError(f"URL not allowed in a report: {url[:80]}")
            return super().fetch(url, headers)

    return _LocalFetcher()


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render an HTML document (with its CSS inlined) to PDF bytes, its justified paragraphs
    justified to both edges (see `_justified`).

    ``base_url`` only resolves relative links to local files under it;
    remote URLs are never fetched, ``data:`` URLs always work.
    """
    document = HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher(base_url))
    # The images (the report's charts, SVG) read and parsed once for both layouts.
    images = {}
    document = _justified(document, base_url, images=images)
    return document.write_pdf(font_config=_font_config(), cache=images)


def _paragraphs(rendered):
    """The laid-out <p> blocks whose text is justified, in reading order."""
    from weasyprint.formatting_structure import boxes

    for page in rendered.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if (
                isinstance(box, boxes.BlockBox)
                and getattr(box, "element_tag", None) == "p"
                and box.style["text_align_all"] == "justify"
            ):
                yield box
                continue
            stack.extend(reversed(getattr(box, "children", None) or []))


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return [box]
    return [text for child in getattr(box, "children", None) or [] for text in _text_boxes(child)]


def _justified(document, base_url, *, images=None):
    """GB/T 9704: the body's lines reach both edges, a paragraph's last line starts on the left.

    WeasyPrint justifies by widening spaces only, and Chinese has none: a line holding half-width
    digits or ending before a punctuation mark that may not start a line stops short of the right
    edge. So the document is laid out once, each line of a justified paragraph (its last excepted)
    gets the letter-spacing that makes it exactly as wide as the text block, the lines are fixed
    with <br>, and the document is laid out again. Nothing is added to the text (copying from the
    PDF gives the text as written). The two layouts take about 1.6 times one (the annual report of the demo
    county: 1.5 s → 2.3 s on a loaded 2-core machine)."""
    from weasyprint.formatting_structure import boxes

    plan = {}
    images = {} if images is None else images
    for paragraph in _paragraphs(document.render(font_config=_font_config(), cache=images)):
        right = paragraph.content_box_x() + paragraph.width
        for line in paragraph.children:
            if isinstance(line, boxes.LineBox):
                texts = _text_boxes(line)
                end = max((t.position_x + t.width for t in texts), default=right)
                plan.setdefault(paragraph.element, []).append((texts, right - end))
    if not plan:
        return document
    for element, lines in plan.items():
        tail = element.tail
        for child in list(element):
            element.remove(child)
        element.text = None
        for number, (texts, short) in enumerate(lines):
            last = number == len(lines) - 1
            chars = sum(len(t.text) for t in texts)
            extra = short / chars if not last and chars > 1 and 0 < short < 4 * 16 else 0
            for text in texts:
                # A run of the line keeps its element's class (a run-in heading's face); the
                # official stylesheet forces spans back onto the grid, hence !important.
                attributes = {"class": text.element.get("class", "")} if text.element is not element else {}
                base = text.style["letter_spacing"]
                spacing = (0 if base == "normal" else base) + extra
                attributes["style"] = (
                    f"letter-spacing: {spacing:.4f}px !important; white-space: nowrap !important"
                )
                span = element.makeelement("span", attributes)
                span.text = text.text
                element.append(span)
            if not last:
                element.append(element.makeelement("br", {}))
        element.tail = tail
    html = ElementTree.tostring(document.etree_element, encoding="unicode", method="html")
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher(base_url))
