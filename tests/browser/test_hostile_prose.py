"""A prose page that passes the allow-list but was written by an attacker (the fixture
allowed-but-hostile.en.md: links to trackers, a fake "Exit", markup in code), read in
Chromium on a phone: it makes no request to another host, stores nothing, leaves the quick
exit alone, its links tell other sites nothing, and markup in code stays text."""

from __future__ import annotations

import base64
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from haven.site.plugin import HavenConfig

from ..conftest import DIRECTORY, FIXTURES
from ..site.building import CONTENT, build_site
from .conftest import STAND_IN, _Quiet
from .test_safety import Watcher, storage_is_empty

PAGE = FIXTURES / "content" / "pages" / "allowed-but-hostile.en.md"
URLS = {"en": "notes/", "ar": "ar/notes/"}
OUTBOUND = """els => els.filter(a => a.protocol === 'https:' && a.origin !== location.origin)
    .map(a => ({href: a.getAttribute('href'), rel: a.rel}))"""
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAE0lEQVR42mNQSFgARAwLEh"
                       "SACAAfjgSB6BHAyQAAAABJRU5ErkJggg==")  # 2×2 pixels


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, exit_url) of the shipped prose plus the page as notes.en.md and notes.ar.md,
    with the records of ``valid_directory`` (tests/conftest.py), served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("hostile-prose")
    directory = tmp / "directory"
    for part in ("schema", "vocabularies"):
        shutil.copytree(DIRECTORY / part, directory / part)
    shutil.copy(DIRECTORY / "regions.yaml", directory / "regions.yaml")
    shutil.copytree(FIXTURES / "records" / "valid", directory, dirs_exist_ok=True)
    content = shutil.copytree(CONTENT, tmp / "content")
    for lang in URLS:
        shutil.copy(PAGE, content / f"notes.{lang}.md")
    (content / "picture.png").write_bytes(PNG)
    site = build_site(tmp / "out", directory=directory, content=content)
    config = yaml.safe_load((tmp / "out" / "mkdocs.yml").read_text(encoding="utf-8"))
    haven = next(p["haven"] for p in config["plugins"] if isinstance(p, dict) and "haven" in p)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", haven.get(
        "exit_url", HavenConfig.exit_url.default)
    server.shutdown()


@pytest.fixture
def phone(browser: Any, served: tuple[str, str]) -> Iterator[Any]:
    """A fresh phone-sized profile; the exit destination is a local stand-in."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    context.route(served[1] + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=STAND_IN))
    yield context
    context.close()


@pytest.mark.parametrize("lang", URLS)
def test_reading_it_contacts_no_other_host_and_stores_nothing(
        phone: Any, served: tuple[str, str], lang: str) -> None:
    base_url, _ = served
    page = phone.new_page()
    watch = Watcher(page)
    page.goto(base_url + URLS[lang], wait_until="networkidle")
    for link in page.locator("article a[href]").all():
        link.hover()  # nothing may prefetch or ping on hover
    page.click("article summary")  # close and reopen the <details>
    page.click("article summary")
    page.click("article a[href='#notes']")
    page.mouse.wheel(0, 5000)
    page.wait_for_load_state("networkidle")
    outside = [u for u in watch.requests if not u.startswith(base_url)]
    assert outside == [], f"requests to other hosts: {outside}"
    assert [u for u in watch.requests if u.endswith("/picture.png")]  # requests are seen
    assert page.evaluate("[...document.querySelectorAll('article img')]"
                         ".every(i => i.complete && i.naturalWidth === 2)")
    assert watch.failures == [] and watch.errors == []
    storage_is_empty(page, phone)


@pytest.mark.parametrize("how", ["click", "enter", "skip-link", "shift"])
@pytest.mark.parametrize("lang", URLS)
def test_the_quick_exit_keeps_its_destination_and_still_works(
        phone: Any, served: tuple[str, str], lang: str, how: str) -> None:
    base_url, exit_url = served
    page = phone.new_page()
    url = base_url + URLS[lang]
    page.goto(url)
    hrefs = page.eval_on_selector_all("[data-haven-exit]",
                                      "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and set(hrefs) == {exit_url}
    assert page.locator("article [data-haven-exit], article .haven-exit-overlay").count() == 0
    # Scrolled at once (a wheel scrolls smoothly: the header would still be moving).
    page.evaluate("window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'})")
    page.wait_for_function("() => window.scrollY > 0")
    box = page.locator(".haven-exit__button").bounding_box()
    assert page.evaluate(f"document.elementFromPoint({box['x'] + box['width'] / 2}, "
                         f"{box['y'] + box['height'] / 2}).closest('.haven-exit__button') "
                         "!== null"), "something covers the exit button"
    if how == "click":
        page.click(".haven-exit__button")
    elif how == "shift":
        page.click("article h1")
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        page.focus(".haven-exit__button" if how == "enter" else ".haven-exit-skip")
        page.keyboard.press("Enter")
    page.wait_for_url(lambda u: u != url, timeout=5000)
    assert page.url == exit_url
    assert page.title() == "Weather"  # the stand-in: nothing left the machine


@pytest.mark.parametrize("lang", URLS)
def test_links_tell_other_sites_nothing_and_markup_in_code_is_text(
        phone: Any, served: tuple[str, str], lang: str) -> None:
    page = phone.new_page()
    page.goto(served[0] + URLS[lang])
    head = page.eval_on_selector_all("head > *", "els => els.slice(0, 3).map(e => "
                                     "[e.getAttribute('charset'), e.name, e.httpEquiv])")
    # The policy before anything a page says (the charset must come first of all).
    assert head == [["utf-8", "", ""], [None, "referrer", ""],
                    [None, "", "Content-Security-Policy"]]
    assert page.get_attribute('meta[name="referrer"]', "content") == "no-referrer"
    links = page.eval_on_selector_all("article a[href]", OUTBOUND)
    written = [link for link in links if link["href"].startswith("https://")]
    assert len(written) >= 8, links
    bare = [link["href"] for link in written if not {"noopener", "noreferrer"}
            <= set(link["rel"].split())]
    assert bare == [], f"links to other sites without rel=noreferrer noopener: {bare}"
    codes = page.eval_on_selector_all("article code", "els => els.map(e => e.textContent)")
    assert "<script>alert(1)</script>" in codes
    assert any(c.startswith("<script>document.location") for c in codes), codes
    assert page.locator("article script, article iframe, article meta, head base").count() == 0
    assert page.evaluate("[...document.querySelectorAll('article *')].flatMap(e => "
                         "e.getAttributeNames()).filter(n => n.startsWith('on'))") == []


def test_links_a_browser_reads_as_https_get_rel_too(phone: Any,
                                                    served: tuple[str, str]) -> None:
    page = phone.new_page()
    page.goto(served[0] + URLS["en"])
    links = page.eval_on_selector_all("article a[href]", OUTBOUND)
    bare = [link["href"] for link in links if "noreferrer" not in link["rel"].split()]
    assert bare == [], f"links to other sites without rel=noreferrer noopener: {bare}"
