"""The search index: Pagefind, one index per language, fetched only from the search page.

Pagefind reads every HTML file it is given, and most of its time went on parsing what it
then ignores: the header, menu and footer of every page, and the long lists of the browse
pages, which are not searchable. So each searchable page's build also writes a small "twin"
(the page's language, title and searchable part, nothing else) at the page's own path under
``<twins>/<lang>/``, and Pagefind indexes the twins: the same index, in half the time.

Each language is indexed on its own (the parallel build does it in the language's worker)
and the parts are merged: Pagefind's files are named by their content, so the parts never
clash, and only the entry file listing the languages is combined.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

BODY_START = "<div data-pagefind-body>"
BODY_END = "<!-- haven:search-end -->"
ENTRY = "pagefind-entry.json"
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


def write_search_twin(twins: Path, lang: str, page_path: str, html: str) -> None:
    """Keep the twin of the page written at ``page_path`` (relative to the site)."""
    twin = search_twin(html)
    if twin is not None:
        target = twins / lang / page_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(twin, encoding="utf-8")


def index_language(site: Path, twins: Path, lang: str, out: Path) -> Path:
    """Pagefind's index of one language's pages (those ``site`` has) written to ``out``."""
    source = twins / lang
    _drop_stale_twins(site, source)
    shutil.rmtree(out, ignore_errors=True)
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(source.resolve()),
                          "--output-path", str(out.resolve())],
                         capture_output=True, text=True, cwd=source)
    if run.returncode == -signal.SIGINT or run.stderr.rstrip().endswith("KeyboardInterrupt"):
        # Ctrl-C at the terminal reached Pagefind too (while it ran, or while its Python was
        # still starting): an interruption, not a failure.
        raise KeyboardInterrupt
    if run.returncode:
        raise RuntimeError(f"Pagefind could not index {lang}:\n{run.stdout}{run.stderr}")
    return out


def merge_indexes(parts: list[Path], target: Path) -> None:
    """One ``pagefind/`` folder from the languages' indexes."""
    shutil.rmtree(target, ignore_errors=True)
    languages: dict[str, object] = {}
    entry: dict[str, object] = {}
    for part in parts:
        entry = json.loads((part / ENTRY).read_text(encoding="utf-8"))
        languages.update(entry.pop("languages"))  # type: ignore[arg-type]
        shutil.copytree(part, target, dirs_exist_ok=True)
    # Sorted keys: the same inputs give the same site byte for byte.
    (target / ENTRY).write_text(json.dumps({**entry, "languages": languages}, sort_keys=True,
                                           separators=(",", ":")), encoding="utf-8")


def index_search(site: Path, twins: Path, languages: list[str],
                 parts: list[Path] | None = None) -> None:
    """``site/pagefind``: from ``parts`` already indexed, or indexing each language now."""
    if parts is not None:
        merge_indexes(parts, site / "pagefind")
        return
    with tempfile.TemporaryDirectory(prefix="haven-search-") as tmp:
        merge_indexes([index_language(site, twins, lang, Path(tmp) / lang)
                       for lang in languages if (twins / lang).is_dir()], site / "pagefind")


def _drop_stale_twins(site: Path, twins: Path) -> None:
    """Twins of pages the site no longer has (a record removed since the last build)."""
    for twin in twins.rglob("*.html"):
        if not (site / twin.relative_to(twins)).exists():
            twin.unlink()
