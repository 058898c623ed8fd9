"""Write every page of every language into the folder MkDocs reads (``docs_dir``).

static-i18n only localises files that exist in ``docs_dir`` before files are collected, so
generated pages are real ``<page>.<lang>.md`` files in a git-ignored folder. Prose from
``content/`` is copied beside them; a prose page missing in a language becomes the English
page with a notice in that language. Files are only rewritten when their text changes, so
``mkdocs serve`` does not rebuild in a loop.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.utils.meta import get_data

from ..i18n import Strings, text_direction
from ..records import Directory
from ..records.problems import Problems
from ..records.yaml_loader import load_yaml_text
from .pages import LanguagePages, Page, RenderCache
from .render import attribute_text
from .sanitize import PICTURES, ContentError, ContentProblem, checked_prose, file_problems

MARKER = re.compile(r"^<!-- haven:get-help-now -->$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
PROSE_FIELDS = {"title": True, "description": False}
"""What a prose page's front matter may set (True: must). Material reads other fields as
instructions (``template``, ``hide``) and Haven its own (``haven_search``)."""
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
                          "\ufffe\uffff]")
"""Characters YAML cannot carry as they are: in a front matter they make it unreadable, and
MkDocs then reads the whole front matter as Markdown."""


class StagingError(Exception):
    """A staged page does not say what was meant: a bug in Haven, never the content's."""


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
        files = {f"{page.path}.{lang}.md": staged_page(page) for page in pages.all()}
        for service in directory.services:
            files[f"services/{service.id}.{lang}.md"] = cache.get(
                service, ("page", lang), lambda s=service: staged_page(pages.service(s)))
        files.update(self._prose(lang, pages))
        return files

    def _prose(self, lang: str, pages: LanguagePages) -> dict[str, str]:
        """Prose pages with their front matter written again, as plain text escaped for
        the places Material prints it unescaped (<title>, meta, the menu)."""
        files = {}
        for name in prose_pages(self.content_dir, self.default):
            source = self.content_dir / f"{name}.{lang}.md"
            own = source.exists()
            fields, body = read_prose(source if own else
                                      self.content_dir / f"{name}.{self.default}.md")
            if not own:
                body = untranslated(body, lang, self.default)
            body = MARKER.sub(lambda _m, n=name: pages.get_help_now(n), body)
            files[f"{name}.{lang}.md"] = staged_text(f"{name}.{lang}.md", {
                k: attribute_text(printable(v)) for k, v in fields.items()}, body)
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
        """Copy the pictures of content/. Nothing else is ever published from it: other
        files fail ``check_content`` first, and are not copied even if it was skipped."""
        copied = set()
        for path in self.content_dir.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.suffix in PICTURES:
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


def untranslated(body: str, lang: str, default: str) -> str:
    """The English page's body, marked as English, under a notice in the reader's
    language."""
    notice = escape(Strings(lang)("fallback.page"))
    return (f'\n<div class="haven-untranslated" markdown>\n'
            f'<p class="haven-fallback" role="note">{notice}</p>\n'
            f'<div lang="{default}" dir="{text_direction(default)}" markdown>\n\n'
            f"{body}\n\n</div>\n</div>\n")


# Front matter: what Haven writes must read back as written ------------------------------

def printable(text: str) -> str:
    """``text`` without the characters a front matter cannot carry."""
    return _UNPRINTABLE.sub("", text)


def staged_page(page: Page) -> str:
    """A generated page's file, its front matter checked to parse back to what was meant.
    Record text reaches the front matter and the Markdown heading: a control character
    there (``\\x01``) would make MkDocs read the front matter as Markdown, so such
    characters are dropped first (validation refuses them in records too)."""
    page = dataclasses.replace(page, title=printable(page.title),
                               description=printable(page.description),
                               meta={k: printable(str(v)) for k, v in page.meta.items()})
    meant: dict[str, Any] = {"title": attribute_text(page.title)}
    if page.description:
        meant["description"] = attribute_text(page.description)
    if not page.searchable:
        meant["haven_search"] = False
    meant.update(page.meta)
    text = page.markdown()
    check_front_matter(f"{page.path}.md", text, meant)
    return text


def staged_text(relative: str, fields: dict[str, str], body: str) -> str:
    """A staged file from its front matter's fields and its Markdown body, checked."""
    fields = {key: printable(value) for key, value in fields.items()}
    front = "".join(f"{key}: {_quoted(value)}\n" for key, value in fields.items())
    text = f"---\n{front}---\n{body}"
    check_front_matter(relative, text, fields)
    return text


def _quoted(text: str) -> str:
    """A YAML double-quoted string (one line: attribute_text collapsed the whitespace)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_front_matter(relative: str, text: str, meant: dict[str, Any]) -> None:
    """Raise StagingError unless MkDocs reads ``text``'s front matter as ``meant``."""
    _, read = get_data(text)
    wrong = [key for key, value in meant.items() if read.get(key) != value]
    if wrong:
        key = wrong[0]
        raise StagingError(f"haven: the staged page {relative} does not read back as written "
                           f"({key}: {meant[key]!r} became {read.get(key)!r}); this is a bug "
                           "in Haven, please report it")


# Prose pages as contributors write them --------------------------------------------------

def read_prose(path: Path, shown: Path | None = None) -> tuple[dict[str, str], str]:
    """A prose page's front matter fields (plain text) and Markdown body; ContentError if
    its front matter is not one ``check_content`` lets through."""
    fields, body, problems = _read_prose(path, shown or path)
    if problems:
        raise ContentError.of(problems)
    return fields, body


def _read_prose(path: Path, shown: Path) -> tuple[dict[str, str], str, list[ContentProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}, "", [ContentProblem(shown, "the file is not valid UTF-8",
                                       "save it as UTF-8 in your editor", 1, 1)]
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text, [ContentProblem(
            shown, "the page does not start with a front matter", "make its first lines "
            "`---`, `title: The page's title`, `---` (the title shows in the menu, the "
            "browser's tab and search results)", 1, 1)]
    fields, problems = _front_matter_fields(text[4:match.end() - 4], shown)
    return fields, text[match.end():], problems


def _front_matter_fields(front: str, shown: Path) -> tuple[dict[str, str], list[ContentProblem]]:
    """The front matter read with the records' safe loader (no aliases, anchors, tags or
    duplicate keys); lines are the page's (the front matter starts on line 2)."""
    if not front.strip():
        return {}, [ContentProblem(shown, "front matter: it is empty",
                                   "add a line `title: The page's title`", 2, 1)]
    found = Problems()
    if len(front.encode("utf-8")) > FRONT_MATTER_BYTES:
        return {}, [ContentProblem(shown, f"front matter: it is longer than "
                                   f"{FRONT_MATTER_BYTES // 1024} KB", "keep only `title` and "
                                   "`description`, each one line", 2, 1)]
    loaded = load_yaml_text(shown, front, found)
    problems = [ContentProblem(shown, f"front matter: {p.message}", _prose_fix(p.fix),
                               p.line + 1, p.column) for p in found]
    if loaded is None:
        return {}, problems
    fields: dict[str, str] = {}
    for key, value in loaded.data.items():
        line, column = loaded.keys[(key,)]
        text = value if isinstance(value, str) else loaded.raw.get((key,))
        if key not in PROSE_FIELDS:
            problems.append(ContentProblem(
                shown, f"front matter: `{key}` is not a field a prose page may set",
                "remove the line: a prose page's front matter has only `title` and "
                "`description`", line + 1, column))
        elif text is None or not text.strip():
            problems.append(ContentProblem(shown, f"front matter: `{key}` must be text",
                                           "write it after the colon, on the same line",
                                           line + 1, column))
        else:
            fields[key] = text
    missing = [k for k, must in PROSE_FIELDS.items() if must and k not in loaded.data]
    problems += [ContentProblem(shown, f"front matter: `{k}` is missing",
                                f"add a line `{k}: ...` between the two `---` lines", 2, 1)
                 for k in missing]
    return fields, problems


def _prose_fix(fix: str) -> str:
    # The loader's advice is written for records.
    return fix if fix and "record" not in fix else \
        "write one `field: value` line per field, such as `title: About this guide`"


FRONT_MATTER_BYTES = 16 * 1024
_checked: set[tuple[object, ...]] = set()


def check_content(content: Path, languages: list[str], shown: Path,
                  to_html: Callable[[str], str] | None = None) -> None:
    """Every file of content/ may be published, every page's front matter is one Haven
    can write again as plain text, and (given ``to_html``, the site's Markdown) every page's
    HTML is within the allow-list; else ContentError with every problem of every language.
    Checked once per change of the folder (static-i18n configures the build once per
    language), before MkDocs touches the site folder."""
    key = (str(content), tuple(languages), to_html is not None, _content_stats(content))
    if key in _checked:
        return
    problems = file_problems(content, shown)
    bad = {p.path for p in problems}
    suffixes = tuple(f".{lang}.md" for lang in languages)
    for path in sorted(content.rglob("*.md")):
        where = shown / path.relative_to(content)
        if path.name.endswith(suffixes) and where not in bad and path.is_file():
            _, body, found = _read_prose(path, where)
            if to_html is not None and not found:
                # The marker is Haven's own, replaced by the Get help now lines when staged.
                found = checked_prose(to_html(MARKER.sub("", body)), path, where)[1]
            problems += found
    if problems:
        raise ContentError.of(problems)
    _checked.clear()
    _checked.add(key)


def _content_stats(content: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), p.lstat().st_mtime_ns, p.lstat().st_size)
                 for p in sorted(content.rglob("*")))
