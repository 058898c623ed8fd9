"""A language set to `build: false` in mkdocs.yml is nowhere in the site: no pages, no link
to it in any language switcher, no pamphlets, no open data in it."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .building import write_config


def test_a_language_not_built_is_not_linked_or_published(tmp_path: Path,
                                                         valid_directory: Path) -> None:
    config_file = write_config(tmp_path, directory=valid_directory)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    for lang in i18n["languages"]:
        lang["build"] = lang["locale"] != "vi"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build(load_config(str(config_file)))
    site = tmp_path / "site"

    assert not (site / "vi").exists()
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 50
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = {a["hreflang"] for a in soup.select(".haven-languages__list a")}
        assert links == {"en", "es", "zh", "ar"}, path
    assert (site / "pamphlets" / "es").is_dir() and not (site / "pamphlets" / "vi").exists()
    assert (site / "data" / "services-zh.csv").is_file()
    assert not list(site.rglob("*-vi.*"))
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"en", "es", "zh", "ar"}
