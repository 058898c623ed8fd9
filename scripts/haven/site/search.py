"""The search index: Pagefind, one index per language, fetched only from the search page.

Pagefind reads every HTML file it is given, and most of its time went on parsing what it
then ignores: the header, menu and footer of every page, and the long lists of the browse
pages, which are not searchable. So each searchable page's build also writes a small "twin"
(the page's language, title and searchable part, nothing else) at the same path in a folder
of twins, and Pagefind indexes that folder. Its results point at the same addresses, and it
runs in half the time.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

BODY_START = "<div data-pagefind-body>"
BODY_END = "<!-- haven:search-end -->"
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


def search_twin(html: str) -> str | None:
    """The part of a built page Pagefind needs, or None when the page is not searchable."""
    start, end = html.find(BODY_START), html.find(BODY_END)
    root, title = _HTML_TAG.search(html), _TITLE.search(html)
    if start < 0 or end < start or root is None:
        return None
    head = f'<head><meta charset="utf-8">{title.group(0) if title else ""}</head>'
    return f"<!doctype html>{root.group(0)}{head}<body>{html[start:end]}</body></html>\n"


def write_search_twin(twins: Path, page_path: str, html: str) -> None:
    """Keep the twin of the page written at ``page_path`` (relative to the site)."""
    twin = search_twin(html)
    if twin is not None:
        target = twins / page_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(twin, encoding="utf-8")


def index_search(site: Path, twins: Path) -> None:
    """Index the twins of the pages ``site`` has into ``site/pagefind``."""
    _drop_stale_twins(site, twins)
    output = site / "pagefind"
    shutil.rmtree(output, ignore_errors=True)
    # The command-line indexer (the binary the pagefind wheel ships) is a third faster than
    # its Python API on thousands of pages, and gives the same files.
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(twins.resolve()),
                          "--output-path", str(output.resolve())],
                         capture_output=True, text=True, cwd=twins)
    if run.returncode:
        raise RuntimeError(f"Pagefind could not index the site:\n{run.stdout}{run.stderr}")
    # Pagefind lists languages in hash-map order, which varies from run to run; sorted,
    # the same inputs give the same site byte for byte.
    entry = output / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text()), sort_keys=True,
                                separators=(",", ":")))


def _drop_stale_twins(site: Path, twins: Path) -> None:
    """Twins of pages the site no longer has (a record removed since the last build)."""
    twins.mkdir(parents=True, exist_ok=True)
    for twin in twins.rglob("*.html"):
        if not (site / twin.relative_to(twins)).exists():
            twin.unlink()
