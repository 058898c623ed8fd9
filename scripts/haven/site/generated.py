"""The generated pages of one language as MkDocs files, made in memory.

Each page becomes a ``File.generated`` whose content is its front matter and its H1 (so
MkDocs' table of contents and Material's skip link find the heading); its finished HTML body
is kept beside it and put after the heading once Markdown has run (plugin.on_page_content):
Python-Markdown re-parsing thousands of raw HTML blocks was most of the build time. The
files are added after static-i18n has sorted the content folder's files, already in the
language being built: their source paths are ``<page>.<lang>.md`` like a prose page's, so
that the menu (``nav:`` in mkdocs.yml) finds them, and their addresses are Haven's own
(urls.page_url).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from ..project import Languages
from ..records import Directory
from ..render import attribute_text
from ..urls import page_url
from .pages import LanguagePages, Page, RenderCache
from .prose import printable


class GeneratedPageError(Exception):
    """A generated page does not say what was meant: a bug in Haven, never the content's."""


def language_pages(directory: Directory, lang: str, default: str,
                   cache: RenderCache | None = None, public_url: str = "") -> list[Page]:
    """Every generated page of one language; services' pages come from ``cache`` when it
    has them (while serving). ``public_url``: the site's address, for pages' QR codes."""
    cache = cache or RenderCache()
    pages = LanguagePages(directory, lang, default, cache, public_url)
    return [*pages.all(), *(cache.get(service, ("page", lang), lambda s=service: pages.service(s))
                            for service in directory.services)]


def source_uri(page: Page, lang: str) -> str:
    return f"{page.path}.{lang}.md"


def generated_file(config: MkDocsConfig, page: Page, source: str, lang: str,
                   default: str) -> File:
    """The page as a file MkDocs builds, at the page's address in its language."""
    file = File.generated(config, source_uri(page, lang), content=source)
    # MkDocs lets plugins set where a file is written; its url follows from it.
    file.dest_uri = page_url(page.path, lang, default) + "index.html"
    return file


def page_source(page: Page) -> str:
    """A generated page's front matter and heading, checked to read back as meant. Record
    text reaches both: a control character (``\\x01``) would make MkDocs read the front
    matter as Markdown, so such characters are dropped first (validation refuses them in
    records too)."""
    page = dataclasses.replace(page, title=printable(page.title),
                               description=printable(page.description),
                               meta={k: printable(str(v)) for k, v in page.meta.items()})
    meant: dict[str, Any] = {"title": attribute_text(page.title)}
    if page.description:
        meant["description"] = attribute_text(page.description)
    if not page.searchable:
        meant["haven_search"] = False
    meant.update(page.meta)
    text = page.markdown()
    check_front_matter(f"{page.path}.md", text, meant)
    return text


def check_front_matter(relative: str, text: str, meant: dict[str, Any]) -> None:
    """Raise GeneratedPageError unless MkDocs reads ``text``'s front matter as ``meant``.
    A text already read back as meant is not read again (while serving, every page's
    front matter is made again after each edit)."""
    key = hash((text, repr(meant)))
    if key in _READ_BACK:
        return
    _, read = get_data(text)
    wrong = [key for key, value in meant.items() if read.get(key) != value]
    if wrong:
        key = wrong[0]
        raise GeneratedPageError(
            f"haven: the generated page {relative} does not read back as written ({key}: "
            f"{meant[key]!r} became {read.get(key)!r}); this is a bug in Haven, please "
            "report it")
    _READ_BACK.add(key)


_READ_BACK: set[int] = set()
"""Hashes of (text, meant) that read back as meant."""


def dump_pages(directory: Directory, languages: Languages, out: Path) -> int:
    """Write every generated page of every language to ``out`` as MkDocs would read it
    (front matter and heading) with its HTML body after it, for debugging; returns how
    many were written."""
    count = 0
    for lang in languages.codes:
        for page in language_pages(directory, lang, languages.default):
            target = out / source_uri(page, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_source(page) + "\n" + page.html() + "\n", encoding="utf-8")
            count += 1
    return count
