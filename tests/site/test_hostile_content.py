"""Prose, content files and UI strings are content, not code: everything in a pull request is
untrusted. Each hostile case either fails the build with the exact message a maintainer
must see, or lands on the page escaped, as text. Builds use the small valid directory
(a few seconds each); the shipped site is the session's ``site``."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from haven.site import sanitize
from haven.site.generated import GeneratedPageError, check_front_matter, page_source
from haven.site.pages import Page
from mkdocs.exceptions import Abort
from mkdocs.utils.meta import get_data

from ..conftest import FIXTURES
from .building import CONTENT, build_site, page

HOSTILE = FIXTURES / "content"
SEE = 'remove it (see CONTRIBUTING.md, "What a prose page may contain")'

PAGES = {
    "script.en.md": [f"9:1: `<script>` is not allowed in a prose page: it would run code in "
                     f"readers' browsers — {SEE}"],
    "iframe.en.md": [f"7:1: `<iframe>` is not allowed in a prose page: it would show another "
                     f"site inside the page — {SEE}"],
    "handler.en.md": [f"7:4: the event handler `onmouseover` on `<p>` would run a script — {SEE}",
                      f"9:31: the event handler `onclick` on `<a>` would run a script — {SEE}"],
    "javascript-link.en.md": [
        "7:20: the address `javascript:alert(document.domain)` on `<a>` is not allowed — a "
        "link may go to an https:, tel:, sms: or mailto: address or to a page of this site, "
        "such as `[About this guide](about.md)`"],
    "meta-refresh.en.md": [f"7:1: `<meta>` is not allowed in a prose page: it could send "
                           f"readers to another site or weaken the page's privacy — {SEE}"],
    "meta-referrer.en.md": [f"7:1: `<meta>` is not allowed in a prose page: it could send "
                            f"readers to another site or weaken the page's privacy — {SEE}"],
    "external-image.en.md": [
        "7:5: the address `https://evil.example/pixel.png` on `<img>` is not allowed: a "
        "picture from another site tells that site who is reading — put the picture in "
        "content/ and use its file name, such as `![What it shows](picture.png)`"],
}

FILES = {
    "script.js": "`.js` files may not be in content/, which holds only Markdown pages (.md) "
                 "and pictures (.png, .jpg, .webp): anything else could run code in readers' "
                 "browsers — remove it: pages are written in Markdown (.md), and the site's "
                 "scripts and styles live in scripts/haven/theme/, which maintainers review "
                 "as code",
    "drawing.svg": "`.svg` files may not be in content/, which holds only Markdown pages (.md) "
                   "and pictures (.png, .jpg, .webp): anything else could run code in "
                   "readers' browsers — remove it; SVG can hold scripts: export the picture "
                   "as PNG and put that in content/",
}


def content_with(tmp_path: Path, *files: Path) -> Path:
    """The shipped prose pages plus ``files``."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for file in files:
        shutil.copy(file, content / file.name)
    return content


def failed_build(tmp_path: Path, directory: Path, caplog: pytest.LogCaptureFixture,
                 **options: object) -> str:
    with pytest.raises(Abort):
        build_site(tmp_path / "out", directory=directory, **options)
    return caplog.text


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hostile_html_in_a_prose_page_fails_the_build_with_file_line_and_fix(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture,
        name: str) -> None:
    content = content_with(tmp_path, HOSTILE / "pages" / name)
    log = failed_build(tmp_path, valid_directory, caplog, content=content)
    for message in PAGES[name]:
        assert f"{content / name}:{message}" in log
    assert f"{len(PAGES[name])} error(s) in the prose pages (content/); nothing was built" in log


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_file_other_than_markdown_or_a_picture_fails_the_build(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture,
        name: str) -> None:
    content = content_with(tmp_path, HOSTILE / "files" / name)
    log = failed_build(tmp_path, valid_directory, caplog, content=content)
    assert f"{content / name}: {FILES[name]}" in log
    assert not (tmp_path / "out" / "site").exists()  # refused before anything is written


def test_a_picture_must_be_what_its_name_says_and_names_must_be_plain(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture) -> None:
    content = content_with(tmp_path)
    (content / "photo.png").write_text("<svg onload=alert(1)>", encoding="utf-8")
    shutil.copy(content / "about.en.md", content / "a&b<c.en.md")
    log = failed_build(tmp_path, valid_directory, caplog, content=content)
    assert (f"{content}/photo.png: the file is not a PNG picture, whatever its name says — "
            "save the picture again as PNG, JPEG or WebP in an image editor") in log
    assert (f"{content}/a&b<c.en.md: the name `a&b<c.en.md` may only have letters, digits, "
            "`-`, `_` and `.`, and start with a letter or digit — rename it, for example "
            "`a-b-c.en.md`") in log


def test_front_matter_may_set_only_a_plain_title_and_description(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture) -> None:
    content = content_with(tmp_path)
    (content / "template.en.md").write_text(
        "---\ntitle: Fine\ntemplate: ../../../etc/passwd\nhaven_search: false\n---\n\n# x\n",
        encoding="utf-8")
    (content / "alias.en.md").write_text("---\ntitle: &t Fine\ndescription: *t\n---\n# x\n",
                                         encoding="utf-8")
    (content / "bare.en.md").write_text("# No front matter\n", encoding="utf-8")
    log = failed_build(tmp_path, valid_directory, caplog, content=content)
    assert (f"{content}/template.en.md:3:1: front matter: `template` is not a field a prose "
            "page may set — remove the line: a prose page's front matter has only `title` and "
            "`description`") in log
    assert f"{content}/template.en.md:4:1: front matter: `haven_search` is not a field" in log
    assert (f"{content}/alias.en.md:2:8: front matter: anchors (&t) are not allowed — write "
            "each value out in full") in log
    assert (f"{content}/bare.en.md:1:1: the page does not start with a front matter — make "
            "its first lines `---`, `title: The page's title`, `---`") in log


def test_markup_in_front_matter_and_ui_strings_is_escaped_wherever_it_lands(
        tmp_path: Path, valid_directory: Path) -> None:
    content = content_with(tmp_path, HOSTILE / "pages" / "markup-title.en.md")
    site = build_site(tmp_path / "out", directory=valid_directory, content=content,
                      strings=HOSTILE / "strings" / "markup")
    name = "</title><script>alert('name')</script>"
    title = "</title><script>alert('title')</script> Tom & Jerry"
    for url in ["markup-title/", "es/markup-title/", "", "find-support/", "about/"]:
        raw = (site / url / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw, url
        assert "onmouseover=\"alert" not in raw, url
        soup = page(site, url)
        assert not [s for s in soup.find_all("script") if s.string], url  # no inline script
        first = soup.head.find_all(True)[:3]  # the policy before anything a page says
        assert first[0].attrs == {"charset": "utf-8"}, url
        assert first[1].attrs == {"name": "referrer", "content": "no-referrer"}, url
        assert first[2]["http-equiv"] == "Content-Security-Policy", url
        if url.startswith("es/"):
            continue  # the hostile strings are English ones
        footer = soup.select_one(".haven-footer__privacy").get_text()
        assert footer == "<img src=x onerror=alert('footer')> No tracking.", url
        root = soup.select_one("[data-haven-exit-root]")
        assert root["data-presses-one"] == "\" onmouseover=\"alert('exit')\" data-x=\"", url
        assert soup.select_one(".haven-header__title").get_text() == name, url
    soup = page(site, "markup-title/")
    assert soup.title.get_text() == f"{title} - {name}"
    assert soup.select_one('meta[name="description"]')["content"] == \
        "\"><script>alert('description')</script>"
    assert page(site, "").title.get_text() == name
    assert page(site, "es/markup-title/").title.get_text() == f"{title} - Haven"
    assert page(site, "search/").select_one('meta[name="description"]')["content"] == \
        "\"><script>alert('description')</script>"  # the site's description, a UI string


def test_normal_prose_is_published_as_markdown_made_it(tmp_path: Path,
                                                       valid_directory: Path) -> None:
    content = content_with(tmp_path, HOSTILE / "pages" / "normal.en.md")
    site = build_site(tmp_path / "out", directory=valid_directory, content=content)
    article = page(site, "normal/").select_one("article")
    assert article.select_one("table td").get_text() == "Hotline"
    assert article.select_one(".admonition.note .admonition-title").get_text() == "A note"
    assert article.select_one("details abbr")["title"] == "Domestic violence"
    assert [li.get_text() for li in article.select("ol li")] == ["Nested", "Numbered"]
    links = {a.get_text(): a for a in article.select("a[href]")}
    assert links["link to another page"]["href"] == "../about/"
    assert links["a phone number"]["href"] == "tel:+18006564673"
    secure = links["secure link"]
    assert secure["href"] == "https://www.example.org/help"
    assert {"noreferrer", "noopener"} <= set(secure["rel"])  # like the generated pages' links
    assert article.select_one("pre code").get_text() == "code block\n"


def test_an_alias_bomb_in_a_strings_file_is_refused_at_once(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture) -> None:
    strings = HOSTILE / "strings" / "alias-bomb"
    started = time.monotonic()
    log = failed_build(tmp_path, valid_directory, caplog, strings=strings)
    assert time.monotonic() - started < 10  # was 62 s with yaml.safe_load
    assert (f"{_shown(strings / 'en.yaml')}:2:4: anchors (&a) are not allowed — write each "
            "value out in full") in log
    assert "1 error(s) in the UI strings; nothing was built" in log
    assert not (tmp_path / "out" / "site").exists()  # refused before anything is written


def test_a_syntax_error_in_a_strings_file_names_file_line_and_column(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture) -> None:
    strings = HOSTILE / "strings" / "syntax-error"
    log = failed_build(tmp_path, valid_directory, caplog, strings=strings)
    assert (f"{_shown(strings / 'en.yaml')}:3:16: this is not valid YAML (a quote is opened "
            "here but never closed) — check the indentation and that text with a colon (:) "
            "is quoted") in log


def test_the_pieces_the_build_puts_into_prose_pages_fit_the_allow_list() -> None:
    """The home page's "get help now" block and the untranslated notice are checked with
    the page around them; a class they gain must be added to the allow-list."""
    site = Path(sanitize.__file__).parent
    sources = [site / "templates" / "get_help_now.html.j2", site.parent / "render.py",
               site / "prose.py"]
    written = {name for source in sources
               for value in re.findall(r'class="([^"{]+)"', source.read_text(encoding="utf-8"))
               for name in value.split()}
    assert written and written <= sanitize.CLASSES


def test_control_characters_in_record_text_never_reach_markdown() -> None:
    """Validation refuses them in records; page generation drops them anyway, because one would make
    MkDocs read the front matter as Markdown (a link in the name would become a link)."""
    attack = "Hotline\x01 [Call](javascript:alert(1)) \x7f<b>\x9f"
    text = page_source(Page("services/x", attack, "<p>body</p>", attack,
                            meta={"haven_checked": "2026-01-01\x02"}))
    body, meta = get_data(text)
    assert meta["title"] == meta["description"] == \
        "Hotline [Call](javascript:alert(1)) &lt;b&gt;"
    assert meta["haven_checked"] == "2026-01-01"
    assert not any(c in text for c in "\x01\x02\x7f\x9f")
    assert body.startswith("# Hotline \\[Call\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;\n")


def test_a_front_matter_that_does_not_read_back_fails() -> None:
    with pytest.raises(GeneratedPageError, match=r"x\.en\.md does not read back as written"):
        check_front_matter("x.en.md", '---\ntitle: "a\x01"\n---\n# a\n', {"title": "a"})


def test_the_shipped_site_still_builds_and_its_prose_keeps_its_markup(site: Path) -> None:
    soup = page(site, "")
    assert soup.select_one(".haven-help-now a.haven-button--emergency[href^='tel:']")
    for url in ["about/", "es/understanding-support/", "ar/browse-safely/"]:
        article = page(site, url).select_one("article")
        assert article.h1 and article.select("a[href]"), url
    assert soup.title.get_text() == "Haven"


def _shown(path: Path) -> Path:
    """How the build prints a path: relative to the current folder when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def test_a_huge_front_matter_is_refused_with_the_fix(tmp_path: Path) -> None:
    from haven.site.prose import read_prose
    from haven.site.sanitize import ContentError

    page = tmp_path / "about.en.md"
    page.write_text("---\ntitle: About\ndescription: " + "x" * 20_000 + "\n---\n\nText\n",
                    encoding="utf-8")
    with pytest.raises(ContentError, match=r"about.en.md:2:1: front matter: it is longer "
                                           r"than 16 KB — keep only `title` and"):
        read_prose(page)


@pytest.mark.parametrize("href", ["https://a.example/", "HTTPS://a.example/",
                                  "https:a.example", " https://a.example/",
                                  "ht&#9;tps://a.example/", "&#104;ttps://a.example/",
                                  "//a.example/"])
def test_every_way_of_writing_another_sites_address_gets_no_referrer(href: str) -> None:
    assert sanitize.with_outbound_rel(f'<a href="{href}">x</a>') == \
        f'<a href="{href}" rel="noreferrer noopener">x</a>'


@pytest.mark.parametrize("href", ["about/", "#top", "tel:+18007997233", "sms:988",
                                  "mailto:help@example.org", "../find-support/"])
def test_links_within_the_site_and_to_phones_are_left_as_they_are(href: str) -> None:
    assert sanitize.with_outbound_rel(f'<a href="{href}">x</a>') == f'<a href="{href}">x</a>'
