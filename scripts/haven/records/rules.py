"""Rules the JSON Schema cannot express: links between files, vocabularies, phone numbers,
dates relative to today, and warnings about likely copy-paste mistakes.

Rules run on every file, even one with schema errors, so a contributor sees everything at
once; they therefore read fields defensively and skip what is missing or mistyped.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from . import codes
from .problems import Problem, Problems, Severity
from .schemas import field_name
from .yaml_loader import FieldPath, LoadedFile

STALE_AFTER = timedelta(days=365)

# Which vocabulary each field draws from, per record kind.
VOCABULARY_FIELDS: dict[str, list[tuple[FieldPath, str]]] = {
    "service": [(("support_types",), "support-types"),
                (("victimization_types",), "victimization-types"),
                (("organization", "kind"), "organization-kinds")],
    "right": [(("category",), "right-categories")],
    "reporting": [(("kind",), "reporting-kinds")],
}
REGION_FIELDS: list[FieldPath] = [("service_areas",), ("jurisdiction",), ("address", "country")]
URL_FIELDS: list[FieldPath] = [("source",), ("url",), ("chat_url",), ("organization", "url")]
# Left over from directory/templates/: example addresses and texts marked "REPLACE:" (or the
# wording of older templates), which load without error so only a warning can catch them.
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
PLACEHOLDER_MARKERS = ("REPLACE:", "Replace this text")


@dataclass(frozen=True)
class Mention:
    """A value that other records may repeat (an id, a phone, a website), and where it is."""

    value: str
    field: FieldPath
    line: int
    column: int


@dataclass
class RecordFile:
    kind: str
    loaded: LoadedFile
    id: Mention | None = None
    contacts: tuple[Mention, ...] = ()

    def note_mentions(self) -> None:
        """Keep what the cross-record rules need, so position tables can be dropped."""
        def mention(path: FieldPath, value: str) -> Mention:
            return Mention(value, path, *self.loaded.where(path))
        if isinstance(record_id := self.data.get("id"), str):
            self.id = mention(("id",), record_id)
        found = [mention(w, n) for w, n in values_at(self.data, ("phones", "number"))
                 if isinstance(n, str) and n.startswith("+")]
        if isinstance(url := self.data.get("url"), str):
            found.append(mention(("url",), url.rstrip("/").lower()))
        self.contacts = tuple(found)

    def at(self, mention: Mention, message: str, fix: str,
           severity: Severity = Severity.ERROR) -> Problem:
        return Problem(self.loaded.path, mention.line, mention.column,
                       field_name(mention.field), message, fix, severity)

    @property
    def data(self) -> dict[str, Any]:
        return self.loaded.data

    def problem(self, path: FieldPath, message: str, fix: str = "",
                severity: Severity = Severity.ERROR, *, at_key: bool = False) -> Problem:
        line, column = self.loaded.where(path, key=at_key)
        return Problem(self.loaded.path, line, column, field_name(path), message, fix, severity)


def values_at(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    """Values at ``path``; a list on the way (or at the end) yields each of its items."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from (((i, *p), v) for p, v in values_at(item, path))
        return
    if not path:
        yield (), data
        return
    if isinstance(data, Mapping) and path[0] in data:
        yield from (((path[0], *p), v) for p, v in values_at(data[path[0]], path[1:]))


@dataclass
class Rules:
    vocabularies: Mapping[str, set[str]]
    regions: set[str]
    today: date

    def check_file(self, record: RecordFile) -> Problems:
        """The rules that need only this file (and the vocabularies and regions)."""
        problems = Problems()
        for rule in (self._id, self._vocabulary, self._regions, self._phones,
                     self._verification, self._hours, self._address, self._placeholders):
            problems.extend(list(rule(record)))
        record.note_mentions()
        return problems

    def check_across(self, files: list[RecordFile]) -> Problems:
        """The rules that compare records with each other."""
        problems = Problems()
        problems.extend(list(self._duplicate_ids(files)))
        problems.extend(list(self._shared_contacts(files)))
        return problems

    def _id(self, record: RecordFile) -> Iterator[Problem]:
        record_id, stem = record.data.get("id"), record.loaded.path.stem
        if isinstance(record_id, str) and record_id != stem:
            yield record.problem(("id",), f"`{record_id}` does not match the file name `{stem}`",
                                 f"write `id: {stem}` or rename the file to {record_id}.yaml")

    def _vocabulary(self, record: RecordFile) -> Iterator[Problem]:
        for path, vocabulary in VOCABULARY_FIELDS.get(record.kind, []):
            terms = self.vocabularies.get(vocabulary, set())
            for where, value in values_at(record.data, path):
                if isinstance(value, str) and value not in terms:
                    yield record.problem(where, f"`{value}` is not a known term",
                                         _suggest(value, terms, f"directory/vocabularies/"
                                                  f"{vocabulary}.yaml"))

    def _regions(self, record: RecordFile) -> Iterator[Problem]:
        for path in REGION_FIELDS:
            for where, code in values_at(record.data, path):
                if isinstance(code, str) and codes.is_region(code) and code not in self.regions:
                    yield record.problem(where, f"the region `{code}` is not covered by the guide",
                                         f"add `- code: {code}` to directory/regions.yaml, "
                                         "or use a region listed there")

    def _phones(self, record: RecordFile) -> Iterator[Problem]:
        areas = record.data.get("service_areas") or [record.data.get("jurisdiction")]
        home = areas[0] if areas and isinstance(areas[0], str) else "US"
        for where, phone in values_at(record.data, ("phones",)):
            if not isinstance(phone, Mapping) or not isinstance(phone.get("number"), str):
                continue
            region = phone.get("region") if isinstance(phone.get("region"), str) else home
            if why := codes.phone_problem(phone["number"], region):
                yield record.problem((*where, "number"), why,
                                     "check the number against the organization's website; "
                                     "write it with + and the country code, e.g. \"+18006564673\"")
            if phone.get("keyword") and phone.get("type") != "text":
                yield record.problem((*where, "keyword"), "a keyword only makes sense for a "
                                     "text line", "set `type: text` or remove the keyword")

    def _verification(self, record: RecordFile) -> Iterator[Problem]:
        text = (record.data.get("verification") or {}).get("date") \
            if isinstance(record.data.get("verification"), Mapping) else None
        if not isinstance(text, str) or not codes.is_date(text):
            return
        checked = date.fromisoformat(text)
        where = ("verification", "date")
        if checked > self.today:
            yield record.problem(where, f"the date {text} is in the future",
                                 f"write the day the information was checked (today is "
                                 f"{self.today.isoformat()} or earlier)")
        elif self.today - checked > STALE_AFTER:
            yield record.problem(where, f"not checked since {text}, over 12 months ago",
                                 "check the entry against its source and update the date",
                                 Severity.WARNING)

    def _hours(self, record: RecordFile) -> Iterator[Problem]:
        for path in [("hours",), ("phones", "hours")]:
            for where, hours in values_at(record.data, path):
                if not isinstance(hours, Mapping):
                    continue
                has_schedule = bool(hours.get("schedule"))
                if hours.get("always_open") is True and has_schedule:
                    yield record.problem(where, "both `always_open: true` and a schedule are given",
                                         "keep one: a 24/7 line needs no schedule")
                elif hours.get("always_open") is not True and not has_schedule:
                    yield record.problem(where, "the hours say neither 24/7 nor when it is open",
                                         "write `always_open: true` or add a `schedule:`")

    def _address(self, record: RecordFile) -> Iterator[Problem]:
        if record.data.get("confidential_location") is True and "address" in record.data:
            yield record.problem(("address",), "this location is confidential but an address "
                                 "is given", "remove the address: it must never be published",
                                 at_key=True)

    def _placeholders(self, record: RecordFile) -> Iterator[Problem]:
        for path in URL_FIELDS:
            for where, url in values_at(record.data, path):
                if isinstance(url, str) and _is_placeholder_url(url):
                    yield record.problem(where, f"`{url}` is a placeholder",
                                         "put the organization's real address here",
                                         Severity.WARNING)
        for where, text in _strings(record.data):
            if any(marker in text for marker in PLACEHOLDER_MARKERS):
                yield record.problem(where, "this text is still the template's placeholder",
                                     "write the real text", Severity.WARNING)

    def _duplicate_ids(self, files: list[RecordFile]) -> Iterator[Problem]:
        """Every file that shares an id with another is told where the others are."""
        holders: dict[tuple[str, str], list[RecordFile]] = defaultdict(list)
        for record in files:
            if record.id:
                holders[(record.kind, record.id.value)].append(record)
        for (kind, record_id), records in holders.items():
            for record in records if len(records) > 1 else []:
                others = ", ".join(f"{o.loaded.path.name}:{o.id.line}"
                                   for o in records if o is not record and o.id)
                yield record.at(record.id, f"another {kind} already has the id "  # type: ignore[arg-type]
                                f"`{record_id}` ({others})",
                                "give each record its own id, matching its file name")

    def _shared_contacts(self, files: list[RecordFile]) -> Iterator[Problem]:
        owners: dict[str, list[tuple[RecordFile, Mention]]] = defaultdict(list)
        for record in files:
            for contact in record.contacts:
                owners[contact.value].append((record, contact))
        for value, places in owners.items():
            ids = sorted({r.id.value for r, _ in places if r.id})
            if len(ids) < 2:
                continue
            for record, contact in places:
                others = ", ".join(i for i in ids if not record.id or i != record.id.value)
                yield record.at(contact, f"`{value}` is also listed by {others}",
                                "check that this is not a copy-paste mistake", Severity.WARNING)


def _strings(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every string value in a record, with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(key, str):  # other keys are schema errors, reported there
                yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _strings(item, (*path, i))


def _is_placeholder_url(url: str) -> bool:
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    except ValueError:  # e.g. a malformed [IPv6] address: the schema reports it
        return False
    return any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS)


def _suggest(value: str, terms: set[str], where: str) -> str:
    close = difflib.get_close_matches(value, sorted(terms), n=1, cutoff=0.5)
    hint = f"did you mean `{close[0]}`? " if close else ""
    return hint + f"the terms are listed in {where}"
