"""sitemap.xml lists every page once, as an address a search engine can read, whatever the
folders are called (prose file names come from pull requests)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from haven.site.build import write_sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def pages(site: Path, *folders: str) -> None:
    for folder in folders:
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / "index.html").write_text("<p>page</p>")


def locations(site: Path) -> list[str]:
    tree = ET.parse(site / "sitemap.xml")  # raises on a malformed sitemap
    return [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", NS)]


def test_every_page_is_listed_under_the_public_address(tmp_path: Path) -> None:
    pages(tmp_path, ".", "about", "es/about")
    write_sitemap(tmp_path, "https://guide.example/help")
    assert locations(tmp_path) == ["https://guide.example/help/",
                                   "https://guide.example/help/about/",
                                   "https://guide.example/help/es/about/"]


def test_names_with_markup_characters_stay_well_formed_addresses(tmp_path: Path) -> None:
    pages(tmp_path, "a&b", "<script>", "news & views/x y")
    write_sitemap(tmp_path, "https://guide.example/")
    assert locations(tmp_path) == ["https://guide.example/%3Cscript%3E/",
                                   "https://guide.example/a%26b/",
                                   "https://guide.example/news%20%26%20views/x%20y/"]
    assert "<script>" not in (tmp_path / "sitemap.xml").read_text()


def test_no_public_address_means_no_sitemap_and_no_stale_one(tmp_path: Path) -> None:
    pages(tmp_path, ".")
    (tmp_path / "sitemap.xml").write_text("old")
    write_sitemap(tmp_path, "")
    assert not (tmp_path / "sitemap.xml").exists()
