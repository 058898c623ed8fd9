"""A build split by language: each language built on its own, then merged into one site.

`mkdocs build` builds the languages one after another on one core (static-i18n's loop).
Here each language is built by MkDocs alone with static-i18n's documented
``build_only_locale`` option (project.load_for_language), in a process of its own or on a
CI runner of its own (`haven build --language xx --site-dir parts/xx`); the haven plugin
puts that language's pages at their address in the whole site and indexes them for search.
``merge`` then takes the default language's build as the site's root (theme assets, "page
not found"), adds every other language's folder, combines the search indexes and finishes
the site once (pamphlets, open data, sitemap). The result is the same site as `mkdocs
build`, byte for byte (tests/site/test_parallel.py compares them file by file).

Unlike `mkdocs build`, which empties the site folder and then writes into it, all of this
happens in a folder beside the site, which replaces the previous site only once every step
has succeeded: a failure or Ctrl-C leaves the previous site as it was (tests/site/
test_publish.py). Ctrl-C reaches only the parent, which ends the worker pools itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from multiprocessing.pool import Pool
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig

from ..progress import SILENT, Progress
from ..project import Languages, languages_of, load_config, load_for_language
from ..records import Directory
from .build import (
    BuildFailed,
    BuildInterrupted,
    SiteInputs,
    SitePamphlets,
    finish_site,
    step,
    validated,
)
from .preflight import check_machine
from .prose import check_content, shown, site_markdown
from .search import ENTRY

_FORK = multiprocessing.get_context("fork")
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def build_site(config_file: Path, site_dir: Path | None = None, jobs: int | None = None,
               strict: bool = False, progress: Progress = SILENT) -> Path:
    """Build the whole site into a new folder beside the site folder, and put it in place
    of the previous site only once every step has succeeded; the languages in parallel
    when there are cores.

    On an error or Ctrl-C the previous site is left exactly as it was and nothing is left
    beside it: BuildFailed or BuildInterrupted, whose ``site`` is the folder left alone.
    """
    options = {"site_dir": str(site_dir)} if site_dir else {}
    with step("reading the configuration"):
        config = load_config(str(config_file), strict=strict, **options)
    site = Path(config.site_dir).resolve()
    jobs = jobs or os.cpu_count() or 1
    try:
        with _work_folder(site) as work:
            with step("building the pages"):  # unless a step inside names itself
                if len(languages_of(config).codes) < 2 or jobs < 2:
                    config.site_dir = str(work / "site")
                    with progress.task("pages, pamphlets and the rest", 1):
                        build(config)
                else:
                    _build_in_parallel(config, Path(config_file), work, jobs, strict, progress)
            _publish(work / "site", site)
    except (BuildFailed, BuildInterrupted) as failure:
        failure.site = site
        raise
    return site


def build_language(config_file: Path, lang: str, out: Path, strict: bool = False,
                   progress: Progress = SILENT) -> Path:
    """One language of the site, built on its own into ``out`` (for ``merge``)."""
    with step("reading the configuration"):
        config = load_for_language(config_file, lang, site_dir=str(out), strict=strict)
    _checked(config, pamphlets=False)
    with step(f"building the pages in {lang}"), progress.task(f"pages in {lang}", 1):
        build(config)
    return out


def merge_site(config_file: Path, parts: list[Path], site_dir: Path | None = None,
               jobs: int | None = None, progress: Progress = SILENT) -> Path:
    """The site from its languages' builds (``build_language``, one per language, as a CI
    matrix makes them), finished and published as ``build_site`` does."""
    options = {"site_dir": str(site_dir)} if site_dir else {}
    with step("reading the configuration"):
        config = load_config(str(config_file), **options)
    site = Path(config.site_dir).resolve()
    try:
        with _work_folder(site) as work:
            with _workers(jobs or os.cpu_count() or 1, niceness=10) as pool:
                pamphlets = _start(config, pool, progress)
                with step("putting the languages together"):
                    for part in parts:
                        shutil.copytree(part, work / part.name)
                    _finish(config, [work / part.name for part in parts], work / "site",
                            pamphlets, progress)
            _publish(work / "site", site)
    except (BuildFailed, BuildInterrupted) as failure:
        failure.site = site
        raise
    return site


def _start(config: MkDocsConfig, pool: Pool, progress: Progress) -> SitePamphlets:
    """Check everything before anything is built; start the pamphlets, which need only
    valid records, in ``pool``."""
    inputs, directory = _checked(config, pamphlets=True)
    with step("rendering pamphlets"):
        return SitePamphlets.start(directory, inputs, config.plugins["haven"].public_url(config),
                                   pool=pool, progress=progress)


def _checked(config: MkDocsConfig, pamphlets: bool) -> tuple[SiteInputs, Directory]:
    """The machine, the content and the records, checked as the plugin's on_config checks
    them, so that a problem is reported as itself rather than as a failed MkDocs build (and
    so that workers forked afterwards find it all checked)."""
    inputs = config.plugins["haven"].read_inputs(config)
    with step("checking the machine"):
        check_machine(list(inputs.languages.codes), pamphlets=pamphlets)
    with step("validating the directory"):
        directory = validated(inputs)
    with step("checking the prose pages"):
        check_content(inputs.content, list(inputs.languages.codes), shown(inputs.content),
                      site_markdown(config))
    return inputs, directory


def _finish(config: MkDocsConfig, parts: list[Path], site: Path,
            pamphlets: SitePamphlets, progress: Progress) -> None:
    haven = config.plugins["haven"]
    inputs = haven.read_inputs(config)
    search = merge(parts, inputs.languages, site)
    with step("finishing the site"):  # finish_site names its own steps
        finish_site(site, validated(inputs), inputs, haven.public_url(config), pamphlets,
                    search, progress=progress)


def merge(parts: list[Path], languages: Languages, site: Path) -> list[Path]:
    """One site from its languages' builds: the default language's is the root (theme
    assets, root "page not found"); every other adds its language's folder and its own
    "page not found" in it. Everything else they wrote is the same. Returns each part's
    search index, moved out of the way for search.merge_indexes."""
    by_language = {_language_of(part): part for part in parts}
    missing = [lang for lang in languages.codes if lang not in by_language]
    if missing:
        raise ValueError(f"no build of {', '.join(missing)} among {', '.join(map(str, parts))}"
                         f"; build each with `haven build --language <code> --site-dir <folder>`")
    search = []
    for lang in languages.codes:
        part = by_language[lang]
        index = part.parent / f"{part.name}-search"
        os.replace(part / "pagefind", index)
        search.append(index)
    os.replace(by_language[languages.default], site)
    for lang in languages.codes:
        if lang != languages.default:
            os.replace(by_language[lang] / lang, site / lang)
            os.replace(by_language[lang] / "404.html", site / lang / "404.html")
    return search


def _language_of(part: Path) -> str:
    """The language a part was built in: the one its search index is of."""
    entry = part / "pagefind" / ENTRY
    if not entry.is_file():
        raise ValueError(f"{part} is not one language's build (it has no pagefind/{ENTRY})")
    languages = list(json.loads(entry.read_text(encoding="utf-8"))["languages"])
    if len(languages) != 1:
        raise ValueError(f"{part} holds {len(languages)} languages' pages, not one")
    return str(languages[0])


@contextlib.contextmanager
def _work_folder(site: Path) -> Iterator[Path]:
    """A new folder beside the site (the same file system, so that putting the languages
    together and publishing are renames, not copies), removed on the way out."""
    with step("making a folder for the new site"):
        site.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{site.name}.tmp-", dir=site.parent))
    try:
        yield work
    finally:
        # Ctrl-C held back, so that a second one does not leave half of it behind, and
        # dropped: by then the build is over, published or failed.
        with _HeldInterrupts():
            _remove(work)


def _remove(folder: Path) -> None:
    """Remove the folder, and again if a process killed a moment before (a worker's
    Pagefind) finished writing a last file into it meanwhile."""
    for _ in range(3):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.05)


def _build_in_parallel(config: MkDocsConfig, config_file: Path, work: Path, jobs: int,
                       strict: bool, progress: Progress) -> None:
    """Each language in a worker of its own (forked once the records are valid, so that
    every worker finds them validated), then merged; pamphlets render meanwhile, in
    processes of lower priority, and take the time the language builds leave idle."""
    languages = languages_of(config).codes
    with _workers(jobs, niceness=10) as pamphlet_pool:
        pages = progress.task("pages", len(languages), "languages")
        pamphlets = _start(config, pamphlet_pool, progress)
        with _workers(jobs) as pool:
            building = [pool.apply_async(build_language,
                                         (config_file, lang, work / lang, strict),
                                         callback=lambda part: pages.advance(part.name))
                        for lang in languages]
            parts = [result.get() for result in building]
        with step("putting the languages together"):
            _finish(config, parts, work / "site", pamphlets, progress)


def _publish(new: Path, site: Path) -> None:
    """Put the new site in place of the previous one by renaming both folders, so that
    readers get the whole previous site or the whole new one (for an instant, neither),
    never part of one. Ctrl-C here is held back and dropped: the renames are done or
    undone, never half done, and once done the build is complete."""
    with step("replacing the previous site"), _HeldInterrupts():
        if not site.exists():
            os.replace(new, site)
            return
        # Renaming a folder onto an empty one replaces it: mkdtemp gives a name no one
        # else uses, beside the site, outside the work folder (see below).
        old = Path(tempfile.mkdtemp(prefix=f"{site.name}.old-", dir=site.parent))
        try:
            os.replace(site, old)
        except OSError:
            old.rmdir()
            raise
        try:
            os.replace(new, site)
        except OSError:
            # Put the previous site back. Were that to fail too, it is still whole in
            # ``old``, which is why ``old`` is not inside the work folder that is removed.
            os.replace(old, site)
            raise
        shutil.rmtree(old, ignore_errors=True)


class _HeldInterrupts:
    """Ctrl-C held back inside ``with``, for work that must not stop halfway (renames,
    removals, starting or ending a pool); ``deliver()`` raises it afterwards if it came,
    as it would have been raised. Only the main thread may set signal handlers, and
    Ctrl-C arrives only there anyway."""

    def __enter__(self) -> _HeldInterrupts:
        self.pressed = False
        self._main = threading.current_thread() is threading.main_thread()
        if self._main:
            self._previous = signal.signal(signal.SIGINT, self._press)
        return self

    def _press(self, _signum: int, _frame: object) -> None:
        self.pressed = True

    def __exit__(self, *_: object) -> None:
        if self._main:
            signal.signal(signal.SIGINT, self._previous)

    def deliver(self) -> None:
        if self.pressed and callable(self._previous):
            self._previous(signal.SIGINT, None)  # Python's own handler: KeyboardInterrupt


@contextlib.contextmanager
def _workers(jobs: int, niceness: int = 0) -> Iterator[Pool]:
    """A pool of forked workers, ended on the way out, whatever happened.

    Each worker leads a process group of its own, so that Ctrl-C at the terminal reaches
    only this process, which then ends the pool: workers killed by SIGINT could die
    holding the pool's task-queue lock, and terminate() then waited for it for ever. On an
    error the workers' groups are killed as well: what a worker started (Pagefind) would
    outlive it and go on writing into the work folder after it is removed."""
    before = _children()
    with _HeldInterrupts() as held:  # not halfway through forking the workers
        pool = _FORK.Pool(jobs, initializer=_start_worker, initargs=(niceness, os.getpid()))
    try:
        held.deliver()
        yield pool
    except BaseException:
        groups = _children() - before
        with _HeldInterrupts():  # already failing: the first error says why
            pool.terminate()
            _kill_groups(groups)
        raise
    with _HeldInterrupts() as held:
        pool.terminate()
    held.deliver()


def _children() -> set[int]:
    return {child.pid for child in multiprocessing.active_children() if child.pid}


def _start_worker(niceness: int, parent: int) -> None:
    os.setpgrp()
    os.nice(niceness)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """In groups of their own, the workers miss a signal sent to the whole build (`timeout`,
    a cancelled CI job), and idle ones would wait for work for ever once the parent is
    gone: on Linux, they are killed when it dies, however it dies."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that took effect
        os._exit(1)


def _kill_groups(groups: set[int]) -> None:
    # A group outlives its leader while a member lives; once none does, it is gone.
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
