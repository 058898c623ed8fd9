"""Where each generated page lives, and links between pages.

MkDocs rewrites links in Markdown but not inside raw HTML blocks, and generated pages are
raw HTML, so their links are computed here, relative to the page they appear on.
"""

from __future__ import annotations

import posixpath

from markupsafe import escape

from .project import Languages


def page_url(path: str, lang: str, default: str) -> str:
    """``services/rainn`` in ``es`` → ``es/services/rainn/``; ``index`` → ``es/``;
    ``guide/index`` → ``es/guide/``."""
    prefix = "" if lang == default else f"{lang}/"
    if path == "index":
        return prefix
    return f"{prefix}{path.removesuffix('/index')}/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, '/' URLs)."""
    start = posixpath.dirname(from_url.rstrip("/") + "/x") or "."
    target = posixpath.relpath(to_url or ".", start if from_url else ".")
    if (to_url.endswith("/") or not to_url) and not target.endswith("/"):
        target += "/"
    return target


def alternates(path: str, url: str, languages: Languages) -> list[dict[str, str]]:
    """The language switcher's links: the page at ``path`` (``services/rainn``, shown at
    ``url``) in every language of the site, relative to it, so that a site published under
    a sub-path works. Haven makes them, not static-i18n: it knows only the content folder's
    pages, not the generated ones, and a build of one language (``build_only_locale``) has
    no others. None for a site of one language."""
    if len(languages.codes) < 2:
        return []
    # The names are printed as they are by the theme: escaped here.
    return [{"lang": lang, "name": str(escape(languages.names.get(lang, lang))),
             "href": relative(url, page_url(path, lang, languages.default))}
            for lang in languages.codes]
