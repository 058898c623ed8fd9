"""What each record's texts say about numbers, beside the numbers it dials.

For a reviewer of a pull request: one block per record, its channels first, then every
phone number, short code and keyword each text mentions, per language, marked as the
record's own, another record's, an emergency number, or unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from ..records import Directory, Phone
from ..records.facts import Fact, channel_fact, facts_in
from ..records.model import Record
from .translations import texts


@dataclass(frozen=True)
class Mention:
    fact: Fact
    whose: str
    """"own", "emergency", the id of the record it belongs to, or "unknown"."""


@dataclass(frozen=True)
class RecordFacts:
    record: Record
    channels: list[str]
    mentions: dict[str, dict[str, list[Mention]]]
    """Field → language → the numbers and keywords its text mentions."""


def record_facts(directory: Directory, languages: list[str]) -> list[RecordFacts]:
    owners = {channel_fact(p.number): r.id for r in directory.records()
              for p in getattr(r, "phones", ())}
    emergency = {channel_fact(r.emergency_number) for r in directory.regions.values()
                 if r.emergency_number}
    report = []
    for record in directory.records():
        phones: tuple[Phone, ...] = getattr(record, "phones", ())
        own = {channel_fact(p.number) for p in phones} | {
            Fact("keyword", p.keyword) for p in phones if p.keyword}
        country = _home(record)[:2]
        mentions: dict[str, dict[str, list[Mention]]] = {}
        for path, text in texts(record):
            for lang in languages:
                if text.has(lang):
                    said = dict.fromkeys(f for f in facts_in(text.get(lang)[0], country, lang)
                                         if f.kind in ("phone", "short", "keyword"))
                    found = [Mention(f, _whose(f, own, emergency, owners)) for f in said]
                    if found:
                        mentions.setdefault(path, {})[lang] = found
        report.append(RecordFacts(record, [_channel(p) for p in phones], mentions))
    return report


def _whose(fact: Fact, own: set[Fact], emergency: set[Fact], owners: dict[Fact, str]) -> str:
    if fact in own:
        return "own"
    if fact in emergency:
        return "emergency"
    return owners.get(fact, "unknown") if fact.kind != "keyword" else "unknown"


def _home(record: Record) -> str:
    areas = getattr(record, "service_areas", None) or getattr(record, "jurisdictions", ("US",))
    return str(areas[0])


def _channel(phone: Phone) -> str:
    number = phone.number if phone.is_short_code else phonenumbers.format_number(
        phonenumbers.parse(phone.number), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    keyword = f" keyword {phone.keyword}" if phone.keyword else ""
    return f"{phone.type} {number}{keyword}"


def _mark(mention: Mention) -> str:
    mark = {"own": "✓", "emergency": "✓ emergency", "unknown": "✗ unknown"}.get(
        mention.whose, f"→ {mention.whose}")
    return f"{mention.fact.label} ({mark})"


def as_text(report: list[RecordFacts], root: Path) -> str:
    lines = []
    for item in report:
        lines.append(f"{_where(item.record, root)}: "
                     + ("; ".join(item.channels) or "no phone lines"))
        for path, by_lang in item.mentions.items():
            for lang, mentions in by_lang.items():
                lines.append(f"  {path} [{lang}]: " + ", ".join(_mark(m) for m in mentions))
    return "\n".join(lines)


def as_markdown(report: list[RecordFacts], root: Path, languages: list[str]) -> str:
    lines = ["## Numbers in texts", "",
             "Each record's phone lines, then every number its texts mention, per language: "
             "✓ its own, → another record's (named in the text), ✗ unknown.", ""]
    for item in report:
        lines += [f"### `{_where(item.record, root)}`", "",
                  "Lines: " + ("; ".join(f"`{c}`" for c in item.channels) or "none"), ""]
        if item.mentions:
            lines += ["| Field | " + " | ".join(languages) + " |",
                      "| --- |" + " --- |" * len(languages)]
            for path, by_lang in item.mentions.items():
                cells = [", ".join(_mark(m) for m in by_lang.get(lang, [])) or "–"
                         for lang in languages]
                lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines)


def _where(record: Record, root: Path) -> str:
    try:
        return str(record.path.relative_to(root.parent))
    except ValueError:
        return str(record.path)
