"""The site build's own steps, apart from MkDocs: prepare the pages, then finish the site."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..i18n import STRINGS_DIR
from ..records import Directory, load_directory
from .render import TEMPLATES
from .stage import Stager

log = logging.getLogger("mkdocs.plugins.haven")


@dataclass
class SiteInputs:
    directory: Path
    content: Path
    staging: Path
    languages: list[str]
    default: str
    strings: list[Path]

    def signature(self) -> tuple[object, ...]:
        """Changes whenever a record, a prose page or the language list changes."""
        stats = []
        for folder in (self.directory, self.content, TEMPLATES, STRINGS_DIR, *self.strings):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    info = path.stat()
                    stats.append((str(path), info.st_mtime_ns, info.st_size))
        return (tuple(self.languages), self.default, str(self.staging), tuple(stats))


@dataclass
class Prepared:
    directory: Directory
    bodies: dict[str, str]
    """HTML body of each generated page, by its staged file's path."""


_prepared: dict[tuple[object, ...], Prepared] = {}


def prepare(inputs: SiteInputs) -> Prepared:
    """Validate and stage, once per set of inputs (static-i18n calls us once per language).

    Raises DirectoryError, with every problem, when the directory has errors.
    """
    key = inputs.signature()
    if key in _prepared:
        return _prepared[key]
    validation = load_directory(inputs.directory)
    for warning in validation.problems.warnings:
        log.info(warning.text())
    directory = validation.require()
    stager = Stager(inputs.content, inputs.staging, inputs.languages, inputs.default)
    files, bodies = stager.pages(directory)
    changed = stager.write(files)
    log.info(f"haven: {len(directory.services)} services, {len(directory.rights)} rights, "
             f"{len(directory.reporting)} reporting routes in {len(inputs.languages)} "
             f"languages; {len(changed)} pages changed")
    _prepared.clear()
    _prepared[key] = Prepared(directory, bodies)
    return _prepared[key]


def finish_site(site: Path, prepared: Prepared, inputs: SiteInputs, public_url: str,
                *, pamphlets: bool = True) -> None:
    """After every language is built: search indexes, pamphlets, open data, sitemap."""
    from ..exports import write_exports

    index_search(site)
    publish_pamphlets(site, prepared.directory, inputs, public_url, render=pamphlets)
    write_exports(prepared.directory, site, inputs.languages)
    write_sitemap(site, public_url)


def write_sitemap(site: Path, public_url: str) -> None:
    """One sitemap of every page, only when the public address is known: MkDocs' and
    static-i18n's depend on build order and print "None" without a site_url."""
    for old in site.rglob("sitemap.xml*"):
        old.unlink()
    if not public_url:
        return
    base = public_url.rstrip("/") + "/"
    pages = sorted(str(p.parent.relative_to(site)) for p in site.rglob("index.html"))
    urls = "".join(f"<url><loc>{base}{'' if p == '.' else p + '/'}</loc></url>" for p in pages)
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>\n', encoding="utf-8")


def publish_pamphlets(site: Path, directory: Directory, inputs: SiteInputs,
                      public_url: str, *, render: bool = True) -> None:
    """Every pamphlet under site/pamphlets/<lang>/, rendered only when its inputs changed
    (the cache sits beside the staged pages, outside the site MkDocs cleans). While serving
    (render=False) the cached ones are shown as they are: one edit can change dozens."""
    from ..pamphlets import build_pamphlets, pamphlet_jobs
    from ..pamphlets.build import copy_pamphlets

    jobs = pamphlet_jobs(directory, inputs.languages)
    cache = inputs.staging.parent / "pamphlets"
    if not render:
        log.info("haven: pamphlets are not remade while serving; `mkdocs build` or "
                 "`haven pamphlet` remakes them")
        copy_pamphlets(cache, site, [job for job in jobs if (cache / job.path).exists()])
        return
    if not public_url:
        log.info("haven: pamphlets carry no web address or QR code; set site_url in "
                 "mkdocs.yml (or HAVEN_PUBLIC_URL) to add them")
    build_pamphlets(directory, jobs, cache, inputs.default, public_url)
    copy_pamphlets(cache, site, jobs)


def index_search(site: Path) -> None:
    """Pagefind: one index per language (from <html lang>), fetched only when searching."""
    from pagefind.index import IndexConfig, PagefindIndex

    async def run() -> None:
        config = IndexConfig(output_path=str(site / "pagefind"))
        async with PagefindIndex(config=config) as index:
            await index.add_directory(str(site))

    shutil.rmtree(site / "pagefind", ignore_errors=True)
    # Pagefind's API is async; run it in its own thread so that a caller which already has
    # an event loop running (a test harness, an IDE) can still build the site.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()
    # Pagefind lists languages in hash-map order, which varies from run to run; sorted,
    # the same inputs give the same site byte for byte.
    entry = site / "pagefind" / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text()), sort_keys=True,
                                separators=(",", ":")))
