"""Generated pages of one language, without building a site: fast checks of what they hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from haven.records import load_directory
from haven.synthetic import service as synthetic_service

from .conftest import DIRECTORY


def test_the_home_page_lists_a_bounded_number_of_24_7_lines(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from haven.site.pages import MAX_HELP_LINES, LanguagePages

    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    for i in range(40):
        data = synthetic_service(i, ("en", "es"))
        data.update(hours={"always_open": True}, service_areas=["US"])
        (directory / "services" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    crowded = load_directory(directory).require()
    soup = BeautifulSoup(LanguagePages(crowded, "es", "en").get_help_now(), "html.parser")
    assert len(soup.select(".haven-lines__item")) == MAX_HELP_LINES
    more = soup.select_one(".haven-lines__more a")
    lines = [s for s in crowded.services if s.always_open and s.phones
             and any(crowded.regions[a].is_country for a in s.service_areas)]
    assert more and more.get_text() == (f"Hay {len(lines) - MAX_HELP_LINES} líneas más "
                                        "abiertas las 24 horas en Encuentre apoyo.")


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
