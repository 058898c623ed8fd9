"""A pamphlet as HTML, then as a tagged PDF (PDF/UA-1) with embedded fonts.

Nothing is fetched: the QR code is drawn locally (segno) and inlined, fonts come from the
system (Debian's Noto packages), and WeasyPrint's URL fetcher refuses every URL.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..records import Directory, Service, Text
from ..site.render import Renderer
from .content import PamphletContent

HERE = Path(__file__).parent
PAPER_CSS = {"a4": "@page { size: A4; }", "letter": "@page { size: letter; }"}
_ENV = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
FONTS = {"zh": "Noto Sans CJK SC", "ar": "Noto Sans Arabic"}
"""The font each language's pamphlets are set in (pamphlet.css); any other: LATIN_FONT."""
LATIN_FONT = "Noto Sans"
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s*")


class NetworkRefused(Exception):
    """A pamphlet tried to load something from outside; pamphlets must be self-contained."""


def offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL and remembers what was asked.

    WeasyPrint reports a refused resource as a warning and leaves it out, so a stray
    reference can never make generation touch the network."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url)
            raise NetworkRefused(f"pamphlets load nothing from outside ({url[:80]})")

    return OfflineFetcher()


def pamphlet_html(directory: Directory, content: PamphletContent, lang: str, default: str,
                  paper: str, site_url: str, generated: date) -> str:
    r = Renderer(directory, lang, default)

    def first_sentence_of(text: Text | None) -> Markup:
        if text is None:
            return Markup("")
        value, used = text.get(lang)
        first = _SENTENCE_END.split(value.strip(), maxsplit=1)[0]
        return r.t(Text({used: first, "en": first}) if used == lang else Text({"en": first}))

    def first_sentence(service: Service) -> Markup:
        return first_sentence_of(service.description)

    qr = Markup(segno.make(site_url, error="m").svg_inline(border=0, dark="#000")) \
        if site_url else Markup("")
    return _ENV.get_template("pamphlet.html.j2").render(
        r=r, c=content, paper=paper, site_url=site_url, generated=generated, qr=qr,
        first_sentence=first_sentence, first_sentence_of=first_sentence_of)


def pamphlet_pdf(versions: str | list[str], paper: str, fetcher: Any = None,
                 max_pages: int | None = None) -> bytes:
    """The PDF of the first version laid out in ``max_pages`` pages or fewer (the last
    version otherwise). Layout is the slow part; only the chosen one is written."""
    from weasyprint import CSS, HTML  # slow to import (~0.6 s): only when printing

    fetcher = fetcher or offline_fetcher()
    styles = [CSS(filename=str(HERE / "pamphlet.css"), url_fetcher=fetcher),
              CSS(string=PAPER_CSS[paper], url_fetcher=fetcher)]
    options = {"stylesheets": styles, "pdf_variant": "pdf/ua-1"}
    candidates = [versions] if isinstance(versions, str) else versions

    def layout(i: int) -> Any:
        return HTML(string=candidates[i], base_url=str(HERE),
                    url_fetcher=fetcher).render(**options)

    chosen = layout(0)
    if max_pages is not None and len(chosen.pages) > max_pages and len(candidates) > 1:
        # Shorter versions have fewer pages: find the longest that fits by bisection
        # (three or four layouts instead of one per version).
        low, high, chosen = 1, len(candidates) - 1, layout(len(candidates) - 1)
        while low < high:
            middle = (low + high) // 2
            document = layout(middle)
            if len(document.pages) <= max_pages:
                high, chosen = middle, document
            else:
                low = middle + 1
    return chosen.write_pdf(pdf_variant=options["pdf_variant"])
