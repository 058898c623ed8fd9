"""Rules the JSON Schema cannot express: links between files, vocabularies, phone numbers,
dates relative to today, and warnings about likely copy-paste mistakes.

Rules run on every file, even one with schema errors, so a contributor sees everything at
once; they therefore read fields defensively and skip what is missing or mistyped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from . import codes
from . import places as local_places
from .facts import Fact, channel_fact, digit_distance, facts_in
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


@dataclass(frozen=True)
class Unresolved:
    """A number or keyword written in a text that is not one of the record's own channels:
    it may still be another record's, when the text names that record."""

    fact: Fact
    where: Mention
    text: str


@dataclass
class RecordFile:
    kind: str
    loaded: LoadedFile
    id: Mention | None = None
    contacts: tuple[Mention, ...] = ()
    channels: tuple[Fact, ...] = ()
    """Its phone numbers and short codes."""
    unresolved: tuple[Unresolved, ...] = ()
    names: tuple[str, ...] = ()
    """The record's names in every language, for texts of other records that name it."""

    @cached_property
    def strings(self) -> tuple[tuple[FieldPath, str], ...]:
        """Every string value, with its path (walked once: several rules read them)."""
        return tuple(_strings(self.data))

    @cached_property
    def texts(self) -> tuple[tuple[FieldPath, Mapping[str, Any]], ...]:
        """Every human-readable field (language → text), with its path."""
        return tuple(_translatables(self.data))

    def forget_walks(self) -> None:
        """Drop the walks above: they are large to send between processes."""
        self.__dict__.pop("strings", None)
        self.__dict__.pop("texts", None)

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
        self.names = tuple(_names(self.data))
        self.channels = tuple(channel_fact(n) for _, n in values_at(self.data, ("phones", "number"))
                              if isinstance(n, str))

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
    emergency_numbers: frozenset[tuple[str, str]] = frozenset()
    """(country, number): any text may say "call 999" for a place in that country."""

    def emergency(self, data: Mapping[str, Any]) -> set[Fact]:
        country = _home(data)[:2]
        return {channel_fact(n) for c, n in self.emergency_numbers if c == country}

    def check_file(self, record: RecordFile) -> Problems:
        """The rules that need only this file (and the vocabularies and regions)."""
        problems = Problems()
        for rule in (self._id, self._characters, self._vocabulary, self._regions, self._local_areas,
                     self._phones,
                     self._verification, self._hours, self._address, self._placeholders,
                     self._addresses, self._translated_facts, self._own_source):
            problems.extend(list(rule(record)))
        record.note_mentions()
        record.unresolved = tuple(self._numbers_not_own(record))
        record.forget_walks()
        return problems

    def check_across(self, files: list[RecordFile], focus: set[Path] | None = None) -> Problems:
        """The rules that compare records with each other. ``focus``: the files being checked
        (a pull request's), where a warning about something shared is best shown."""
        problems = Problems()
        problems.extend(list(self._duplicate_ids(files)))
        problems.extend(list(self._shared_contacts(files, focus or set())))
        problems.extend(list(self._numbers_of_others(files)))
        return problems

    def _id(self, record: RecordFile) -> Iterator[Problem]:
        record_id, stem = record.data.get("id"), record.loaded.path.stem
        if isinstance(record_id, str) and record_id != stem:
            yield record.problem(("id",), f"`{record_id}` does not match the file name `{stem}`",
                                 f"write `id: {stem}` or rename the file to {record_id}.yaml")

    def _characters(self, record: RecordFile) -> Iterator[Problem]:
        """Nothing invisible that could hide, reorder or break what a reader sees: control
        characters, direction overrides, zero-width spaces; no empty text; and no line break
        or stray space in a single-line value (a number, a code, an address)."""
        texts = {(*path, lang) for path, text in record.texts for lang in text}
        for where, value in record.strings:
            in_text = where in texts
            if bad := _invisible(value, in_text):
                yield record.problem(where, f"contains an invisible character ({bad})",
                                     "delete it: it often comes from pasting from a word "
                                     "processor or a web page; retype the text if needed")
            elif in_text and not value.strip():
                yield record.problem(where, "the text is only spaces",
                                     "write the text, or remove the line")
            elif not in_text and value != value.strip():
                yield record.problem(where, "begins or ends with a space or a line break",
                                     "remove it: write the value on one line, in quotes")

    def _addresses(self, record: RecordFile) -> Iterator[Problem]:
        """Web addresses that a browser could not open, and time zones nobody has heard of,
        are stopped here rather than as a traceback in the build."""
        for path in URL_FIELDS:
            for where, url in values_at(record.data, path):
                if not isinstance(url, str):
                    continue
                if not _opens(url):
                    yield record.problem(where, f"`{url}` is not a web address a browser can "
                                         "open", "copy the address from the browser's "
                                         "address bar, e.g. https://www.example.org/help")
                elif why := _look_alike(url):
                    yield record.problem(where, f"`{url}` {why}", "check that it is the "
                                         "organization's real address; copy it from their "
                                         "official page", Severity.WARNING)
        for where, zone in values_at(record.data, ("hours", "timezone")):
            if isinstance(zone, str) and zone not in _time_zones():
                yield record.problem(where, f"`{zone}` is not a known time zone",
                                     _zone_fix(zone))
        for where, zone in values_at(record.data, ("phones", "hours", "timezone")):
            if isinstance(zone, str) and zone not in _time_zones():
                yield record.problem(where, f"`{zone}` is not a known time zone",
                                     _zone_fix(zone))

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

    def _local_areas(self, record: RecordFile) -> Iterator[Problem]:
        """A county or local authority that exists (in the data packages, places.py) and
        lies in one of the service's areas, so the lookup can find it."""
        areas = record.data.get("service_areas")
        areas = [a for a in areas if isinstance(a, str)] if isinstance(areas, list) else []
        for where, code in values_at(record.data, ("local_areas",)):
            if not isinstance(code, str) or not local_places.LOCAL_CODE.match(code):
                continue  # the schema says what is wrong with its shape
            area = local_places.local_area(code)
            if area is None:
                yield record.problem(where, f"`{code}` is not a known "
                                     f"{local_places.kind_of(code)}",
                                     local_places.how_to_find(code))
            elif area.region not in areas:
                named = f" ({area.name})" if area.name else ""
                yield record.problem(where, f"`{code}`{named} is in {area.region}, which is "
                                     f"not one of this service's areas ({', '.join(areas)})",
                                     f"add {area.region} to `service_areas`, or correct the "
                                     "code: " + local_places.how_to_find(code))

    def _phones(self, record: RecordFile) -> Iterator[Problem]:
        home = _home(record.data)
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
            if "hours" not in phone:
                yield record.problem(where, "this line has no hours of its own",
                                     "add `hours:` under it (`always_open: true` or a "
                                     "`schedule:`), as the organization publishes them",
                                     Severity.WARNING)

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
        if record.data.get("confidential_location") is True and "location" in record.data:
            yield record.problem(("location",), "this location is confidential but a point on "
                                 "the map is given, which could lead someone to it",
                                 "remove `location`; to show the service only to people in "
                                 "its area, use `local_areas` (a county or local authority)",
                                 at_key=True)

    def _placeholders(self, record: RecordFile) -> Iterator[Problem]:
        for path in URL_FIELDS:
            for where, url in values_at(record.data, path):
                if isinstance(url, str) and _is_placeholder_url(url):
                    yield record.problem(where, f"`{url}` is a placeholder",
                                         "put the organization's real address here",
                                         Severity.WARNING)
        for where, text in record.strings:
            if any(marker in text for marker in PLACEHOLDER_MARKERS):
                yield record.problem(where, "this text is still the template's placeholder",
                                     "write the real text", Severity.WARNING)

    def _translated_facts(self, record: RecordFile) -> Iterator[Problem]:
        """A translation carries the English text's numbers, addresses and citations: it
        may rephrase, never add or drop a fact."""
        country = _home(record.data)[:2]
        for path, text in record.texts:
            if not isinstance(text.get("en"), str):
                continue
            english = set(facts_in(text["en"], country, "en"))
            for lang, value in text.items():
                if lang == "en" or not isinstance(value, str):
                    continue
                translated = set(facts_in(value, country, lang))
                name = codes.language_name(lang, "en")
                for fact in sorted(translated - english):
                    yield record.problem((*path, lang), f"the {name} text has "
                                         f"{_what(fact)}, which the English text does not",
                                         "a translation carries exactly the English text's "
                                         "facts: remove it, or add it to the English text "
                                         "first if it is right")
                for fact in sorted(english - translated):
                    yield record.problem((*path, lang), f"the {name} text leaves out "
                                         f"{_what(fact)}, which the English text has",
                                         "write it in the translation as the English does "
                                         "(the same digits and address)")

    def _numbers_not_own(self, record: RecordFile) -> Iterator[Unresolved]:
        """Numbers and keywords in texts that are not this record's own channels."""
        channels = {channel_fact(n) for _, n in values_at(record.data, ("phones", "number"))
                    if isinstance(n, str)}
        keywords = {(p.get("number"), p.get("keyword")) for _, p in
                    values_at(record.data, ("phones",)) if isinstance(p, Mapping)}
        text_lines = {number for number, keyword in keywords if keyword}
        allowed = channels | self.emergency(record.data)
        everywhere = {n for _, n in self.emergency_numbers}
        country = _home(record.data)[:2]
        for path, text in record.texts:
            for lang, value in text.items():
                if not isinstance(value, str):
                    continue
                for fact in facts_in(value, country, lang):
                    if fact.kind == "number" and fact.value in everywhere:
                        fact = channel_fact(fact.value)  # "call 999" in a US record
                    wrong_keyword = fact.kind == "keyword" and fact.to in text_lines and \
                        (fact.to, fact.value) not in keywords
                    if (fact.kind in ("phone", "short") and fact not in allowed) or wrong_keyword:
                        line, column = record.loaded.where((*path, lang))
                        yield Unresolved(fact, Mention(fact.value, (*path, lang), line, column),
                                         value)

    def _own_source(self, record: RecordFile) -> Iterator[Problem]:
        """A desk review should read the organization's own page, not a copy of it."""
        data = record.data
        if record.kind != "service" or not isinstance(data.get("source"), str) or \
                (data.get("verification") or {}).get("method") != "desk-review":
            return
        own = [u for u in (data.get("url"), data.get("chat_url"),
                           (data.get("organization") or {}).get("url")) if isinstance(u, str)]
        if own and not any(_same_site(data["source"], u) for u in own):
            yield record.problem(("source",), "the source is not the organization's own "
                                 "website", "check the facts on the organization's own pages "
                                 "and give that page here, or confirm them with the "
                                 "organization (`method: with-organization`)",
                                 Severity.WARNING)

    def _numbers_of_others(self, files: list[RecordFile]) -> Iterator[Problem]:
        """A number in a text that is not the record's own must belong to a record that the
        same text names; a near miss of a channel is always an error."""
        owners: dict[Fact, list[RecordFile]] = defaultdict(list)
        for record in files:
            for channel in record.channels:
                owners[channel].append(record)
        for record in files:
            own = list(record.channels)
            for item in record.unresolved:
                named = [o for o in owners.get(item.fact, []) if o is not record and any(
                    n.lower() in item.text.lower() for n in o.names)]
                if not named or item.fact.kind == "keyword":
                    yield self._stray(record, item, own, owners.get(item.fact, []))

    def _stray(self, record: RecordFile, item: Unresolved, own: list[Fact],
               owners: list[RecordFile]) -> Problem:
        fact, shown = item.fact, f"`{item.fact.label}`"
        if fact.kind == "keyword":
            return record.at(item.where, f"the text says to send {shown}, which is not the "
                             "keyword of this record's text lines",
                             "write the keyword stored under `phones` (`keyword:`), or fix it "
                             "there")
        # Service codes (911, 311, 711) differ by a digit by design: only longer numbers
        # are near misses.
        near = [c for c in own
                if len(c.value.lstrip("+")) >= 5 and 0 < digit_distance(fact.value, c.value) <= 2]
        if near:
            return record.at(item.where, f"{shown} in the text differs by "
                             f"{digit_distance(fact.value, near[0].value)} digit(s) from "
                             f"this record's number {_national(near[0].value)}",
                             f"did you mean {_national(near[0].value)}? Write it as stored "
                             "in `phones`, or correct `phones` if the text is right")
        others = sorted({o.id.value for o in owners if o.id and o is not record})
        if others:
            return record.at(item.where, f"{shown} is the number of {', '.join(others)}, "
                             "which this text does not name",
                             "name that service in the same text, or remove the number")
        return record.at(item.where, f"{shown} in the text is not one of this record's "
                         "phone numbers", "add it to `phones` if people should call it (the "
                         "page links it), or remove it from the text")

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

    def _shared_contacts(self, files: list[RecordFile], focus: set[Path]) -> Iterator[Problem]:
        """One warning per shared phone or website, at its first holder (one being checked,
        if any), naming a few of the others: 10,000 records that all list a national hotline
        give one line, not 10,000 lines of 10,000 names."""
        owners: dict[str, list[tuple[RecordFile, Mention]]] = defaultdict(list)
        for record in files:
            for contact in record.contacts:
                owners[contact.value].append((record, contact))
        for value, places in owners.items():
            ids = list(dict.fromkeys(r.id.value for r, _ in places if r.id))
            if len(ids) < 2:
                continue
            record, contact = min(places, key=lambda p: (  # resolve() only if it can matter
                bool(focus) and p[0].loaded.path.resolve() not in focus, str(p[0].loaded.path)))
            others = [i for i in ids if not record.id or i != record.id.value]
            named = ", ".join(others[:SHARED_NAMED]) + (
                f" and {len(others) - SHARED_NAMED} more" if len(others) > SHARED_NAMED else "")
            yield record.at(contact, f"`{value}` is also listed by {named}",
                            "check that this is not a copy-paste mistake", Severity.WARNING)


SHARED_NAMED = 3
"""How many other holders of a shared phone or website a warning names."""


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


def region_names(regions: LoadedFile) -> Iterator[Problem]:
    """A region's own name may differ from ISO 3166's wording, never from its meaning:
    "England and Wales" for GB-ENG would show readers in Wales England's services."""
    entries = [e for e in regions.data.get("regions") or [] if isinstance(e, Mapping)]
    overrides = {e.get("code"): e.get("name") for e in entries if _is_translatable(e.get("name"))}
    for i, entry in enumerate(entries):
        code, names = entry.get("code"), entry.get("name")
        if not isinstance(code, str) or not _is_translatable(names):
            continue
        for lang, name in names.items():
            if not isinstance(name, str):
                continue
            for other, other_names in _other_places(code, lang, overrides):
                if other_name := next((n for n in other_names if _names_place(name, n)), None):
                    where = ("regions", i, "name", lang)
                    line, column = regions.where(where)
                    yield Problem(regions.path, line, column, field_name(where),
                                  f"`{name}` also names {other_name} ({other}), but {code} is "
                                  f"{codes.region_name(code, 'en')} in ISO 3166",
                                  f"name only {code} here; add {other} as a region of its own "
                                  "and list both in records that cover both")


def _other_places(code: str, lang: str, overrides: Mapping[Any, Any]
                  ) -> Iterator[tuple[str, list[str]]]:
    """The other subdivisions of ``code``'s country, by ISO name and by this file's names."""
    country = code.split("-")[0]
    for other in codes.subdivisions(country):
        if other == code or code.startswith(other + "-"):
            continue
        names = [codes.plain_region_name(other, "en"), codes.plain_region_name(other, lang)]
        if _is_translatable(overrides.get(other)) and isinstance(overrides[other].get(lang), str):
            names.append(overrides[other][lang])
        yield other, names


def _names_place(text: str, name: str) -> bool:
    if len(name) < 2:
        return False
    if name.isascii():
        return len(name) >= 4 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text,
                                            re.IGNORECASE) is not None
    return name in text


def _home(data: Mapping[str, Any]) -> str:
    """The region whose numbering plan the record's numbers follow."""
    areas = data.get("service_areas") or data.get("jurisdiction") or ["US"]
    first = areas if isinstance(areas, str) else areas[0] if isinstance(areas, list) else "US"
    return first if isinstance(first, str) else "US"


def _names(data: Mapping[str, Any]) -> Iterator[str]:
    """What other texts may call a record: its name, title or organization in any language,
    and the short name in brackets at the end of a title ("... (Crimestoppers)", "(101)")."""
    for field in (("name",), ("title",), ("organization", "name")):
        for _, name in _texts(_get(data, field), field):
            if len(name) >= 4:
                yield name
            if short := re.search(r"[(（]([^()（）]{3,})[)）]\s*$", name):
                yield short.group(1)


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, Mapping) else None
    return data


def _is_translatable(value: Any) -> bool:
    return isinstance(value, Mapping) and "en" in value and all(
        isinstance(k, str) and len(k) == 2 and k.islower() for k in value)


def _translatables(data: Any, path: FieldPath = ()
                   ) -> Iterator[tuple[FieldPath, Mapping[str, Any]]]:
    """Every human-readable field (a map of language code to text), with its path."""
    if _is_translatable(data):
        yield path, data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(key, str):
                yield from _translatables(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _translatables(item, (*path, i))


def _texts(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if _is_translatable(value):
        yield from (((*path, k), v) for k, v in value.items() if isinstance(v, str))


_FACT_NAMES = {"phone": "the number", "short": "the number", "keyword": "the text keyword",
               "url": "the address", "email": "the e-mail address", "citation": "the citation",
               "date": "the date", "number": "the number"}


def _what(fact: Fact) -> str:
    return f"{_FACT_NAMES[fact.kind]} `{fact.label}`"


def _national(number: str) -> str:
    if not number.startswith("+"):
        return number
    return phonenumbers.format_number(phonenumbers.parse(number),
                                      phonenumbers.PhoneNumberFormat.NATIONAL)


def _same_site(a: str, b: str) -> bool:
    def host(url: str) -> str:
        try:
            return (urlsplit(url).hostname or "").removeprefix("www.")
        except ValueError:
            return ""
    x, y = host(a), host(b)
    return bool(x and y) and (x == y or x.endswith("." + y) or y.endswith("." + x))


# Bidi embeddings, overrides and isolates reorder what a reader sees ("moc.live" shown as
# "evil.com"); zero-width spaces and word joiners hide inside words; never in a record.
_ALWAYS_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff"
                             "\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# Text in some scripts needs joiners (ZWJ, ZWNJ) and direction marks (LRM, RLM, ALM) and
# line breaks; single-line values (numbers, addresses, codes) need none of them.
_ONLY_IN_TEXT = re.compile("[\t\n\u200c\u200d\u200e\u200f\u061c]")


def _invisible(value: str, in_text: bool) -> str | None:
    match = _ALWAYS_REFUSED.search(value) or (None if in_text else _ONLY_IN_TEXT.search(value))
    if match is None or (in_text and match.group() == "\t"):
        return None
    name = {"\n": "a line break ", "\t": "a tab "}.get(match.group(), "")
    return f"{name}U+{ord(match.group()):04X}"


def _opens(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
        return bool(parts.hostname)
    except ValueError:  # "https://[::1" and the like
        return False


def _zone_fix(zone: str) -> str:
    close = difflib.get_close_matches(zone, sorted(_time_zones()), n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`? " if close else ""
    return hint + "use an IANA time zone name such as America/New_York or Europe/London"


def _look_alike(url: str) -> str | None:
    """Addresses made to look like another: "https://www.rainn.org@evil.example/" goes to
    evil.example; "rаinn.org" with a Cyrillic "а" is not rainn.org."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        return f"goes to {parts.hostname}, not to what is written before the @"
    host = parts.hostname or ""
    try:
        shown = ".".join(label.encode("ascii").decode("idna") if label.startswith("xn--")
                         else label for label in host.split("."))
    except UnicodeError:
        return "has a host name that cannot be read"
    scripts = {unicodedata.name(c, "UNKNOWN").split()[0] for c in shown if c.isalpha()}
    if len(scripts) > 1:
        return f"mixes alphabets in its host name ({', '.join(sorted(scripts)).lower()})"
    return None


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


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
