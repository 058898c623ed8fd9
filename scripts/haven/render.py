"""Turning record values into safe HTML in one language.

Everything a record says is escaped (Jinja autoescape and ``markupsafe.escape``): record
text is data, never markup. Text missing in the reader's language falls back to English,
marked ``lang="en"`` and with a visible notice in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
from babel import Locale
from babel.dates import format_date, get_timezone_name
from babel.lists import format_list
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .bidi import isolate
from .i18n import Strings, text_direction
from .records import Directory, Phone, Text
from .records.codes import language_name
from .records.model import Hours
from .records.places import local_area
from .urls import page_url, relative

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_MARKS = {"list": ", ", "label": ": ", "clause": "; ", "stop": ". ", "open": " (", "close": ")"}
"""Punctuation the templates put between generated pieces; Chinese typesetting uses the
full-width forms, without spaces, and Arabic its own comma and semicolon."""
_LANGUAGE_MARKS = {
    "zh": {"list": "、", "label": "：", "clause": "；", "stop": "。", "open": "（", "close": "）"},
    "ar": {"list": "، ", "clause": "؛ "},
}
# Markdown characters that Python-Markdown lets us escape with a backslash.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")


_SENTENCE_END = re.compile(
    r"(?<=[a-z\u00DF-\u024F\u1E00-\u1EFF\u0600-\u06FF0-9)][.!?])\s+|(?<=[。！？؟])")
"""Where a sentence ends: a stop after a small letter, digit or bracket and a space (not
"U.S. Department"), or a CJK or Arabic stop (no space needed)."""


def first_sentence(text: str) -> str:
    """The first sentence of a plain text (of its first line)."""
    return _SENTENCE_END.split(text.strip().split("\n")[0], maxsplit=1)[0].strip()


@cache
def _dialled(number: str, home_country: str) -> str:
    parsed = phonenumbers.parse(number)
    same = phonenumbers.region_code_for_number(parsed) == home_country
    style = phonenumbers.PhoneNumberFormat.NATIONAL if same \
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, style)


def environment(templates: Path) -> Environment:
    """Jinja for HTML made from records: every value escaped unless marked safe."""
    return Environment(loader=FileSystemLoader(templates), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def markdown_text(text: str) -> str:
    """Plain text made safe for a Markdown line (headings): no HTML, no Markdown syntax."""
    flat = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(escape(flat)))


def attribute_text(text: str) -> str:
    """Plain text for front matter that Material puts unescaped into <title> and meta."""
    return str(escape(" ".join(text.split())))


@dataclass
class Renderer:
    """Helpers the templates call, bound to one language and one page."""

    directory: Directory
    lang: str
    default: str
    url: str = ""

    @property
    def s(self) -> Strings:
        return Strings(self.lang)

    @property
    def dir(self) -> str:
        return text_direction(self.lang)

    def at(self, path: str) -> Renderer:
        return Renderer(self.directory, self.lang, self.default,
                        page_url(path, self.lang, self.default))

    # Links -----------------------------------------------------------------------------
    def link(self, path: str, lang: str | None = None) -> str:
        """A relative link to the page ``path`` in this (or another) language."""
        return relative(self.url, page_url(path, lang or self.lang, self.default))

    def asset(self, path: str) -> str:
        return relative(self.url, path)

    @staticmethod
    def host(url: str) -> str:
        return urlsplit(url).netloc.removeprefix("www.")

    # Translatable text -------------------------------------------------------------------
    def t(self, text: Text | None) -> Markup:
        """Inline text, its left-to-right runs isolated in right-to-left languages (bidi.py);
        when shown in English instead, marked so and labelled."""
        if text is None:
            return Markup("")
        value, used = text.get(self.lang)
        if used == self.lang:
            return isolate(value, self.dir, self.default)
        return Markup('<span lang="{0}" dir="{1}">{2}</span> <span class="haven-fallback">'
                      "{3}</span>").format(used, text_direction(used), value,
                                           self.s("fallback.inline"))

    def block(self, text: Text | None) -> Markup:
        """Paragraphs (blank lines separate them); an untranslated block gets a notice."""
        if text is None:
            return Markup("")
        value, used = text.get(self.lang)
        direction = text_direction(used)  # an untranslated block is in its own language
        paragraphs = Markup("").join(Markup("<p>{}</p>").format(
            isolate(p.strip(), direction, self.default))
            for p in re.split(r"\n\s*\n", value) if p.strip())
        if used == self.lang:
            return paragraphs
        return Markup('<div class="haven-untranslated"><p class="haven-fallback" role="note">'
                      '{0}</p><div lang="{1}" dir="{2}">{3}</div></div>').format(
            self.s("fallback.block"), used, text_direction(used), paragraphs)

    def fmt(self, key: str, **values: Markup | str) -> Markup:
        """A UI string with values that may be markup (dates): the string is escaped, the
        markup values are kept, plain values are escaped."""
        return Markup(escape(self.s(key))).format(**values)

    def plain(self, text: Text | None) -> str:
        """Unmarked text for attributes and titles (falls back silently)."""
        return text.get(self.lang)[0] if text else ""

    def term(self, vocabulary: str, term_id: str) -> Markup:
        return self.t(self.directory.term(vocabulary, term_id).name)

    # Names the standards know ---------------------------------------------------------------
    def region(self, code: str) -> str:
        return self.directory.regions[code].name_in(self.lang)

    def place(self, code: str) -> str:
        """A place's name as a sentence says it ("Support in the United States", "en el Reino
        Unido"): the strings' `place.<CODE>` where a language needs an article, else its
        name. Headings and labels use ``region``."""
        key = f"place.{code}"
        return self.s.get(key) if self.s.has(key) else self.region(code)

    def local_area(self, code: str) -> Markup:
        """A county's or local authority's name (records/places.py): the data packages name
        them in English only, so it is marked as English on other languages' pages."""
        area = local_area(code)
        name = area.name if area and area.name else code
        if self.lang == "en":
            return Markup("{}").format(name)
        return Markup('<span lang="en" dir="ltr">{}</span>').format(name)

    def regions(self, codes: tuple[str, ...]) -> str:
        """"England and Wales", "Inglaterra y Gales": CLDR's list pattern for the language."""
        return format_list([self.region(c) for c in codes], locale=self.lang)

    def language(self, code: str) -> str:
        return language_name(code, self.lang)

    def languages(self, codes: tuple[str, ...]) -> str:
        return self.mark("list").join(self.language(c) for c in codes)

    def mark(self, kind: str) -> str:
        """Punctuation between generated pieces in this language: list, label, clause,
        stop, open and close (a bracket, with the space before it where one is used)."""
        return _LANGUAGE_MARKS.get(self.lang, {}).get(kind, _MARKS[kind])

    def date(self, day: date) -> Markup:
        return Markup('<time datetime="{0}">{1}</time>').format(
            day.isoformat(), format_date(day, "long", locale=self.lang))

    # Phones and hours -----------------------------------------------------------------------
    @staticmethod
    def phone_text(phone: Phone, home: str) -> str:
        """How a person dials it here: national format at home, international abroad."""
        return phone.number if phone.is_short_code else _dialled(phone.number, home[:2])

    def phone_label(self, phone: Phone, home: str) -> Markup:
        """'Call 800-656-4673' / 'Text START to 88788', numbers isolated for right-to-left."""
        number = self.number(self.phone_text(phone, home))
        if phone.type == "text" and phone.keyword:
            keyword = Markup('<bdi class="haven-number" dir="ltr">{}</bdi>').format(phone.keyword)
            return Markup(escape(self.s("phone.text_keyword"))).replace(
                "{keyword}", keyword).replace("{number}", number)
        template = escape(self.s(f"phone.{phone.type}"))
        return Markup(template).replace("{number}", number)

    @staticmethod
    def number(text: str) -> Markup:
        """A number as dialled: isolated left to right, and never broken across lines
        (``.haven-number``: white-space: nowrap, on screen and on paper)."""
        return Markup('<bdi class="haven-number" dir="ltr">{}</bdi>').format(text)

    def call(self, number: str) -> Markup:
        """'Call 999', for an emergency number."""
        return Markup(escape(self.s("phone.voice"))).replace("{number}", self.number(number))

    def first(self, text: Text | None) -> Markup:
        """The first sentence of a text, shown as ``t`` shows a text (marked when it is the
        English one): a card's one line."""
        return self.t(self.first_of(text)) if text is not None else Markup("")

    def first_of(self, text: Text) -> Text:
        """The text cut to its first sentence, in the language this page would show."""
        value, used = text.get(self.lang)
        first = first_sentence(value)
        return Text({used: first, "en": first}) if used == self.lang else Text({"en": first})

    def in_full(self, text: Text) -> bool:
        """Whether a page shows the whole text: it is in the page's language, or it is one
        sentence. A longer English text on another language's page is cut to its first
        sentence with a link to the English page, so that the pages of a record nobody has
        translated stay small (a national guide has tens of thousands)."""
        value, used = text.get(self.lang)
        return used == self.lang or first_sentence(value) == value.strip()

    def first_sentence(self, text: Text | None) -> str:
        """The first sentence of a text in this language: a service's one line on what
        it is for, above its buttons."""
        return first_sentence(self.plain(text))

    def hours(self, hours: Hours | None) -> Markup:
        if hours is None:
            return Markup("")
        if hours.always_open:
            text = Markup(escape(self.s("hours.always_open")))
        else:
            text = Markup(self.mark("clause")).join(self._slot(s) for s in hours.schedule)
            if hours.timezone:
                zone = get_timezone_name(hours.timezone, locale=self.lang)
                text += Markup("{0}{1}{2}").format(self.mark("open"), zone, self.mark("close"))
        if hours.notes:
            text += Markup(self.mark("stop")) + self.t(hours.notes)
        return text

    def _slot(self, slot: object) -> Markup:
        names = Locale.parse(self.lang).days["format"]["wide"]
        days = self.mark("list").join(names[_DAYS.index(d)]  # type: ignore[attr-defined]
                                      for d in slot.days)  # type: ignore[attr-defined]
        times = f"{slot.opens_at}–{slot.closes_at}"  # type: ignore[attr-defined]
        return Markup('{0} <bdi dir="ltr">{1}</bdi>').format(days, times)
