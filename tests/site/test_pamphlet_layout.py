"""Every shipped pamphlet, in every language and on both papers, is one well-filled
double-sided sheet: two pages, neither looking unfinished, nothing outside the text column,
no type under 9 pt, no number broken across lines. Read back from the built PDFs."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import phonenumbers
import pytest
from haven.pamphlets.fit import MARGINS_MM, SMALLEST, WELL_FILLED
from haven.records import Directory
from pypdf import PdfReader

from .pdf_words import Page, lines_of, pages_of

POINTS_PER_MM = 72 / 25.4
TOP, SIDE, BOTTOM = (mm * POINTS_PER_MM for mm in MARGINS_MM)
SLACK = 1.0
"""Points a glyph's box may pass the margin by (accents, rounding)."""


def pamphlets(site: Path) -> list[Path]:
    found = sorted((site / "pamphlets").rglob("*.pdf"))
    assert len(found) >= 5 * 2 * 4, "every language, both papers, every region"
    return found


def fill(page: Page) -> float:
    """How far down the text column the content reaches (the page number left out)."""
    column = page.height - TOP - BOTTOM
    content = [w.y1 for w in page.words if w.y1 < page.height - BOTTOM]
    return (max(content) - TOP) / column


def test_every_page_of_every_pamphlet_is_well_filled(site: Path) -> None:
    thin = []
    for pdf in pamphlets(site):
        pages = pages_of(pdf)
        assert len(pages) == 2, f"{pdf.relative_to(site)}: one sheet, both sides"
        thin += [f"{pdf.relative_to(site)} page {i + 1}: {fill(p):.0%}"
                 for i, p in enumerate(pages) if fill(p) < WELL_FILLED]
    assert not thin, f"pages under two-thirds full: {thin}"


def test_nothing_sticks_out_of_the_text_column(site: Path) -> None:
    outside = []
    for pdf in pamphlets(site):
        for page in pages_of(pdf):
            outside += [f"{pdf.relative_to(site)}: {w.text!r}" for w in page.words
                        if w.x0 < SIDE - SLACK or w.x1 > page.width - SIDE + SLACK]
    assert not outside, outside[:10]


def test_no_type_is_smaller_than_nine_points(site: Path) -> None:
    sizes: dict[float, str] = {}

    def seen(text: str, cm: list[float], tm: list[float], _font: object, size: float
             ) -> None:
        if text.strip():  # the size as printed: the font size scaled by both matrices
            printed = size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            sizes.setdefault(round(printed, 1), text)

    for pdf in pamphlets(site):
        for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages:
            page.extract_text(visitor_text=seen)
    assert min(sizes) >= SMALLEST, {s: t for s, t in sizes.items() if s < SMALLEST}
    assert max(sizes) >= 18, "the title and the emergency number stand out"


def labels(directory: Directory) -> set[str]:
    """Every phone number as a pamphlet prints it, at home and abroad."""
    shown = set()
    for record in directory.records():
        for phone in getattr(record, "phones", ()):
            if not phone.is_short_code:
                parsed = phonenumbers.parse(phone.number)
                shown |= {phonenumbers.format_number(parsed, style) for style in (
                    phonenumbers.PhoneNumberFormat.NATIONAL,
                    phonenumbers.PhoneNumberFormat.INTERNATIONAL)}
    return shown


@pytest.mark.parametrize("lang", ["en", "es", "zh", "vi"])
def test_no_number_breaks_across_lines(site: Path, shipped: Directory, lang: str) -> None:
    """A number split over two lines reads as two numbers. Every label found in the text
    joined across lines must also be found within one line (left-to-right languages: the
    Arabic pamphlets' order is checked in test_pamphlet_bidi)."""
    numbers = labels(shipped)
    checked = 0
    for pdf in sorted((site / "pamphlets" / lang).glob("*.pdf")):
        lines = [" ".join(line) for line in lines_of(pdf)]
        joined = " ".join(lines)
        for number in numbers:
            if re.search(rf"(?<![\d(]){re.escape(number)}(?!\d)", joined):
                assert any(number in line for line in lines), f"{pdf.name}: {number}"
                checked += 1
    assert checked > 20
