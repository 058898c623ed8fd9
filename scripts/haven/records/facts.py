"""Facts written in record texts, found the same way in every language.

A record stores its dialable numbers in ``phones`` and, separately, texts that may repeat
them ("Call free on 0800 555 111"). Nothing but a comparison keeps the two equal, so this
module reads, from a text in any of the guide's languages:

- phone numbers (national or international form, vanity letters such as 800-656-HOPE),
  as E.164;
- short codes (988, 999, 741741), when the country's numbering plan knows them;
- SMS keywords ("Text HOME to 741741");
- web and e-mail addresses, legal citations (§ 3771, 18 U.S.C.), dates;
- every other number (ages, days, years, amounts).

The rules compare them with the record's channels and an English text with its
translations. Everything here is pure: text in, facts out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from babel import Locale, UnknownLocaleError


@dataclass(frozen=True, order=True)
class Fact:
    kind: str
    """phone, short, keyword, url, email, citation, date or number."""
    value: str
    """Normalised, so that two ways of writing the same fact compare equal."""
    shown: str = ""
    """As it is written in the text (left out of comparisons)."""
    to: str = ""
    """For a keyword, the short code it is sent to."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fact) and (self.kind, self.value) == (other.kind, other.value)

    def __hash__(self) -> int:
        return hash((self.kind, self.value))

    @property
    def label(self) -> str:
        return self.shown or self.value


KINDS_DIALLED = ("phone", "short")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_URL = re.compile(
    r"(?:https?://)?(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:[a-z]{2,})(?![\w@-])"
    r"(?:/[^\s)\]\"'（）「」，。、；;،؛]*)?",
    re.ASCII)
_DOTTED = re.compile(r"[a-z0-9-]\.[a-z]", re.ASCII)
_CITATION = re.compile(
    r"\b\d+\s+(?:U\.S\.C\.|C\.F\.R\.)(?:\s*§+\s*[\dA-Za-z.\-()]*[\dA-Za-z)])?"
    r"|§+\s*\d[\dA-Za-z.\-()]*[\dA-Za-z)]")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-4])[:：]([0-5]\d)(?!\d)")
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")
# A run of digits and the separators people write inside phone numbers, optionally ending
# in vanity letters (1-800-799-SAFE); a "(7233)" that spells the letters is absorbed.
_RUN = re.compile(
    r"(?<![A-Za-z0-9_.,:/@§$£€%])(?<![A-Z]-)(?:\+\s?)?\(?\d[\d\u00a0 ()\u2010\u2011\u2013.\-]*"
    r"(?:[A-Z]{3,7}(?:-[A-Z]{3,7})?(?![\w]))?")
# "1-800-799-SAFE (7233)", "233733 (BEFREE)", "1-800-843-5678 (1-800-THE-LOST)": one number
# written twice; the spelling in brackets is dropped.
_SPELLING = re.compile(
    r"(?P<number>[\dA-Z][\dA-Z\-\u00a0 .]{1,18}[\dA-Z])\s?[(（](?P<again>[\dA-Z][\dA-Z\- .]{1,18}"
    r"[\dA-Z])[)）]")
_SEPARATORS = re.compile(r"[\s\u00a0()\u2010\u2011\u2013.\-]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_KEYWORD = re.compile(r"(?<![A-Za-z0-9_-])([A-Z][A-Z0-9]{2,19})(?![A-Za-z0-9_-])")
_SENTENCE_END = re.compile(r"[.!?。！？؟;；]")
_DIGIT = re.compile(r"\d", re.ASCII)
_NAME_NUMBER = re.compile(r"(?<![\d-])\d(?:-\d)+(?![\d-])")
# What only the full reading understands: numbers of three or more digits (phones, short
# codes, years), international prefixes, citations, times and Chinese dates.
_NEEDS_READING = re.compile(r"\d{3}|\+\s?\d|§|\d[:：]\d|[年月]", re.ASCII)
# Arabic-Indic, extended Arabic-Indic and full-width digits as 0-9, so that every
# language's numbers compare.
_DIGITS = {ord(c): str(unicodedata.digit(c))
           for start in (0x0660, 0x06F0, 0xFF10) for c in map(chr, range(start, start + 10))}


@lru_cache(maxsize=1 << 16)
def facts_in(text: str, country: str, lang: str = "en") -> tuple[Fact, ...]:
    """Every fact written in ``text``; numbers without a country code are read as
    numbers of ``country`` (US, GB). Cached: the rules read each text more than once."""
    if not text.isascii():
        text = text.translate(_DIGITS)
    found: list[Fact] = []
    if "@" in text:
        text = _take(text, _EMAIL, lambda m: [Fact("email", m.group().lower(), m.group())],
                     found)
    if _DOTTED.search(text):  # what every address has; far quicker than _URL itself
        text = _take(text, _URL, lambda m: _url(m.group()), found)
    if not _DIGIT.search(text):  # most texts: nothing more to find
        return tuple(found)
    if not _NEEDS_READING.search(text):  # only small numbers: ages, "24/7", "7 days"
        found.extend(_plain_number(n) for n in _NUMBER.findall(_NAME_NUMBER.sub(" ", text)))
        return tuple(found)
    text = _take(text, _CITATION, lambda m: [Fact("citation", _squeeze(m.group()),
                                                  m.group())], found)
    text = _take(text, _ZH_DATE, _zh_date, found)
    text = _take(text, _date_pattern(lang), lambda m: _named_date(m, lang), found)
    if lang != "en":  # English month names are common in every language's text
        text = _take(text, _date_pattern("en"), lambda m: _named_date(m, "en"), found)
    text = _take(text, _TIME, lambda m: [Fact("number", f"{int(m[1])}:{m[2]}", m.group())],
                 found)
    text = _SPELLING.sub(_without_spelling, text)
    found.extend(_keywords(text, country))
    text = _take(text, _RUN, lambda m: _numbers(m.group(), country), found)
    found.extend(_plain_number(n) for n in _NUMBER.findall(text))  # "£1,000", "24/7"
    return tuple(found)


def dialled(facts: Iterable[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind in KINDS_DIALLED]


def channel_fact(number: str) -> Fact:
    """The fact a stored channel number stands for."""
    return Fact("phone" if number.startswith("+") else "short", number, number)


def digit_distance(a: str, b: str) -> int:
    """Edits (a digit changed, added or dropped) between two numbers' digits."""
    a, b = _digits(a), _digits(b)
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def national_digits(number: str) -> str:
    """A stored number's digits as dialled at home (0800555111, 8006564673, 988)."""
    if not number.startswith("+"):
        return number
    parsed = phonenumbers.parse(number)
    prefix = "0" if parsed.country_code == 44 else ""
    return prefix + phonenumbers.national_significant_number(parsed)


# Helpers -------------------------------------------------------------------------------------
def _take(text: str, pattern: re.Pattern[str],
          read: Callable[[re.Match[str]], list[Fact] | None], found: list[Fact]) -> str:
    """Facts from every match of ``pattern``, blanked out of the text so that the digits of
    an address or a date are not read again as numbers (``read`` gives None to keep it)."""
    def blank(match: re.Match[str]) -> str:
        facts = read(match)
        found.extend(facts)
        return match.group() if facts is None else " " * len(match.group())
    return pattern.sub(blank, text)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _url(text: str) -> list[Fact]:
    bare = re.sub(r"^https?://", "", text.rstrip(".,;:!?")).removeprefix("www.")
    host, _, path = bare.partition("/")
    return [Fact("url", host.lower() + ("/" + path.rstrip("/") if path.rstrip("/") else ""),
                 text.rstrip(".,;:!?"))]


def _numbers(run: str, country: str) -> list[Fact]:
    """A run of digits: a phone number, a short code, or plain numbers."""
    run = run.rstrip(" .-–(\u00a0")
    if run.count(")") > run.count("("):
        run = run[:run.rindex(")")].rstrip(" .-–\u00a0")
    if run.startswith("(") and (")" not in run or (run.endswith(")") and run.count("(") == 1)):
        run = run[1:].removesuffix(")")  # "(101)": a number in brackets
    if _NAME_NUMBER.fullmatch(run):
        return []  # a name such as "1-2-1 chat", not a number
    letters = re.search(r"[A-Z]{3,7}", run)
    digits = _digits(phonenumbers.convert_alpha_characters_in_number(run))
    separated = bool(_SEPARATORS.search(run.strip()))
    dialable = separated or run.startswith("+") or letters
    if len(digits) >= 7 and dialable and (not letters or len(_digits(run)) >= 6):
        return [_phone(run, country)]
    if letters:
        run = run[:letters.start()].rstrip()
    if not separated and 3 <= len(digits) <= 6 and _is_short_code(digits, country):
        return [Fact("short", digits, run)]
    return [_plain_number(n) for n in _NUMBER.findall(run)]


def _without_spelling(match: re.Match[str]) -> str:
    def dialled(text: str) -> str:
        return _digits(phonenumbers.convert_alpha_characters_in_number(text))
    number, again = dialled(match["number"]), dialled(match["again"])
    if len(again) >= 3 and len(number) >= len(again) and number.endswith(again):
        return match["number"] + " " * (len(match.group()) - len(match["number"]))
    return match.group()


def _plain_number(text: str) -> Fact:
    """1,000 and 1000 are the same number; 07 and 7 too."""
    bare = text.replace(",", "")
    return Fact("number", str(int(bare)) if bare.isdigit() else bare, text)


def _phone(run: str, country: str) -> Fact:
    text = phonenumbers.convert_alpha_characters_in_number(run)
    try:
        parsed = phonenumbers.parse(text, country)
        value = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        value = "+?" + _digits(text)
    return Fact("phone", value, run)


@cache
def _is_short_code(digits: str, country: str) -> bool:
    """A number the country's plan knows as a short code; not a year (2025) or an age."""
    if len(digits) == 4 and 1900 <= int(digits) <= 2099:
        return False
    try:
        parsed = phonenumbers.parse(digits, country)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_short_number_for_region(parsed, country)


def _keywords(text: str, country: str) -> list[Fact]:
    """An upper-case word followed, in the same sentence, by a short code is a word to
    text: "HOME to 741741", "HOME al 741741", "HOME 到 741741", "كلمة HOME إلى 741741"."""
    found = []
    for match in _KEYWORD.finditer(text):
        after = _SENTENCE_END.split(text[match.end():match.end() + 40])[0]
        number = re.search(r"(?<![\d-])\d{3,6}(?!\s?[\d-])", after)
        if number and _is_short_code(number.group(), country):
            found.append(Fact("keyword", match.group(1), match.group(1), number.group()))
    return found


def _zh_date(match: re.Match[str]) -> list[Fact]:
    year, month, day = match.group(1), int(match.group(2)), match.group(3)
    value = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return [Fact("date", value, match.group())]


@cache
def _months(lang: str) -> dict[str, int]:
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return {}
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                names[name.lower().rstrip(".")] = number
    return names


@cache
def _date_pattern(lang: str) -> re.Pattern[str]:
    """Dates written with a month name in ``lang``: "31 December 2025", "December 31, 2025",
    "31 de diciembre de 2025", "ngày 31 tháng 12 năm 2025", "31 ديسمبر 2025", "December 2025"."""
    names = "|".join(re.escape(m) for m in sorted(_months(lang), key=len, reverse=True))
    names = names or "january"
    glue = r"(?:\s+(?:de|năm|of)\s+|,?\s+)"
    day_first = rf"(?:ngày\s+)?(?P<d1>\d{{1,2}})(?:\s+(?:de|of))?\s+(?P<m1>{names})" \
        rf"(?:{glue}(?P<y1>\d{{4}}))?"
    month_first = rf"(?P<m2>{names})\s+(?P<d2>\d{{1,2}})(?!\d)(?:,?\s+(?P<y2>\d{{4}}))?"
    month_year = rf"(?P<m3>{names}){glue}(?P<y3>\d{{4}})"
    return re.compile(rf"(?<!\w)(?:{day_first}|{month_first}|{month_year})(?!\w)",
                      re.IGNORECASE)


def _named_date(match: re.Match[str], lang: str) -> list[Fact] | None:
    g = match.groupdict()
    name = (g["m1"] or g["m2"] or g["m3"] or "").lower().rstrip(".")
    month = _months(lang).get(name)
    if month is None:
        return None
    day, year = g["d1"] or g["d2"], g["y1"] or g["y2"] or g["y3"]
    value = (year or "") + f"-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return [Fact("date", value, match.group())]
