"""A pamphlet as HTML, then as a tagged PDF (PDF/UA-1) with embedded fonts.

Nothing is fetched: the QR code is drawn locally (segno) and inlined, fonts come from the
system (Debian's Noto packages), and WeasyPrint's URL fetcher refuses every URL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import segno
from markupsafe import Markup

from ..records import Directory, Service
from ..render import Renderer, environment
from .content import PamphletContent
from .fit import Fitted, Style, fit_choosing

HERE = Path(__file__).parent
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
PDF_VARIANT = "pdf/ua-1"
_ENV = environment(HERE / "templates")
FONTS = {"zh": "Noto Sans CJK SC", "ar": "Noto Sans Arabic"}
"""The font each language's pamphlets are set in (pamphlet.css); any other: LATIN_FONT."""
LATIN_FONT = "Noto Sans"
_TAG = re.compile(r"<[^>]*>")


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

    first_sentence_of = r.first  # the same one line as a card on the site

    def first_sentence(service: Service) -> Markup:
        return r.first(service.description)

    qr = _qr_code(site_url) if site_url else Markup("")
    return _ENV.get_template("pamphlet.html.j2").render(
        r=r, c=content, paper=paper, site_url=site_url, generated=generated, qr=qr,
        first_sentence=first_sentence, first_sentence_of=first_sentence_of)


@cache
def _qr_code(site_url: str) -> Markup:
    """The site's address as a QR code, drawn once: every version of every pamphlet has
    the same one (drawing it was about a tenth of making a pamphlet's HTML, and a large
    pamphlet has a hundred versions)."""
    return Markup(segno.make(site_url, error="m").svg_inline(border=0, dark="#000"))


def pamphlet_pdf(versions: str | Sequence[str], paper: str, fetcher: Any = None) -> bytes:
    """The PDF of a pamphlet fitted to one double-sided sheet (``fit``): ``versions`` are
    its HTML from every service to the fewest (``shortened``)."""
    return fitted_pdf(versions, paper, fetcher)[0]


def fitted_pdf(versions: str | Sequence[str], paper: str, fetcher: Any = None,
               like: Fitted | None = None) -> tuple[bytes, Fitted]:
    """``pamphlet_pdf``, with what fitting chose; ``like``: what the same pamphlet on the
    other paper size chose (a head start)."""
    from weasyprint import CSS, HTML  # slow to import (~0.6 s): only when printing

    fetcher = fetcher or offline_fetcher()
    base = CSS(filename=str(HERE / "pamphlet.css"), url_fetcher=fetcher)
    candidates = [versions] if isinstance(versions, str) else versions
    parsed: dict[int, Any] = {}  # each version is parsed once, however often it is laid out

    def layout(version: int, style: Style) -> Any:
        if version not in parsed:
            parsed[version] = HTML(string=candidates[version], base_url=str(HERE),
                                   url_fetcher=fetcher)
        styles = [base, CSS(string=style.css(PAPER_SIZES[paper]), url_fetcher=fetcher)]
        return parsed[version].render(stylesheets=styles, pdf_variant=PDF_VARIANT)

    def weight(version: int) -> int:
        return len(_TAG.sub("", candidates[version].partition("<body")[2]))

    chosen = fit_choosing(layout, len(candidates), weight, like)
    # The document stays here: only the choice goes on to the other paper size.
    return chosen.document.write_pdf(pdf_variant=PDF_VARIANT), replace(chosen, document=None)


def preparing_pdf(lang: str) -> bytes:
    """One page saying, in ``lang``, that the pamphlet is being prepared: what the local
    preview serves at a pamphlet's address until its PDF is rendered (never published).
    One for both papers: it is read on screen, not printed."""
    from weasyprint import CSS, HTML

    from ..i18n import Strings

    fetcher = offline_fetcher()
    html = _ENV.get_template("preparing.html.j2").render(s=Strings(lang), lang=lang)
    styles = [CSS(filename=str(HERE / "pamphlet.css"), url_fetcher=fetcher),
              CSS(string="@page { size: A4; margin: 25mm } "
                  "html { font-size: 14pt } .preparing-note { margin-top: 8mm }",
                  url_fetcher=fetcher)]
    return HTML(string=html, base_url=str(HERE), url_fetcher=fetcher).write_pdf(
        stylesheets=styles, pdf_variant=PDF_VARIANT)
