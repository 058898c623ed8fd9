"""Published stylesheets are Haven's own, without comments, and say the same thing."""

from __future__ import annotations

import re
from pathlib import Path

from haven.site.compact import compact_css

from ..conftest import REPO

THEME = REPO / "scripts" / "haven" / "theme"


def rules(css: str) -> list[str]:
    """The declarations, comments and spacing aside."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return [re.sub(r"\s+", " ", part).strip() for part in re.split(r"[{};]", css)
            if part.strip()]


def test_compacting_keeps_every_rule_and_drops_every_comment() -> None:
    source = (THEME / "assets" / "haven" / "haven.css").read_text(encoding="utf-8")
    small = compact_css(source)
    assert rules(small) == rules(source)
    assert "/*" not in small and len(small) < len(source) * 0.8
    assert 'content: " (" attr(href) ")"' in small  # strings untouched


def test_a_string_with_comment_marks_leaves_the_stylesheet_as_it_is() -> None:
    css = 'a::after { content: "/* not a comment */"; }\n/* a comment */\n'
    assert compact_css(css) == css


def test_the_site_publishes_the_small_stylesheets(site: Path) -> None:
    published = (site / "assets" / "haven" / "haven.css").read_text(encoding="utf-8")
    assert "/*" not in published
    assert rules(published) == rules((THEME / "assets" / "haven" / "haven.css")
                                     .read_text(encoding="utf-8"))


def test_pages_lose_the_templates_indentation_and_nothing_a_reader_sees() -> None:
    from bs4 import BeautifulSoup
    from haven.site.compact import compact_html

    page = ("<body>\n    <p>Call\n      <a href='tel:+18007997233'>1-800</a>   now</p>\n\n"
            "<pre>  keep\n\n    this  </pre><textarea>\n  as typed\n</textarea>"
            "<script>\n  var a = '  x';\n</script>\n  </body>")
    small = compact_html(page)
    assert len(small) < len(page)
    assert "<pre>  keep\n\n    this  </pre>" in small
    assert "<textarea>\n  as typed\n</textarea>" in small
    assert "<script>\n  var a = '  x';\n</script>" in small
    assert "<body>\n<p>Call\n<a" in small and "</a>   now" in small  # spaces on one line stay
    words = BeautifulSoup(page, "html.parser").get_text().split()
    assert BeautifulSoup(small, "html.parser").get_text().split() == words


def test_published_pages_are_compact(site: Path) -> None:
    page = (site / "services" / "rainn-national-sexual-assault-hotline" / "index.html"
            ).read_text(encoding="utf-8")
    assert not re.search(r"\n[ \t]+<", page) and "\n\n" not in page
