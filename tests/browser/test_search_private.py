"""Search leaks nothing, with or without JavaScript (issue 14, item 7).

Without scripts there is no search form at all (search.js puts it in from a <template>),
so nothing can put the words in a URL, in history or in a server's log; the page offers
the browsable directory instead. With scripts, search runs on the device: the form cannot
submit anywhere (method="dialog", no named field) and the URL never changes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from haven.i18n import Strings

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
WORDS = {"en": "domestic violence", "es": "violencia", "zh": "热线", "vi": "bạo lực",
         "ar": "العنف"}
FORM_FIELDS = "form, input, textarea, select, button, [contenteditable]"


def at(base_url: str, lang: str, path: str = "") -> str:
    return base_url + ("" if lang == "en" else f"{lang}/") + path


def leaks(url: str, words: str) -> bool:
    """Whether a URL carries the words, however they might be encoded."""
    forms = {words, quote(words), quote_plus(words), words.replace(" ", "+")}
    return any(f.lower() in url.lower() for f in forms)


def history(page: Any) -> list[str]:
    """Every entry of the tab's session history, as the browser itself keeps it."""
    session = page.context.new_cdp_session(page)
    entries = session.send("Page.getNavigationHistory")["entries"]
    session.detach()
    return [e["url"] for e in entries]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_there_is_no_search_form_and_the_directory_is_offered(
        no_script: Any, base_url: str, lang: str) -> None:
    page = no_script.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(at(base_url, lang, ""))
    page.goto(at(base_url, lang, "search/"))

    # A reader who types and presses Enter anyway: nothing happens, nothing is sent.
    page.keyboard.type(WORDS[lang])
    page.keyboard.press("Enter")
    for field in page.locator("input:visible, textarea:visible").all():  # none, if ever
        field.fill(WORDS[lang])
        field.press("Enter")
        page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert "?" not in page.url and not leaks(page.url, WORDS[lang]), page.url
    assert page.url == at(base_url, lang, "search/")

    search = page.locator("[data-haven-search]")

    # Nothing that could take words and send them: no form, no field, not even hidden.
    assert search.locator(FORM_FIELDS).count() == 0
    assert page.locator("form:visible, input:visible, textarea:visible, select:visible, "
                        "[contenteditable]:visible").count() == 0
    assert page.locator("form").evaluate_all(
        "forms => forms.flatMap(f => [...f.elements].filter(e => e.name).map(e => e.name))"
    ) == [], "no form on the page has a named field"

    # Instead: a sentence in the page's language and the directory, by the three ways in.
    strings = Strings(lang)
    note = search.locator("p", has_text=strings.get("search.no_js"))
    assert note.is_visible()
    offered = {search.get_by_role("link", name=strings.get(f"title.{key}"), exact=True)
               .get_attribute("href"): key for key in ("find", "rights", "report")}
    assert len(offered) == 3
    for href in offered:
        link = search.locator(f'a[href="{href}"]')
        assert link.is_visible()
        box = link.bounding_box()
        assert box and box["height"] >= 24, "at least a 24 px target"

    # The directory is reachable from here.
    page.click(f'[data-haven-search] a[href="{next(iter(offered))}"]')
    page.wait_for_url(at(base_url, lang, "find-support/"))
    page.go_back()
    assert page.url == at(base_url, lang, "search/")

    visited = history(page)
    assert visited and all("?" not in u and not leaks(u, WORDS[lang]) for u in visited), visited
    assert all("?" not in u and not leaks(u, WORDS[lang]) for u in requests), requests


@pytest.mark.parametrize("lang", LANGUAGES)
def test_with_javascript_search_works_and_the_words_never_reach_a_url(
        context: Any, base_url: str, lang: str) -> None:
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(at(base_url, lang, ""))
    page.goto(at(base_url, lang, "search/"))
    form = page.locator("[data-haven-search] form")
    field = page.locator("#haven-search-input")

    # The form cannot send anything: it has no named field and a method that never navigates.
    assert form.get_attribute("method") == "dialog" and form.get_attribute("action") is None
    assert field.get_attribute("name") is None
    assert page.locator("[data-haven-search] noscript").count() == 1
    assert not page.locator("p", has_text=Strings(lang).get("search.no_js")).is_visible()

    field.fill(WORDS[lang])
    assert form.evaluate("f => [...new FormData(f).keys()]") == []
    field.press("Enter")
    page.wait_for_selector(".haven-search__result")
    page.locator("[data-haven-search] button[type=submit]").click()
    page.wait_for_timeout(200)
    assert page.locator(".haven-search__result").count() >= 1
    assert page.url == at(base_url, lang, "search/")

    # Even if search.js's own submit handler did not run, the browser would not navigate.
    form.evaluate("""f => f.addEventListener('submit', e => e.stopImmediatePropagation(),
                                           {capture: true})""")
    field.fill(WORDS[lang] + " x")
    field.press("Enter")
    form.evaluate("f => f.requestSubmit()")
    page.wait_for_timeout(300)
    assert page.url == at(base_url, lang, "search/")

    visited = history(page)
    assert visited[-1] == at(base_url, lang, "search/")
    assert all("?" not in u and not leaks(u, WORDS[lang]) for u in visited), visited
    assert not [u for u in requests if leaks(u, WORDS[lang]) or "q=" in u], requests
