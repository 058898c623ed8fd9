"""Facts about the project that commands outside MkDocs need: languages, public address.

``mkdocs.yml`` stays the one place they are configured; this reads it without running
MkDocs (its tags such as ``!ENV`` are tolerated, not evaluated).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml; values behind tags (!ENV, !!python/name) become None."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    root: Path
    languages: list[str]
    default_language: str
    public_url: str
    directory: Path
    content: Path
    strings: Path
    """The project's own UI strings folder (may not exist)."""

    @classmethod
    def load(cls, config_file: Path = Path("mkdocs.yml")) -> Project:
        config: dict[str, Any] = yaml.load(config_file.read_text(encoding="utf-8"),
                                           Loader=_Lenient) or {}
        plugins = {name: options or {} for entry in config.get("plugins", [])
                   for name, options in (entry.items() if isinstance(entry, dict)
                                         else [(entry, {})])}
        languages = plugins.get("i18n", {}).get("languages") or [{"locale": "en",
                                                                  "default": True}]
        codes = [lang["locale"] for lang in languages]
        default = next((lang["locale"] for lang in languages if lang.get("default")), codes[0])
        haven = plugins.get("haven", {})
        root = config_file.resolve().parent
        return cls(root, codes, default, public_url(haven.get("public_url"), config),
                   root / haven.get("directory", "directory"),
                   root / haven.get("content", "content"),
                   root / haven.get("strings", "strings"))


def public_url(configured: str | None, config: dict[str, Any]) -> str:
    """Where the guide is published, for pamphlets: the plugin's public_url, else the
    HAVEN_PUBLIC_URL environment variable (set by CI), else MkDocs' site_url."""
    url = configured or os.environ.get("HAVEN_PUBLIC_URL") or config.get("site_url") or ""
    local = url.startswith(("http://127.0.0.1", "http://localhost"))
    return "" if local or not url.startswith("https://") else url
