"""Languages and the UI strings the project adds, one YAML file per language.

``strings/en.yaml`` is the reference: every other language file must have the same keys.
A missing string falls back to English (and ``haven report translations`` lists it), so a
new language can be added with one file and one line of ``mkdocs.yml``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from markupsafe import Markup, escape

from .records.problems import Problem, Problems
from .records.yaml_loader import LoadedFile, load_yaml

STRINGS_DIR = Path(__file__).parent / "strings"
DEFAULT_LANGUAGE = "en"
MAX_BYTES = 64 * 1024
"""A strings file is about 8 KB; anything far larger is a mistake or an attack."""
_extra_dirs: list[Path] = []


class StringsError(ValueError):
    """A strings file cannot be trusted or read. Holds only text (a process pool hands it
    back whole): every problem as ``path:line:column: what — how to fix it``."""

    @classmethod
    def of(cls, problems: Problems) -> StringsError:
        lines = "\n".join(p.text() for p in problems)
        return cls(f"{len(problems)} error(s) in the UI strings; nothing was built:\n{lines}")


def use_strings_from(folders: list[Path]) -> None:
    """Let a project add or override languages with its own ``<lang>.yaml`` files."""
    if folders != _extra_dirs:
        _extra_dirs[:] = folders
        _load.cache_clear()


def text_direction(lang: str) -> str:
    """``rtl`` for Arabic, Hebrew, Persian, Urdu...; from CLDR, not a hand-written list."""
    try:
        return "rtl" if Locale.parse(lang).text_direction == "rtl" else "ltr"
    except (ValueError, TypeError):
        return "ltr"


def check_strings(languages: list[str]) -> None:
    """Read every language's strings files again (they may have changed since the last
    build while serving); raises StringsError with every problem in every file."""
    _load.cache_clear()
    problems = Problems()
    for lang in dict.fromkeys([DEFAULT_LANGUAGE, *languages]):
        for path in _files(lang):
            problems.extend(_read(path)[1])
    if problems:
        raise StringsError.of(problems)


def _files(lang: str) -> list[Path]:
    # Later folders override earlier ones.
    return [p for p in (folder / f"{lang}.yaml" for folder in [STRINGS_DIR, *_extra_dirs])
            if p.exists()]


@cache
def _load(lang: str) -> dict[str, str]:
    strings: dict[str, str] = {}
    for path in _files(lang):
        found, problems = _read(path)
        if problems:
            raise StringsError.of(problems)
        strings.update(found)
    return strings


def _read(path: Path) -> tuple[dict[str, str], Problems]:
    """One strings file through the records' safe loader: strangers write both, so both
    refuse aliases (an alias bomb), anchors, tags, duplicate keys and oversized files, and
    every problem names its file, line and column."""
    problems = Problems()
    loaded = load_yaml(_shown(path), problems, MAX_BYTES)
    if loaded is None:
        return {}, problems
    strings: dict[str, str] = {}
    _flatten(loaded, loaded.data, (), strings, problems)
    return strings, problems


def _flatten(loaded: LoadedFile, data: dict[str, Any], at: tuple[str, ...],
             strings: dict[str, str], problems: Problems) -> None:
    for key, value in data.items():
        path = (*at, key)
        if isinstance(value, dict):
            _flatten(loaded, value, path, strings, problems)
        elif isinstance(value, list):
            line, column = loaded.where(path)
            problems.add(Problem(loaded.path, line, column, ".".join(path),
                                 "a UI string must be text, not a list",
                                 "write the text on one line after the colon"))
        else:
            # YAML reads `Yes` or `24` as a boolean or a number; the string is the text
            # as written.
            strings[".".join(path)] = value if isinstance(value, str) \
                else loaded.raw.get(path, str(value))


def _shown(path: Path) -> Path:
    """The path as a contributor would type it: relative to the current folder if inside."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else Path(relative)

OPTIONAL = "place."
"""Keys a language gives only where it needs them (see Renderer.place)."""


@dataclass(frozen=True)
class Strings:
    """The UI strings of one language, with English as the fallback."""

    lang: str

    @property
    def direction(self) -> str:
        return text_direction(self.lang)

    @staticmethod
    def direction_of(lang: str) -> str:
        return text_direction(lang)

    def has(self, key: str) -> bool:
        return key in _load(self.lang)

    def missing(self) -> list[str]:
        """English strings this language lacks; `place.*` (a place's name inside a sentence,
        only where a language needs an article) is optional, never missing."""
        return sorted(k for k in set(_load(DEFAULT_LANGUAGE)) - set(_load(self.lang))
                      if not k.startswith(OPTIONAL))

    def get(self, key: str, **values: Any) -> str:
        text = _load(self.lang).get(key)
        if text is None:
            text = _load(DEFAULT_LANGUAGE).get(key)
        if text is None:
            raise KeyError(f"no UI string `{key}` in strings/{DEFAULT_LANGUAGE}.yaml")
        return text.format(**values) if values else text

    __call__ = get


@dataclass(frozen=True)
class HtmlStrings(Strings):
    """The same strings HTML-escaped, for MkDocs' theme templates, which do not escape: a
    UI string is plain text wherever it lands (<title>, meta, attributes, the footer,
    the quick exit's data- attributes)."""

    def get(self, key: str, **values: Any) -> Markup:
        return escape(super().get(key, **values))

    __call__ = get
