"""Build the languages of the site in parallel, one process per language, then merge.

static-i18n builds the languages one after another in one process (MkDocs uses one core).
Here the parent validates once; a process pool stages the languages' pages, then a second
pool builds them, a language per worker, and indexes each for search. A worker builds its
language the way static-i18n's own loop does: it sets the plugin's current language and
marks the build as an inner one, so neither static-i18n nor Haven starts the other
languages or finishes the site. Pamphlets render meanwhile in a pool of their own. The
parent merges the outputs and finishes the site once (search index, pamphlets, open data).
The result is the same site as `mkdocs build` (tests/site/test_parallel.py compares them
file by file).

Unlike `mkdocs build`, which empties the site folder and then writes into it, all of this
happens in a folder beside the site, which replaces the previous site only once every step
has succeeded: a failure or Ctrl-C leaves the previous site as it was (tests/site/
test_publish.py). Ctrl-C reaches only the parent, which ends the worker pools itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from .build import BuildFailed, BuildInterrupted, step
from .search import index_language

_FORK = multiprocessing.get_context("fork")
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _languages(config: MkDocsConfig) -> list[str]:
    i18n = config.plugins.get("i18n")
    return [lang.locale for lang in i18n.config.languages if lang.build] if i18n else []


def build_site(config_file: Path, site_dir: Path | None = None, jobs: int | None = None,
               strict: bool = False) -> Path:
    """Build the whole site into a new folder beside the site folder, and put it in place
    of the previous site only once every step has succeeded.

    On an error or Ctrl-C the previous site is left exactly as it was and nothing is left
    beside it: BuildFailed or BuildInterrupted, whose ``site`` is the folder left alone.
    """
    options = {"site_dir": str(site_dir)} if site_dir else {}
    with step("reading the configuration"):
        config = load_config(str(config_file), strict=strict, **options)
    site = Path(config.site_dir).resolve()
    try:
        with _work_folder(site) as work:
            _build(config, config_file, work, jobs or os.cpu_count() or 1, strict, options)
            _publish(work / "site", site)
    except (BuildFailed, BuildInterrupted) as failure:
        failure.site = site
        raise
    return site


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


def _build(config: MkDocsConfig, config_file: Path, work: Path, jobs: int, strict: bool,
           options: dict[str, str]) -> None:
    """Every step, into ``work/site``; the languages in parallel when there are cores."""
    languages = _languages(config)
    with step("building the pages"):  # unless a step inside (finish_site's) names itself
        if len(languages) < 2 or jobs < 2:
            config.site_dir = str(work / "site")
            build(config)
        else:
            _build_in_parallel(config, config_file, languages, work, jobs, strict, options)


def _build_in_parallel(config: MkDocsConfig, config_file: Path, languages: list[str],
                       work: Path, jobs: int, strict: bool, options: dict[str, str]) -> None:
    config.plugins.on_startup(command="build", dirty=False)
    haven = config.plugins["haven"]
    with step("checking the machine"):
        haven.preflight(config)
    with step("validating the directory"):
        haven.validate(config)  # before any fork: every worker inherits the valid directory
    # Pamphlets need only valid records: they render from the start, in processes of
    # lower priority, and so take the time the rest leaves idle on the cores.
    with _workers(jobs, niceness=10) as pamphlets:
        with step("rendering pamphlets"):
            haven.start_pamphlets(config, pamphlets)
        with step("staging the pages"), _workers(jobs) as pool:
            haven.on_config(config, map_languages=pool.map)  # a language per worker
        # A new pool, forked now that the pages are staged, so that its workers'
        # plugin finds them staged.
        with _workers(jobs) as pool:
            haven.search_parts = _build_languages(pool, config_file, languages, work,
                                                  haven.inputs.search_twins, strict, options)
        with step("putting the languages together"):
            _merge(work, languages, haven.default_language(config), work / "site")
        config.site_dir = str(work / "site")
        with step("finishing the site"):  # finish_site names its own steps
            haven.on_post_build(config)  # search index, pamphlets, open data: once


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


def _build_languages(pool: Pool, config_file: Path, languages: list[str], work: Path,
                     twins: Path, strict: bool, options: dict[str, str]) -> list[Path]:
    """Build each language into ``work/<lang>`` and index it for search as soon as it is
    built (one queue, so the cores stay busy); returns the search index parts."""
    indexing: dict[str, AsyncResult[Path]] = {}

    def index(lang: str) -> None:  # runs in the pool's result thread
        with contextlib.suppress(ValueError):  # the pool is ending: the build has failed
            indexing[lang] = pool.apply_async(
                index_language, (work / lang, twins, lang, work / f"{lang}-search"))

    building = [pool.apply_async(_build_language,
                                 (config_file, lang, work / lang, strict, options),
                                 callback=lambda _, lang=lang: index(lang))
                for lang in languages]
    with step("building the pages"):
        for built in building:
            built.get()  # a language's callback has run once its get() returns
    with step("indexing the pages for search"):
        return [indexing[lang].get() for lang in languages]


def _build_language(config_file: Path, lang: str, out: Path, strict: bool,
                    options: dict[str, str]) -> None:
    config = load_config(str(config_file), strict=strict, site_dir=str(out))
    i18n = config.plugins["i18n"]
    i18n.current_language = lang  # what static-i18n sets before each of its own builds
    i18n.building = True  # an inner build: build this language only, finish nothing
    build(config)


def _merge(work: Path, languages: list[str], default: str, site: Path) -> None:
    """The default language's build is the site's root (theme assets, root 404 page); every
    other build adds its own language folder. Everything else they wrote is the same."""
    os.replace(work / default, site)
    for lang in languages:
        if lang != default:
            os.replace(work / lang / lang, site / lang)
