"""Accessibility in a real browser (WCAG 2.2 AA), for every language.

- axe-core (bundled by axe-playwright-python) finds no violation on every page kind in every
  language and on every prose page in every language, and none with the menus open on a
  narrow screen;
- keyboard: skip link, then the exit link, then the header, then the page; the skip link
  lands in the main content; focus is always visible; tabbing goes round without a trap;
  the narrow-screen menu button works from the keyboard;
- reflow: nothing wider than a 320 px screen, and the exit button stays whole and on screen
  after scrolling; 200% text at 640 px (see test_200_percent_text) does not overflow;
- target size: header, footer and filter controls are at least 24 x 24 CSS px; on a phone,
  every link and button of the main page kinds is, and the header's actions are 44 px tall;
- languages: every page has its lang, and every inline passage in another language its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import takewhile
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from ..conftest import REPO

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
SERVICE = "services/national-domestic-violence-hotline/"
PAGE_KINDS = {
    "home": "",
    "find-support": "find-support/",
    "service": SERVICE,
    "region": "find-support/region/us-ca/",
    "region-country": "find-support/region/us/",
    "support-type": "find-support/help/crisis-line/",
    "victimization-type": "find-support/for/domestic-violence/",
    "provider": "find-support/provider/government-agency/",
    "rights": "rights/",
    "report": "report/",
    "search": "search/",
    "pamphlets": "pamphlets/",
}
# Generated page kinds that only some builds have: skipped, not failed, when absent.
OPTIONAL_KINDS = {"pamphlets"}
# Every prose page in content/, whatever is added later (index.md is the "home" kind).
PROSE = sorted(p.name.removesuffix(".en.md") for p in (REPO / "content").glob("*.en.md")
               if p.name != "index.en.md")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                          "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def at(base_url: str, lang: str, path: str = "") -> str:
    return base_url + ("" if lang == "en" else f"{lang}/") + path


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Any]:
    """One browser tab for the many axe runs: a new context per page would double the time."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def violations(axe: Axe, page: Any) -> str:
    """'' when axe finds nothing, else its readable report (rule, elements, how to fix)."""
    results = axe.run(page, options=AXE_OPTIONS)
    return "" if results.violations_count == 0 else results.generate_report()


def _pages() -> list[Any]:
    kinds = [pytest.param(lang, path, id=f"{lang}-{kind}")
             for kind, path in PAGE_KINDS.items() for lang in LANGUAGES]
    prose = [pytest.param(lang, f"{name}/", id=f"{lang}-{name}")
             for name in PROSE for lang in LANGUAGES]
    return kinds + prose


@pytest.mark.parametrize(("lang", "path"), _pages())
def test_axe_finds_no_violation(tab: Any, axe: Axe, site: Path, base_url: str, lang: str,
                                path: str) -> None:
    built = site / ("" if lang == "en" else lang) / path / "index.html"
    if not built.exists():
        if path.rstrip("/") in OPTIONAL_KINDS:
            pytest.skip(f"this build has no {path} page")
        pytest.fail(f"{built} was not built")
    tab.goto(at(base_url, lang, path))
    assert violations(axe, tab) == ""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_no_violation_on_a_narrow_screen_with_menus_open(
        context: Any, axe: Axe, base_url: str, lang: str) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["", "find-support/", SERVICE]:
        page.goto(at(base_url, lang, path))
        assert violations(axe, page) == "", path
        page.click(".haven-languages__button")
        assert page.locator(".haven-languages__list").is_visible()
        assert violations(axe, page) == "", f"{path} with the language list open"
        page.click(".haven-languages__button")  # closed again
        page.click(".haven-menu-button")
        page.wait_for_timeout(300)  # the drawer slides in
        assert violations(axe, page) == "", f"{path} with the navigation drawer open"


# Keyboard -----------------------------------------------------------------------------------

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    // A tag on the element itself, so two look-alike links are still told apart.
    e.dataset.havenTabStop = e.dataset.havenTabStop || String(Math.random());
    return {
        id: e.dataset.havenTabStop,
        tag: e.tagName.toLowerCase(), cls: e.className, text: (e.textContent || '').trim(),
        inHeader: !!e.closest('.md-header'), inMain: !!e.closest('main'),
        inMenu: !!e.closest('.haven-menu'),
        inContent: !!e.closest('.md-content'), inFooter: !!e.closest('.haven-footer'),
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        shadow: s.boxShadow !== 'none',
        width: r.width, height: r.height,
        onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
    };
}"""


def press_tab(page: Any) -> dict[str, Any] | None:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["", SERVICE], ids=["home", "service"])
def test_tab_order_starts_skip_link_exit_link_header_then_main(
        context: Any, base_url: str, lang: str, path: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, lang, path))  # 1280 x 720: the wide screens' menu row is shown
    stops = [press_tab(page) for _ in range(20)]
    assert "md-skip" in stops[0]["cls"]
    assert "haven-exit-skip" in stops[1]["cls"]
    # Then the header: site name, languages, search, the exit button; then the menu's row of
    # links under it; then the page itself.
    header = [s for s in stops[2:] if s["inHeader"]]
    assert [s["cls"].split()[0] for s in header] == [
        "haven-header__title", "haven-languages__button", "haven-header__search",
        "haven-exit__button"]
    assert stops[2:6] == header
    menu = list(takewhile(lambda s: s["inMenu"], stops[6:]))
    assert len(menu) >= 6, stops[6]
    assert stops[6 + len(menu)]["inMain"], stops[6 + len(menu)]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["", SERVICE], ids=["home", "service"])
def test_skip_link_moves_to_the_main_content(context: Any, base_url: str, lang: str,
                                             path: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, lang, path))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    h1 = page.locator(".md-content h1")
    assert page.evaluate("location.hash") == "#" + h1.get_attribute("id")
    assert h1.evaluate("e => e.getBoundingClientRect().top >= 0")
    after = press_tab(page)
    assert after["inContent"], after  # past the navigation, into the page's own content


@pytest.mark.parametrize("path", ["", SERVICE, "find-support/"],
                         ids=["home", "service", "find-support"])
def test_focus_is_always_visible_and_tabbing_goes_round_without_a_trap(
        context: Any, base_url: str, path: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, "en", path))
    seen: list[dict[str, Any]] = []
    for _ in range(250):
        stop = press_tab(page)
        if stop is None:  # past the last control: the browser's own UI, then round again
            continue
        assert stop["outline"] or stop["shadow"], f"no visible focus on {stop}"
        assert stop["onScreen"] and stop["width"] > 0, f"focus off screen: {stop}"
        if seen and "md-skip" in stop["cls"]:
            break
        assert not seen or stop["id"] != seen[-1]["id"], f"focus stuck on {stop}"
        seen.append(stop)
    else:
        pytest.fail("tabbing never came back round to the skip link")
    assert len(seen) >= 10
    assert any(s["inFooter"] for s in seen), "the footer links were never reached"
    # Backwards works too.
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert "md-skip" in page.evaluate(FOCUSED)["cls"]


def test_focus_style_on_header_footer_filter_and_content_controls(
        context: Any, base_url: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, "en", "find-support/"))
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies to .focus()
    for selector in [".haven-header__title", ".haven-languages__button",
                     ".haven-header__search", ".haven-exit__button", ".haven-footer a",
                     "select[name=region]", "input[name=always-open]",
                     ".haven-card__title a", ".haven-way summary"]:
        page.locator(selector).first.focus()
        focused = page.evaluate(FOCUSED)
        assert focused and (focused["outline"] or focused["shadow"]), selector


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_narrow_screen_menu_button_opens_and_closes_the_drawer_from_the_keyboard(
        context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(at(base_url, lang, SERVICE))
    drawer_links = page.locator(".md-sidebar--primary a[href]")
    # Closed, the off-screen drawer takes no focus: tabbing goes from the header to the page.
    stops = [press_tab(page) for _ in range(8)]
    assert not [s for s in stops if not s["onScreen"]], stops
    button = page.locator(".haven-menu-button")
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(300)  # the slide-in
    assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
    assert drawer_links.first.is_visible()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('haven-menu-button')")
    page.wait_for_timeout(300)
    assert not drawer_links.first.is_visible()


# Reflow, text size and target size ------------------------------------------------------------

EXIT_IN_VIEW = """() => {
    const b = document.querySelector('.haven-exit__button');
    const r = b.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight
        && !!top && b.contains(top);
}"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_320_px_wide_nothing_scrolls_sideways_and_exit_stays_on_screen(
        context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PAGE_KINDS.values():
        if page.goto(at(base_url, lang, path)).status == 404:
            assert path.rstrip("/") in OPTIONAL_KINDS, path
            continue
        width = page.evaluate("Math.max(document.documentElement.scrollWidth,"
                              " document.body.scrollWidth)")
        assert width <= 320, f"{path}: {width} px wide"
        assert page.evaluate(EXIT_IN_VIEW), f"{path}: exit button not whole on screen"
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(50)
        if page.evaluate("document.documentElement.scrollHeight > innerHeight + 100"):
            assert page.evaluate("scrollY") > 0, f"{path}: did not scroll"
        assert page.evaluate(EXIT_IN_VIEW), f"{path}: exit button gone after scrolling"


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_200_percent_text_does_not_overflow(context: Any, base_url: str, lang: str) -> None:
    """WCAG 1.4.4 proxy: a 640 px window (a 1280 px screen zoomed to 200%) with the text size
    doubled on top of that, by doubling Material's root font size (125% to 250%; everything
    is sized in rem). Media queries stay those of 640 px, so this is harder than zoom alone.
    Neither the page nor the main content may scroll sideways, and the exit button stays
    whole on screen (the header's tools move to a second row if they must)."""
    page = context.new_page()
    page.set_viewport_size({"width": 640, "height": 720})
    for path in PAGE_KINDS.values():
        if page.goto(at(base_url, lang, path)).status == 404:
            continue
        page.evaluate("document.documentElement.style.fontSize = '250%'")
        sizes = page.evaluate("""() => {
            const c = document.querySelector('.md-content');
            return {page: Math.max(document.documentElement.scrollWidth,
                                   document.body.scrollWidth),
                    content: c.scrollWidth, contentBox: c.clientWidth};
        }""")
        assert sizes["page"] <= 640 and sizes["content"] <= sizes["contentBox"], (path, sizes)
        assert page.evaluate(EXIT_IN_VIEW), path


TARGETS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(e => e.checkVisibility())
    .map(e => { const r = e.getBoundingClientRect();
                return {what: e.outerHTML.slice(0, 80), width: r.width, height: r.height}; })"""


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_header_footer_and_filter_controls_are_at_least_24_px(
        context: Any, base_url: str, lang: str, width: int) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(at(base_url, lang, "find-support/"))
    page.click(".haven-languages__button")  # its list's links are controls too
    # The exit skip link is 1 px until focused (measured focused in the phone test below).
    controls = page.evaluate(TARGETS, ".md-header a:not(.haven-exit-skip), .md-header summary, "
                                      ".md-header button, "
                                      ".haven-footer a, .haven-filter select, "
                                      ".haven-filter input, .haven-way summary, "
                                      ".haven-way__list a")
    assert len(controls) >= 12
    small = [c for c in controls if c["width"] < 24 or c["height"] < 24]
    assert small == []


EVERY_TARGET = """() => [...document.querySelectorAll(
        'a[href], button, summary, select, input:not([type=hidden]), label[for]')]
    .filter(e => e.checkVisibility({visibilityProperty: true})
                 && !e.matches('.md-skip, .haven-exit-skip'))
    .map(e => { const r = e.getBoundingClientRect();
                return {what: e.outerHTML.slice(0, 100), width: r.width, height: r.height}; })
    .filter(t => t.width * t.height > 0)"""
SIZE_OF_FOCUSED = """() => { const r = document.activeElement.getBoundingClientRect();
                              return [r.width, r.height]; }"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_link_and_button_on_a_phone_is_at_least_24_px_and_header_actions_44(
        context: Any, base_url: str, lang: str) -> None:
    """WCAG 2.2 target size (2.5.8) at 360 x 740, for every visible link, button, disclosure
    and form control of the home page, a service page and Find support, links in running
    text included; the header's actions (menu, languages, search, exit) are 44 px tall.
    The two skip links are measured when focused, the only time they are shown."""
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["", SERVICE, "find-support/"]:
        page.goto(at(base_url, lang, path))
        targets = page.evaluate(EVERY_TARGET)
        assert len(targets) >= 10, path
        small = [t for t in targets if t["width"] < 24 or t["height"] < 24]
        assert small == [], path
        header = page.evaluate(TARGETS, ".haven-menu-button, .haven-languages__button, "
                                        ".haven-header__search, .haven-exit__button")
        assert len(header) == 4 and all(t["height"] >= 44 for t in header), header
        for _ in range(2):
            page.keyboard.press("Tab")
            width, height = page.evaluate(SIZE_OF_FOCUSED)
            assert width >= 24 and height >= 24, (path, width, height)


# Languages ----------------------------------------------------------------------------------

PASSAGES = """() => [...document.querySelectorAll('body [lang]')]
    .map(e => e.getAttribute('lang'))"""
# Link texts that say nothing out of context (WCAG 2.4.4), in the guide's languages.
VAGUE = {"here", "click here", "more", "read more", "link", "this", "aquí", "haga clic aquí",
         "más", "这里", "点击这里", "更多", "tại đây", "xem thêm", "هنا", "المزيد", "اضغط هنا"}
LINK_NAMES = """() => [...document.querySelectorAll('a[href]')].filter(a => a.checkVisibility())
    .map(a => (a.getAttribute('aria-label') || a.textContent).trim().toLowerCase())"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_languages_are_marked_and_link_texts_make_sense(
        context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()
    for path in [*PAGE_KINDS.values(), *(f"{name}/" for name in PROSE)]:
        if page.goto(at(base_url, lang, path)).status == 404:
            continue
        assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.evaluate("document.body.dir") == ("rtl" if lang == "ar" else "ltr"), path
        names = page.eval_on_selector_all(
            ".haven-languages__list a", "els => els.map(a => [a.lang, a.hreflang, a.dir])")
        assert sorted(n[0] for n in names) == sorted(LANGUAGES), path
        assert all(n[0] == n[1] and n[2] == ("rtl" if n[0] == "ar" else "ltr")
                   for n in names), names
        assert set(page.evaluate(PASSAGES)) <= set(LANGUAGES), path
        links = page.evaluate(LINK_NAMES)
        assert all(links) and not set(links) & VAGUE, (path, set(links) & VAGUE)
