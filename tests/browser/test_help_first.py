"""Help first, as a reader on a 360×740 phone sees it, in every language: the first Call
button on every service page is on the first screen, buttons are big enough to hit, and no
phone number is broken across lines anywhere a number is shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from haven.records import Directory

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
PHONE = {"width": 360, "height": 740}

# Every line box of each number; more than one distinct top means it wraps.
NUMBER_LINES = """els => els.filter(e => e.offsetParent).map(e => {
  const tops = new Set([...e.getClientRects()].map(r => Math.round(r.top)));
  return [e.textContent, tops.size];
}).filter(([, lines]) => lines > 1)"""


def at(base_url: str, lang: str, path: str = "") -> str:
    return base_url + ("" if lang == "en" else f"{lang}/") + path


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_first_call_button_is_on_the_first_screen_of_every_service_page(
        phone: Any, base_url: str, shipped: Directory, lang: str) -> None:
    late = []
    for service in shipped.services:
        if not (service.phones or service.chat_url):
            continue
        phone.goto(at(base_url, lang, f"services/{service.id}/"))
        button = phone.locator(".haven-actions .haven-button").first
        box = button.bounding_box()
        assert box, service.id
        if box["y"] + box["height"] > PHONE["height"] or box["height"] < 44:
            late.append((service.id, round(box["y"] + box["height"]), round(box["height"])))
    assert late == [], f"bottom edge / height past 740 px or under 44 px: {late}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_buttons_are_at_least_44_px_and_numbers_never_wrap(
        phone: Any, base_url: str, lang: str) -> None:
    for path in ["", "find-support/region/us-ca/", "find-support/region/gb/",
                 "services/national-domestic-violence-hotline/", "report/",
                 "find-support/help/crisis-line/"]:
        phone.goto(at(base_url, lang, path))
        small = phone.eval_on_selector_all(".haven-button", """els => els
            .filter(e => e.offsetParent)
            .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)""")
        assert small == [], (path, small)
        assert phone.eval_on_selector_all(".haven-number", NUMBER_LINES) == [], path


def test_the_uk_region_page_lists_englands_and_waless_services(
        phone: Any, base_url: str, shipped: Directory) -> None:
    phone.goto(at(base_url, "es", "find-support/region/gb/"))
    listed = set(phone.eval_on_selector_all(
        ".haven-card__title a", "els => els.map(e => e.getAttribute('href').split('/').at(-2))"))
    parts = {s.id for s in shipped.services if {"GB-ENG", "GB-WLS"} & set(s.service_areas)}
    assert parts and parts <= listed
    emergency = phone.locator(".haven-button--emergency").first
    assert emergency.get_attribute("href") == "tel:999"
    box = emergency.bounding_box()
    assert box and box["height"] >= 48 and box["y"] + box["height"] <= PHONE["height"]
