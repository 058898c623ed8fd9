"""The site build's own steps, apart from MkDocs: prepare the pages, then finish the site."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote
from xml.sax.saxutils import escape

from ..i18n import STRINGS_DIR
from ..records import Directory, load_directory
from .compact import compact_stylesheets
from .pages import RenderCache
from .render import TEMPLATES
from .search import index_search
from .stage import Stager

if TYPE_CHECKING:
    from ..pamphlets.build import PamphletJob, PamphletPlan

log = logging.getLogger("mkdocs.plugins.haven")


class BuildFailed(Exception):
    """A step of the build failed. ``site`` is the site folder the caller left as it was
    (set by ``parallel.build_site``; None when nobody promised that)."""

    site: Path | None = None

    def __init__(self, step: str, cause: BaseException) -> None:
        super().__init__(step, cause)  # as args too, so that the error can be pickled
        self.step, self.cause = step, cause

    def __str__(self) -> str:
        return f"failed while {self.step}: {self.cause}"


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C during a step; still a KeyboardInterrupt, so whoever does not know this
    class stops as on any Ctrl-C. ``site`` as for BuildFailed."""

    site: Path | None = None

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


@contextmanager
def step(name: str) -> Iterator[None]:
    """Say which step an error or a Ctrl-C happened in (such as "writing open data"), so
    that the message a publisher reads names it. The innermost step's name wins."""
    try:
        yield
    except (BuildFailed, BuildInterrupted):
        raise
    except Exception as error:
        raise BuildFailed(name, error) from error
    except KeyboardInterrupt as interrupt:
        raise BuildInterrupted(name) from interrupt


@dataclass
class SiteInputs:
    directory: Path
    content: Path
    staging: Path
    languages: list[str]
    default: str
    strings: list[Path]

    def signature(self) -> Signature:
        """Changes whenever anything the pages are made from changes."""
        return Signature(self.layout_signature(), self.records_signature,
                         _stats([self.content]))

    def layout_signature(self) -> tuple[object, ...]:
        """Everything but the services and the prose: languages, vocabularies, regions,
        rights and reporting routes, UI strings, templates. A service's page and cards
        depend on these and on the service itself."""
        services = self.directory / "services"
        others = tuple(s for s in self.records_signature
                       if not Path(s[0]).is_relative_to(services))
        return (tuple(self.languages), self.default, str(self.staging), others,
                _stats([TEMPLATES, STRINGS_DIR, *self.strings]))

    @property
    def search_twins(self) -> Path:
        """Where each searchable page's twin is written for Pagefind (see search.py)."""
        return self.staging.parent / "search"

    @functools.cached_property
    def records_signature(self) -> tuple[tuple[str, int, int], ...]:
        """Changes whenever a file of the directory (records, schemas, vocabularies) does.
        Read once per SiteInputs (one per build): thousands of files."""
        return _stats([self.directory])


class Signature(NamedTuple):
    layout: tuple[object, ...]
    records: tuple[tuple[str, int, int], ...]
    content: tuple[tuple[str, int, int], ...]

    def only_services_differ(self, other: Signature) -> bool:
        return self.layout == other.layout and self.content == other.content


def _stats(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    stats = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = path.stat()
                stats.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stats)


_prepared: dict[Signature, Directory] = {}
_validated: dict[tuple[object, ...], Directory] = {}


def validated(inputs: SiteInputs) -> Directory:
    """The validated directory, loaded once per change of its files.

    Raises DirectoryError, with every problem, when the directory has errors.
    """
    key = inputs.records_signature
    if key not in _validated:
        validation = load_directory(inputs.directory)
        for warning in validation.problems.warnings:
            log.info(warning.text())
        _validated.clear()
        _validated[key] = validation.require()
    return _validated[key]


def prepare(inputs: SiteInputs, map_languages: Callable[..., list[Any]] = map,
            cache: RenderCache | None = None) -> Directory:
    """Validate and stage, once per set of inputs (static-i18n calls us once per language);
    returns the valid directory.

    ``map_languages`` stages the languages: one after another by default; the parallel
    build passes a process pool's ``map``. ``cache`` (while serving) keeps services'
    rendered pieces between builds. Raises DirectoryError, with every problem, when the
    directory has errors.
    """
    key = inputs.signature()
    if key in _prepared:
        return _prepared[key]
    directory = validated(inputs)
    if cache is not None:
        cache.use_for(key.layout, directory.services)
    jobs = [(inputs, lang, cache) for lang in inputs.languages]
    staged = list(map_languages(stage_language, jobs))
    stager = Stager(inputs.content, inputs.staging, inputs.languages, inputs.default)
    stager.clean({path for paths, _ in staged for path in paths})
    if _prepared and key.only_services_differ(next(iter(_prepared))):
        changed = sum(count for _, count in staged)
    else:
        # Strings, templates, vocabularies or prose (the menu's titles) changed: every page
        # looks different, so every staged page is marked changed for `mkdocs serve
        # --dirty`, which rebuilds only pages whose file is newer than their output.
        changed = stager.touch_all()
    log.info(f"haven: {len(directory.services)} services, {len(directory.rights)} rights, "
             f"{len(directory.reporting)} reporting routes in {len(inputs.languages)} "
             f"languages; {changed} pages changed")
    _prepared.clear()
    _prepared[key] = directory
    return directory


def stage_language(job: tuple[SiteInputs, str, RenderCache | None]) -> tuple[set[str], int]:
    """Render and write one language's pages; returns their paths and how many changed.
    A top-level function of one argument, so that a process pool's ``map`` can call it."""
    inputs, lang, cache = job
    stager = Stager(inputs.content, inputs.staging, inputs.languages, inputs.default)
    files = stager.language(validated(inputs), lang, cache)
    return set(files), len(stager.write(files))


_BACKGROUND = ThreadPoolExecutor(1, thread_name_prefix="haven-finish")


def finish_site(site: Path, directory: Directory, inputs: SiteInputs, public_url: str,
                pamphlets: SitePamphlets, search_parts: list[Path] | None = None, *,
                background: bool = False) -> None:
    """After every language is built: search indexes (from ``search_parts`` when the
    languages' builds made them), pamphlets, open data, sitemap.

    ``background`` (while serving): the search index and open data, a few seconds'
    work at scale, are remade after the browser has reloaded, one rebuild at a time."""
    with step("rendering pamphlets"):
        pamphlets.publish(site)
    with step("making the stylesheets smaller"):
        compact_stylesheets(site)
    with step("writing the sitemap"):
        write_sitemap(site, public_url)
    finish = functools.partial(_index_and_export, site, directory, inputs, search_parts)
    if background:
        _BACKGROUND.submit(_logged, finish)
    else:
        finish()


def _index_and_export(site: Path, directory: Directory, inputs: SiteInputs,
                      search_parts: list[Path] | None) -> None:
    from ..exports import write_exports

    with step("indexing the pages for search"):
        index_search(site, inputs.search_twins, inputs.languages, search_parts)
    with step("writing open data"):
        write_exports(directory, site, inputs.languages)


def _logged(work: Callable[[], None]) -> None:
    try:
        work()
    except Exception:  # a background thread's error would otherwise vanish
        log.exception("haven: updating the search index and open data failed")


def _address(page: str) -> str:
    return "" if page == "." else quote(page, safe="/") + "/"


def write_sitemap(site: Path, public_url: str) -> None:
    """One sitemap of every page, only when the public address is known: MkDocs' and
    static-i18n's depend on build order and print "None" without a site_url."""
    for old in site.rglob("sitemap.xml*"):
        old.unlink()
    if not public_url:
        return
    base = public_url.rstrip("/") + "/"
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    # Percent-encoded, then XML-escaped: a folder name is never markup, whatever it holds.
    urls = "".join(f"<url><loc>{escape(base + _address(p))}</loc></url>" for p in pages)
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>\n', encoding="utf-8")


@dataclass
class SitePamphlets:
    """The site's pamphlets, possibly still being rendered in a process pool.

    They depend only on the records, so the parallel build starts them as soon as the
    directory is valid and lets them fill the cores the language builds leave idle. The
    PDFs are kept beside the staged pages (outside the site MkDocs cleans) and only
    re-rendered when their inputs change. While serving nothing is rendered (one edit can
    change dozens of pamphlets): the cached ones are shown as they are."""

    jobs: list[PamphletJob]
    cache: Path
    plan: PamphletPlan | None
    rendering: AsyncResult[list[bytes]] | None = None

    @classmethod
    def start(cls, directory: Directory, inputs: SiteInputs, public_url: str, *,
              render: bool = True, pool: Pool | None = None) -> SitePamphlets:
        from ..pamphlets.build import pamphlet_jobs, plan_pamphlets, render_one

        jobs = pamphlet_jobs(directory, inputs.languages)
        cache = inputs.staging.parent / "pamphlets"
        if not render:
            log.info("haven: pamphlets are not remade while serving; `mkdocs build` or "
                     "`haven pamphlet` remakes them")
            return cls(jobs, cache, None)
        if not public_url:
            log.info("haven: pamphlets carry no web address or QR code; set site_url in "
                     "mkdocs.yml (or HAVEN_PUBLIC_URL) to add them")
        plan = plan_pamphlets(directory, jobs, cache, inputs.default, public_url)
        rendering = pool.map_async(render_one, plan.items(), chunksize=1) \
            if pool is not None and plan.todo else None
        return cls(jobs, cache, plan, rendering)

    def publish(self, site: Path) -> None:
        """Wait for the PDFs still being rendered, keep them, copy every pamphlet in."""
        from ..pamphlets.build import copy_pamphlets, render_all

        if self.plan is not None:
            pdfs = self.rendering.get() if self.rendering is not None \
                else render_all(self.plan.items())
            self.plan.store(pdfs)
        copy_pamphlets(self.cache, site,
                       [job for job in self.jobs if (self.cache / job.path).exists()])
