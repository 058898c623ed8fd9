"""What the standards already know: ISO language and region codes, phone numbers.

Thin wrappers over pycountry and phonenumbers, used by the JSON Schema format checker and
by the rules, so that no code table is written by hand in this project.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache

import phonenumbers
import pycountry
from babel import Locale, UnknownLocaleError
from jsonschema import FormatChecker


@cache
def language_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@cache
def region_codes() -> frozenset[str]:
    countries = {c.alpha_2 for c in pycountry.countries}
    return frozenset(countries | {s.code for s in pycountry.subdivisions})


def is_language(code: object) -> bool:
    return not isinstance(code, str) or code in language_codes()


def is_region(code: object) -> bool:
    return not isinstance(code, str) or code in region_codes()


def is_date(text: object) -> bool:
    try:
        return not isinstance(text, str) or bool(date.fromisoformat(text))
    except ValueError:
        return False


def phone_problem(number: str, region: str) -> str | None:
    """Why ``number`` cannot be dialled, or None. Short codes are checked for ``region``."""
    country = region.split("-")[0]
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        return f"`{number}` is not a phone number"
    if number.startswith("+"):
        if not phonenumbers.is_valid_number(parsed):
            return f"`{number}` is not a valid phone number"
        return None
    if not phonenumbers.is_valid_short_number_for_region(parsed, country):
        return f"`{number}` is not a known short number in {country}"
    return None


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("iso-639-1")(is_language)
    checker.checks("iso-3166")(is_region)
    checker.checks("date")(is_date)
    return checker


@cache
def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return None


@cache
def _subdivision_names(lang: str) -> gettext.NullTranslations:
    variants = [lang, {"zh": "zh_CN"}.get(lang, lang)]
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, variants, fallback=True)


def region_name(code: str, lang: str) -> str:
    """A country's or subdivision's name in ``lang`` (Babel/CLDR, pycountry's translations)."""
    if "-" not in code:
        locale = _locale(lang) or _locale("en")
        return locale.territories.get(code, code) if locale else code
    sub = pycountry.subdivisions.get(code=code)
    return _subdivision_names(lang).gettext(sub.name) if sub else code


@cache
def subdivisions(country: str) -> tuple[str, ...]:
    return tuple(s.code for s in pycountry.subdivisions.get(country_code=country) or ())


def plain_region_name(code: str, lang: str) -> str:
    """A region's name without ISO's extras: "Wales [Cymru GB-CYM]" is "Wales"."""
    return region_name(code, lang).split(" [")[0].split(";")[0].strip()


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` written in ``lang``."""
    locale = _locale(lang)
    return (locale.languages.get(code) if locale else None) or code

