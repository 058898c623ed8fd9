"""Typed, immutable records: what every stage after validation reads.

Built only from data that passed the schema and the rules, so fields can be trusted to
exist and have the right shape. Field names follow Open Referral HSDS 3.0 where it has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import codes

URGENCY_UNSET = 10
"""Where records without ``urgency`` come: after every record that has one (1 to 9)."""

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Text:
    """One human-readable text in several languages; English is always present."""

    values: Mapping[str, str]

    @classmethod
    def of(cls, raw: Mapping[str, str] | None) -> Text | None:
        return cls(MappingProxyType(dict(raw))) if raw else None

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as a plain dict (a read-only view cannot be): pamphlets are written in
        worker processes from the records themselves."""
        return (Text.of, (dict(self.values),))

    def has(self, lang: str) -> bool:
        return lang in self.values

    def get(self, lang: str) -> tuple[str, str]:
        """The text in ``lang``, else English: ``(text, language actually used)``."""
        if lang in self.values:
            return self.values[lang], lang
        return self.values[DEFAULT_LANGUAGE], DEFAULT_LANGUAGE

    def __str__(self) -> str:
        return self.values[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class TimeSlot:
    days: tuple[str, ...]
    opens_at: str
    closes_at: str


@dataclass(frozen=True)
class Hours:
    always_open: bool = False
    schedule: tuple[TimeSlot, ...] = ()
    timezone: str | None = None
    notes: Text | None = None

    @classmethod
    def of(cls, raw: Mapping[str, Any] | None) -> Hours | None:
        if raw is None:
            return None
        slots = tuple(TimeSlot(tuple(s["days"]), s["opens_at"], s["closes_at"])
                      for s in raw.get("schedule", ()))
        return cls(bool(raw.get("always_open")), slots, raw.get("timezone"),
                   Text.of(raw.get("notes")))


@dataclass(frozen=True)
class Phone:
    number: str
    type: str
    keyword: str | None = None
    region: str | None = None
    description: Text | None = None
    hours: Hours | None = None
    languages: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Phone:
        return cls(raw["number"], raw["type"], raw.get("keyword"), raw.get("region"),
                   Text.of(raw.get("description")), Hours.of(raw.get("hours")),
                   tuple(raw.get("languages", ())))

    @property
    def is_short_code(self) -> bool:
        return not self.number.startswith("+")

    @property
    def href(self) -> str:
        """``tel:`` for calls, ``sms:`` for text lines (with the keyword as the message)."""
        if self.type == "text":
            body = f"?&body={self.keyword}" if self.keyword else ""
            return f"sms:{self.number}{body}"
        return f"tel:{self.number}"


@dataclass(frozen=True)
class Verification:
    date: date
    method: str
    notes: Text | None = None

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Verification:
        return cls(date.fromisoformat(raw["date"]), raw["method"], Text.of(raw.get("notes")))


@dataclass(frozen=True)
class Address:
    address_1: str
    city: str
    country: str
    address_2: str | None = None
    state_province: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class Record:
    """What every kind of record has: an id, where it came from and how it was checked."""

    id: str
    path: Path
    source: str
    verification: Verification

    kind = "record"


@dataclass(frozen=True)
class Service(Record):
    name: Text
    organization_name: Text
    organization_kind: str
    description: Text
    support_types: tuple[str, ...]
    victimization_types: tuple[str, ...]
    service_areas: tuple[str, ...]
    languages: tuple[str, ...]
    cost: str
    anonymous_contact: bool
    confidential_location: bool
    status: str
    phones: tuple[Phone, ...] = ()
    organization_url: str | None = None
    url: str | None = None
    chat_url: str | None = None
    email: str | None = None
    hours: Hours | None = None
    cost_notes: Text | None = None
    address: Address | None = None
    accessibility: Text | None = None
    eligibility: Text | None = None
    confidentiality: Text | None = None
    alert: Text | None = None
    urgency: int | None = None
    """1 (first) to 9: where the service comes in Get help now and lists (``by_urgency``)."""
    local_areas: tuple[str, ...] = ()
    """Counties (``fips:06037``) or local authorities (``ons:W06000015``) inside
    ``service_areas``: a local service, shown by the lookup only to people there."""
    location: tuple[float, float, float] | None = None
    """(latitude, longitude, radius in km): shown to people within the radius, nearest first."""

    kind = "service"

    @property
    def always_open(self) -> bool:
        return bool(self.hours and self.hours.always_open)

    @property
    def is_local(self) -> bool:
        """Serves only part of its regions (counties, authorities, around a point)."""
        return bool(self.local_areas or self.location)

    @property
    def open_line(self) -> bool:
        """A line to reach now for anyone in its regions: open 24 hours, active, with a
        phone or a chat. A local line (a county's) is not one: the lookup shows it to the
        people it serves, and the place's full list names where it serves."""
        return self.always_open and self.status == "active" and \
            bool(self.phones or self.chat_url) and not self.is_local


@dataclass(frozen=True)
class Right(Record):
    title: Text
    jurisdictions: tuple[str, ...]
    """Where it applies: one region, or several that share a law (England and Wales)."""
    category: str
    summary: Text
    how_to_use: Text
    citation: str

    kind = "right"


@dataclass(frozen=True)
class ReportingRoute(Record):
    title: Text
    route_kind: str
    jurisdictions: tuple[str, ...]
    anonymous: bool
    steps: tuple[Text, ...]
    what_happens_next: Text
    time_limits: Text | None = None
    phones: tuple[Phone, ...] = ()
    url: str | None = None
    email: str | None = None
    urgency: int | None = None
    """1 (first) to 9, among routes of the same kind (``routes_by_urgency``)."""

    kind = "reporting"


def applies_in(record: Right | ReportingRoute, regions: set[str]) -> bool:
    return bool(regions & set(record.jurisdictions))


@dataclass(frozen=True)
class Term:
    id: str
    name: Text
    description: Text | None = None


@dataclass(frozen=True)
class Region:
    code: str
    name: Text | None = None
    """Overrides the ISO 3166 name, e.g. "England and Wales" for a justice system."""
    emergency_number: str | None = None

    def name_in(self, lang: str) -> str:
        if self.name and self.name.has(lang):
            return self.name.get(lang)[0]
        return codes.region_name(self.code, lang)

    @property
    def country(self) -> str:
        return self.code.split("-")[0]

    @property
    def is_country(self) -> bool:
        return "-" not in self.code


@dataclass(frozen=True)
class Directory:
    """Every validated record, vocabulary and region: the single input of all outputs."""

    services: tuple[Service, ...]
    rights: tuple[Right, ...]
    reporting: tuple[ReportingRoute, ...]
    vocabularies: Mapping[str, Mapping[str, Term]]
    regions: Mapping[str, Region]
    root: Path = field(default=Path("directory"))

    def records(self) -> Iterator[Record]:
        yield from self.services
        yield from self.rights
        yield from self.reporting

    def term(self, vocabulary: str, term_id: str) -> Term:
        return self.vocabularies[vocabulary][term_id]

    def services_in(self, region_code: str) -> list[Service]:
        """Services for people in a place: its own, its parts' (the United Kingdom's include
        England's), and its country's national ones (England's include the United
        Kingdom's). Places nest by code: GB-ENG is part of GB. In the directory's order."""
        if region_code not in self._services_in:
            country, part = self.regions[region_code].country, region_code + "-"
            found = set().union(*(at for area, at in self._by_area.items()
                                   if area in (region_code, country) or area.startswith(part)))
            self._services_in[region_code] = [self.services[i] for i in sorted(found)]
        return list(self._services_in[region_code])

    @cached_property
    def _by_area(self) -> dict[str, set[int]]:
        """Each service area's services (their places in ``services``): the lists of 160
        places in five languages asked ``services_in`` 800 times per build, each time
        reading every service (at 15,000 services, most of an edit's rebuild)."""
        found: dict[str, set[int]] = {}
        for index, service in enumerate(self.services):
            for area in service.service_areas:
                found.setdefault(area, set()).add(index)
        return found

    @cached_property
    def _services_in(self) -> dict[str, list[Service]]:
        return {}

    def emergency_number(self, code: str) -> str | None:
        """The place's emergency number, or its country's."""
        region = self.regions[code]
        country = self.regions.get(region.country)
        return region.emergency_number or (country.emergency_number if country else None)

    def by_urgency(self, services: Iterable[Service], place: str | None = None
                   ) -> list[Service]:
        """Most urgent first, as maintainers decide: a record's ``urgency`` (1 first); for a
        ``place``, then those that serve more of it (all of it, then more of its parts: on
        the UK's page a line for England and Wales before one for Wales); then the order of
        its first kind of help in vocabularies/support-types.yaml, then name. Never
        alphabetical alone: the line a person in danger needs comes first."""
        kinds = {term: i for i, term in enumerate(self.vocabularies.get("support-types", {}))}
        country = place.split("-")[0] if place else ""

        def reach(s: Service) -> int:
            if not place or place in s.service_areas or country in s.service_areas:
                return 1000  # the whole place
            return sum(a.startswith(place + "-") for a in s.service_areas)

        def key(s: Service) -> tuple[int, int, int, str]:
            first = kinds.get(s.support_types[0], len(kinds)) if s.support_types else len(kinds)
            return (s.urgency or URGENCY_UNSET, -reach(s), first, s.name.get("en")[0].casefold())
        return sorted(services, key=key)

    def routes_by_urgency(self, routes: Iterable[ReportingRoute]) -> list[ReportingRoute]:
        """Reporting routes: emergency first, in the order of vocabularies/reporting-kinds.yaml
        (emergency services, police, ...), then a route's ``urgency``, then title."""
        kinds = {term: i for i, term in enumerate(self.vocabularies.get("reporting-kinds", {}))}
        return sorted(routes, key=lambda r: (kinds.get(r.route_kind, len(kinds)),
                                             r.urgency or URGENCY_UNSET,
                                             r.title.get("en")[0].casefold()))
