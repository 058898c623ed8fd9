"""The built site, parsed: languages, lists, fallbacks, links, switcher, escaping, failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from haven.records import Directory
from mkdocs.exceptions import Abort

from ..conftest import DIRECTORY
from .building import CONTENT, build_site, page

LANGUAGES = ["en", "es", "zh", "vi", "ar"]


def url(lang: str, path: str) -> str:
    return path if lang == "en" else f"{lang}/{path}"


def listed_services(soup: object) -> set[str]:
    links = soup.select(".haven-card__title a")  # type: ignore[attr-defined]
    return {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in links}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_kind_exists_with_lang_and_direction(site: Path, shipped: Directory,
                                                         lang: str) -> None:
    service = shipped.services[0].id
    for path in ["", "find-support/", f"services/{service}/", "rights/", "report/",
                 "understanding-support/", "for-providers/", "about/", "browse-safely/",
                 "search/", "find-support/region/us-ca/", "find-support/help/crisis-line/"]:
        soup = page(site, url(lang, path))
        assert soup.html["lang"] == lang, path
        assert soup.body["dir"] == ("rtl" if lang == "ar" else "ltr"), path
        assert soup.h1 and soup.h1.get_text(strip=True), path


def test_region_page_lists_its_services_and_national_ones(site: Path, shipped: Directory) -> None:
    expected = {s.id for s in shipped.services if {"US-CA", "US"} & set(s.service_areas)}
    assert "california-victim-compensation-board" in expected
    for lang in LANGUAGES:
        assert listed_services(page(site, url(lang, "find-support/region/us-ca/"))) == expected
    gb = {s.id for s in shipped.services if {"GB-ENG", "GB"} & set(s.service_areas)}
    assert listed_services(page(site, "find-support/region/gb-eng/")) == gb
    assert not gb & expected


def test_type_and_provider_pages_list_exactly_their_services(site: Path,
                                                            shipped: Directory) -> None:
    for term in shipped.vocabularies["support-types"]:
        want = {s.id for s in shipped.services if term in s.support_types}
        assert listed_services(page(site, f"find-support/help/{term}/")) == want, term
    for term in shipped.vocabularies["victimization-types"]:
        want = {s.id for s in shipped.services if term in s.victimization_types}
        assert listed_services(page(site, f"es/find-support/for/{term}/")) == want, term
    for kind in shipped.vocabularies["organization-kinds"]:
        want = {s.id for s in shipped.services if s.organization_kind == kind}
        assert listed_services(page(site, f"ar/find-support/provider/{kind}/")) == want, kind
    everything = listed_services(page(site, "zh/find-support/"))
    assert everything == {s.id for s in shipped.services}


def test_service_page_shows_every_contact_as_a_real_link(site: Path, shipped: Directory) -> None:
    for service in shipped.services:
        soup = page(site, f"vi/services/{service.id}/")
        hrefs = [a["href"] for a in soup.select(".haven-actions a")]
        for phone in service.phones:
            assert phone.href in hrefs
        if service.url:
            assert service.url in hrefs
        checked = soup.select_one(".haven-checked")
        assert checked and checked.time["datetime"] == service.verification.date.isoformat()
        assert service.source in [a["href"] for a in checked.select("a")]


def test_links_use_only_safe_schemes_and_outbound_links_send_no_referrer(site: Path) -> None:
    for html in site.rglob("*.html"):
        soup = page(site, str(html.parent.relative_to(site))) if html.name == "index.html" \
            else None
        if soup is None:
            continue
        for a in soup.select("a[href]"):
            href = a["href"]
            scheme = href.split(":", 1)[0] if ":" in href.split("/")[0] else ""
            assert scheme in ("", "https", "tel", "sms", "mailto"), (html, href)
            if scheme == "https":
                assert {"noreferrer", "noopener"} <= set(a.get("rel", [])), (html, href)


def test_language_switcher_points_to_the_same_page_in_each_language(site: Path) -> None:
    soup = page(site, "es/services/rainn-national-sexual-assault-hotline/")
    links = {a["hreflang"]: a["href"] for a in soup.select(".haven-languages__list a")}
    assert set(links) == set(LANGUAGES)
    base = site / "es" / "services" / "rainn-national-sexual-assault-hotline"
    for lang, href in links.items():
        target = (base / href).resolve()
        expected = site / url(lang, "services/rainn-national-sexual-assault-hotline/")
        assert target == expected.resolve(), lang
        assert soup.select_one(f'.haven-languages__list a[hreflang="{lang}"]')["lang"] == lang


def test_fully_translated_site_shows_no_fallback_notice(site: Path, shipped: Directory) -> None:
    for lang in LANGUAGES:
        for service in shipped.services:
            soup = page(site, url(lang, f"services/{service.id}/"))
            assert not soup.select(".haven-fallback"), (lang, service.id)


def test_search_index_per_language(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == set(LANGUAGES)
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert len(set(counts.values())) == 1 and counts["en"] > 10


@pytest.fixture
def partly_translated(tmp_path: Path) -> Path:
    """The shipped data with one Spanish description and one Vietnamese page removed."""
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    record = directory / "services" / "rainn-national-sexual-assault-hotline.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    del data["description"]["es"]
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "about.vi.md").unlink()
    return build_site(tmp_path / "out", directory=directory, content=content)


def test_fallback_notice_only_where_translation_is_missing(partly_translated: Path) -> None:
    site = partly_translated
    es = page(site, "es/services/rainn-national-sexual-assault-hotline/")
    notices = es.select(".haven-fallback")
    assert notices, "missing Spanish description must show a notice"
    assert "no se ha traducido" in es.select_one(".haven-untranslated").get_text().lower() \
        or notices[0].get_text(strip=True)
    assert es.select_one('.haven-lead [lang="en"]') is not None
    assert not page(site, "services/rainn-national-sexual-assault-hotline/").select(
        ".haven-fallback")
    assert not page(site, "zh/services/rainn-national-sexual-assault-hotline/").select(
        ".haven-fallback")
    about_vi = page(site, "vi/about/")
    assert about_vi.select_one("p.haven-fallback") is not None
    assert about_vi.select_one('.haven-untranslated [lang="en"]') is not None
    assert not page(site, "es/about/").select(".haven-fallback")


def test_record_text_is_escaped_never_markup(tmp_path: Path) -> None:
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    record = directory / "services" / "rainn-national-sexual-assault-hotline.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    data["description"] = {"en": attack}  # untranslated: its digits are in no translation
    data["name"]["en"] = '<script>alert("name")</script> *RAINN*'
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = build_site(tmp_path / "out", directory=directory)
    raw = (site / "services/rainn-national-sexual-assault-hotline/index.html").read_text()
    soup = page(site, "services/rainn-national-sexual-assault-hotline/")
    assert "alert" not in " ".join(s.get_text() for s in soup.find_all("script"))
    assert not soup.select("img[onerror]") and not soup.select('a[href^="javascript"]')
    assert "<script>alert" not in raw
    assert attack in soup.select_one(".haven-lead").get_text()
    assert soup.h1.get_text(strip=True) == '<script>alert("name")</script> *RAINN*'
    assert soup.title.get_text().startswith('<script>alert("name")</script>')


def test_invalid_record_fails_build_and_keeps_previous_site(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    site = build_site(tmp_path / "out", directory=directory)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    (directory / "services" / "broken.yaml").write_text("id: broken\nname: {en: x}\n")
    with pytest.raises(Abort):
        build_site(tmp_path / "out", directory=directory)
    assert "broken.yaml:1:1: organization: the required field `organization` is missing" \
        in caplog.text
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*.html")} == before


def test_a_sixth_language_is_config_plus_one_strings_file(tmp_path: Path) -> None:
    strings = tmp_path / "strings"
    strings.mkdir()
    (strings / "fr.yaml").write_text(yaml.safe_dump({
        "language": {"name": "Français"}, "exit": {"button": "Quitter cette page"},
        "title": {"find": "Trouver de l'aide"}}, allow_unicode=True), encoding="utf-8")
    site = build_site(tmp_path / "out", directory=DIRECTORY, strings=strings,
                      extra_languages=[{"locale": "fr", "name": "Français", "build": True}])
    soup = page(site, "fr/find-support/")
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Trouver de l'aide"
    assert soup.select_one(".haven-exit__button").get_text(strip=True) == "Quitter cette page"
    assert "fr" in {a["hreflang"] for a in page(site, "").select(".haven-languages__list a")}
    # Untranslated records and pages fall back to English, with a notice.
    assert page(site, "fr/about/").select_one("p.haven-fallback") is not None


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_header_and_footer_links_stay_in_the_readers_language(site: Path, lang: str) -> None:
    from urllib.parse import urljoin

    url = f"{lang}/services/national-domestic-violence-hotline/"
    soup = page(site, url)
    base = f"https://guide.example/{url}"
    search = soup.select_one(".haven-header__search")["href"]
    assert urljoin(base, search) == f"https://guide.example/{lang}/search/"
    footer = {urljoin(base, a["href"]) for a in soup.select(".haven-footer__links a")}
    assert footer == {f"https://guide.example/{lang}/{p}/"
                      for p in ("browse-safely", "about", "accessibility")}


@pytest.mark.parametrize(("lang", "title"), [("en", "Page not found"),
                                             ("es", "Página no encontrada"),
                                             ("ar", "لم يتم العثور على الصفحة")])
def test_the_not_found_page_speaks_its_folders_language_and_leads_to_help(
        site: Path, lang: str, title: str) -> None:
    from bs4 import BeautifulSoup

    path = site / "404.html" if lang == "en" else site / lang / "404.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == title
    assert soup.html["lang"] == lang
    assert soup.select_one("a.haven-not-found__home")
    assert "404 - Not found" not in soup.get_text()
