"""Prose pages as contributors write them in ``content/``: read, checked, made ready.

``content/`` is MkDocs' ``docs_dir``; static-i18n picks each language's file, or the
default language's when a page is not translated. Haven checks every page before anything
is built (``check_content``: front matter, files, the HTML Markdown makes), and as each page
is built gives it its front matter as plain text, the "not translated" notice, and the Get
help now lines in place of the marker (``prepared``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig

from ..i18n import Strings, text_direction
from ..records.problems import Problems
from ..records.yaml_loader import load_yaml_text
from ..render import attribute_text
from .sanitize import ContentError, ContentProblem, checked_prose, file_problems

MARKER = re.compile(r"^<!-- haven:get-help-now -->$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
PROSE_FIELDS = {"title": True, "description": False}
"""What a prose page's front matter may set (True: must). Material reads other fields as
instructions (``template``, ``hide``) and Haven its own (``haven_search``)."""
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
                          "\ufffe\uffff]")
"""Characters YAML cannot carry as they are: in a front matter they make it unreadable, and
MkDocs then reads the whole front matter as Markdown."""


def site_markdown(config: MkDocsConfig) -> Callable[[str], str]:
    """Markdown as the site's pages are made (its extensions and their options), so that
    prose HTML is checked before MkDocs empties the site folder."""
    import markdown

    def to_html(text: str) -> str:
        return markdown.Markdown(extensions=config.markdown_extensions,
                                 extension_configs=config.mdx_configs).convert(text)
    return to_html


def shown(path: Path) -> Path:
    """A path as a contributor would type it: relative to the current folder if inside."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else Path(relative)


def printable(text: str) -> str:
    """``text`` without the characters a front matter cannot carry."""
    return _UNPRINTABLE.sub("", text)


def source_of(content: Path, name: str, lang: str, default: str) -> Path:
    """The file a prose page is made from: its own language's, else the default's."""
    own = content / f"{name}.{lang}.md"
    return own if own.is_file() else content / f"{name}.{default}.md"


def plain_fields(source: Path, shown: Path) -> dict[str, str]:
    """The page's front matter as Haven read it (the raw text of each field), escaped for
    the places Material prints it unescaped (<title>, meta, the menu)."""
    fields, _ = read_prose(source, shown)
    return {key: attribute_text(printable(value)) for key, value in fields.items()}


def prepared(markdown: str, lang: str, default: str, translated: bool,
             get_help_now: Callable[[], str]) -> str:
    """A prose page's Markdown as published: under a notice when it is the default
    language's page shown in another language, with the Get help now lines at the marker."""
    if not translated:
        markdown = untranslated(markdown, lang, default)
    return MARKER.sub(lambda _m: get_help_now(), markdown)


def untranslated(body: str, lang: str, default: str) -> str:
    """The English page's body, marked as English, under a notice in the reader's
    language."""
    notice = escape(Strings(lang)("fallback.page"))
    return (f'\n<div class="haven-untranslated" markdown>\n'
            f'<p class="haven-fallback" role="note">{notice}</p>\n'
            f'<div lang="{default}" dir="{text_direction(default)}" markdown>\n\n'
            f"{body}\n\n</div>\n</div>\n")


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
_LOCALE_SUFFIX = re.compile(r"\.[a-z]{2,3}(?:[_-][A-Za-z0-9]+)?\.md$")
"""A language before ``.md``, as static-i18n reads it; a page without one would be published
as the default language's."""
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
    problems += [_no_language(shown / path.relative_to(content), languages)
                 for path in sorted(content.rglob("*.md"))
                 if not _LOCALE_SUFFIX.search(path.name)
                 and shown / path.relative_to(content) not in bad]
    for path in sorted(content.rglob("*.md")):
        where = shown / path.relative_to(content)
        if path.name.endswith(suffixes) and where not in bad and path.is_file():
            _, body, found = _read_prose(path, where)
            if to_html is not None and not found:
                # The marker is Haven's own: the Get help now lines replace it.
                found = checked_prose(to_html(MARKER.sub("", body)), path, where)[1]
            problems += found
    if problems:
        raise ContentError.of(problems)
    _checked.clear()
    _checked.add(key)


def _no_language(where: Path, languages: list[str]) -> ContentProblem:
    # MkDocs publishes every page of content/; one without a language would be published
    # as the default language's, outside every check made per language.
    return ContentProblem(where, "a page's name must end with its language "
                          f"({', '.join(f'.{lang}.md' for lang in languages)})",
                          f"rename it, for example `{where.name.removesuffix('.md')}"
                          f".{languages[0]}.md`")


def _content_stats(content: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), p.lstat().st_mtime_ns, p.lstat().st_size)
                 for p in sorted(content.rglob("*")))
