"""The site build's own steps around MkDocs: validate once, then finish the site."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote
from xml.sax.saxutils import escape

from ..i18n import STRINGS_DIR
from ..progress import SILENT, Progress, Task
from ..project import Languages
from ..records import Directory, load_directory
from .compact import compact_stylesheets
from .nearby import write_table
from .pages import TEMPLATES
from .search import index_search

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
    """What the site is made from, and where Haven keeps its own work between builds."""

    directory: Path
    content: Path
    work: Path
    """Git-ignored: pamphlets already rendered, search twins (default ``build/``)."""
    languages: Languages
    strings: list[Path]

    def layout_signature(self) -> tuple[object, ...]:
        """Everything but the services: languages, vocabularies, regions, rights and
        reporting routes, UI strings, templates, prose (its titles are in every menu).
        A service's page and cards depend on these and on the service itself."""
        services = self.directory / "services"
        others = tuple(s for s in self.records_signature
                       if not Path(s[0]).is_relative_to(services))
        return (self.languages, others, _stats([TEMPLATES, STRINGS_DIR, self.content,
                                                *self.strings]))

    @property
    def search_twins(self) -> Path:
        """Where each searchable page's twin is written for Pagefind (see search.py)."""
        return self.work / "search"

    @functools.cached_property
    def records_signature(self) -> tuple[tuple[str, int, int], ...]:
        """Changes whenever a file of the directory (records, schemas, vocabularies) does.
        Read once per SiteInputs (one per build): thousands of files."""
        return _stats([self.directory])


def _stats(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    stats = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = path.stat()
                stats.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stats)


_validated: dict[tuple[object, ...], Directory] = {}


def validated(inputs: SiteInputs) -> Directory:
    """The validated directory, loaded once per change of its files (static-i18n
    configures the build once per language).

    Raises DirectoryError, with every problem, when the directory has errors.
    """
    key = inputs.records_signature
    if key not in _validated:
        validation = load_directory(inputs.directory)
        for warning in validation.problems.warnings:
            log.info(warning.text())
        directory = validation.require()
        log.info(f"haven: {len(directory.services)} services, {len(directory.rights)} "
                 f"rights, {len(directory.reporting)} reporting routes in "
                 f"{len(inputs.languages.codes)} languages")
        _validated.clear()
        _validated[key] = directory
    return _validated[key]


_BACKGROUND = ThreadPoolExecutor(1, thread_name_prefix="haven-finish")


class Pamphlets(Protocol):
    """What finish_site puts in the site: a build's pamphlets (SitePamphlets) or the
    preview's (preview_pamphlets.PreviewPamphlets)."""

    def publish(self, site: Path) -> None: ...


def finish_site(site: Path, directory: Directory, inputs: SiteInputs, public_url: str,
                pamphlets: Pamphlets, search_parts: list[Path] | None = None, *,
                background: threading.Event | None = None,
                progress: Progress = SILENT) -> None:
    """After every language is built: search indexes (from ``search_parts`` when the
    languages' builds made them), pamphlets, open data, sitemap.

    ``background`` (while serving, set once the server stops): the search index and open
    data, a few seconds' work at scale, are remade after the browser has reloaded, one
    rebuild at a time."""
    steps = progress.task("finishing", 6, "steps")
    with step("rendering pamphlets"):
        pamphlets.publish(site)
        steps.advance("pamphlets")
    with step("making the stylesheets smaller"):
        compact_stylesheets(site)
        steps.advance("stylesheets")
    with step("writing the sitemap"):
        write_sitemap(site, public_url)
        steps.advance("sitemap")
    with step("writing the ZIP code and postcode table"):
        write_table(site, directory, list(inputs.languages.codes), inputs.work / "nearby")
        steps.advance("postcode table")
    finish = functools.partial(_index_and_export, site, directory, inputs, search_parts,
                               steps)
    if background is not None:
        _BACKGROUND.submit(_logged, finish, background)
    else:
        finish()


def _index_and_export(site: Path, directory: Directory, inputs: SiteInputs,
                      search_parts: list[Path] | None, steps: Task) -> None:
    from ..exports import write_exports

    with step("indexing the pages for search"):
        index_search(site, inputs.search_twins, list(inputs.languages.codes), search_parts)
        steps.advance("search index")
    with step("writing open data"):
        write_exports(directory, site, list(inputs.languages.codes))
        steps.advance("open data")


def _logged(work: Callable[[], None], stopped: threading.Event) -> None:
    if stopped.is_set():
        return
    try:
        work()
    except BuildInterrupted:
        pass  # Ctrl-C at the terminal: the server is stopping, nothing went wrong
    except Exception:  # a background thread's error would otherwise vanish
        if not stopped.is_set():  # else its site was being removed: nothing went wrong
            log.exception("haven: updating the search index and open data failed")


def _address(page: str) -> str:
    return "" if page == "." else quote(page, safe="/") + "/"


def write_sitemap(site: Path, public_url: str) -> None:
    """One sitemap of every page, only when the public address is known: MkDocs' and
    static-i18n's depend on build order and print "None" without a site_url."""
    # MkDocs writes one at the root and static-i18n one per language folder: no deeper
    # (walking the whole site for them took seconds after every edit while serving).
    for old in [*site.glob("sitemap.xml*"), *site.glob("*/sitemap.xml*")]:
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
    PDFs are kept in Haven's work folder (outside the site MkDocs cleans) and only
    re-rendered when their inputs change. (While serving, preview_pamphlets renders them
    in the background instead.)"""

    jobs: list[PamphletJob]
    cache: Path
    plan: PamphletPlan | None
    rendering: list[AsyncResult[list[bytes]]] | None = None

    @classmethod
    def start(cls, directory: Directory, inputs: SiteInputs, public_url: str, *,
              pool: Pool | None = None, progress: Progress = SILENT) -> SitePamphlets:
        from ..pamphlets.build import pamphlet_jobs, plan_pamphlets, render_one

        jobs = pamphlet_jobs(directory, list(inputs.languages.codes))
        cache = inputs.work / "pamphlets"
        if not public_url:
            log.info("haven: pamphlets carry no web address or QR code; set site_url in "
                     "mkdocs.yml (or HAVEN_PUBLIC_URL) to add them")
        plan = plan_pamphlets(directory, jobs, cache, inputs.languages.default, public_url)
        if pool is None or not plan.todo:
            return cls(jobs, cache, plan)
        task = progress.task("pamphlets", len(plan.todo))
        rendering = [pool.apply_async(render_one, (item,),
                                      callback=lambda pdfs: task.advance(steps=len(pdfs)))
                     for item in plan.items()]
        return cls(jobs, cache, plan, rendering)

    def publish(self, site: Path) -> None:
        """Wait for the PDFs still being rendered, keep them, copy every pamphlet in."""
        from ..pamphlets.build import copy_pamphlets, render_all

        if self.plan is not None:
            pdfs = [result.get() for result in self.rendering] \
                if self.rendering is not None else render_all(self.plan.items())
            self.plan.store(pdfs)
        copy_pamphlets(self.cache, site,
                       [job for job in self.jobs if (self.cache / job.path).exists()])
