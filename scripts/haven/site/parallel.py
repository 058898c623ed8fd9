"""Build the languages of the site in parallel, one process per language, then merge.

static-i18n builds the languages one after another in one process (MkDocs uses one core).
Here the parent validates once; a process pool stages the languages' pages, then a second
pool builds them (and indexes each for search). Each worker builds exactly one language, the way static-i18n's own loop does: it sets the plugin's
current language and marks the build as an inner one, so neither static-i18n nor Haven
starts the other languages or finishes the site. The parent merges the outputs and
finishes the site once (search indexes, pamphlets, open data). The result is the same
site as `mkdocs build` (tests/site/test_parallel.py compares them file by file).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from multiprocessing.pool import AsyncResult
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from .search import index_language


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
    fork = multiprocessing.get_context("fork")
    try:
        haven.validate(config)  # before any fork: every worker inherits the valid directory
        with fork.Pool(jobs) as pool:
            haven.on_config(config, map_languages=pool.map)  # each language staged in a worker
        # A second pool, forked now that the pages are staged, so that its workers' plugin
        # finds them staged. One queue: the languages first (the merge waits for them),
        # then the pamphlets, which fill the cores while the last language builds; each
        # language's search index is queued as soon as that language is built.
        twins = haven.inputs.search_twins
        with fork.Pool(jobs) as pool:
            indexing: dict[str, AsyncResult[Path]] = {}

            def index(lang: str) -> None:  # runs in the pool's result thread
                indexing[lang] = pool.apply_async(
                    index_language, (work / lang, twins, lang, work / f"{lang}-search"))

            building = [pool.apply_async(_build_language,
                                         (config_file, lang, work / lang, strict, options),
                                         callback=lambda _, lang=lang: index(lang))
                        for lang in languages]
            haven.start_pamphlets(config, pool)
            for built in building:
                built.get()  # a language's callback has run once its get() returns
            # Indexing reads each language's build folder: merge only once it is done.
            haven.search_parts = [indexing[lang].get() for lang in languages]
            _merge(work, languages, haven.default_language(config), site)
            config.site_dir = str(site)
            haven.on_post_build(config)  # search index, pamphlets, open data: once
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return site


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
