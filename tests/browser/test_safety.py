"""Survivor safety in a real browser, for every language: only the site's own requests,
no trace left in any storage, a quick exit that works every way, pages that work without
JavaScript, and no Content-Security-Policy violations or console errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from haven.i18n import Strings
from haven.records import Directory

from .conftest import CHROMIUM, CHROMIUM_ARGS, EXIT_URL

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
SERVICE = "services/national-domestic-violence-hotline/"
SEARCH_WORDS = {"en": "hotline", "es": "violencia", "zh": "热线", "vi": "bạo lực", "ar": "العنف"}


def at(base_url: str, lang: str, path: str = "") -> str:
    return base_url + ("" if lang == "en" else f"{lang}/") + path


class Watcher:
    """Everything a page asked for, and everything that went wrong, while we used it."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: r.status >= 400 and self.failures.append(
            f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # CSP violations are reported as events on the document; collect them too.
        page.add_init_script("""document.addEventListener('securitypolicyviolation',
            e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));""")


def storage_is_empty(page: Any, context: Any) -> None:
    state = context.storage_state()
    assert state["cookies"] == []
    assert all(not o.get("localStorage") for o in state["origins"])
    found = page.evaluate("""async () => ({
        cookie: document.cookie,
        local: localStorage.length,
        session: sessionStorage.length,
        idb: (await indexedDB.databases()).length,
        caches: (await caches.keys()).length,
        workers: (await navigator.serviceWorker.getRegistrations()).length,
    })""")
    assert found == {"cookie": "", "local": 0, "session": 0, "idb": 0, "caches": 0,
                     "workers": 0}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_browsing_searching_filtering_and_switching_stays_on_site_and_leaves_no_trace(
        context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()
    watch = Watcher(page)
    for path in ["", SERVICE, "rights/", "report/", "browse-safely/", "about/"]:
        page.goto(at(base_url, lang, path))
    page.goto(at(base_url, lang, "find-support/"))
    page.select_option("select[name=region]", "US-CA")
    page.check("input[name=always-open]")
    assert page.locator(".haven-card:visible").count() >= 1
    assert page.url == at(base_url, lang, "find-support/")  # filtering never changes the URL
    page.goto(at(base_url, lang, "search/"))
    page.fill("#haven-search-input", SEARCH_WORDS[lang])
    page.press("#haven-search-input", "Enter")
    page.wait_for_selector(".haven-search__result")
    results = page.eval_on_selector_all(".haven-search__link", "els => els.map(e => e.href)")
    assert results and all(r.startswith(at(base_url, lang)) for r in results), results
    if lang != "en":  # an Arabic reader never gets another language's results
        assert not any(r.startswith(at(base_url, "en", "services")) for r in results)
    assert SEARCH_WORDS[lang] not in page.url and "?" not in page.url
    page.goto(at(base_url, lang, SERVICE))
    page.click(".haven-languages__button")
    other = "es" if lang == "en" else "en"
    page.click(f'.haven-languages__list a[hreflang="{other}"]')
    assert page.url == at(base_url, other, SERVICE)

    outside = [u for u in watch.requests if not u.startswith(base_url)]
    assert outside == []
    assert watch.failures == []
    assert watch.errors == []
    storage_is_empty(page, context)


def test_only_the_search_page_downloads_search_files(context: Any, base_url: str) -> None:
    page = context.new_page()
    watch = Watcher(page)
    page.goto(at(base_url, "ar", SERVICE))
    page.goto(at(base_url, "ar", "find-support/"))
    assert not [u for u in watch.requests if "pagefind" in u]
    page.goto(at(base_url, "ar", "search/"))
    page.fill("#haven-search-input", "العنف")
    page.press("#haven-search-input", "Enter")
    page.wait_for_selector(".haven-search__result")
    indexes = [u for u in watch.requests if "/pagefind/" in u and ".pf_" in u]
    assert indexes and all("pagefind.ar_" in u or "/ar_" in u or "fragment" in u
                           or "index/" in u for u in indexes), indexes
    assert not [u for u in watch.requests if "pagefind.en_" in u or "pagefind.es_" in u]


def exit_and_check(page: Any, base_url: str, lang: str, activate: Any) -> None:
    """Activate the exit: the page is hidden in the same task, then replaced in history."""
    page.goto(at(base_url, lang, ""))
    page.goto(at(base_url, lang, SERVICE))
    with page.expect_navigation(url=EXIT_URL + "**"):
        activate(page)
    assert page.url.startswith(EXIT_URL)
    page.go_back()
    assert page.url != at(base_url, lang, SERVICE), "Back must not return to the page"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quick_exit_by_click_hides_page_at_once_and_replaces_history(
        context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()
    held: list[Any] = []
    page.route(EXIT_URL + "**", lambda route: held.append(route))  # hold the departure
    page.goto(at(base_url, lang, SERVICE))
    seen = page.evaluate("""() => {
        document.querySelector('.haven-exit__button').click();
        // Still inside the click's task: the overlay must already cover everything.
        const overlay = document.querySelector('.haven-exit-overlay');
        const box = overlay && overlay.getBoundingClientRect();
        return {
          overlay: !!overlay,
          covers: !!box && box.width >= innerWidth && box.height >= innerHeight,
          mainHidden: getComputedStyle(document.querySelector('main')).visibility === 'hidden',
        };
    }""")
    assert seen == {"overlay": True, "covers": True, "mainHidden": True}
    page.wait_for_timeout(100)
    assert held, "the exit must leave for the configured destination"
    held[0].fulfill(status=200, content_type="text/html", body="<title>Weather</title>")
    page.wait_for_url(EXIT_URL + "**")
    page.unroute(EXIT_URL + "**")
    exit_and_check(page, base_url, lang, lambda p: p.click(".haven-exit__button"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_quick_exit_by_keyboard(context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()

    def tab_to_exit_link(p: Any) -> None:
        p.keyboard.press("Tab")
        p.keyboard.press("Tab")
        assert p.evaluate("document.activeElement.classList.contains('haven-exit-skip')")
        p.keyboard.press("Enter")

    exit_and_check(page, base_url, lang, tab_to_exit_link)

    def space_on_button(p: Any) -> None:
        p.focus(".haven-exit__button")
        p.keyboard.press(" ")

    exit_and_check(page, base_url, lang, space_on_button)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quick_exit_by_pressing_shift_three_times(context: Any, base_url: str,
                                                  lang: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, lang, SERVICE))
    page.keyboard.press("Shift")
    status = page.locator("[data-haven-exit-status]")
    assert "2" in status.text_content()  # screen readers hear how many presses remain
    page.keyboard.press("Shift+A")  # Shift as a modifier does not count, and resets
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == at(base_url, lang, SERVICE), "Shift+A must not count as a press"
    page.keyboard.press("x")  # any other key resets the count
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == at(base_url, lang, SERVICE)
    exit_and_check(page, base_url, lang, lambda p: [p.keyboard.press("Shift")
                                                    for _ in range(3)])


def test_overlay_is_cleared_when_page_is_restored_from_back_forward_cache(
        context: Any, base_url: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, "en", SERVICE))
    page.evaluate("""() => {
        document.documentElement.classList.add('haven-exiting');
        const o = document.createElement('div'); o.className = 'haven-exit-overlay';
        document.body.appendChild(o);
        dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));
    }""")
    assert page.locator(".haven-exit-overlay").count() == 0
    assert page.evaluate("document.documentElement.classList.contains('haven-exiting')") is False


# The quick exit against GOV.UK Frontend's "Exit this page" (exit-this-page.mjs and its
# tests): a held Shift is one press, "Loading." is announced when the exit starts, the
# announcements are cleared when Back brings the page back, and the timeout is announced.
STATUS = "[data-haven-exit-status]"
# Every live region a screen reader would read out now: not hidden, not aria-hidden, not
# empty; with the language it is read in.
ANNOUNCED = """() => [...document.querySelectorAll(
        '[role=alert], [role=status], [role=log], [aria-live]')]
    .filter(e => e.getAttribute('aria-live') !== 'off' && !e.closest('[aria-hidden=true]')
                 && e.checkVisibility({visibilityProperty: true}))
    .filter(e => e.textContent.trim())
    .map(e => [e.closest('[lang]').lang, e.textContent.trim()])"""


def said(lang: str, key: str, count: int | None = None) -> str:
    """A quick-exit announcement as the strings file of ``lang`` words it."""
    text = Strings(lang).get(f"exit.{key}")
    return text if count is None else text.replace("{count}", str(count))


def status_of(page: Any) -> str:
    return page.locator(STATUS).text_content().strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quick_exit_counts_a_held_shift_key_once(context: Any, base_url: str,
                                                 lang: str) -> None:
    """A Shift held long enough to auto-repeat sends many keydowns (repeat: true) and one
    keyup: like GOV.UK, that is one press, neither none nor one per repeat."""
    page = context.new_page()
    page.add_init_script("""window.__repeats = 0;
        addEventListener('keydown', e => { if (e.repeat) window.__repeats++; }, true);""")
    page.goto(at(base_url, lang, SERVICE))

    def hold_shift() -> None:
        page.keyboard.down("Shift")
        for _ in range(6):
            page.keyboard.down("Shift")  # a key already down: Playwright sends repeat: true
        page.keyboard.up("Shift")

    hold_shift()
    assert page.evaluate("window.__repeats") == 6, "the browser must see auto-repeat"
    page.wait_for_timeout(200)
    assert page.url == at(base_url, lang, SERVICE), "a held Shift is not three presses"
    assert status_of(page) == said(lang, "presses_left_other", 2)
    page.keyboard.press("Shift")
    assert status_of(page) == said(lang, "presses_left_one")
    with page.expect_navigation(url=EXIT_URL + "**"):
        hold_shift()  # the third press, held: it counts, and the exit starts
    assert page.url.startswith(EXIT_URL)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quick_exit_announces_loading_in_the_page_language(context: Any, base_url: str,
                                                           lang: str) -> None:
    """Every way of leaving announces GOV.UK's "Loading.", in the page's language, in a live
    region that is not hidden behind the overlay; nothing else is announced."""
    page = context.new_page()
    page.route(EXIT_URL + "**", lambda route: route.fulfill(status=204))  # stay to listen
    loading = said(lang, "activated")
    if lang != "en":
        assert loading != said("en", "activated"), "not translated"

    def skip_link(p: Any) -> None:
        p.focus(".haven-exit-skip")
        p.keyboard.press("Enter")

    def space(p: Any) -> None:
        p.focus(".haven-exit__button")
        p.keyboard.press(" ")

    ways = {"click": lambda p: p.click(".haven-exit__button"),
            "skip link and Enter": skip_link, "Space": space,
            "Shift three times": lambda p: [p.keyboard.press("Shift") for _ in range(3)]}
    for way, activate in ways.items():
        page.goto(at(base_url, lang, SERVICE))
        assert page.evaluate(ANNOUNCED) == [], way
        activate(page)
        page.wait_for_selector(".haven-exit-overlay", state="attached")
        page.wait_for_timeout(50)
        assert page.evaluate(ANNOUNCED) == [[lang, loading]], way


@pytest.fixture(scope="module")
def bfcache_browser(browser: Any) -> Iterator[Any]:
    """Chromium with its back/forward cache on (Playwright turns it off by default)."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"])
    yield launched
    launched.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_back_forward_cache_restores_the_page_quiet_and_counting_from_zero(
        bfcache_browser: Any, base_url: str, lang: str) -> None:
    """Shift twice, then the exit starts but the destination never answers, then the
    reader goes elsewhere and comes Back: the page is restored from the back/forward cache
    as it was left. It must come back usable: no overlay, nothing left in any live region
    ("Press Shift 1 more time", "Loading."), and the count back at zero."""
    context = bfcache_browser.new_context()
    context.route(EXIT_URL + "**", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.add_init_script(
        "addEventListener('pageshow', e => { window.__restored = e.persisted; });")
    page.goto(at(base_url, lang, SERVICE))
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert status_of(page) == said(lang, "presses_left_one")
    page.click(".haven-exit__button")
    page.wait_for_selector(".haven-exit-overlay", state="attached")
    page.goto(at(base_url, lang, "about/"))
    page.go_back(wait_until="commit")
    page.wait_for_function("window.__restored !== undefined")
    assert page.evaluate("window.__restored") is True, "not restored from the bfcache"
    assert page.url == at(base_url, lang, SERVICE)
    assert page.locator(".haven-exit-overlay").count() == 0
    assert page.evaluate("document.documentElement.classList.contains('haven-exiting')") \
        is False
    assert status_of(page) == ""
    assert page.evaluate(ANNOUNCED) == []
    page.keyboard.press("Shift")  # one press is one press again, not the third
    page.wait_for_timeout(200)
    assert page.url == at(base_url, lang, SERVICE)
    assert status_of(page) == said(lang, "presses_left_other", 2)
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quick_exit_count_expires_after_five_seconds_and_says_so(context: Any, base_url: str,
                                                                 lang: str) -> None:
    """GOV.UK's timing: up to 5 s between presses; then the count is reset and "Exit this
    page expired." is announced, and cleared 5 s later. Another key between presses resets
    the count and says so too."""
    page = context.new_page()
    page.clock.install()
    page.goto(at(base_url, lang, SERVICE))
    expired = said(lang, "timed_out")
    if lang != "en":
        assert expired != said("en", "timed_out"), "not translated"
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert status_of(page) == said(lang, "presses_left_one")
    page.clock.run_for(4000)
    assert status_of(page) == said(lang, "presses_left_one"), "expired too early"
    page.clock.run_for(1500)
    assert status_of(page) == expired
    page.keyboard.press("Shift")  # counting starts again from zero
    assert status_of(page) == said(lang, "presses_left_other", 2)
    page.clock.run_for(5500)
    assert status_of(page) == expired
    page.clock.run_for(5500)
    assert status_of(page) == "", "the expiry message is cleared, as GOV.UK does"
    page.keyboard.press("Shift")
    page.keyboard.press("x")  # another key between presses: reset, and said
    assert status_of(page) == expired
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert page.url == at(base_url, lang, SERVICE)
    assert status_of(page) == said(lang, "presses_left_one")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_content_is_readable_and_exit_is_a_link(
        browser: Any, base_url: str, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title>"))
    page = context.new_page()
    page.goto(at(base_url, lang, SERVICE))
    assert page.locator("h1").is_visible()
    assert page.locator(".haven-actions a[href^='tel:']").first.is_visible()
    exit_link = page.locator(".haven-exit__button")
    assert exit_link.get_attribute("href") == EXIT_URL
    assert "noreferrer" in exit_link.get_attribute("rel")
    page.goto(at(base_url, lang, "find-support/"))
    assert page.locator(".haven-card").first.is_visible()  # the whole list, unfiltered
    assert page.locator("[data-haven-filter]").is_hidden()
    exit_link.click()
    page.wait_for_url(EXIT_URL + "**")
    context.close()


def test_every_page_declares_no_referrer_and_a_strict_csp(context: Any, base_url: str) -> None:
    page = context.new_page()
    for lang in LANGUAGES:
        page.goto(at(base_url, lang, SERVICE))
        assert page.locator('meta[name="referrer"]').get_attribute("content") == "no-referrer"
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
        # WebAssembly and workers only where search needs them
        assert "'wasm-unsafe-eval'" not in csp and "worker-src 'none'" in csp
        page.goto(at(base_url, lang, "search/"))
        csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
        assert "'wasm-unsafe-eval'" in csp and "worker-src 'self'" in csp


def test_exit_stays_one_tap_away_with_the_menu_open(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 700})
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title>"))
    page = context.new_page()
    page.goto(at(base_url, "ar", ""))
    page.click(".haven-menu-button")
    page.wait_for_timeout(300)
    box = page.locator(".haven-exit__button").bounding_box()
    on_top = page.evaluate(f"document.elementFromPoint({box['x'] + box['width'] / 2}, "
                           f"{box['y'] + box['height'] / 2}).closest('.haven-exit__button') "
                           "!== null")
    assert on_top
    page.click(".haven-exit__button")
    page.wait_for_url(EXIT_URL + "**")
    context.close()


def test_choosing_a_country_shows_the_services_of_its_parts(context: Any, base_url: str,
                                                            shipped: Directory) -> None:
    """A reader who picks "United Kingdom" sees England's and Wales's services too."""
    page = context.new_page()
    page.goto(at(base_url, "en", "find-support/"))
    page.select_option("select[name=region]", "GB")
    shown = set(page.eval_on_selector_all(
        ".haven-card:visible .haven-card__title a",
        "els => els.map(e => e.getAttribute('href').replace(/\\/$/, '').split('/').pop())"))
    expected = {s.id for s in shipped.services
                if any(a.split("-")[0] == "GB" for a in s.service_areas)}
    assert "live-fear-free" in expected and shown == expected
    page.select_option("select[name=region]", "GB-WLS")
    in_wales = page.locator(".haven-card:visible").count()
    assert in_wales == len([s for s in shipped.services
                            if {"GB-WLS", "GB"} & set(s.service_areas)])
