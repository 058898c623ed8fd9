"""Where each generated page lives, and links between pages.

MkDocs rewrites links in Markdown but not inside raw HTML blocks, and generated pages are
raw HTML, so their links are computed here, relative to the page they appear on.
"""

from __future__ import annotations

import posixpath


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
