"""The ``haven`` MkDocs plugin: validate the directory, add each language's generated pages,
finish the site.

static-i18n builds the site once per language on the same configuration (the default
language's build, then the others from its ``on_post_build``). Per build:

- on_config: check the machine (preflight.py), the strings, the content folder and every
  prose page's HTML in every language (prose.py, sanitize.py), and validate the records
  (once per change, cached across the per-language builds); add the theme overrides. Runs
  before MkDocs empties the site folder: whatever fails here leaves the previous site.
- on_files (after static-i18n has chosen this language's prose pages): add this language's
  generated pages, made in memory (generated.py); in a build of one language of several
  (``build_only_locale``, split.py), put its pages at their address in the whole site.
- on_page_markdown / on_page_content: a prose page gets plain front matter, the "not
  translated" notice and the Get help now lines, and is published as the allow-list cleans
  it; a generated page's HTML body goes in after its heading, skipping Markdown.
- on_page_context: the UI strings of the language being built, escaped, and the language
  switcher's links (urls.alternates).
- on_post_build: once every language is built (the outermost build ends last), the
  language's "page not found" pages in place, then the site finished once (build.py); a
  build of one language of several indexes only its own pages for search.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..i18n import HtmlStrings, StringsError, check_strings, use_strings_from
from ..progress import SILENT, Progress, Task
from ..project import Languages, languages_of, public_url
from ..records import Directory, DirectoryError
from ..urls import alternates, page_url
from .build import SiteInputs, SitePamphlets, finish_site, validated
from .compact import compact_html
from .generated import GeneratedPageError, generated_file, language_pages, page_source
from .pages import LanguagePages
from .preflight import MissingTool, check_machine
from .prose import check_content, plain_fields, prepared, shown, site_markdown, source_of
from .sanitize import PICTURES, ContentError, ContentProblem, checked_prose, with_outbound_rel
from .search import index_language, write_search_twin
from .serve import ServeState, quiet_dirty_notices

log = logging.getLogger("mkdocs.plugins.haven")
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
_QUOTABLE = r"[^\s\"'<>`\\]"  # the addresses below are printed into href attributes


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


class _Address(c.Type):
    """An address printed into href attributes as it is: only the schemes given, and no
    character that could end the attribute."""

    def __init__(self, pattern: str, must: str, default: str = "") -> None:
        super().__init__(str, default=default)
        self._pattern, self._must = re.compile(pattern), must

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        if text and not self._pattern.fullmatch(text):
            raise ValidationError(f"must be {self._must} (without spaces, quotes or angle "
                                  "brackets)")
        return text


class HavenConfig(Config):
    directory = c.Dir(exists=True, default="directory")
    """The folder of YAML records, vocabularies, regions and schemas."""
    strings = c.Dir(default="strings")
    """Optional folder of ``<lang>.yaml`` UI strings that add or override the built-in ones."""
    work = c.Dir(default="build")
    """Haven's own files between builds (git-ignored): rendered pamphlets, search twins."""
    public_url = _Address(rf"https://{_QUOTABLE}+", "an https:// address")
    """The guide's public https address for pamphlets (default: site_url)."""
    exit_url = _Address(rf"https://{_QUOTABLE}+", "an https:// address",
                        default="https://www.bbc.com/weather")
    """Where the quick exit goes: a neutral site."""
    contact_url = _Address(rf"(?:https://|mailto:{_QUOTABLE}+@){_QUOTABLE}+",
                           "an https:// or mailto: address")
    """How to reach the people who run the guide, linked in every page's footer (none when
    empty)."""


class HavenPlugin(BasePlugin[HavenConfig]):
    supports_multiple_instances = False
    _directory: Directory
    _inputs: SiteInputs
    _serve: ServeState | None = None
    _dirty = False
    _command: str | None = None
    """`mkdocs build` or `mkdocs serve` (on_startup); None when built by `haven build`."""
    _shown: Progress = SILENT
    _pages: Task = SILENT.task("", 0)
    _menu_pages: list[Any]
    _site: Path
    """This build's output folder, resolved (set in ``on_env``)."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0  # builds under way: static-i18n starts the others inside the first
        self._not_found: dict[str, str] = {}
        self._bodies: dict[str, str] = {}
        self._prose_problems: list[ContentProblem] = []

    # Configuration -------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup makes MkDocs keep this instance for every build of the process
        # (the rebuilds of `mkdocs serve`) until on_shutdown.
        if command != "serve":
            self._serve = None
        elif self._serve is None:
            self._serve = ServeState()
            if dirty:
                quiet_dirty_notices(True)
                log.info("haven: serving incrementally: an edit rebuilds the pages it "
                         "changes, with whole menus and links (scripts/haven/site/serve.py)")
        self._dirty, self._command = dirty, command

    def on_shutdown(self) -> None:
        if self._serve is not None:
            self._serve.stopped.set()
            self._serve.pamphlets.stop()
        quiet_dirty_notices(False)
        self._serve, self._dirty, self._command = None, False, None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Check strings and content and validate, before static-i18n's on_config and before
        MkDocs empties the site folder: a failure leaves the previous site as it was."""
        inputs = self.read_inputs(config)
        try:
            check_machine(list(inputs.languages.codes),
                          pamphlets=not inputs.languages.partial)
            check_strings(list(inputs.languages.codes))
            check_content(inputs.content, list(inputs.languages.codes), shown(inputs.content),
                          site_markdown(config))
            self._directory = validated(inputs)
        except DirectoryError as error:
            raise _invalid(error) from None
        except (MissingTool, StringsError, ContentError) as error:
            raise PluginError(str(error)) from None
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME_DIR))
        if "assets/haven/haven.css" not in config.extra_css:
            config.extra_css.append("assets/haven/haven.css")
        config.extra["haven_exit_url"] = self.config.exit_url
        config.extra["haven_contact_url"] = self.config.contact_url
        return config

    def read_inputs(self, config: MkDocsConfig) -> SiteInputs:
        """What the site is made from, as the configuration says."""
        strings = [p for p in [Path(self.config.strings)] if p.is_dir()]
        use_strings_from(strings)
        self._inputs = SiteInputs(Path(self.config.directory), Path(config.docs_dir),
                                  Path(self.config.work), languages_of(config), strings)
        return self._inputs

    def public_url(self, config: MkDocsConfig) -> str:
        # `mkdocs serve` replaces site_url with its local address, useless on paper.
        return public_url(self.config.public_url, "" if self._serve else config.site_url)

    @property
    def _languages(self) -> Languages:
        return self._inputs.languages

    def _current_language(self, config: MkDocsConfig) -> str:
        """The language this build makes: static-i18n's current language (read only)."""
        i18n = config.plugins.get("i18n")
        return getattr(i18n, "current_language", None) or self._languages.default

    # Files and pages -------------------------------------------------------------------
    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._depth += 1
        if self._depth == 1:
            self._shown = self._progress()
            self._pages = self._shown.task("pages", len(self._languages.built), "languages")
        elif self._pages.done == 0:  # static-i18n starts the second language: one is built
            self._pages.advance(self._languages.default)

    def _progress(self) -> Progress:
        """Each language built, as a line of the log, in `mkdocs build` and in the first
        build of `mkdocs serve` (its rebuilds take seconds), on a terminal or when asked
        (HAVEN_PROGRESS, progress.py); `haven build` shows its own."""
        if self._command == "build" or (self._command == "serve" and self._serve is not None
                                        and self._serve.first_build):
            return Progress.for_command("haven", lines=log.info)
        return SILENT

    def on_build_error(self, error: Exception) -> None:
        self._depth = 0  # the next build (a rebuild while serving) starts afresh

    @event_priority(-110)  # after static-i18n's on_files (-100) has chosen the prose pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        lang = self._current_language(config)
        self._prose_problems, self._bodies = [], {}
        if self._serve is not None:
            self._serve.start(lang, self._inputs.layout_signature(), self._directory)
        for file in list(files):
            if _never_published(file, config):
                files.remove(file)
            elif file.is_documentation_page():
                if self._languages.partial and lang != self._languages.default:
                    files.remove(file)
                    files.append(file := _moved_into(file, lang, config))
                if self._dirty and self._serve is not None and self._serve.rebuilds_all(lang):
                    # A dirty build rebuilds a prose page only when its file is newer than
                    # its output; its menu and strings changed (serve.py).
                    Path(file.abs_dest_path).unlink(missing_ok=True)
        self._add_generated_pages(files, config, lang)
        return files

    def _add_generated_pages(self, files: Files, config: MkDocsConfig, lang: str) -> None:
        default = self._languages.default
        cache = self._serve.cache if self._serve is not None else None
        for page in language_pages(self._directory, lang, default, cache,
                                   self.public_url(config)):
            source, body = page_source(page), page.html()
            output = Path(config.site_dir) / page_url(page.path, lang, default) / "index.html"
            if self._dirty and self._serve is not None and "/" in page.path and \
                    self._serve.unchanged(lang, page.path, source + body, output):
                continue  # unchanged since the last rebuild: its output stays (serve.py)
            file = generated_file(config, page, source, lang, default)
            files.append(file)
            self._bodies[file.src_uri] = body

    @event_priority(-150)  # after static-i18n has made this language's menu
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        self._menu_pages = list(nav.pages)
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """MkDocs makes a new template environment for every build (one per language,
        and one per rebuild while serving): keep the compiled theme templates instead of
        compiling them each time. A dirty build reads only the pages it thinks changed,
        but every page's menu shows the menu pages' titles: read those (a dozen) too.

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
                self._plain_front_matter(page, config)
        return env

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig,
                         files: Files) -> str:
        if page.file.src_uri in self._bodies:
            if "title" not in page.meta:
                raise PluginError(f"haven: {page.file.src_uri}: the front matter of the "
                                  "generated page does not parse; nothing was built")
            return markdown  # front matter and heading; the body goes in after Markdown
        lang = self._current_language(config)
        name = _prose_name(page.file.src_uri)
        self._plain_front_matter(page, config)
        translated = (self._inputs.content / f"{name}.{lang}.md").is_file()
        return prepared(markdown, lang, self._languages.default, translated,
                        lambda: self._page_pieces(lang).get_help_now(name))

    def _plain_front_matter(self, page: Any, config: MkDocsConfig) -> None:
        """A prose page's title and description as Haven read them, as plain text: Material
        prints them unescaped (<title>, meta, the menu)."""
        source = self._prose_source(page, config)
        page.meta.update(plain_fields(source, shown(source)))

    def _prose_source(self, page: Any, config: MkDocsConfig) -> Path:
        return source_of(self._inputs.content, _prose_name(page.file.src_uri),
                         self._current_language(config), self._languages.default)

    def _page_pieces(self, lang: str) -> LanguagePages:
        return LanguagePages(self._directory, lang, self._languages.default)

    def on_page_content(self, html: str, page: Any, config: MkDocsConfig,
                        files: Files) -> str:
        body = self._bodies.pop(page.file.src_uri, None)
        if body is not None:
            return f"{html}\n{body}"
        source = self._prose_source(page, config)
        cleaned, problems = checked_prose(html, source, shown(source))
        self._prose_problems += problems
        return with_outbound_rel(cleaned)

    def on_page_context(self, context: dict[str, Any], page: Any, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        context["haven"] = HtmlStrings(self._current_language(config))
        path = _prose_name(page.file.src_uri)
        context["haven_alternates"] = alternates(path, page.url, self._languages)
        return context

    def on_template_context(self, context: dict[str, Any], template_name: str,
                            config: MkDocsConfig) -> dict[str, Any]:
        context["haven"] = HtmlStrings(self._current_language(config))
        return context

    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        output = compact_html(output)
        if page.meta.get("haven_search") is not False:
            dest = Path(page.file.abs_dest_path).relative_to(self._site)
            write_search_twin(self._inputs.search_twins, self._current_language(config),
                              str(dest), output)
        return output

    def on_post_template(self, output_content: str, template_name: str,
                         config: MkDocsConfig) -> str:
        if template_name == "404.html":
            self._not_found[self._current_language(config)] = output_content
        return output_content

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in [self._inputs.directory, *self._inputs.strings]:
            server.watch(str(folder))
        return server

    # The whole site ------------------------------------------------------------------
    @event_priority(-200)  # after static-i18n's, which builds the other languages
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._depth -= 1
        if self._depth or self._pages.done < self._pages.total:
            self._pages.advance(self._current_language(config))
        if self._depth > 0:
            return  # one language of static-i18n's loop; the first build finishes the site
        # While serving, the search index and open data are remade in the background after
        # a rebuild; the first build makes them before the site is served, so that nothing
        # the site links to is missing (the pamphlets: preview_pamphlets.py).
        background = self._serve.stopped if self._serve is not None and \
            not self._serve.first_build else None
        if self._serve is not None:
            self._serve.first_build = False
        site, languages = Path(config.site_dir), self._languages
        self._place_not_found_pages(site)
        if languages.partial:
            lang = languages.built[0]
            index_language(site, self._inputs.search_twins, lang, site / "pagefind")
            return
        url = self.public_url(config)
        pamphlets = self._serve.pamphlets.wanted(self._directory, self._inputs, url) \
            if self._serve is not None else SitePamphlets.start(self._directory, self._inputs, url)
        finish_site(site, self._directory, self._inputs, url, pamphlets, background=background,
                    progress=self._shown)

    def _place_not_found_pages(self, site: Path) -> None:
        """Every language's build writes its "page not found" to its site's root, so the
        last language built would win. The root keeps the default language's; each other
        language gets its own in its folder (for servers that can serve one per folder).
        In a build of one language, the root has that language's (split.merge moves it)."""
        default = self._languages.default if not self._languages.partial \
            else self._languages.built[0]
        for lang, html in self._not_found.items():
            target = site / "404.html" if lang == default else site / lang / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        self._not_found.clear()


def _never_published(file: File, config: MkDocsConfig) -> bool:
    """The theme folder's component READMEs and tests, and any file of content/ that is not
    a page or a picture (check_content has refused those already: this is the second lock)."""
    source = file.abs_src_path or ""
    if source.startswith(str(THEME_DIR)):
        return file.src_uri.endswith((".md", ".py"))
    if source.startswith(str(Path(config.docs_dir).resolve())):
        return not file.src_uri.endswith(".md") and Path(file.src_uri).suffix not in PICTURES
    return False


def _moved_into(file: File, lang: str, config: MkDocsConfig) -> File:
    """A prose page of a build of ``lang`` alone (static-i18n writes it at the root, as the
    only language) at its address in the whole site, ``<lang>/...``."""
    return File(file.src_uri, config.docs_dir, config.site_dir, config.use_directory_urls,
                dest_uri=f"{lang}/{file.dest_uri}")


def _prose_name(src_uri: str) -> str:
    """``about.es.md`` → ``about``; ``services/x.es.md`` → ``services/x``."""
    return src_uri.removesuffix(".md").rsplit(".", 1)[0]


def _invalid(error: DirectoryError) -> PluginError:
    # Raised before MkDocs cleans site_dir, so a previous site stays untouched.
    return PluginError(f"The directory has errors; nothing was built.\n{error}")


__all__ = ["GeneratedPageError", "HavenPlugin"]
