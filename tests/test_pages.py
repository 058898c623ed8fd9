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
