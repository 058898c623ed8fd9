"""The benchmark's synthetic directory is shaped like a real national one (issue 17), and a
guide that large is still browsable to every service without JavaScript."""

from __future__ import annotations

import posixpath
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from haven.records import Directory, load_directory
from haven.synthetic import (
    SUPPORT_TYPES,
    VICTIMIZATION_TYPES,
    make_directory,
    places,
    realistic_service,
)

from .conftest import DIRECTORY

REGIONS = places(50)
SAMPLE = [realistic_service(i, REGIONS) for i in range(2000)]


def _translatables(record: dict[str, Any]) -> list[dict[str, str]]:
    found = [record["name"], record["description"], record["organization"]["name"]]
    return found + ([record["eligibility"]] if "eligibility" in record else [])


def test_fifty_places_of_two_countries_and_their_parts() -> None:
    codes = [r["code"] for r in REGIONS]
    assert len(set(codes)) == 50 and {"US", "GB", "GB-WLS", "GB-SCT", "US-CA"} <= set(codes)
    used = Counter(s["service_areas"][0] for s in SAMPLE)
    assert set(used) <= set(codes) and len(used) == 50
    assert 0.04 < (used["US"] + used["GB"]) / len(SAMPLE) < 0.15, "few national services"


def test_local_services_share_national_numbers_and_websites() -> None:
    numbers = Counter(p["number"] for s in SAMPLE for p in s["phones"])
    sites = Counter(s["url"] for s in SAMPLE)
    assert numbers.most_common(1)[0][1] > 100, "a national hotline listed by many"
    assert sum(1 for _, n in numbers.items() if n == 1) > 1500, "and each its own line"
    assert sum(1 for _, n in sites.items() if n > 1) > 20, "chapters share a website"


def test_about_forty_percent_of_texts_are_left_in_english() -> None:
    wanted = missing = 0
    for record in SAMPLE:
        for text in _translatables(record):
            assert "en" in text
            wanted += 4
            missing += 4 - (len(text) - 1)
    assert 0.35 < missing / wanted < 0.45


def test_descriptions_run_from_thirty_to_three_hundred_words() -> None:
    lengths = [len(s["description"]["en"].split()) for s in SAMPLE]
    assert min(lengths) >= 30 and max(lengths) <= 300
    assert min(lengths) < 40 and max(lengths) > 280, "the whole range, not one length"
    chinese = next(s["description"]["zh"] for s in SAMPLE if "zh" in s["description"])
    assert " " not in chinese and "。" in chinese, "Chinese as Chinese is written"


def test_every_kind_of_help_and_harm_is_covered() -> None:
    assert {t for s in SAMPLE for t in s["support_types"]} == set(SUPPORT_TYPES)
    assert {t for s in SAMPLE for t in s["victimization_types"]} == set(VICTIMIZATION_TYPES)


def test_the_same_number_gives_the_same_record() -> None:
    assert realistic_service(1234, REGIONS) == realistic_service(1234, REGIONS)


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    root = make_directory(tmp_path_factory.mktemp("synthetic") / "directory", DIRECTORY, 260)
    validation = load_directory(root)
    assert validation.ok, [str(p) for p in validation.problems.errors[:5]]
    return validation.require()


def test_the_directory_validates_and_rights_and_routes_grow_with_the_places(
        realistic: Directory) -> None:
    assert len(realistic.regions) == 50
    shipped = load_directory(DIRECTORY).require()
    assert len(realistic.rights) == len(shipped.rights) + 3 * 50
    assert len(realistic.reporting) == len(shipped.reporting) + 2 * 50


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_service_is_reached_from_find_support_by_links_alone(
        realistic: Directory, lang: str) -> None:
    """Follow only <a href> links (no script, no form) from Find support through the paged
    browse lists: every service's page is reached."""
    from bs4 import BeautifulSoup
    from haven.site.pages import LanguagePages

    pages = LanguagePages(realistic, lang, "en")
    bodies = {p.path.removesuffix("/index"): p.body for p in
              [pages.find_support(), *pages.browse_pages()]}
    seen, todo, reached = {"find-support"}, ["find-support"], set()
    while todo:
        path = todo.pop()
        for link in BeautifulSoup(bodies[path], "html.parser").select("a[href]"):
            href = link["href"]
            if ":" in href or href.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(path + "/", href)).strip("/")
            if target.startswith("services/"):
                reached.add(target.removeprefix("services/"))
            elif target in bodies and target not in seen:
                seen.add(target)
                todo.append(target)
    assert reached == {s.id for s in realistic.services}
    assert any("/2" in p for p in seen), "long lists are paged"


def test_make_directory_keeps_the_tidy_shape_on_request(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d", DIRECTORY, 3, realistic=False)
    assert sorted(p.name for p in (root / "services").iterdir()) == [
        "service-00000.yaml", "service-00001.yaml", "service-00002.yaml"]
