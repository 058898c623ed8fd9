"""Real-browser tests: Debian's Chromium driven by Playwright, against the built site
served on 127.0.0.1. In CI (HAVEN_REQUIRE_BROWSER=1) a missing browser fails the run."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

CHROMIUM = os.environ.get("HAVEN_CHROMIUM", "/usr/bin/chromium")
# Chromium talks to Google in the background whatever the flags; resolving every host but
# 127.0.0.1 to nothing keeps the only traffic the site's own.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
EXIT_URL = "https://www.bbc.com/weather"
STAND_IN = "<!doctype html><html lang=en><title>Weather</title><h1>Weather stand-in</h1></html>"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("HAVEN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript",
                      ".wasm": "application/wasm", ".pagefind": "application/octet-stream"}

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def context(browser: object) -> Iterator[object]:
    """A fresh browser profile per test, with the exit destination served by a stand-in."""
    context = browser.new_context()  # type: ignore[attr-defined]
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=STAND_IN))
    yield context
    context.close()


@pytest.fixture
def no_script(browser: object) -> Iterator[object]:
    """The same, with JavaScript switched off: what a reader with scripts blocked gets."""
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=STAND_IN))
    yield context
    context.close()
