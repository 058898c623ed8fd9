"""Mapped services as YAML record files: named, merged with what is there, checked, written.

Files are written with ``yaml.safe_dump`` (no tags, every string quoted where YAML would
read it as something else), each checked by ``haven validate``'s own code in a scratch
copy of the directory before anything is written, so the report can say what a person
must still fill in. An existing file is left alone unless ``update`` is asked for; then
the import replaces what the data says, keeps what it does not (kinds of help filled in
by hand, translations in other languages) and shows the change as a diff.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..records import load_directory
from .mapping import Mapped

Obj = dict[str, Any]

ORDER = ("id", "name", "organization", "description", "support_types", "victimization_types",
         "service_areas", "phones", "url", "chat_url", "email", "hours", "languages", "cost",
         "cost_notes", "anonymous_contact", "confidential_location", "address",
         "accessibility", "eligibility", "confidentiality", "status", "alert", "urgency",
         "source", "verification")
"""The order of the template (directory/templates/service.yaml)."""

FILL_IN = {
    "support_types": "the kinds of help: one or more of {support-types}",
    "victimization_types": "who it is for: one or more of {victimization-types}",
    "service_areas": "where it serves: region codes from directory/regions.yaml ({regions})",
    "organization.kind": "who runs it: one of {organization-kinds}",
    "organization": "the organization that runs it (name and kind)",
    "name": "the service's name in English (en)",
    "description": "what the service does, in English (en)",
    "languages": "the languages it is offered in (ISO 639-1 codes such as en, es)",
    "cost": "free, sliding-scale or fee",
    "anonymous_contact": "true if people can contact it without giving their name, else false",
    "confidential_location": "true if its address must never be published, else false",
    "status": "active, temporarily-closed or inactive",
    "source": "the https address of the public page where you checked these details",
    "verification.date": "the day you checked the details (YYYY-MM-DD)",
    "verification.method": "with-organization or desk-review",
}


@dataclass
class Outcome:
    """What the import did with one service."""

    path: Path
    action: str
    """``new``, ``updated``, ``unchanged`` or ``exists`` (not written: no ``--update``)."""
    mapped: Mapped
    text: str = ""
    diff: str = ""
    fill_in: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """``Community Counselling`` → ``community-counselling``: an id Haven accepts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].strip("-")


def record_id(mapped: Mapped, taken: set[str]) -> str:
    """The profile's id when it is one Haven accepts, else one made from the name; a
    second service with the same name gets ``-2``."""
    given = mapped.record.get("id")
    names = mapped.record.get("name") or {}
    base = given if isinstance(given, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", given) \
        else slug(names.get("en") or next(iter(names.values()), "")) or \
        f"service-{slug(mapped.hsds_id)[:8] or 'imported'}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def plan(mapped: list[Mapped], into: Path, source: Path, *, update: bool,
         vocabularies: Mapping[str, list[str]], regions: list[str]) -> list[Outcome]:
    taken: set[str] = set()
    earlier = _imported_before(into)
    outcomes = []
    for item in mapped:
        item.record["id"] = earlier.get(item.hsds_id) or record_id(item, taken)
        taken.add(item.record["id"])
        path = into / "services" / f"{item.record['id']}.yaml"
        record = _ordered(item.record)
        action = "new"
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        if old_text is not None:
            if not update:
                outcomes.append(Outcome(path, "exists", item))
                continue
            old = yaml.safe_load(old_text)
            old = old if isinstance(old, dict) else {}
            item.notes += [f"{path}: the English text changed; check its translations "
                           f"({', '.join(langs)})" for path, langs in _changed_english(old, record)]
            record = _ordered(merge(old, record))
        missing = _missing(record, vocabularies, regions)
        text = render(record, source, item, missing)
        if old_text is not None:
            action = "unchanged" if _same(old_text, text) else "updated"
        diff = "".join(difflib.unified_diff(
            (old_text or "").splitlines(keepends=True), text.splitlines(keepends=True),
            str(path), str(path))) if old_text is not None else ""
        outcomes.append(Outcome(path, action, item, text, diff, missing))
    return outcomes


IMPORTED = re.compile(r"^# Imported with `haven import hsds` from .* \(HSDS service id (.*)\)\.$",
                      re.MULTILINE)


def _imported_before(into: Path) -> dict[str, str]:
    """HSDS id → record id of the records an earlier import wrote (their first comment
    names the id), so that a service renamed at the source updates its record."""
    found = {}
    for path in sorted((into / "services").glob("*.yaml")):
        with path.open(encoding="utf-8", errors="replace") as file:
            head = "".join(file.readline() for _ in range(3))
        if match := IMPORTED.search(head):
            found[match.group(1)] = path.stem
    return found


def _same(old: str, new: str) -> bool:
    """Equal records (comments aside): an update that changes nothing writes nothing."""
    return yaml.safe_load(old) == yaml.safe_load(new)


def _ordered(record: Obj) -> Obj:
    known = {k: record[k] for k in ORDER if k in record}
    return {**known, **{k: v for k, v in record.items() if k not in known}}


def merge(old: Obj, new: Obj) -> Obj:
    """``new`` over ``old``: texts keep the languages only ``old`` has; objects merge; a
    phone merges with the old one of the same number; what ``new`` lacks stays."""
    merged = dict(old)
    for key, value in new.items():
        before = old.get(key)
        if isinstance(value, dict) and isinstance(before, dict) and key != "hours":
            merged[key] = merge(before, value)
        elif key == "phones" and isinstance(before, list):
            olds = {(p.get("number"), p.get("type")): p for p in before if isinstance(p, dict)}
            merged[key] = [merge(olds.get((p["number"], p["type"]), {}), p) for p in value]
        else:
            merged[key] = value
    return merged


def _changed_english(old: Any, new: Any, path: str = "") -> list[tuple[str, list[str]]]:
    """Texts whose English the update changes while ``old`` has translations of them,
    which are kept and so may now say something else."""
    if isinstance(old, dict) and isinstance(new, dict):
        if "en" in old and "en" in new and isinstance(new["en"], str):
            others = [lang for lang in old if lang != "en" and lang not in new]
            return [(path, others)] if old["en"] != new["en"] and others else []
        return [found for key in new if key in old
                for found in _changed_english(old[key], new[key], f"{path}.{key}".strip("."))]
    if isinstance(old, list) and isinstance(new, list):
        return [found for i, (a, b) in enumerate(zip(old, new, strict=False))
                for found in _changed_english(a, b, f"{path}[{i}]")]
    return []


def _missing(record: Obj, vocabularies: Mapping[str, list[str]], regions: list[str]
             ) -> list[str]:
    """What a person must fill in: required fields the data did not give, with the choices."""
    def has(path: str) -> bool:
        value: Any = record
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value not in (None, [], {})

    choices = {name: ", ".join(terms) for name, terms in vocabularies.items()}
    choices["regions"] = ", ".join(regions)
    return [f"{path}: {hint.format(**choices)}" for path, hint in FILL_IN.items()
            if not has(path) and not (path == "organization.kind" and not has("organization"))]


def render(record: Obj, source: Path, mapped: Mapped, missing: list[str]) -> str:
    header = ["# yaml-language-server: $schema=../schema/service.schema.json",
              f"# Imported with `haven import hsds` from {_comment(source.name)} "
              f"(HSDS service id {_comment(mapped.hsds_id)})."]
    if missing:
        header.append("# To fill in before this record validates (then run haven validate):")
        header += [f"#   {_comment(line)}" for line in missing]
    if mapped.unmapped:
        header.append("# Not imported (Haven has no field for it; see the source data):")
        header += [f"#   {_comment(path)}" for path in mapped.unmapped]
    if mapped.confidential:
        header.append("# The location is confidential: no address or note about it was "
                      "imported.")
    body = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
    return "\n".join(header) + "\n" + body


def _comment(text: str) -> str:
    """One line of printable text: a name from the data never ends a comment early."""
    return "".join(c if c.isprintable() else "?" for c in text)


def check(outcomes: list[Outcome], into: Path, today: date | None = None) -> None:
    """Run ``haven validate`` on every file to be written, in a scratch copy of ``into``,
    and keep its problems (with the real paths) on each outcome."""
    writing = [o for o in outcomes if o.action in ("new", "updated")]
    if not writing:
        return
    with tempfile.TemporaryDirectory(prefix="haven-import-") as scratch:
        copy = Path(scratch) / "directory"
        shutil.copytree(into, copy, ignore=shutil.ignore_patterns(".*"))
        paths = []
        for outcome in writing:
            path = copy / outcome.path.relative_to(into)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(outcome.text, encoding="utf-8")
            paths.append(path)
        validation = load_directory(copy, only=paths, today=today)
        by_path = {p.resolve(): o for p, o in zip(paths, writing, strict=True)}
        for problem in validation.problems:
            outcome = by_path.get(problem.path.resolve())
            if outcome is not None:
                if problem.field in {line.split(":")[0] for line in outcome.fill_in}:
                    continue  # already listed, with the choices, as a field to fill in
                shown = problem.text().replace(str(problem.path), str(outcome.path), 1)
                outcome.problems.append(shown)


def write(outcomes: list[Outcome]) -> None:
    """Each file whole or not at all (a temporary file renamed over it)."""
    for outcome in outcomes:
        if outcome.action not in ("new", "updated"):
            continue
        outcome.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = outcome.path.with_name(f".{outcome.path.name}.importing")
        temporary.write_text(outcome.text, encoding="utf-8")
        os.replace(temporary, outcome.path)
