"""The ``haven`` MkDocs plugin: validate the directory, stage pages, finish the site.

Hook order (static-i18n re-runs the whole build once per language on the same config):
- on_config: check the machine (preflight.py), the strings, the content folder and every
  prose page's HTML in every language (sanitize.py), validate and stage, once per change
  of the inputs (cached across the per-language builds); point ``docs_dir`` at the staged
  pages, add the theme overrides. Runs before static-i18n's on_config (priority -100),
  which reads ``docs_dir``, and before MkDocs empties the site folder: whatever fails here
  leaves the previous site as it was.
- on_page_content: publish a prose page's HTML as the allow-list cleans it; a removal
  found only here (on_env raises) still fails the build before any page is written.
- on_page_context: give templates the UI strings of the language being built, escaped.
- on_post_build (priority -200, after static-i18n has built every language): per-language
  search indexes and sitemaps, once for the whole site.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from ..i18n import HtmlStrings, StringsError, check_strings, use_strings_from
from ..project import public_url
from ..records import Directory, DirectoryError
from .build import SiteInputs, SitePamphlets, finish_site, prepare, validated
from .pages import BODY_MARKER, RenderCache
from .preflight import MissingTool, check_machine
from .sanitize import ContentError, ContentProblem, checked_prose, with_outbound_rel
from .search import write_search_twin
from .stage import StagingError, check_content, prose_pages
from .urls import page_url, relative

log = logging.getLogger("mkdocs.plugins.haven")
# Services' rendered pages and cards, kept between the rebuilds of `mkdocs serve`.
_SERVE_CACHE = RenderCache()


class _CompiledTemplates(BytecodeCache):
    """Compiled templates in memory, for this process. Jinja checks each against its
    template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _CompiledTemplates()
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
# The exit address is printed into href attributes as it is.
_EXIT_URL = re.compile(r"https://[^\s\"'<>`\\]+")
# So is the contact address: https, or mailto with an address.
_CONTACT_URL = re.compile(r"(?:https://|mailto:[^\s\"'<>`\\@]+@)[^\s\"'<>`\\]+")


class HavenConfig(Config):
    directory = c.Type(str, default="directory")
    """The folder of YAML records, vocabularies, regions and schemas."""
    content = c.Type(str, default="content")
    """Prose pages, one file per language: ``<page>.<lang>.md``."""
    staging = c.Type(str, default="build/docs")
    """Where every page of every language is written for MkDocs (git-ignored)."""
    strings = c.Type(str, default="strings")
    """Optional folder of ``<lang>.yaml`` UI strings that add or override the built-in ones."""
    public_url = c.Type(str, default="")
    """The guide's public https address for pamphlets (default: site_url)."""
    exit_url = c.Type(str, default="https://www.bbc.com/weather")
    """Where the quick exit goes: a neutral site. Must be https."""
    contact_url = c.Type(str, default="")
    """How to reach the people who run the guide (https: or mailto:), linked in every page's
    footer; no link when empty."""


class HavenPlugin(BasePlugin[HavenConfig]):
    supports_multiple_instances = False
    _directory: Directory
    _inputs: SiteInputs
    _serving = False
    _dirty = False
    _menu_pages: list[Any]
    _site: Path
    """This build's output folder, resolved (set in ``on_env``)."""
    _pamphlets: SitePamphlets | None = None
    search_parts: list[Path] | None = None
    """Each language's search index, when the parallel build made them (else made here)."""

    def __init__(self) -> None:
        super().__init__()
        self._not_found: dict[str, str] = {}
        self._bodies: dict[str, str] = {}
        self._prose: set[str] = set()
        self._prose_problems: list[ContentProblem] = []

    def on_config(self, config: MkDocsConfig,
                  map_languages: Callable[..., Any] = map) -> MkDocsConfig:
        """Check strings and content, validate and stage (``map_languages`` stages the
        languages: see ``prepare``). Everything here fails before MkDocs empties the site
        folder, so a previous site stays as it was."""
        if not _EXIT_URL.fullmatch(self.config.exit_url):
            raise PluginError("haven: exit_url must be an https:// address (without spaces, "
                              "quotes or angle brackets)")
        if self.config.contact_url and not _CONTACT_URL.fullmatch(self.config.contact_url):
            raise PluginError("haven: contact_url must be an https:// or mailto: address "
                              "(without spaces, quotes or angle brackets), or left out")
        inputs = self._read_inputs(config)
        self.preflight(config)
        try:
            check_strings(inputs.languages)
            check_content(inputs.content, inputs.languages, _shown(inputs.content),
                          _markdown_of(config))
            self._directory = prepare(inputs, map_languages,
                                     _SERVE_CACHE if self._serving else None)
        except DirectoryError as error:
            raise _invalid(error) from None
        except (StringsError, ContentError, StagingError) as error:
            raise PluginError(str(error)) from None
        self._prose = set(prose_pages(inputs.content, inputs.default))
        config.docs_dir = str(inputs.staging)
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_DIR))
        for css in ["assets/haven/haven.css"]:
            if css not in config.extra_css:
                config.extra_css.append(css)
        config.extra["haven_exit_url"] = self.config.exit_url
        config.extra["haven_contact_url"] = self.config.contact_url
        return config

    def _read_inputs(self, config: MkDocsConfig) -> SiteInputs:
        root = Path(config.config_file_path or ".").resolve().parent
        strings = [p for p in [root / self.config.strings] if p.is_dir()]
        use_strings_from(strings)
        self._inputs = SiteInputs(root / self.config.directory, root / self.config.content,
                                  root / self.config.staging, *self._languages(config), strings)
        return self._inputs

    def _languages(self, config: MkDocsConfig) -> tuple[list[str], str]:
        i18n = config.plugins.get("i18n")
        if i18n is None:
            return ["en"], "en"
        languages = [lang.locale for lang in i18n.config.languages]
        default = next((lang.locale for lang in i18n.config.languages if lang.default),
                       languages[0])
        return languages, default

    def default_language(self, config: MkDocsConfig) -> str:
        return self._languages(config)[1]

    def _current_language(self, config: MkDocsConfig) -> str:
        i18n = config.plugins.get("i18n")
        current = getattr(i18n, "current_language", None) if i18n else None
        return current or self._languages(config)[1]

    def on_files(self, files: Any, config: MkDocsConfig) -> Any:
        """Before static-i18n sorts the files (priority -100): leave out the theme folder's
        component READMEs, and every other language's pages. Haven stages every page in
        every language, so a language's build needs only its own; static-i18n would
        otherwise work through all languages' files in each language's build (a third of
        the build time). The language switcher's links come from ``alternates`` instead."""
        languages, _ = self._languages(config)
        current = self._current_language(config)
        self._prose_problems = []
        for file in list(files):
            readme = bool(file.abs_src_path) and file.abs_src_path.startswith(str(THEME_DIR)) \
                and file.src_uri.endswith((".md", ".py"))
            if readme or _page_of(file.src_uri, languages)[1] not in (None, current):
                files.remove(file)
        if self._dirty:
            self._leave_out_unchanged_generated_pages(files, config)
        return files

    def _leave_out_unchanged_generated_pages(self, files: Any, config: MkDocsConfig) -> None:
        """`mkdocs serve --dirty` rebuilds only pages whose file is newer than their
        output, yet static-i18n still sorts every page of the language, most of the time
        of a rebuild after one edit. Generated pages link to each other in finished HTML
        (no Markdown links for MkDocs to check), so the unchanged ones can be left out;
        prose pages and top-level pages (the menu's) stay."""
        languages, default = self._languages(config)
        prose = set(prose_pages(self._inputs.content, default))
        site = Path(config.site_dir)
        for file in list(files):
            path, lang = _page_of(file.src_uri, languages)
            if lang is None or path in prose or "/" not in path:
                continue
            built = site / page_url(path, lang, default) / "index.html"
            if built.exists() and built.stat().st_mtime >= Path(file.abs_src_path).stat().st_mtime:
                files.remove(file)

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig,
                         files: Any) -> str:
        """A generated page's finished HTML body skips Markdown (see ``Page.markdown``).
        A prose page never does, whatever it contains: all of it is checked."""
        if "title" not in page.meta:
            # Every staged page has a title; without one MkDocs could not read the front
            # matter, and would have made it part of the page's Markdown.
            raise PluginError(f"haven: {page.file.src_uri}: the front matter of the staged "
                              "page does not parse; nothing was built")
        if self._is_prose(page):
            return markdown
        head, marker, body = markdown.partition(BODY_MARKER)
        if not marker:
            return markdown
        self._bodies[page.file.src_uri] = body.strip("\n")
        return head + marker

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig,
                        files: Any) -> str:
        if self._is_prose(page):
            cleaned, problems = checked_prose(html, *self._prose_source(page))
            self._prose_problems += problems
            return with_outbound_rel(cleaned)
        body = self._bodies.pop(page.file.src_uri, None)
        return html.replace(BODY_MARKER, body, 1) if body is not None else html

    def _is_prose(self, page: Any) -> bool:
        return _page_of(page.file.src_uri, list(self._inputs.languages))[0] in self._prose

    def _prose_source(self, page: Any) -> tuple[Path, Path]:
        """The file of content/ a prose page was staged from (the default language's when
        it is not translated), and how to print its path."""
        path, lang = _page_of(page.file.src_uri, list(self._inputs.languages))
        source = self._inputs.content / f"{path}.{lang}.md"
        if not source.is_file():
            source = self._inputs.content / f"{path}.{self._inputs.default}.md"
        return source, _shown(source)

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        context["haven"] = HtmlStrings(self._current_language(config))
        context["haven_alternates"] = self.alternates(page.file.src_uri, page.url, config)
        return context

    def alternates(self, src_uri: str, url: str, config: MkDocsConfig) -> list[dict[str, str]]:
        """The language switcher's links: this page in every language, relative to it."""
        languages, default = self._languages(config)
        path, _ = _page_of(src_uri, languages)
        names = _language_names(config)
        return [{"lang": lang, "name": names.get(lang, lang),
                 "href": relative(url, page_url(path, lang, default))} for lang in languages]

    def on_template_context(self, context: dict[str, Any], template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        context["haven"] = HtmlStrings(self._current_language(config))
        return context

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Watch what pages are made from, not the staged pages (``docs_dir``, which MkDocs
        watches): Haven writes those itself during a build, and watching them made every
        edit rebuild twice."""
        server.unwatch(config.docs_dir)
        for folder in [self._inputs.directory, self._inputs.content, *self._inputs.strings]:
            server.watch(str(folder))
        return server

    @event_priority(-150)  # after static-i18n has made this language's menu
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Any) -> Any:
        self._menu_pages = list(nav.pages)
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Any) -> Any:
        """MkDocs makes a new template environment for every build (one per language,
        and one per rebuild while serving): keep the compiled theme templates instead of
        compiling them each time. A dirty build (`mkdocs serve --dirty`) reads only the
        pages whose file changed, but every page's menu shows the menu pages' titles:
        read those (a dozen) too.

        Every page's Markdown is made by now and none is written yet: a prose page with
        HTML it may not have fails the build here, with every problem of this language."""
        if self._prose_problems:
            problems, self._prose_problems = self._prose_problems, []
            raise PluginError(str(ContentError.of(list(dict.fromkeys(problems)))))
        env.bytecode_cache = _COMPILED_TEMPLATES
        self._site = Path(config.site_dir).resolve()
        for page in self._menu_pages:
            if page.markdown is None:
                page.read_source(config)
        return env

    def preflight(self, config: MkDocsConfig) -> None:
        """PluginError unless the machine has what the build needs (Pagefind; the fonts,
        unless serving, which renders no pamphlets)."""
        try:
            check_machine(self._languages(config)[0], pamphlets=not self._serving)
        except MissingTool as error:
            raise PluginError(str(error)) from None

    def validate(self, config: MkDocsConfig) -> Directory:
        """The valid directory (loaded once per change), or a PluginError with every problem."""
        try:
            return validated(self._read_inputs(config))
        except DirectoryError as error:
            raise _invalid(error) from None

    @property
    def inputs(self) -> SiteInputs:
        """What the site is built from (known once ``validate`` or ``on_config`` ran)."""
        return self._inputs

    def start_pamphlets(self, config: MkDocsConfig, pool: Pool | None = None) -> SitePamphlets:
        """Start rendering the pamphlets (in ``pool`` if given); on_post_build publishes them.

        Needs only valid records, not staged pages."""
        directory = self.validate(config)
        self._pamphlets = SitePamphlets.start(directory, self._inputs,
                                              self._public_url(config), render=not self._serving,
                                              pool=pool)
        return self._pamphlets

    def _public_url(self, config: MkDocsConfig) -> str:
        # `mkdocs serve` replaces site_url with its local address, useless on paper.
        site_url = "" if self._serving else config.site_url or ""
        return public_url(self.config.public_url, {"site_url": site_url})

    def on_post_template(self, output_content: str, template_name: str,
                         config: MkDocsConfig) -> str:
        if template_name == "404.html":
            self._not_found[self._current_language(config)] = output_content
        return output_content

    def _place_not_found_pages(self, config: MkDocsConfig, languages: list[str]) -> None:
        """Every language build writes its "page not found" to the site's root, so the last
        language built would win. The root keeps the default language's; each other
        language gets its own in its folder (for servers that can serve one per folder)."""
        site, default = Path(config.site_dir), self.default_language(config)
        for lang in languages:
            html = self._not_found.get(lang)
            if html is None:
                continue
            target = site / "404.html" if lang == default else site / lang / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        if page.meta.get("haven_search") is not False:
            dest = Path(page.file.abs_dest_path).relative_to(self._site)
            write_search_twin(self._inputs.search_twins, self._current_language(config),
                              str(dest), output)
        return output

    @event_priority(-200)
    def on_post_build(self, config: MkDocsConfig) -> None:
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "building", False):
            # An inner per-language build (static-i18n's, or a worker of the parallel
            # build); the outer one finishes the site. MkDocs keeps plugin instances
            # between builds of one process, so only this language's page is placed.
            self._place_not_found_pages(config, [self._current_language(config)])
            return
        self._place_not_found_pages(config, list(self._not_found))
        self._not_found.clear()
        pamphlets = self._pamphlets or self.start_pamphlets(config)
        self._pamphlets, parts, self.search_parts = None, self.search_parts, None
        finish_site(Path(config.site_dir), self._directory, self._inputs, self._public_url(config),
                    pamphlets, parts, background=self._serving)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup makes MkDocs keep this instance for every build of the process
        # (the rebuilds of `mkdocs serve`) until on_shutdown.
        self._serving = command == "serve"
        self._dirty = dirty

    def on_shutdown(self) -> None:
        self._serving = self._dirty = False


def _markdown_of(config: MkDocsConfig) -> Callable[[str], str]:
    """Markdown as the site's pages are made (its extensions and their options), so that
    prose HTML is checked in on_config, before MkDocs empties the site folder."""
    import markdown

    def to_html(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions,
                                 extension_configs=config.mdx_configs).convert(text)
    return to_html


def _page_of(src_uri: str, languages: list[str]) -> tuple[str, str | None]:
    """``services/x.es.md`` → ``("services/x", "es")``; the language is None for files
    that are not a language's page."""
    parts = src_uri.rsplit(".", 2)
    if len(parts) == 3 and parts[2] == "md" and parts[1] in languages:
        return parts[0], parts[1]
    return src_uri.removesuffix(".md"), None


def _language_names(config: MkDocsConfig) -> dict[str, str]:
    i18n = config.plugins.get("i18n")
    return {lang.locale: lang.name for lang in i18n.config.languages} if i18n else {}


def _shown(path: Path) -> Path:
    """A path as a contributor would type it: relative to the current folder if inside."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else Path(relative)


def _invalid(error: DirectoryError) -> PluginError:
    # Raised before MkDocs cleans site_dir, so a previous site stays untouched.
    return PluginError(f"The directory has errors; nothing was built.\n{error}")
