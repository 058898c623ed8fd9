"""Build the real site into a temporary folder, from the shipped or a modified directory."""

from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..conftest import REPO

CONTENT = REPO / "content"


def write_config(tmp: Path, *, directory: Path, content: Path = CONTENT,
                 strings: Path | None = None, extra_languages: list[dict[str, object]] = ()
                 ) -> Path:
    """A copy of the project's mkdocs.yml whose inputs and outputs point where we say."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "haven" in plugin:
            plugin["haven"].update(directory=str(directory), work=str(tmp / "work"),
                                   strings=str(strings or tmp / "no-strings"))
        if isinstance(plugin, dict) and "i18n" in plugin:
            plugin["i18n"]["languages"] += list(extra_languages)
    config["docs_dir"] = str(content)
    config["site_dir"] = str(tmp / "site")
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def build_site(tmp: Path, **options: object) -> Path:
    config = load_config(str(write_config(tmp, **options)))  # type: ignore[arg-type]
    build(config)
    return tmp / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    """The built page at a site URL such as ``es/services/rainn/``."""
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
