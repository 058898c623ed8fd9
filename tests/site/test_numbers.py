"""Every number dials what it says: on every page of every language and in every pamphlet."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
from bs4 import BeautifulSoup
from haven.records import Directory
from pypdf import PdfReader


def dialled_forms(number: str) -> set[str]:
    """The digits a label may show for a stored number: international, or national with or
    without the trunk prefix (0800 555 111, (800) 656-4673, 1-800-...)."""
    if not number.startswith("+"):
        return {number}
    parsed = phonenumbers.parse(number)
    national = phonenumbers.national_significant_number(parsed)
    return {number[1:], national, "0" + national, "1" + national}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_every_call_and_text_link_shows_the_number_it_dials(site: Path) -> None:
    checked = 0
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select('a[href^="tel:"], a[href^="sms:"]'):
            number = link["href"].split(":", 1)[1].split("?", 1)[0]
            shown = digits(link.get_text())
            assert shown in dialled_forms(number), (
                f"{html.relative_to(site)}: {link.get_text(strip=True)!r} dials {number}")
            checked += 1
    assert checked > 500, "the site should be full of call and text links"


def pamphlet_numbers(text: str) -> list[list[str]]:
    """Runs that look like phone numbers, as their digit groups (right-to-left extraction
    may put "(800) 656-4673" as "4673-656 (800)": the groups, not their order, are kept)."""
    runs = re.findall(r"\+?\(?\d[\d ()\u00a0-]{5,}\d\)?", text)
    return [re.findall(r"\d+", run) for run in runs if len(digits(run)) >= 7]


def label_groups(directory: Directory) -> list[list[str]]:
    """The digit groups of every channel as labels show it, at home and abroad."""
    groups = []
    for record in directory.records():
        for phone in getattr(record, "phones", ()):
            if phone.is_short_code:
                continue
            parsed = phonenumbers.parse(phone.number)
            for style in (phonenumbers.PhoneNumberFormat.NATIONAL,
                          phonenumbers.PhoneNumberFormat.INTERNATIONAL):
                groups.append(re.findall(r"\d+", phonenumbers.format_number(parsed, style)))
    return groups


def is_a_channel(found: list[str], channels: list[list[str]]) -> bool:
    """Every group of the run belongs to one channel (right-to-left text extraction may also
    split "+44 20 3684 2517" into two runs; a wrong digit still makes a group no one's)."""
    return any(not Counter(found) - Counter(groups) for groups in channels)


def test_every_pamphlet_is_one_sheet_and_every_number_on_it_a_channel(site: Path,
                                                             shipped: Directory) -> None:
    channels = label_groups(shipped)
    pdfs = sorted((site / "pamphlets").rglob("*.pdf"))
    languages = {pdf.parent.name for pdf in pdfs}
    assert languages == {"en", "es", "zh", "vi", "ar"}
    printed = 0
    for pdf in pdfs:
        pages = PdfReader(io.BytesIO(pdf.read_bytes())).pages
        assert len(pages) == 2, f"{pdf.relative_to(site)}: one sheet, printed on both sides"
        text = "\n".join(p.extract_text() or "" for p in pages)
        for found in pamphlet_numbers(text):
            assert is_a_channel(found, channels), f"{pdf.relative_to(site)}: {found}"
            printed += 1
    assert printed > len(pdfs), "every pamphlet prints phone numbers"


@pytest.mark.parametrize(("text", "ok"), [
    ("Call (800) 656-4673", True), ("4673-656 (800)", True), ("Call (800) 656-4674", False),
    ("Call free 0800 555 1111", False), ("0800 555111", True), ("4673 656", True),
    ("656-4763", False),
])
def test_the_pamphlet_check_tells_a_wrong_number(text: str, ok: bool) -> None:
    channels = [["800", "656", "4673"], ["0800", "555111"]]
    assert all(is_a_channel(f, channels) for f in pamphlet_numbers(text)) is ok
