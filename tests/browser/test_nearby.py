"""Find services near you by ZIP code or postcode, privately (issue 19), in Chromium.

The reader's place and its services are found on the device: the table of places is
fetched whole, once, only when the box is used, and is the same request for every code;
the code is never in a URL, nothing is stored, no location API is called. Without
JavaScript there is no box and the browse pages remain. A service page's QR code decodes to
the service's number.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from haven.i18n import Strings
from haven.records import Directory, load_directory

from ..conftest import DIRECTORY
from .conftest import EXIT_URL

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
TABLE = "nearby/places.json"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory(DIRECTORY).require()


def at(base_url: str, lang: str, path: str = "find-support/") -> str:
    return base_url + ("" if lang == "en" else f"{lang}/") + path


def watch(page: Any) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return requests


def look_up(page: Any, code: str) -> str:
    """Type the code, press Enter, wait for the answer; the status line's text."""
    status = page.locator("[data-haven-nearby-status]")
    page.fill("#haven-nearby-input", code)
    page.press("#haven-nearby-input", "Enter")
    page.wait_for_function("""() => {
        const s = document.querySelector('[data-haven-nearby-status]').textContent;
        const box = document.querySelector('[data-haven-nearby]');
        return s && s !== box.getAttribute('data-s-loading'); }""")
    return str(status.inner_text())


def shown(page: Any) -> set[str]:
    """The ids of the services the answer lists (from their links)."""
    hrefs = page.locator(".haven-nearby__service > a:first-child").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return {href.rstrip("/").split("/")[-1] for href in hrefs}


def serving(directory: Directory, *areas: str) -> set[str]:
    """Services for the whole of one of ``areas`` (no local areas of their own)."""
    return {s.id for s in directory.services if s.status != "inactive" and not s.local_areas
            and not s.location and set(s.service_areas) & set(areas)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_california_zip_shows_california_and_national_services_only(
        context: Any, base_url: str, directory: Directory, lang: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, lang))
    status = look_up(page, "90012")  # Los Angeles
    ids = shown(page)
    assert "Los Angeles County" in status
    assert "los-angeles-county-domestic-violence-hotline" in ids
    assert serving(directory, "US-CA", "US") <= ids
    new_york_only = {s.id for s in directory.services if set(s.service_areas) == {"US-NY"}}
    assert new_york_only and not ids & new_york_only
    assert ids <= serving(directory, "US-CA", "US") | {
        "los-angeles-county-domestic-violence-hotline"}
    # The county's own line comes first, under the county's name.
    first = page.locator(".haven-nearby__results h3").first
    assert "Los Angeles County" in first.inner_text()
    assert "los-angeles-county-domestic-violence-hotline" in str(
        page.locator(".haven-nearby__service > a").first.get_attribute("href"))

    # Elsewhere in California (San Francisco): the state's and the nation's, not LA's.
    status = look_up(page, "94103")
    assert "San Francisco" in status
    assert shown(page) == serving(directory, "US-CA", "US")
    expected = Strings(lang).get("nearby.found_other").replace(
        "{count}", str(len(serving(directory, "US-CA", "US"))))
    assert expected.split("{place}")[0] in status


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_welsh_postcode_shows_wales_and_uk_wide_services(
        context: Any, base_url: str, directory: Directory, lang: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, lang))
    status = look_up(page, "cf10 1ep")  # Cardiff, typed in small letters
    ids = shown(page)
    assert "Cardiff" in status
    assert Strings(lang).get("nearby.place").replace("{area}", "Cardiff").replace(
        "{region}", directory.regions["GB-WLS"].name_in(lang)) in status
    assert "live-fear-free" in ids
    assert ids == serving(directory, "GB-WLS", "GB")
    england_only = {s.id for s in directory.services if set(s.service_areas) == {"GB-ENG"}}
    assert england_only and not ids & england_only
    # Nothing from the United States.
    assert not ids & {s.id for s in directory.services if s.service_areas[0].startswith("US")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_or_malformed_code_is_said_plainly(context: Any, base_url: str,
                                                      lang: str) -> None:
    strings = Strings(lang)
    page = context.new_page()
    page.goto(at(base_url, lang))
    for code in ("hello", "123", "90012345678", "<b>1</b>"):
        assert look_up(page, code) == strings.get("nearby.malformed"), code
        assert shown(page) == set()
    for code in ("00000", "ZZ9 9ZZ"):  # well formed, but no such place
        assert look_up(page, code) == strings.get("nearby.unknown"), code
        assert shown(page) == set()


CODES = ["90012", "10001", "CF10 1EP", "SW1A 1AA", "hello"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_table_request_for_any_code_no_code_in_a_url_nothing_stored(
        browser: Any, base_url: str, lang: str) -> None:
    context = browser.new_context()
    context.route(EXIT_URL + "**", lambda route: route.fulfill(status=200, body="x"))
    # Any use of the location API would be recorded here.
    context.add_init_script("""(() => {
        window.__located = 0;
        const no = () => { window.__located += 1; };
        if (navigator.geolocation) {
          navigator.geolocation.getCurrentPosition = no;
          navigator.geolocation.watchPosition = no;
        } })();""")
    try:
        for code in CODES:
            page = context.new_page()
            requests = watch(page)
            page.goto(at(base_url, lang))
            page.wait_for_load_state("networkidle")
            assert not [u for u in requests if TABLE in u], "nothing loaded before the box is used"
            look_up(page, code)
            look_up(page, code)  # again: the table is kept in memory, not fetched again
            tables = [u for u in requests if TABLE in u]
            if code == "hello":  # not a code: nothing to look up, nothing fetched
                assert tables == []
            else:
                assert tables == [base_url + TABLE], (code, tables)
            bare = code.replace(" ", "").lower()
            for url in [*requests, page.url]:
                assert bare not in url.lower().replace("%20", "").replace("+", ""), url
                assert "?" not in url, url
            assert page.url == at(base_url, lang)
            assert page.evaluate("""async () => ({
                local: localStorage.length, session: sessionStorage.length,
                cookie: document.cookie, located: window.__located,
                databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
                caches: (await caches.keys()).length })""") == {
                "local": 0, "session": 0, "cookie": "", "located": 0, "databases": 0,
                "caches": 0}
            page.close()
        assert context.cookies() == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_there_is_no_box_and_the_browse_pages_remain(
        no_script: Any, base_url: str, lang: str) -> None:
    page = no_script.new_page()
    requests = watch(page)
    for path in ("find-support/", "find-support/region/us-ca/"):
        page.goto(at(base_url, lang, path))
        box = page.locator("[data-haven-nearby]")
        assert box.count() == 1
        assert box.locator("input, form, button").count() == 0
        assert not page.get_by_text(Strings(lang).get("nearby.title")).is_visible()
    page.goto(at(base_url, lang))
    assert page.locator('a[href="region/us-ca/"]').count() == 1
    assert not [u for u in requests if TABLE in u]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_place_page_has_the_box_too(context: Any, base_url: str, directory: Directory,
                                      lang: str) -> None:
    page = context.new_page()
    page.goto(at(base_url, lang, "find-support/region/us-ny/"))
    look_up(page, "11201")  # Brooklyn
    ids = shown(page)
    assert "safe-horizon-hotline" in ids
    assert "los-angeles-county-domestic-violence-hotline" not in ids
    # The service links work from a place page's depth.
    href = page.locator(".haven-nearby__service > a").first.get_attribute("href")
    page.click(".haven-nearby__service > a >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith("/services/safe-horizon-hotline/"), (href, page.url)


ZBARIMG = shutil.which("zbarimg")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_qr_code_dials_the_services_number(context: Any, base_url: str,
                                               directory: Directory, lang: str,
                                               tmp_path: Path) -> None:
    if not ZBARIMG:
        pytest.fail("zbarimg not found (apt-get install zbar-tools; scripts/setup.sh does)")
    page = context.new_page()
    for service_id in ("los-angeles-county-domestic-violence-hotline", "live-fear-free"):
        service = next(s for s in directory.services if s.id == service_id)
        number = next(p.number for p in service.phones if p.type == "voice")
        page.goto(at(base_url, lang, f"services/{service_id}/"))
        code = page.locator(".haven-take__code")
        assert code.locator("svg").count() == 1
        assert page.locator(".haven-take__code script, .haven-take__code a").count() == 0
        shot = tmp_path / f"{service_id}.png"
        code.screenshot(path=str(shot))
        decoded = subprocess.run([ZBARIMG, "--quiet", "--raw", str(shot)], capture_output=True,
                                 text=True, check=True).stdout.strip()
        assert decoded == f"tel:{number}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_answer_passes_axe_on_a_phone_and_nothing_scrolls_sideways(
        context: Any, base_url: str, lang: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import violations

    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto(at(base_url, lang))
    look_up(page, "CF10 1EP" if lang == "ar" else "90012")
    assert violations(Axe(), page) == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for button in page.locator(".haven-nearby__call").all():
        box = button.bounding_box()
        assert box and box["height"] >= 44


def test_services_with_a_point_are_shown_within_their_radius_nearest_first(
        context: Any, base_url: str, site: Path) -> None:
    """The shipped services have no point yet: the table is served with three added (the
    same file otherwise), around Cardiff's centre."""
    import json

    table = json.loads((site / TABLE).read_text(encoding="utf-8"))
    cardiff = next(p for p in table["places"] if p[1] == "ons:W06000015")
    lat, lon = cardiff[3], cardiff[4]

    def point(service_id: str, north_km: float, radius_km: float) -> dict[str, Any]:
        return {"id": service_id, "areas": ["GB-WLS"], "name": {"en": service_id},
                "point": [lat + north_km / 111.2, lon, radius_km]}

    table["services"] += [point("twenty-km-north", 20, 30), point("five-km-north", 5, 30),
                          point("forty-km-north-radius-ten", 40, 10)]
    context.route("**/" + TABLE, lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(table)))
    page = context.new_page()
    page.goto(at(base_url, "en"))
    look_up(page, "CF10 1EP")
    local = page.locator(".haven-nearby__results ul").first.locator(".haven-nearby__service")
    assert [text.split("\n")[0] for text in local.all_inner_texts()] == [
        "five-km-north about 5 km away", "twenty-km-north about 20 km away"]
    assert "forty-km-north-radius-ten" not in shown(page)
