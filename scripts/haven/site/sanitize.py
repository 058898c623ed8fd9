"""What the files of ``content/`` may contain: prose pages are content, not code.

Everything in a pull request is untrusted, prose included. A prose page may use Markdown and
a short allow-list of HTML (CONTRIBUTING.md, "What a prose page may contain"); the folder
may hold only Markdown pages and raster pictures. nh3 (Rust's ammonia) cleans the HTML
MkDocs made from each prose page; when the cleaned page differs from the original, the build
fails and names each element, attribute or address that would have been removed, with the
file and line. Removing it silently would hide an attack from the maintainer who reviews
the pull request, and change the page without its author knowing. What is published is
nh3's output, so no difference between its HTML parser and the one that explains the
removals can let anything through; for pages that pass, it is what MkDocs made, byte for
byte (the shipped pages are).
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nh3

RULES = 'CONTRIBUTING.md, "What a prose page may contain"'

TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
"""What Markdown makes (with attr_list, md_in_html, admonition, tables, toc), plus inline
text markup. No script, style, iframe, object, embed, form, input, meta, base or link."""

ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "details": {"open"},
}
"""No event handlers (``on…``), no ``style`` (the CSP blocks inline styles anyway), no
``data-…`` (Haven's scripts act on those), no ``target`` or ``rel``."""

ATTRIBUTE_VALUES = {"p": {"role": {"note"}}, "ul": {"role": {"list"}},
                    "a": {"rel": {"noreferrer noopener"}}}
"""What the build itself adds to prose: the notice above an untranslated page, and in Get
help now lists without bullets that stay lists for screen readers and chat links."""

URL_SCHEMES = {"https", "tel", "sms", "mailto"}

CLASSES = {
    # Pieces the build puts into prose pages, checked with the rest of the page (checking
    # them apart would miss what the page's own HTML around them turns them into): the
    # home page's "get help now" block (site/templates/get_help_now.html.j2, record text
    # through render.py) and the notice above an untranslated page (prose.py). A test
    # checks that this list has every class those files write.
    "haven-help-now", "haven-emergency", "haven-emergency__label", "haven-lines",
    "haven-lines__item", "haven-lines__name", "haven-lines__more", "haven-jump",
    "haven-jump__title", "haven-jump__list", "haven-place", "haven-place__lines",
    "haven-place__country", "haven-actions", "haven-actions__item", "haven-button",
    "haven-button--primary", "haven-button--emergency", "haven-number",
    "haven-untranslated", "haven-fallback",
    # Admonitions (!!! note).
    "admonition", "admonition-title", "note", "abstract", "info", "tip", "success",
    "question", "warning", "failure", "danger", "bug", "example", "quote",
}
"""Classes are an allow-list too: Haven's scripts find elements by class (a prose element
with the quick exit's overlay class would switch the quick exit off)."""

_CODE_CLASS = re.compile(r"language-[A-Za-z0-9+#-]+")
_RESERVED_ID = re.compile(r"__|haven-")  # Material's controls, Haven's scripts
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_OFF_SITE = re.compile(r"[/\\]{2}")  # //host and /\host leave the site
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # ... and these at its start


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    """nh3's per-attribute check, for what its options cannot say; None removes it."""
    if attribute == "class":
        return value if all(c in CLASSES or _CODE_CLASS.fullmatch(c) for c in value.split()) \
            else None
    if attribute == "id":
        return None if _RESERVED_ID.match(value) else value
    if attribute in ("href", "src"):
        url = _URL_IGNORED.sub("", value).lstrip(_C0_AND_SPACE)
        if _OFF_SITE.match(url) or (tag == "img" and _SCHEME.match(url)):
            return None  # nothing is fetched from another site
    return value


_CLEANER = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, tag_attribute_values=ATTRIBUTE_VALUES,
                       attribute_filter=_allowed_value, url_schemes=URL_SCHEMES,
                       link_rel=None, strip_comments=True)
# Comments are removed too: they are published in the page's source for anyone to read.


# Comparing the original with nh3's version ---------------------------------------------

Token = tuple[str, str, tuple[tuple[str, str], ...]]
"""(kind, tag name or text, attributes): what a browser would read, not how it is written."""


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag, ()))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.tokens.append(("text", data.strip(), ()))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("comment", data.strip(), ()))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("declaration", decl, ()))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(("declaration", data, ()))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(("declaration", data, ()))


def _tokens(html: str) -> list[Token]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


@dataclass(frozen=True)
class Removal:
    """One thing nh3 would take out of a page."""

    tag: str
    attribute: str = ""
    value: str = ""
    kind: str = "element"  # element | attribute | comment | other

    def explain(self) -> tuple[str, str, str]:
        """(what is wrong, how to fix it, text to look for in the Markdown source)."""
        remove = f"remove it (see {RULES})"
        if self.kind == "comment":
            return ("an HTML comment is published in the page's source for anyone to read",
                    "remove it, and leave notes in the pull request instead",
                    self.value[:40] or "<!--")
        if self.kind == "other":
            return (f"this HTML would be changed by the sanitiser (near `{self.value[:40]}`)",
                    remove, self.value[:40])
        if self.kind == "element":
            why = _WHY_NOT.get(self.tag, "")
            return (f"`<{self.tag}>` is not allowed in a prose page{why}", remove,
                    f"<{self.tag}")
        return self._explain_attribute(remove)

    def _explain_attribute(self, remove: str) -> tuple[str, str, str]:
        name, value = self.attribute, self.value
        where = f"on `<{self.tag}>`"
        if name.startswith("on"):
            return (f"the event handler `{name}` {where} would run a script", remove, name)
        if name == "src":
            return (f"the address `{value}` {where} is not allowed: a picture from another "
                    "site tells that site who is reading", "put the picture in content/ "
                    "and use its file name, such as `![What it shows](picture.png)`", value)
        if name == "href":
            return (f"the address `{value}` {where} is not allowed",
                    "a link may go to an https:, tel:, sms: or mailto: address or to a page "
                    "of this site, such as `[About this guide](about.md)`", value)
        if name == "style" and self.tag in ("th", "td") and "text-align" in value:
            return (f"table column alignment (`{name}=\"{value}\"`) is not allowed",
                    "remove the colons (:) from the table's |---| line", "|")
        if name in ("class", "id"):
            return (f"`{name}=\"{value}\"` {where} is not allowed (the site's own styles and "
                    "scripts use these names)", remove, value)
        return f"the attribute `{name}` {where} is not allowed", remove, name


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}
_WHY_NOT = {
    "script": ": it would run code in readers' browsers",
    "iframe": ": it would show another site inside the page",
    "object": ": it would load another site or a plug-in into the page",
    "embed": ": it would load another site or a plug-in into the page",
    "form": ": it could send what readers type to another site",
    "input": ": it could send what readers type to another site",
    "button": ": it could send what readers type to another site",
    "meta": ": it could send readers to another site or weaken the page's privacy",
    "base": ": it would change where every link of the page goes",
    "link": ": it would load files from elsewhere into the page",
    "style": ": it could hide the quick exit or change how the page looks",
    "svg": ": SVG can hold scripts",
    "math": ": MathML can hold links and scripts",
}


@functools.lru_cache(maxsize=512)
def clean(html: str) -> tuple[str, list[Removal]]:
    """nh3's version of ``html``, and everything it removed (nothing: it may be published).
    Serialising differently (``<br />`` as ``<br>``) removes nothing. Remembered: while
    serving, every prose page is checked again after each edit, and comparing a long page
    token by token took most of a second. (Callers must not change the list.)"""
    cleaned = _CLEANER.clean(html)
    if cleaned == html:
        return cleaned, []
    before, after = _tokens(html), _tokens(cleaned)
    found: list[Removal] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            found += _removed(before[i1:i2], after[j1:j2])
    return cleaned, list(dict.fromkeys(found))


def removals(html: str) -> list[Removal]:
    """Everything nh3 would remove from ``html``."""
    return list(clean(html)[1])


def _removed(lost: list[Token], kept: list[Token]) -> list[Removal]:
    """What changed between a run of original tokens and what nh3 kept in their place.
    Moved or added tokens (HTML's own repairs, such as closing a <p>) are not removals."""
    found: list[Removal] = []
    kept_starts = [t for t in kept if t[0] == "start"]
    inside: str | None = None  # a removed element: what was in it is not named again
    for kind, name, attrs in lost:
        if kind == "end":
            inside = None if name == inside else inside
        elif kind == "comment":
            found.append(Removal("", kind="comment", value=name))
        elif kind == "start":
            twin = next((t for t in kept_starts if t[1] == name), None)
            if twin is None:
                if inside is None:
                    found.append(Removal(name))
                    inside = None if name in _VOID else name
                continue
            kept_starts.remove(twin)
            found += [Removal(name, a, v, "attribute") for a, v in attrs if (a, v) not in twin[2]]
        elif inside is None and (kind, name, attrs) not in kept:
            found.append(Removal("", value=name, kind="other"))
    return found


# Outbound links ---------------------------------------------------------------------

_LINK = re.compile(r"<a\b([^>]*)>")
_HREF = re.compile(r'\bhref="([^"]*)"')
_LOCAL_SCHEMES = ("tel:", "sms:", "mailto:")


def _leaves_site(href: str) -> bool:
    """Whether a browser reads ``href`` as another site's address, however it is written
    (HTTPS://, https:host, a tab inside the scheme, entities, leading spaces)."""
    url = _URL_IGNORED.sub("", html.unescape(href)).lstrip(_C0_AND_SPACE).lower()
    return bool(_SCHEME.match(url) and not url.startswith(_LOCAL_SCHEMES)) or \
        bool(_OFF_SITE.match(url))


def with_outbound_rel(html_text: str) -> str:
    """Links to other sites tell them nothing and cannot reach back (rel="noreferrer
    noopener"), as the generated pages' links do. Runs on nh3's output, whose attributes
    are double-quoted with no ``"`` inside; at worst a ``>`` inside another attribute
    hides a link from it (the page's no-referrer policy still holds)."""
    def add(match: re.Match[str]) -> str:
        attributes = match.group(1)
        href = _HREF.search(attributes)
        if href is None or re.search(r"\brel=", attributes) or not _leaves_site(href.group(1)):
            return match.group(0)
        return f'<a{attributes} rel="noreferrer noopener">'
    return _LINK.sub(add, html_text)


# Problems -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with one file of content/, for the person who edits it."""

    path: Path
    message: str
    fix: str
    line: int = 0  # 0: the file as a whole, or a place in it we cannot point to
    column: int = 0

    def text(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else f"{self.path}"
        return f"{where}: {self.message} — {self.fix}"


class ContentError(Exception):
    """content/ has files or pages that may not be published. Holds only text, so that a
    process pool can hand it back."""

    @classmethod
    def of(cls, problems: list[ContentProblem]) -> ContentError:
        lines = "\n".join(p.text() for p in problems)
        return cls(f"{len(problems)} error(s) in the prose pages (content/); nothing was "
                   f"built:\n{lines}")


def checked_prose(html: str, source: Path, shown: Path) -> tuple[str, list[ContentProblem]]:
    """The HTML to publish for ``html``, the page MkDocs made from the prose page
    ``source``, and what must change in ``source`` (its Markdown) before it may be
    published. ``shown`` is the path to print."""
    cleaned, found = clean(html)
    if not found:
        return cleaned, []
    text = source.read_text(encoding="utf-8") if source.is_file() else ""
    problems = []
    for removal in found:
        message, fix, needle = removal.explain()
        line, column = _find(text, needle)
        problems.append(ContentProblem(shown, message, fix, line, column))
    return cleaned, problems


def _find(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text`` (any case); (0, 0) when
    it is not there (Markdown wrote it, such as the <img> of ![text](address))."""
    at = text.lower().find(needle.lower()) if needle else -1
    if at < 0:
        return 0, 0
    line_start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at - line_start + 1


# The files of content/ ------------------------------------------------------------------

PICTURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",),
            ".jpeg": (b"\xff\xd8\xff",), ".webp": (b"RIFF",)}
"""Raster pictures by file name, with the bytes each format starts with: a browser shown an
.png that is really HTML or SVG could run it."""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""Names that are safe in an address, in sitemap.xml and on every file system."""


def file_problems(content: Path, shown: Path) -> list[ContentProblem]:
    """Every file of ``content`` that may not be published (``shown``: how to print the
    folder)."""
    problems = []
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        where = shown / relative
        if path.is_symlink():
            problems.append(ContentProblem(
                where, "a symbolic link is not allowed in content/",
                "replace it with the file itself (a link can publish any file of the "
                "machine that builds the site)"))
        elif path.is_file():
            problems += _file_problems(path, relative, where)
    return problems


def _file_problems(path: Path, relative: Path, where: Path) -> list[ContentProblem]:
    bad_names = [part for part in relative.parts if not _NAME.fullmatch(part)]
    if bad_names:
        return [ContentProblem(where, f"the name `{bad_names[0]}` may only have letters, "
                               "digits, `-`, `_` and `.`, and start with a letter or digit",
                               "rename it, for example `" + _renamed(bad_names[0]) + "`")]
    suffix = path.suffix
    if suffix == ".md":
        return []
    if suffix not in PICTURES:
        what = f"`{suffix}` files" if suffix else "files without an extension"
        return [ContentProblem(where, f"{what} may not be in content/, which holds only "
                               "Markdown pages (.md) and pictures (.png, .jpg, .webp): "
                               "anything else could run code in readers' browsers",
                               _fix_for(suffix))]
    with path.open("rb") as file:
        start = file.read(12)
    if not start.startswith(PICTURES[suffix]) or (suffix == ".webp" and start[8:12] != b"WEBP"):
        return [ContentProblem(where, f"the file is not a {suffix[1:].upper()} picture, "
                               "whatever its name says",
                               "save the picture again as PNG, JPEG or WebP in an image "
                               "editor")]
    return []


def _fix_for(suffix: str) -> str:
    if suffix == ".svg":
        return ("remove it; SVG can hold scripts: export the picture as PNG and put that in "
                "content/")
    if suffix in (".html", ".htm", ".js", ".css"):
        return ("remove it: pages are written in Markdown (.md), and the site's scripts "
                "and styles live in scripts/haven/theme/, which maintainers review as code")
    return "remove it, or save a picture as PNG, JPEG or WebP"


def _renamed(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "page"
    return cleaned
