"""Generated pages of one language, without building a site: fast checks of what they hold."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from haven.records import load_directory
from haven.synthetic import service as synthetic_service

from .conftest import DIRECTORY


def test_get_help_now_lists_a_bounded_number_of_lines_per_place(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import MAX_PLACE_LINES, LanguagePages

    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    for i in range(40):
        data = synthetic_service(i, ("en", "es"))
        data.update(hours={"always_open": True}, service_areas=["US"])
        (directory / "services" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    crowded = load_directory(directory).require()
    soup = BeautifulSoup(LanguagePages(crowded, "es", "en").get_help_now(), "html.parser")
    us = soup.select_one("#help-us")
    assert len(us.select(".haven-lines__item")) == MAX_PLACE_LINES
    lines = [s for s in crowded.services if s.always_open and "US" in s.service_areas
             and (s.phones or s.chat_url)]
    more = us.select_one(".haven-lines__more a")
    assert more.get_text() == (f"Hay {len(lines) - MAX_PLACE_LINES} líneas más que atienden "
                               "las 24 horas en Estados Unidos")
    assert more["href"] == "find-support/region/us/"


def crowded_directory(tmp_path: Path, count: int, area: str) -> Path:
    """The shipped directory plus ``count`` synthetic services for ``area``."""
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    for i in range(count):
        data = synthetic_service(i, ("en", "es"))
        data.update(service_areas=[area])
        (directory / "services" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def test_a_long_list_is_paged_and_every_service_is_one_link_away(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LIST_PAGE_SIZE, LanguagePages

    crowded = load_directory(crowded_directory(tmp_path, 120, "US-CA")).require()
    pages = [p for p in LanguagePages(crowded, "es", "en").browse_pages()
             if p.path.startswith("find-support/region/us-ca")]
    in_region = crowded.services_in("US-CA")
    count = -(-len(in_region) // LIST_PAGE_SIZE)
    assert [p.path for p in pages] == ["find-support/region/us-ca"] + [
        f"find-support/region/us-ca/{n}" for n in range(2, count + 1)]
    assert pages[1].title == f"Apoyo en California (página 2 de {count})"
    shown: list[str] = []
    for n, page in enumerate(pages, start=1):
        soup = BeautifulSoup(page.body, "html.parser")
        cards = soup.select(".haven-card")
        assert 0 < len(cards) <= LIST_PAGE_SIZE
        shown += [card.select_one("a")["href"] for card in cards]
        assert soup.select_one(".haven-pager__where").get_text() == f"Página {n} de {count}"
        # Every page says where to call in an emergency; the links move one page at a time.
        assert soup.select_one(".haven-emergency a")["href"] == "tel:911"
        prev, nxt = soup.select_one("a[rel=prev]"), soup.select_one("a[rel=next]")
        assert (prev is None) == (n == 1) and (nxt is None) == (n == count)
        if nxt:
            assert nxt["href"] == ("2/" if n == 1 else f"../{n + 1}/")
            assert nxt.get_text() == "Página siguiente"
    assert len(shown) == len(set(shown)) == len(in_region)


def test_find_support_of_a_large_guide_sends_readers_to_the_paged_lists(
        tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import FIND_ALL_MAX, LanguagePages

    crowded = load_directory(crowded_directory(tmp_path, FIND_ALL_MAX, "US")).require()
    soup = BeautifulSoup(LanguagePages(crowded, "en", "en").find_support().body, "html.parser")
    assert soup.select(".haven-card") == [] and soup.select("form") == []
    assert (f"{len(crowded.services)} services are listed. Choose where you are or a kind of "
            "help above to see them.") in soup.get_text()
    assert soup.select_one(".haven-browse-ways a[href='region/us/']")


SHIPPED = None


def shipped() -> Any:
    global SHIPPED
    if SHIPPED is None:
        SHIPPED = load_directory(DIRECTORY).require()
    return SHIPPED


@pytest.mark.parametrize("lang", ["en", "es", "zh", "vi", "ar"])
def test_get_help_now_gives_every_place_its_emergency_number_and_own_lines(lang: str) -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    d = shipped()
    soup = BeautifulSoup(LanguagePages(d, lang, "en").get_help_now(), "html.parser")
    jump = [a["href"] for a in soup.select(".haven-jump a")]
    assert jump == [f"#help-{code.lower()}" for code in d.regions]
    for code, region in d.regions.items():
        place = soup.select_one(f"#help-{code.lower()}")
        assert place.select_one(".haven-button--emergency")["href"] == \
            f"tel:{region.emergency_number}"
        own = [a["href"] for a in place.select(".haven-lines__name")]
        expected = [f"services/{s.id}/" for s in d.by_urgency(d.services)
                    if code in s.service_areas and s.always_open and (s.phones or s.chat_url)
                    and not s.is_local]  # a county's line is not the whole place's
        assert own == expected[:6]
    england = [a["href"] for a in soup.select("#help-gb-eng .haven-lines__name")]
    assert "services/national-domestic-abuse-helpline/" in england
    assert "services/victim-support-supportline/" in england


def test_lines_come_most_urgent_first_and_chat_is_offered() -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    soup = BeautifulSoup(LanguagePages(shipped(), "en", "en").get_help_now(), "html.parser")
    us = [a["href"].split("/")[1] for a in soup.select("#help-us .haven-lines__name")]
    assert us[:2] == ["national-domestic-violence-hotline",
                      "rainn-national-sexual-assault-hotline"]
    assert us.index("988-suicide-and-crisis-lifeline") < us.index("love-is-respect")
    lifeline = soup.select_one("#help-us a[href='services/988-suicide-and-crisis-lifeline/']")
    buttons = [a.get_text() for a in lifeline.find_parent("li").select(".haven-button")]
    assert buttons[0] == "Call 988" and "Chat online" in buttons


def test_places_nest_a_country_has_its_parts_and_a_part_its_country() -> None:
    d = shipped()
    uk, england = {s.id for s in d.services_in("GB")}, {s.id for s in d.services_in("GB-ENG")}
    assert "national-domestic-abuse-helpline" in uk  # England's, listed for the UK
    assert "samaritans" in england  # the UK's, listed for England
    assert "live-fear-free" in uk and "live-fear-free" not in england  # Wales's only
    assert "988-suicide-and-crisis-lifeline" not in uk


def test_a_region_page_opens_with_the_emergency_button_then_lines_then_kinds() -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    d = shipped()
    page = next(p for p in LanguagePages(d, "en", "en").browse_pages()
                if p.path == "find-support/region/us-ca")
    soup = BeautifulSoup(page.body, "html.parser")
    first = soup.select_one("a")
    assert "haven-button--emergency" in first["class"] and first["href"] == "tel:911"
    headings = [h.get_text() for h in soup.select("h2")]
    assert headings[0] == "Open 24 hours a day in California"
    kinds = [d.term("support-types", t).name.get("en")[0] for t in d.vocabularies["support-types"]]
    groups = [h for h in headings[1:] if h in kinds]
    assert groups == sorted(groups, key=kinds.index) and groups[0] == "Crisis line"


def test_report_routes_start_with_the_emergency_number_in_every_place() -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    d = shipped()
    soup = BeautifulSoup(LanguagePages(d, "en", "en").report().body, "html.parser")
    assert [a["href"] for a in soup.select(".haven-jump a")] == \
        [f"#{s['id']}" for s in soup.select("section.haven-section h2")]
    for section in soup.select("section.haven-section"):
        first = section.select_one(".haven-button")
        assert first and first["href"] in ("tel:911", "tel:999"), section.h2.get_text()


def test_checked_on_is_said_once_when_every_entry_shares_it() -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    d = shipped()
    soup = BeautifulSoup(LanguagePages(d, "en", "en").rights().body, "html.parser")
    dates = {(r.verification.date, r.verification.method) for r in d.rights}
    said = soup.find_all(string=lambda t: t and "checked on" in t)
    assert len(said) == (1 if len(dates) == 1 else len(d.rights))
    assert len(soup.select(".haven-checked")) == len(d.rights) + (len(dates) == 1)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_get_help_now_passes_the_prose_allow_list_it_is_checked_against(lang: str) -> None:
    """It lands in the home prose page, whose HTML must pass sanitize.py untouched."""
    from haven.site import sanitize
    from haven.site.pages import LanguagePages

    html = LanguagePages(shipped(), lang, "en").get_help_now()
    assert "haven-button--emergency" in html
    assert sanitize.removals(html) == []


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "Support in the United Kingdom"), ("es", "Apoyo en el Reino Unido"),
    ("vi", "Hỗ trợ tại Vương quốc Anh")])
def test_a_place_in_a_sentence_has_the_article_its_language_needs(lang: str,
                                                                  title: str) -> None:
    from haven.site.pages import LanguagePages

    page = next(p for p in LanguagePages(shipped(), lang, "en").browse_pages()
                if p.path == "find-support/region/gb")
    assert page.title == title


def test_chinese_pages_use_full_width_punctuation_between_generated_pieces() -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    d = shipped()
    service = next(s for s in d.services if s.id == "national-domestic-violence-hotline")
    text = BeautifulSoup(LanguagePages(d, "zh", "en").service(service).body,
                         "html.parser").get_text()
    provider = text[text.index(d.term("organization-kinds", service.organization_kind)
                               .name.get("zh")[0]) - 1:]
    assert provider[0] == "（" and "）" in provider[:30]
    checked = BeautifulSoup(LanguagePages(d, "zh", "en").service(service).body,
                            "html.parser").select_one(".haven-checked").get_text()
    assert "（" in checked and "(" not in checked and "。" in checked


def test_a_countrys_lines_put_those_serving_more_of_it_first() -> None:
    d = shipped()
    lines = [s.id for s in d.by_urgency(d.services_in("GB"), "GB") if s.always_open]
    assert lines.index("victim-support-supportline") < lines.index("live-fear-free")
    assert lines.index("victim-support-supportline") < \
        lines.index("national-domestic-abuse-helpline")


def test_cards_say_one_sentence_and_untranslated_long_texts_point_to_english(
        tmp_path: Path) -> None:
    """A page per record per language stays small at scale (issue 17): a card has the first
    sentence of the description, and another language's page of a record whose long
    description is only in English shows its first sentence and links to the English page."""
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    directory = crowded_directory(tmp_path, 2, "US-CA")
    for i, languages in ((0, ("en",)), (1, ("en", "es"))):
        path = directory / "services" / f"service-{i:05d}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["description"] = {lang: f"First sentence ({lang}). Second sentence ({lang})."
                               for lang in languages}
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    crowded = load_directory(directory).require()
    pages = LanguagePages(crowded, "es", "en")
    by_id = {s.id: s for s in crowded.services}
    english_only, translated = by_id["service-00000"], by_id["service-00001"]

    lead = BeautifulSoup(pages.service(english_only).body, "html.parser").select_one(
        ".haven-lead")
    assert "First sentence (en)" in lead.get_text()
    assert "Second sentence" not in lead.get_text()
    assert lead.select_one("[lang=en]").get_text(strip=True) == "First sentence (en)."
    assert lead.select_one(".haven-untranslated .haven-fallback")  # the notice, in Spanish
    link = lead.select_one(".haven-in-english a")
    assert link["href"] == "../../../services/service-00000/" and link["hreflang"] == "en"
    assert link.get_text() == "Leer la descripción completa, en inglés"
    assert pages.service(english_only).description == "First sentence (en)."

    full = BeautifulSoup(pages.service(translated).body, "html.parser").select_one(
        ".haven-lead").get_text()
    assert "First sentence (es)" in full and "Second sentence (es)" in full
    english = LanguagePages(crowded, "en", "en").service(english_only).body
    assert "Second sentence (en)" in english and "haven-in-english" not in english

    region = next(p for p in pages.browse_pages() if p.path == "find-support/region/us-ca")
    cards = BeautifulSoup(region.body, "html.parser").select(".haven-card__summary")
    summaries = " ".join(card.get_text() for card in cards)
    assert "First sentence (es)" in summaries and "First sentence (en)" in summaries
    assert "Second sentence" not in summaries


def _decode_qr(svg: str, tmp_path: Path) -> str:
    """What a phone's camera reads from a QR code in SVG: drawn to PDF by WeasyPrint,
    rasterised by pdftoppm, read by zbarimg (the tools scripts/setup.sh installs)."""
    import subprocess

    from weasyprint import HTML

    zbarimg, pdftoppm = shutil.which("zbarimg"), shutil.which("pdftoppm")
    if not (zbarimg and pdftoppm):
        pytest.fail("zbarimg or pdftoppm missing (apt-get install zbar-tools poppler-utils)")
    pdf = tmp_path / "qr.pdf"
    HTML(string=f'<div style="width:6cm;height:6cm">{svg}</div>').write_pdf(pdf)
    subprocess.run([pdftoppm, "-r", "150", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "qr")], check=True)
    return subprocess.run([zbarimg, "--quiet", "--raw", str(tmp_path / "qr.png")],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_a_service_page_carries_a_qr_code_of_its_number_or_its_page(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    directory = load_directory(DIRECTORY).require()
    by_id = {s.id: s for s in directory.services}

    def take(service_id: str, public_url: str = "") -> Any:
        page = LanguagePages(directory, "es", "en", public_url=public_url).service(
            by_id[service_id])
        return BeautifulSoup(page.body, "html.parser").select_one(".haven-take")

    # A line to call: tel: and its number, said beside it in the reader's language.
    hotline = take("live-fear-free")
    assert _decode_qr(str(hotline.select_one("svg")), tmp_path) == "tel:+448088010800"
    assert "0808 801 0800" in hotline.get_text()
    # No line to call: the page's public address, when the site has one; else no code.
    assert take("crisis-text-line") is None
    page = take("crisis-text-line", "https://guide.example/")
    assert _decode_qr(str(page.select_one("svg")), tmp_path) == \
        "https://guide.example/es/services/crisis-text-line/"
    assert page.select("script, a, [href]") == []


def test_a_local_line_is_not_a_whole_places_line_but_is_listed_with_its_area() -> None:
    from bs4 import BeautifulSoup
    from haven.pamphlets.content import pamphlet_content
    from haven.site.pages import LanguagePages

    directory = load_directory(DIRECTORY).require()
    pages = LanguagePages(directory, "en", "en")
    county = "los-angeles-county-domestic-violence-hotline"
    help_now = BeautifulSoup(pages.get_help_now(), "html.parser").select_one("#help-us-ca")
    assert help_now is not None and county not in str(help_now)
    first = next(pages.region_page("US-CA"))
    soup = BeautifulSoup(first.body, "html.parser")
    card = next(c for c in soup.select(".haven-card") if county in str(c))
    assert "Los Angeles County" in card.select_one(".haven-card__area").get_text()
    assert county not in str(soup.select_one(".haven-lines"))
    # A place's pamphlet lists what serves all of it.
    content = pamphlet_content(directory, "US-CA")
    assert county not in [s.id for s in content.lines + content.services]
