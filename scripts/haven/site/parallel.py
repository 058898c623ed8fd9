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
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from .search import index_language

_FORK = multiprocessing.get_context("fork")


def _languages(config: MkDocsConfig) -> list[str]:
    i18n = config.plugins.get("i18n")
    return [lang.locale for lang in i18n.config.languages if lang.build] if i18n else []


def build_site(config_file: Path, site_dir: Path | None = None, jobs: int | None = None,
               strict: bool = False) -> Path:
    options = {"site_dir": str(site_dir)} if site_dir else {}
    config = load_config(str(config_file), strict=strict, **options)
    languages = _languages(config)
    jobs = jobs or os.cpu_count() or 1
    if len(languages) < 2 or jobs < 2:
        build(config)
        return Path(config.site_dir)
    site = Path(config.site_dir).resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    config.plugins.on_startup(command="build", dirty=False)
    haven = config.plugins["haven"]
    # Beside the site, so that merging the languages is renaming folders, not copying.
    work = Path(tempfile.mkdtemp(prefix=".haven-build-", dir=site.parent))
    try:
        haven.validate(config)  # before any fork: every worker inherits the valid directory
        # Pamphlets need only valid records: they render from the start, in processes of
        # lower priority, and so take the time the rest leaves idle on the cores.
        with _FORK.Pool(jobs, initializer=os.nice, initargs=(10,)) as pamphlets:
            haven.start_pamphlets(config, pamphlets)
            with _FORK.Pool(jobs) as pool:
                haven.on_config(config, map_languages=pool.map)  # a language per worker
            # A new pool, forked now that the pages are staged, so that its workers'
            # plugin finds them staged.
            with _FORK.Pool(jobs) as pool:
                haven.search_parts = _build_languages(pool, config_file, languages, work,
                                                      haven.inputs.search_twins, strict,
                                                      options)
            _merge(work, languages, haven.default_language(config), site)
            config.site_dir = str(site)
            haven.on_post_build(config)  # search index, pamphlets, open data: once
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return site


def _build_languages(pool: Pool, config_file: Path, languages: list[str], work: Path,
                     twins: Path, strict: bool, options: dict[str, str]) -> list[Path]:
    """Build each language into ``work/<lang>`` and index it for search as soon as it is
    built (one queue, so the cores stay busy); returns the search index parts."""
    indexing: dict[str, AsyncResult[Path]] = {}

    def index(lang: str) -> None:  # runs in the pool's result thread
        indexing[lang] = pool.apply_async(
            index_language, (work / lang, twins, lang, work / f"{lang}-search"))

    building = [pool.apply_async(_build_language,
                                 (config_file, lang, work / lang, strict, options),
                                 callback=lambda _, lang=lang: index(lang))
                for lang in languages]
    for built in building:
        built.get()  # a language's callback has run once its get() returns
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
    if site.exists():
        shutil.rmtree(site)
    os.replace(work / default, site)
    for lang in languages:
        if lang != default:
            os.replace(work / lang / lang, site / lang)
