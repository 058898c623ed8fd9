"""Open Referral HSDS in: another directory's services as Haven records (`haven import hsds`).

The reverse of exports/hsds.py and exports/feed.py, and the only way data from outside the
project becomes records without a person typing it. It reads (``reading``: untrusted input,
every problem found before anything is used), maps (``mapping``: what HSDS says in Haven's
fields, what it does not listed by place) and writes (``writing``: YAML checked by
``haven validate``'s own code first). Nothing is written when the input is malformed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..progress import SILENT, Progress
from ..records.codes import region_name
from .mapping import Known, Mapped, map_service
from .reading import Incoming, InputError, read_hsds
from .writing import Outcome, check, plan, write

__all__ = ["ImportReport", "InputError", "import_hsds"]


@dataclass
class ImportReport:
    source: Path
    into: Path
    outcomes: list[Outcome]
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every file written validates (nothing left to fill in)."""
        return all(not (o.problems or o.fill_in) for o in self.outcomes
                   if o.action != "exists")

    def text(self, *, diffs: bool = True) -> str:
        counts = {a: sum(o.action == a for o in self.outcomes)
                  for a in ("new", "updated", "unchanged", "exists")}
        lines = [f"Read {len(self.outcomes)} service(s) from {self.source}: "
                 f"{counts['new']} new, {counts['updated']} updated, "
                 f"{counts['unchanged']} unchanged, {counts['exists']} already there "
                 "(not changed: run again with --update --dry-run to see what would "
                 "change, --update to change them)."]
        lines += [f"Note: {note}" for note in self.notes]
        for outcome in self.outcomes:
            lines.append("")
            lines.append(f"{outcome.path} ({_ACTIONS[outcome.action]})")
            if outcome.action == "exists":
                continue
            if diffs and outcome.diff:
                lines += ["  " + line for line in outcome.diff.splitlines()]
            if outcome.fill_in:
                lines.append("  To fill in:")
                lines += [f"    - {line}" for line in outcome.fill_in]
            if outcome.problems:
                lines.append("  haven validate also says:")
                lines += [f"    {line}" for line in outcome.problems]
            if outcome.mapped.unmapped:
                lines.append("  Not imported (Haven has no field for it; listed in the file):")
                lines += [f"    {path}" for path in outcome.mapped.unmapped]
            lines += [f"  Note: {note}" for note in outcome.mapped.notes]
        if not self.complete:
            lines += ["", "Fill in what is listed above, then run: haven validate"]
        return "\n".join(lines)


_ACTIONS = {"new": "written", "updated": "updated", "unchanged": "unchanged",
            "exists": "already there: not changed without --update"}


def import_hsds(path: Path, into: Path, *, update: bool = False, dry_run: bool = False,
                today: date | None = None, progress: Progress = SILENT) -> ImportReport:
    """Records from the HSDS data at ``path`` into the directory folder ``into``.

    Raises :class:`InputError` (every problem, with file and place) and writes nothing
    when the data is malformed. ``progress`` is told of each step (read, mapped, checked,
    written): a large directory takes a while."""
    if not (into / "schema").is_dir():
        raise InputError([f"{into}: not a directory folder (one with schema/ and "
                          "regions.yaml): give it with --into"])
    with progress.task("import", 4, "steps") as steps:
        read = read_hsds(path)
        steps.advance("read")
        known, vocabularies, regions = _known(into)
        mapped = [_with_translations(incoming, known) for incoming in read.services]
        outcomes = plan(mapped, into, path, update=update, vocabularies=vocabularies,
                        regions=regions)
        steps.advance("mapped")
        check(outcomes, into, today)
        steps.advance("checked")
        if not dry_run:
            write(outcomes)
        steps.advance("written" if not dry_run else "nothing written (dry run)")
    return ImportReport(path, into, outcomes, read.notes)


def _with_translations(incoming: Incoming, known: Known) -> Mapped:
    mapped = map_service(incoming.service, incoming.language, known)
    for lang, service in incoming.translations.items():
        translated = map_service(service, lang, known)
        extension = service.get("haven") if isinstance(service.get("haven"), dict) else {}
        same = extension.get("same_as_english")
        add_translations(mapped.record, translated.record, incoming.language, lang,
                         same=set(same) if isinstance(same, list) else set())
    return mapped


def add_translations(record: Any, translated: Any, lang: str, other: str, *,
                     same: set[str] = frozenset(), path: str = "") -> None:  # type: ignore[assignment]
    """Put ``translated``'s texts beside ``record``'s, field by field, where they differ
    (a text the same as the original is the original shown again, not a translation),
    or where a Haven feed says the record gives it the same (``same``: places such as
    ``organization.name`` or ``phones[0].description``)."""
    if isinstance(record, dict) and isinstance(translated, dict):
        if lang in record and set(translated) == {other} and all(
                isinstance(k, str) and len(k) == 2 for k in record):
            if translated[other] != record[lang] or path in same:
                record[other] = translated[other]
            return
        for key, value in record.items():
            if key in translated:
                add_translations(value, translated[key], lang, other, same=same,
                                 path=f"{path}.{key}" if path else str(key))
    elif isinstance(record, list) and isinstance(translated, list):
        for i, (value, twin) in enumerate(zip(record, translated, strict=False)):
            add_translations(value, twin, lang, other, same=same, path=f"{path}[{i}]")


def _known(into: Path) -> tuple[Known, dict[str, list[str]], list[str]]:
    """The target directory's vocabularies (term id → English name) and regions."""
    vocabularies: dict[str, dict[str, str]] = {}
    for path in sorted((into / "vocabularies").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        vocabularies[path.stem] = {t["id"]: t["name"]["en"] for t in data.get("terms", [])}
    data = yaml.safe_load((into / "regions.yaml").read_text(encoding="utf-8")) or {}
    regions = {r["code"]: (r.get("name") or {}).get("en") or region_name(r["code"], "en")
               for r in data.get("regions", [])}
    return (Known(vocabularies, regions), {k: list(v) for k, v in vocabularies.items()},
            list(regions))
