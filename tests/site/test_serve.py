"""`mkdocs serve --dirty`: after one record is edited, the rebuild shows the change on every
page that shows the record, leaves the other pages as they were, and keeps the menu whole."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..conftest import DIRECTORY
from .building import CONTENT, page, write_config

SERVICE = "national-domestic-violence-hotline"
OTHER = "rainn-national-sexual-assault-hotline"
SERVE_URL = "http://127.0.0.1:8000/"


def serve_build(config_file: Path, site: Path) -> None:
    """One rebuild as `mkdocs serve --dirty` does it: a fresh config, a dirty build."""
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL, dirty=True)


def menu(site: Path, url: str) -> list[str]:
    return [a.get_text(strip=True) for a in page(site, url).select(".md-nav--primary a")]


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[tuple[Path, Path, Path]]:
    """A copy of the shipped directory and prose, built once as `mkdocs serve --dirty`;
    the server is shut down afterwards, as `mkdocs serve` does on exit."""
    monkeypatch.setattr(sys, "argv", ["mkdocs", "serve", "--dirty"])  # static-i18n reads it
    directory, content = tmp_path / "directory", tmp_path / "content"
    shutil.copytree(DIRECTORY, directory)
    shutil.copytree(CONTENT, content)
    config = write_config(tmp_path / "project", directory=directory, content=content)
    site = tmp_path / "served"
    serve_build(config, site)
    yield config, site, directory
    load_config(str(config)).plugins.on_shutdown()


def test_an_edited_record_shows_everywhere_and_nothing_else_is_rebuilt(
        served: tuple[Path, Path, Path]) -> None:
    config, site, directory = served
    record = directory / "services" / f"{SERVICE}.yaml"
    other_page = site / "services" / OTHER / "index.html"
    untouched = other_page.stat().st_mtime_ns
    menu_before = menu(site, f"es/services/{OTHER}/")

    text = record.read_text(encoding="utf-8")
    assert 'en: "National Domestic Violence Hotline"' in text
    record.write_text(text.replace('en: "National Domestic Violence Hotline"',
                                   'en: "National Domestic Violence Hotline Edited"'),
                      encoding="utf-8")
    serve_build(config, site)

    assert "Hotline Edited" in page(site, f"services/{SERVICE}/").h1.get_text()
    region = page(site, "find-support/region/us/").get_text()
    assert "Hotline Edited" in region
    assert other_page.stat().st_mtime_ns == untouched  # not rebuilt
    # The rebuilt pages' menus are whole, in their language.
    assert menu(site, f"es/services/{SERVICE}/") == menu_before
    assert menu(site, "find-support/region/us/") == menu(site, f"services/{OTHER}/")


def test_a_removed_record_leaves_the_lists(served: tuple[Path, Path, Path]) -> None:
    config, site, directory = served
    (directory / "services" / f"{SERVICE}.yaml").unlink()
    serve_build(config, site)
    assert SERVICE not in str(page(site, "find-support/region/us/"))
    assert SERVICE not in str(page(site, "zh/find-support/"))


def test_an_edited_prose_page_rebuilds_every_page(served: tuple[Path, Path, Path]) -> None:
    """Prose titles are in every page's menu, so a prose edit rebuilds them all."""
    config, site, _ = served
    other_page = site / "services" / OTHER / "index.html"
    untouched = other_page.stat().st_mtime_ns
    about = config.parent.parent / "content" / "about.en.md"
    text = about.read_text(encoding="utf-8")
    assert "title: About this guide\n" in text
    about.write_text(text.replace("title: About this guide\n",
                                  "title: About this guide, edited\n"), encoding="utf-8")
    serve_build(config, site)
    assert other_page.stat().st_mtime_ns != untouched
    assert "About this guide, edited" in menu(site, f"services/{OTHER}/")


def test_a_rebuild_while_serving_logs_nothing_alarming(
        served: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs warns that a dirty build makes navigation inaccurate and leaves stale files:
    not with this plugin (the tests above), so serving leaves those notices out."""
    config, site, directory = served
    record = directory / "services" / f"{SERVICE}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with caplog.at_level("INFO"):
        serve_build(config, site)
    said = [r.getMessage() for r in caplog.records]
    assert any("Building 'es' documentation" in line for line in said)  # the log was read
    assert [r.getMessage() for r in caplog.records if r.levelno >= 30] == []
    assert not [line for line in said if "stale files" in line or "dirty" in line]
