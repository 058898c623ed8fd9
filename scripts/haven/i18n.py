"""Languages and the UI strings the project adds, one YAML file per language.

``strings/en.yaml`` is the reference: every other language file must have the same keys.
A missing string falls back to English (and ``haven report translations`` lists it), so a
new language can be added with one file and one line of ``mkdocs.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

STRINGS_DIR = Path(__file__).parent / "strings"
DEFAULT_LANGUAGE = "en"
_extra_dirs: list[Path] = []


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


@cache
def _load(lang: str) -> dict[str, str]:
    strings: dict[str, str] = {}
    for folder in [STRINGS_DIR, *_extra_dirs]:  # later folders override earlier ones
        path = folder / f"{lang}.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            strings.update({str(k): str(v) for k, v in _flatten(data).items()})
    return strings


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat



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
        return sorted(set(_load(DEFAULT_LANGUAGE)) - set(_load(self.lang)))

    def get(self, key: str, **values: Any) -> str:
        text = _load(self.lang).get(key)
        if text is None:
            text = _load(DEFAULT_LANGUAGE).get(key)
        if text is None:
            raise KeyError(f"no UI string `{key}` in strings/{DEFAULT_LANGUAGE}.yaml")
        return text.format(**values) if values else text

    __call__ = get
