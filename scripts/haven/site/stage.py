"""Write every page of every language into the folder MkDocs reads (``docs_dir``).

static-i18n only localises files that exist in ``docs_dir`` before files are collected, so
generated pages are real ``<page>.<lang>.md`` files in a git-ignored folder. Prose from
``content/`` is copied beside them; a prose page missing in a language becomes the English
page with a notice in that language. Files are only rewritten when their text changes, so
``mkdocs serve`` does not rebuild in a loop.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from ..i18n import Strings, text_direction
from ..records import Directory
from .pages import LanguagePages, RenderCache

MARKER = re.compile(r"^<!-- haven:get-help-now -->$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


@dataclass
class Stager:
    content_dir: Path
    out_dir: Path
    languages: list[str]
    default: str

    def language(self, directory: Directory, lang: str,
                 cache: RenderCache | None = None) -> dict[str, str]:
        """Every page of one language: relative path → file text. Generated pages carry
        their finished HTML body after a marker (see ``Page.markdown``)."""
        cache = cache or RenderCache()
        pages = LanguagePages(directory, lang, self.default, cache)
        files = {f"{page.path}.{lang}.md": page.markdown() for page in pages.all()}
        for service in directory.services:
            files[f"services/{service.id}.{lang}.md"] = cache.get(
                service, ("page", lang), lambda s=service: pages.service(s).markdown())
        files.update(self._prose(lang, pages))
        return files

    def _prose(self, lang: str, pages: LanguagePages) -> dict[str, str]:
        files = {}
        for name in prose_pages(self.content_dir, self.default):
            source = self.content_dir / f"{name}.{lang}.md"
            if source.exists():
                text = source.read_text(encoding="utf-8")
            else:
                english = (self.content_dir / f"{name}.{self.default}.md").read_text("utf-8")
                text = untranslated(english, lang, self.default)
            files[f"{name}.{lang}.md"] = MARKER.sub(
                lambda _m, n=name: pages.get_help_now(n), text)
        return files

    def write(self, files: dict[str, str]) -> list[str]:
        """Write the files whose text changed; returns their paths."""
        changed = []
        for relative, text in files.items():
            target = self.out_dir / relative
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
                changed.append(relative)
        return changed

    def clean(self, staged: set[str]) -> None:
        """Copy content assets; delete what is neither staged nor an asset (a removed
        record's pages, a removed language)."""
        wanted = staged | self._copy_assets()
        for path in list(self.out_dir.rglob("*")):
            if path.is_file() and str(path.relative_to(self.out_dir)) not in wanted:
                path.unlink()

    def touch_all(self) -> int:
        """Mark every staged file as just changed; returns how many there are."""
        files = [path for path in self.out_dir.rglob("*") if path.is_file()]
        for path in files:
            os.utime(path)
        return len(files)

    def _copy_assets(self) -> set[str]:
        copied = set()
        for path in self.content_dir.rglob("*"):
            if path.is_file() and path.suffix != ".md":
                relative = str(path.relative_to(self.content_dir))
                target = self.out_dir / relative
                if not target.exists() or target.read_bytes() != path.read_bytes():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                copied.add(relative)
        return copied


def prose_pages(content: Path, default: str) -> list[str]:
    """Prose page names (``understanding-support``): the default language's files."""
    suffix = f".{default}.md"
    return sorted(str(p.relative_to(content))[: -len(suffix)]
                  for p in content.rglob(f"*{suffix}"))


def untranslated(english: str, lang: str, default: str) -> str:
    """The English page, marked as English, under a notice in the reader's language."""
    match = FRONT_MATTER.match(english)
    front, body = (match.group(0), english[match.end():]) if match else ("", english)
    notice = escape(Strings(lang)("fallback.page"))
    return (f'{front}\n<div class="haven-untranslated" markdown>\n'
            f'<p class="haven-fallback" role="note">{notice}</p>\n'
            f'<div lang="{default}" dir="{text_direction(default)}" markdown>\n\n'
            f"{body}\n\n</div>\n</div>\n")
