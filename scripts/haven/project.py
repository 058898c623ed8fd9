"""What the project's configuration says, read once, with MkDocs' own loader.

``mkdocs.yml`` is the one place languages, paths and the public address are configured.
Commands outside MkDocs (`haven pamphlet`, `haven report`, `haven build`) load it with
``mkdocs.config.load_config`` exactly as `mkdocs build` does (``!ENV`` tags evaluated,
plugin options validated), and everything that needs the site's languages takes them from
``languages_of`` — pages, the language switcher, pamphlets, open data and reports agree.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs import config as mkdocs_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.utils import yaml_load


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_config(config_file: str, **overrides: Any) -> MkDocsConfig:
    """mkdocs.config.load_config, whose errors (logged, then "Aborted with a configuration
    error!") become one ConfigurationError that says what is wrong."""
    collected = _Collected()
    logger = logging.getLogger("mkdocs.config")
    logger.addHandler(collected)
    try:
        return mkdocs_config.load_config(config_file, **overrides)
    except Abort:
        raise ConfigurationError(f"{config_file}: " + "; ".join(collected.messages)) from None
    finally:
        logger.removeHandler(collected)


@dataclass(frozen=True)
class Languages:
    """The site's languages (``build: false`` ones left out) and which of them this build
    makes: all of them, or one when static-i18n's ``build_only_locale`` is set (one half of
    a build split by language, see site/split.py)."""

    codes: tuple[str, ...]
    default: str
    names: dict[str, str]
    built: tuple[str, ...]

    @property
    def partial(self) -> bool:
        """This build makes only part of the site (one language of several)."""
        return set(self.built) != set(self.codes)


ENGLISH_ONLY = Languages(("en",), "en", {"en": "English"}, ("en",))


def languages_of(config: MkDocsConfig) -> Languages:
    """The site's languages from static-i18n's configuration."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return ENGLISH_ONLY
    only = i18n.config.build_only_locale
    if only:
        # static-i18n makes the one language the default and the only one built; the
        # site's own list is the configuration file's, as written.
        site = _written_languages(Path(config.config_file_path)) if config.config_file_path \
            else None
        if site is not None and only in site.codes:
            return Languages(site.codes, site.default, site.names, (only,))
    entries = [lang for lang in i18n.config.languages if lang.build]
    return _languages([(lang.locale, lang.name, lang.default) for lang in entries])


def _languages(entries: list[tuple[str, str, bool]]) -> Languages:
    codes = tuple(code for code, _, _ in entries)
    default = next((code for code, _, is_default in entries if is_default), codes[0])
    return Languages(codes, default, {code: name for code, name, _ in entries}, codes)


def _written_languages(config_file: Path) -> Languages | None:
    i18n = _plugin_options(_read(config_file)).get("i18n")
    if not i18n or i18n.get("build_only_locale"):
        return None
    entries = [(lang["locale"], lang.get("name", lang["locale"]), bool(lang.get("default")))
               for lang in i18n.get("languages", []) if lang.get("build", True)]
    return _languages(entries) if entries else None


def _read(config_file: Path) -> dict[str, Any]:
    with config_file.open("rb") as stream:
        return yaml_load(stream) or {}  # MkDocs' loader: !ENV, !relative, INHERIT


def _plugin_options(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {}
    for entry in config.get("plugins") or []:
        for name, values in (entry.items() if isinstance(entry, dict) else [(entry, {})]):
            options[name] = values or {}
    return options


def load_for_language(config_file: Path, lang: str, **overrides: Any) -> MkDocsConfig:
    """The configuration with static-i18n's documented ``build_only_locale`` set to
    ``lang``: a build of that language only (see site/split.py)."""
    config = _read(config_file)
    plugins = []
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "i18n" in entry:
            entry = {"i18n": {**(entry["i18n"] or {}), "build_only_locale": lang}}
        plugins.append(entry)
    return load_config(str(config_file), plugins=plugins, **overrides)


@dataclass(frozen=True)
class Project:
    root: Path
    languages: Languages
    public_url: str
    directory: Path
    content: Path
    strings: Path
    """The project's own UI strings folder (may not exist)."""
    config: MkDocsConfig

    @classmethod
    def load(cls, config_file: Path = Path("mkdocs.yml"), **overrides: Any) -> Project:
        config = load_config(str(config_file), **overrides)
        haven = config.plugins["haven"].config
        return cls(Path(config.config_file_path).resolve().parent, languages_of(config),
                   public_url(haven.public_url, config.site_url), Path(haven.directory),
                   Path(config.docs_dir), Path(haven.strings), config)

    def prose_pages(self) -> list[str]:
        return prose_pages(self.content, self.languages.default)


def prose_pages(content: Path, default: str) -> list[str]:
    """Prose page names (``understanding-support``): the default language's files."""
    suffix = f".{default}.md"
    return sorted(str(p.relative_to(content))[: -len(suffix)]
                  for p in content.rglob(f"*{suffix}"))


def public_url(configured: str | None, site_url: str | None) -> str:
    """Where the guide is published, for pamphlets: the plugin's public_url, else the
    HAVEN_PUBLIC_URL environment variable (set by CI), else MkDocs' site_url."""
    url = configured or os.environ.get("HAVEN_PUBLIC_URL") or site_url or ""
    local = url.startswith(("http://127.0.0.1", "http://localhost"))
    return "" if local or not url.startswith("https://") else url
