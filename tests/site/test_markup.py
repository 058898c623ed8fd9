"""Valid markup and a help service's page frame, on the built site.

- The Nu Html Checker (npm's ``vnu-jar``, run with Debian's Java; ``bash scripts/setup.sh
  install`` puts it in ``.cache/node``) finds no error on any page of one language folder
  (Spanish: every page kind) and on every language's home page and the "not found" page.
  It runs once, on the files on disk: it refuses to fetch 127.0.0.1, and starting Java once
  per page would take minutes. In CI a missing Java or checker fails; locally it skips.
- ``lang`` and ``dir`` are on ``<html>`` in every language, right to left for Arabic.
- No documentation chrome: no table of contents, no search toggle, no edit buttons; the menu
  is in the page twice, as the wide screens' row of links and the narrow screens' drawer.
- Every stylesheet and script a page links is in the site (Material's stylesheet's name
  changes with its version, and the page template names it).
- The footer links to the people who run the guide only when ``contact_url`` is set, and the
  plugin refuses an address that is not https: or mailto:.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from haven.i18n import Strings
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..conftest import REPO
from .building import page, write_config

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
VNU_JAR = Path(os.environ.get(
    "HAVEN_VNU_JAR", REPO / ".cache/node/node_modules/vnu-jar/build/dist/vnu.jar"))
REQUIRED = bool(os.environ.get("HAVEN_REQUIRE_BROWSER")) or os.environ.get("CI") == "true"
# Messages of the checker that are not Haven's to fix, each with the reason. None so far:
# every error it reported came from templates Haven controls (theme/main.html replaces
# Material's base.html for that reason).
NOT_OURS: dict[str, str] = {}


def _checker() -> list[str]:
    java = shutil.which("java")
    missing = ("java not found (apt-get install default-jre-headless)" if not java else
               f"{VNU_JAR} not found (bash scripts/setup.sh install)" if not VNU_JAR.is_file()
               else "")
    if missing:
        if REQUIRED:
            pytest.fail(f"the Nu Html Checker cannot run: {missing}")
        pytest.skip(f"the Nu Html Checker cannot run: {missing}")
    return [java, "-Xss4m", "-jar", str(VNU_JAR)]


def checked_pages(site: Path) -> list[Path]:
    """Every page of the Spanish folder, and every language's home and "not found" pages."""
    spanish = sorted((site / "es").rglob("*.html"))
    homes = [site / "index.html", *(site / lang / "index.html" for lang in LANGUAGES[1:])]
    return [*dict.fromkeys([*spanish, *homes, site / "404.html"])]


def test_nu_html_checker_finds_no_error(site: Path) -> None:
    command = _checker()
    pages = checked_pages(site)
    assert len(pages) > 40, "the Spanish folder should hold every page kind"
    run = subprocess.run([*command, "--errors-only", "--format", "json",
                          *map(str, pages)], capture_output=True, text=True, timeout=600)
    # The report is JSON on stderr; exit status 1 means errors were found, more means the
    # checker itself failed.
    assert run.returncode in (0, 1), run.stderr[-2000:]
    messages = json.loads(run.stderr)["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: "
              f"{m['message']} [{m.get('extract', '').strip()}]"
              for m in messages if m["type"] in ("error", "non-document-error")
              and m["message"] not in NOT_OURS]
    assert errors == [], "\n".join(errors[:40])


def test_lang_and_dir_are_on_html(site: Path) -> None:
    for lang in LANGUAGES:
        for path in ["", "find-support/", "services/rainn-national-sexual-assault-hotline/",
                     "report/", "about/", "search/"]:
            soup = page(site, path if lang == "en" else f"{lang}/{path}")
            want = "rtl" if lang == "ar" else "ltr"
            assert (soup.html.get("lang"), soup.html.get("dir")) == (lang, want), (lang, path)
            assert soup.body.get("dir") == want, (lang, path)


def test_no_documentation_chrome_and_the_menu_in_both_forms(site: Path) -> None:
    for lang in LANGUAGES:
        for path in ["", "find-support/", "services/rainn-national-sexual-assault-hotline/",
                     "rights/"]:
            url = path if lang == "en" else f"{lang}/{path}"
            html = (site / url / "index.html").read_text(encoding="utf-8")
            soup = BeautifulSoup(html, "html.parser")
            assert not soup.select(".md-sidebar--secondary, [data-md-type=toc], "
                                   "label[for=__toc], #__search, .md-content__button, "
                                   "[rel=edit], [data-md-component=announce], .md-banner, "
                                   "script#__config"), url
            assert 'for="__toc"' not in html and 'id="__search"' not in html
            drawer = [a["href"] for a in soup.select(".md-sidebar--primary .md-nav__list a")]
            row = [a["href"] for a in soup.select("nav.haven-menu a")]
            assert len(drawer) >= 10
            # The row leaves out what the header (search) and the footer already link to.
            assert row == [h for h in drawer if h.rstrip("/").rsplit("/", 1)[-1] not in
                           {"browse-safely", "about", "accessibility", "search"}], url
            current = [a["href"] for a in soup.select("nav.haven-menu [aria-current=page]")]
            assert current == ([] if path not in ("", "find-support/", "rights/") else
                               [a["href"] for a in soup.select(
                                   ".md-sidebar--primary [aria-current=page]")]), url
            assert len(current) == (1 if path in ("", "find-support/", "rights/") else 0), url
            header = soup.select_one("header.md-header")
            assert header.select_one(".haven-header__title").get_text(strip=True)
            reassurance = header.select_one(".haven-header__reassurance").get_text(strip=True)
            assert reassurance == Strings(lang)("site.reassurance"), url
            # The exit skip link is inside the banner, not in an unnamed landmark of its own.
            assert header.select_one("a.haven-exit-skip")


def test_every_linked_stylesheet_and_script_is_in_the_site(site: Path) -> None:
    for url in ["", "ar/", "es/services/rainn-national-sexual-assault-hotline/", "search/"]:
        soup = page(site, url)
        for tag, attr in [("link[rel=stylesheet]", "href"), ("script[src]", "src")]:
            for element in soup.select(tag):
                target = (site / url / element[attr]).resolve()
                assert target.is_file(), f"{url}: {element[attr]} is not in the site"


def test_no_contact_link_when_contact_url_is_not_set(site: Path) -> None:
    assert not page(site, "").select(".haven-footer__contact")
    assert not page(site, "ar/about/").select(".haven-footer__contact")


def test_footer_links_to_the_people_who_run_the_guide_when_contact_url_is_set(
        tmp_path: Path, valid_directory: Path) -> None:
    address = "https://example.org/haven/issues/new?template=contact.yml"
    config_file = write_config(tmp_path, directory=valid_directory)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "haven" in plugin:
            plugin["haven"]["contact_url"] = address
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build(load_config(str(config_file)))
    site = tmp_path / "site"
    for lang in LANGUAGES:
        for path in ["", "find-support/", "about/"]:
            soup = page(site, path if lang == "en" else f"{lang}/{path}")
            links = soup.select(".haven-footer a.haven-footer__contact")
            assert [a["href"] for a in links] == [address], (lang, path)
            assert links[0].get_text(strip=True) == Strings(lang)("footer.contact")
            assert set(links[0]["rel"]) >= {"noreferrer", "noopener"}


@pytest.mark.parametrize("address", [
    "http://example.org/contact", "javascript:alert(1)", "mailto:nobody",
    'https://example.org/"><script>', "https://example.org/a b", "//example.org/"])
def test_plugin_refuses_a_contact_url_that_is_not_https_or_mailto(address: str) -> None:
    from haven.site.plugin import HavenPlugin

    errors, _ = HavenPlugin().load_config({"contact_url": address}, str(REPO / "mkdocs.yml"))
    assert [key for key, _ in errors] == ["contact_url"]  # refused as the config is read
