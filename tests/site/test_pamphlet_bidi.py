"""Arabic pamphlets keep left-to-right runs in reading order on paper: read back from the
PDF with each word's position (pdftotext -bbox), the words of an English name and the parts
of a phone number run left to right on their line."""

from __future__ import annotations

from pathlib import Path

import pytest
from haven.records import Directory
from haven.render import Renderer

from .pdf_words import lines_of


def in_order(line: list[str], words: list[str]) -> bool | None:
    """Whether ``words`` appear on ``line`` left to right (None: not all of them there)."""
    if not all(any(word in w for w in line) for word in words):
        return None
    at = -1
    for word in words:  # each word after the previous one, if it can be
        at = next((i for i, w in enumerate(line) if i > at and word in w), -2)
        if at == -2:
            return False
    return True


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_english_names_and_numbers_read_left_to_right_in_arabic_pamphlets(
        site: Path, shipped: Directory, paper: str) -> None:
    lines = lines_of(site / "pamphlets" / "ar" / f"US-{paper}.pdf")
    r = Renderer(shipped, "ar", "en")
    checked = 0
    for service in shipped.services_in("US"):
        name = service.name.get("en")[0].split()
        for phone in service.phones:
            parts = r.phone_text(phone, "US").split()
            if len(parts) > 1:  # "(800) 799-7233"
                results = {in_order(line, parts) for line in lines} - {None}
                assert results <= {True}, (service.id, parts)
                checked += bool(results)
        results = {in_order(line, name[:3]) for line in lines} - {None} if len(name) > 2 \
            else set()
        assert results <= {True}, (service.id, name[:3])
        checked += bool(results)
    assert checked >= 8, "the pamphlet should show the national lines' names and numbers"
