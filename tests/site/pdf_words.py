"""Words of a PDF with their positions on the page, read back with pdftotext -bbox
(Debian's poppler-utils): what a reader sees, where they see it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                   r'yMax="([\d.]+)">([^<]*)</word>')


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


def pages_of(pdf: Path) -> list[Page]:
    """Each page's size and words, in points from the top left."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (Debian package poppler-utils) is needed")
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [Page(float(w), float(h), [Word(*map(float, m[:4]), m[4])
                                      for m in _WORD.findall(body)])
            for w, h, body in _PAGE.findall(xml)]


def lines_of(pdf: Path) -> list[list[str]]:
    """Each printed line's words, left to right as they are on the page."""
    lines: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for index, page in enumerate(pages_of(pdf)):
        for word in page.words:
            lines.setdefault((index, round(word.y0)), []).append((word.x0, word.text))
    return [[w for _, w in sorted(words)] for _, words in sorted(lines.items())]
