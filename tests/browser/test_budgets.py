"""What a reader on a cheap phone pays: bytes of a first visit, and a page that works
before (or without) any script. Figures for growing directories: scripts/benchmark.py."""

from __future__ import annotations

from typing import Any

import pytest
from haven.measure import first_visit, total_gzip

from .conftest import EXIT_URL

BUDGET = 65 * 1024  # gzip bytes of everything fetched before the page is idle
PAGES = ["", "services/rainn-national-sexual-assault-hotline/",
         "ar/services/rainn-national-sexual-assault-hotline/", "zh/"]


@pytest.mark.parametrize("path", PAGES)
def test_first_visit_fits_the_budget_and_fetches_nothing_for_search(
        context: Any, base_url: str, path: str) -> None:
    fetched = first_visit(context.new_page(), base_url + path)
    assert total_gzip(fetched) <= BUDGET, sorted((f.gzip, f.url) for f in fetched)
    assert not [f.url for f in fetched if "pagefind" in f.url or "search" in f.url]
    assert not [f.url for f in fetched if f.url.endswith((".woff", ".woff2", ".ttf"))]


def test_with_scripts_blocked_the_page_reads_and_the_exit_leaves(
        context: Any, base_url: str) -> None:
    page = context.new_page()
    page.route("**/*.js", lambda route: route.abort())
    page.goto(base_url + "services/national-domestic-violence-hotline/")
    assert page.locator("h1").is_visible()
    assert page.locator(".haven-actions a[href^='tel:']").first.is_visible()
    page.click(".haven-exit__button")
    page.wait_for_url(EXIT_URL + "**")


def test_exit_overlay_is_painted_in_the_next_frame(context: Any, base_url: str) -> None:
    page = context.new_page()
    held: list[Any] = []
    page.route(EXIT_URL + "**", lambda route: held.append(route))
    page.goto(base_url + "services/national-domestic-violence-hotline/")
    painted = page.evaluate("""() => new Promise(resolve => {
        document.querySelector('.haven-exit__button').click();
        requestAnimationFrame(() => {
          const el = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
          resolve(el && el.className);
        });
    })""")
    assert painted == "haven-exit-overlay"
    for _ in range(50):  # the departure reaches the route a moment after the click
        if held:
            break
        page.wait_for_timeout(20)
    held[0].fulfill(status=200, content_type="text/html", body="<title>Weather</title>")
