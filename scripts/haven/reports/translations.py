"""How much of the guide is translated, per language: record texts, prose pages, UI strings."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Strings
from ..project import prose_pages
from ..records import Directory, Text
from ..records.model import Record


def texts(value: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every translatable text inside a record, with a readable field path."""
    if isinstance(value, Text):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from texts(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from texts(item, f"{path}[{i}]")


@dataclass
class LanguageCoverage:
    lang: str
    fields_total: int = 0
    fields_done: int = 0
    pages_total: int = 0
    pages_done: int = 0
    missing_fields: list[str] = field(default_factory=list)
    missing_pages: list[str] = field(default_factory=list)
    missing_strings: list[str] = field(default_factory=list)

    @staticmethod
    def share(done: int, total: int) -> str:
        """Rounded down: 255 of 256 is 99%, never a misleading 100%."""
        return f"{100 * done // total}%" if total else "–"


def coverage(directory: Directory, content: Path, languages: list[str],
             default: str) -> list[LanguageCoverage]:
    pages = prose_pages(content, default)
    report = []
    for lang in languages:
        cov = LanguageCoverage(lang, pages_total=len(pages))
        for record in directory.records():
            for path, text in texts(record):
                cov.fields_total += 1
                if text.has(lang):
                    cov.fields_done += 1
                else:
                    cov.missing_fields.append(f"{_where(record, directory.root)}: {path}")
        for page in pages:
            if (content / f"{page}.{lang}.md").exists():
                cov.pages_done += 1
            else:
                cov.missing_pages.append(f"content/{page}.{lang}.md")
        cov.missing_strings = Strings(lang).missing()
        report.append(cov)
    return report


def _where(record: Record, root: Path) -> str:
    try:
        return str(record.path.relative_to(root.parent))
    except ValueError:
        return str(record.path)


def as_text(report: list[LanguageCoverage], *, limit: int = 20) -> str:
    lines = []
    for cov in report:
        lines.append(f"{cov.lang}: record texts {cov.share(cov.fields_done, cov.fields_total)} "
                     f"({cov.fields_done}/{cov.fields_total}), prose pages "
                     f"{cov.share(cov.pages_done, cov.pages_total)} "
                     f"({cov.pages_done}/{cov.pages_total}), UI strings missing: "
                     f"{len(cov.missing_strings)}")
        for item in (cov.missing_pages + cov.missing_fields + [f"UI string {k}" for k in
                                                              cov.missing_strings])[:limit]:
            lines.append(f"  missing: {item}")
        hidden = len(cov.missing_pages) + len(cov.missing_fields) + len(cov.missing_strings)
        if hidden > limit:
            lines.append(f"  … and {hidden - limit} more")
    return "\n".join(lines)


def as_markdown(report: list[LanguageCoverage], *, limit: int = 50) -> str:
    lines = ["## Translations", "",
             "| Language | Record texts | Prose pages | UI strings missing |",
             "| --- | --- | --- | --- |"]
    for cov in report:
        lines.append(f"| {cov.lang} | {cov.share(cov.fields_done, cov.fields_total)} "
                     f"({cov.fields_done}/{cov.fields_total}) | "
                     f"{cov.share(cov.pages_done, cov.pages_total)} "
                     f"({cov.pages_done}/{cov.pages_total}) | {len(cov.missing_strings)} |")
    for cov in report:
        missing = cov.missing_pages + cov.missing_fields + cov.missing_strings
        if missing:
            lines += ["", f"<details><summary>{cov.lang}: {len(missing)} missing</summary>", ""]
            lines += [f"- `{item}`" for item in missing[:limit]]
            lines += ["", "</details>"]
    return "\n".join(lines)
