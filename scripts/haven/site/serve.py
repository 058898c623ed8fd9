"""Serving: what an edit rebuilds while `mkdocs serve --dirty` runs, and what it leaves.

One ``ServeState`` lives as long as the server (MkDocs keeps the plugin between rebuilds
because it has ``on_startup``). After an edit, each language is rebuilt like this:

- **A service edited, added or removed**: its pages and cards are rendered again; every
  other service's come from the render cache (pages.RenderCache). A generated page whose
  front matter and body are exactly what the previous build of its language had, and whose
  output exists, is left out of the build, so its file stays as it was: the edited
  service's own pages and the lists that show it (its places, its kinds of help, Find
  support) are rebuilt, nothing else.
- **Anything else** (UI strings, templates, vocabularies, regions, rights, reporting routes,
  prose): every page is rebuilt, since titles, labels and the menu are on every page.
- Prose pages and the menu's pages are always built (a prose page's output is removed
  first when every page must be rebuilt); MkDocs' dirty build reads only files
  it thinks changed, so the plugin reads the other menu pages' titles itself (on_env).
- The search index and open data are remade in the background once the pages are written
  (build.finish_site), except after the first build, which makes them before the site is
  served; so are the pamphlets, and until one is ready its link gives a page
  saying it is being prepared (preview_pamphlets.py).

MkDocs warns that a dirty build "will likely lead to inaccurate navigation" and that the
site folder "contains stale files": true of MkDocs alone, not with this plugin, which
rebuilds every page an edit changes and keeps every menu whole. While serving, those two
notices are left out of the log by a logging filter (``quiet_dirty_notices``) and Haven says
once what it does instead; nothing else MkDocs says is touched.

The server watches the directory, content and strings folders (plugin.on_serve).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..records import Directory
from .pages import RenderCache
from .preview_pamphlets import PreviewPamphlets

_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
_DIRTY_NOTICES = ("A 'dirty' build is being performed",
                  "The directory contains stale files")


class _DirtyNotices(logging.Filter):
    """MkDocs' notices about dirty builds, which this plugin makes untrue (see above)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DIRTY_NOTICES)


_QUIET = _DirtyNotices()


def quiet_dirty_notices(quiet: bool) -> None:
    """Leave MkDocs' dirty-build notices out of the log (while serving), or put them back."""
    if quiet:
        _BUILD_LOG.addFilter(_QUIET)
    else:
        _BUILD_LOG.removeFilter(_QUIET)


@dataclass
class ServeState:
    cache: RenderCache = field(default_factory=RenderCache)
    _layouts: dict[str, object] = field(default_factory=dict)
    _built: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per language, the hash of each generated page's text as last built."""
    _same_layout: dict[str, bool] = field(default_factory=dict)
    pamphlets: PreviewPamphlets = field(default_factory=PreviewPamphlets)
    first_build: bool = True
    stopped: threading.Event = field(default_factory=threading.Event)
    """Set when the server stops: background work for its site (about to be removed) ends."""

    def start(self, lang: str, layout: object, directory: Directory) -> None:
        """A rebuild of ``lang`` begins: forget rendered pieces that no longer hold."""
        self.cache.use_for(layout, directory.services)
        self._same_layout[lang] = self._layouts.get(lang) == layout
        self._layouts[lang] = layout

    def rebuilds_all(self, lang: str) -> bool:
        """Whether something other than services changed since ``lang`` was last built."""
        return not self._same_layout.get(lang, False)

    def unchanged(self, lang: str, source_uri: str, text: str, output: Path) -> bool:
        """Whether the page can be left out of this rebuild of ``lang`` (remembers it)."""
        built = self._built.setdefault(lang, {})
        key = hash(text)
        same = self._same_layout.get(lang, False) and built.get(source_uri) == key \
            and output.exists()
        built[source_uri] = key
        return same
