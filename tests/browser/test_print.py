"""Printed pages: Chromium's print-to-PDF of a service page and a prose page, in English and
Arabic, read back as text with pypdf.

On paper: the site, the page's full address and (record pages) when it was checked at the
top, then the title; phone numbers and link addresses written out; no navigation, search,
exit controls, language switcher or footer; a contact block on one sheet; black on white.

Arabic text comes out of a PDF in visual order: words of a line reversed, and some letters
of a word moved around (lam-alef and other ligatures). Arabic phrases are therefore matched
word by word on each word's letters, in either order; see ``Words``.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from haven.i18n import Strings
from pypdf import PdfReader

from .test_accessibility import SERVICE, at

PHONE = "tel:+18007997233"  # the National Domestic Violence Hotline, in international form
SOURCE = "https://www.thehotline.org"
PROSE = "browse-safely/"
# Bidi controls, tatweel and Arabic vowel marks: not letters, and placed anyhow in PDF text.
_NOT_LETTERS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u0640\u064b-\u065f\u0670]")


class Words:
    """Text as a list of word keys (a word's letters, sorted), to find phrases in."""

    def __init__(self, text: str) -> None:
        text = _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", text)).casefold()
        self.keys = ["".join(sorted(w)) for w in re.findall(r"\w+", text)]

    def has(self, phrase: str) -> bool:
        """The phrase's words in a row, in reading or in visual (reversed) order."""
        want = Words(phrase).keys
        if not want:
            return True
        n = len(want)
        runs = {tuple(self.keys[i:i + n]) for i in range(len(self.keys) - n + 1)}
        return tuple(want) in runs or tuple(reversed(want)) in runs

    def has_all(self, phrase: str) -> bool:
        """Every word of the phrase somewhere (for titles that wrap over lines)."""
        return set(Words(phrase).keys) <= set(self.keys)


def without_addresses(text: str) -> str:
    """The printed text less the "(https://…)" written after links: "find-support" in an
    address is not the navigation's "Find support"."""
    return re.sub(r"\((?:https?://|tel:|mailto:)[^()]*\)", " ", text)


def print_to_pdf(page: Any) -> list[str]:
    """The page printed on A4 as Chromium prints it; the text of each sheet."""
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [sheet.extract_text() for sheet in reader.pages]


def chrome_texts(page: Any) -> list[str]:
    """Every text of the site's chrome (header, navigation, exit, footer) that is not also in
    the page's own content: none of it may be on paper."""
    texts = page.evaluate("""() => [...document.querySelectorAll(
        '.md-header a, .md-header summary span, .haven-languages__list a, .md-sidebar a, '
        + '.haven-exit-skip, .haven-exit__button, .haven-footer a, .haven-footer p')]
        .map(e => e.textContent.trim()).filter(t => t)""")
    content = Words(page.inner_text(".md-content"))
    site = Strings("en")("site.name")
    return [t for t in dict.fromkeys(texts) if t != site and not content.has(t)]


def printed(context: Any, url: str) -> tuple[str, list[str], list[str]]:
    """The page's title and on-screen chrome, and the text of each printed sheet."""
    page = context.new_page()
    page.goto(url)
    title = page.inner_text(".md-content h1")
    chrome = chrome_texts(page)
    return title, chrome, print_to_pdf(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_printed_service_page(context: Any, base_url: str, lang: str) -> None:
    url = at(base_url, lang, SERVICE)
    title, chrome, sheets = printed(context, url)
    text = "\n".join(sheets)
    # NFKC: Chromium may set "fi" as one ligature glyph, which reads back as "ﬁ".
    words, flat = Words(text), re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    strings = Strings(lang)

    # At the top of the first sheet: address, "Information checked on", then the title.
    top = Words("\n".join(sheets[0].splitlines()[:4]))
    assert url in re.sub(r"\s+", "", sheets[0].split("\n", 1)[0]), sheets[0][:300]
    assert top.has(strings("checked.on")), sheets[0][:300]
    assert "2026" in "".join(sheets[0].splitlines()[:3])  # the date it was checked
    assert words.has_all(title), title
    # Numbers and addresses written out.
    assert PHONE in flat
    assert f"({SOURCE})" in flat
    assert at(base_url, lang, "find-support/help/crisis-line/") in flat  # internal links too
    # No chrome.
    assert chrome, "the page should have chrome to leave out"
    prose = Words(without_addresses(text))
    assert [t for t in chrome if prose.has(t)] == []
    assert not words.has(strings("exit.button"))
    assert not words.has(strings("footer.privacy"))
    # A one-page card: the contact block, hours and where it was checked on one sheet.
    assert len(sheets) == 1, f"{len(sheets)} sheets"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_printed_prose_page(context: Any, base_url: str, lang: str) -> None:
    url = at(base_url, lang, PROSE)
    title, chrome, sheets = printed(context, url)
    text = "\n".join(sheets)
    words = Words(text)
    strings = Strings(lang)
    first_lines = sheets[0].splitlines()
    assert url in re.sub(r"\s+", "", first_lines[0])
    assert Words("\n".join(first_lines[:3])).has(title)
    assert not words.has(strings("checked.on"))  # prose pages are not records
    assert [t for t in chrome if Words(without_addresses(text)).has(t)] == []
    assert not words.has(strings("exit.skip"))
    assert not words.has(strings("nav.languages"))


def test_printed_page_is_black_on_white_without_chrome(context: Any, base_url: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, "en", SERVICE))
    page.emulate_media(media="print")
    found = page.evaluate("""() => {
        const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility());
        const colours = new Set();
        for (const e of document.querySelectorAll('.md-content *')) {
            if (e.checkVisibility()) colours.add(getComputedStyle(e).color);
        }
        return {
            chrome: ['.md-header', '.md-sidebar', '.haven-footer', '.haven-exit',
                     '.haven-exit-skip', '.haven-languages', '.md-skip']
                    .filter(s => shown(s).length),
            header: shown('.haven-print-header').length,
            colours: [...colours],
            background: getComputedStyle(document.body).backgroundColor,
        };
    }""")
    assert found["chrome"] == []
    assert found["header"] == 1
    assert found["colours"] == ["rgb(0, 0, 0)"]
    assert found["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


def test_print_header_is_not_on_screen_or_in_the_search_index(context: Any, base_url: str,
                                                              site: Any) -> None:
    page = context.new_page()
    page.goto(at(base_url, "en", SERVICE))
    assert page.locator(".haven-print-header").is_hidden()
    html = (site / SERVICE / "index.html").read_text(encoding="utf-8")
    header = html[html.index('class="haven-print-header"') - 5:]
    assert "data-pagefind-ignore" in header.split(">", 1)[0]
