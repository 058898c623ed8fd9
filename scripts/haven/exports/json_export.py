"""The whole directory as one JSON document: every record, every language.

Field names are those of the YAML records and their schemas (which follow Open Referral
HSDS where HSDS has the field), so one documentation serves both. Translatable texts stay
``{lang: text}`` maps and dates are ISO strings: a record's exported object is the mapping
its YAML file holds, which ``tests/test_exports.py`` checks for every shipped record.

The typed records are the source, not the YAML files: the export can only contain data that
passed validation. ``record_to_mapping`` is the one place that turns a record back into its
mapping; ``records_from_json`` runs the loader's own builders on the result, so a reader can
check that nothing was lost on the way out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..records.directory import BUILDERS, RECORD_FOLDERS
from ..records.model import (
    Address,
    Directory,
    Hours,
    Phone,
    Record,
    Region,
    ReportingRoute,
    Right,
    Service,
    Term,
    Text,
    Verification,
)

FORMAT = "haven-directory"
FORMAT_VERSION = 1
"""Raise when a field is renamed or removed; adding a field keeps the version."""

LICENSE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Haven directory contributors",
}

Mapped = dict[str, Any]


def directory_json(directory: Directory, *, generated: date | None = None) -> Mapped:
    """Every record, vocabulary and region, with the format version and generation date.

    Records are listed under the names of their folders in directory/.
    """
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated": (generated or date.today()).isoformat(),
        "license": LICENSE,
        "services": [record_to_mapping(s) for s in directory.services],
        "rights": [record_to_mapping(r) for r in directory.rights],
        "reporting": [record_to_mapping(r) for r in directory.reporting],
        "vocabularies": {name: [_term(t) for t in terms.values()]
                         for name, terms in directory.vocabularies.items()},
        "regions": [_region(r) for r in directory.regions.values()],
    }


def record_to_mapping(record: Record) -> Mapped:
    """The record as its YAML file states it (optional fields left out when not given)."""
    return _MAPPERS[record.kind](record)


def records_from_json(data: Mapping[str, Any], root: Path = Path("directory")) -> list[Record]:
    """Typed records rebuilt from ``directory_json`` output by the loader's own builders.

    ``root`` only places each record's (unused) path where its file would be.
    """
    records: list[Record] = []
    for folder, kind in RECORD_FOLDERS.items():
        for mapping in data[folder]:
            records.append(BUILDERS[kind](mapping, root / folder / f"{mapping['id']}.yaml"))
    return records


def _compact(fields: Mapped) -> Mapped:
    """Leave out what the YAML leaves out: absent values and empty lists. ``False`` stays."""
    return {key: value for key, value in fields.items() if value is not None and value != []}


def _text(value: Text | None) -> dict[str, str] | None:
    return dict(value.values) if value else None


def _hours(hours: Hours | None) -> Mapped | None:
    if hours is None:
        return None
    schedule = [{"days": list(s.days), "opens_at": s.opens_at, "closes_at": s.closes_at}
                for s in hours.schedule]
    # ``always_open: false`` and no ``always_open`` read the same; only ``true`` is written.
    return _compact({"always_open": True if hours.always_open else None, "schedule": schedule,
                     "timezone": hours.timezone, "notes": _text(hours.notes)})


def _phone(phone: Phone) -> Mapped:
    return _compact({"number": phone.number, "type": phone.type, "keyword": phone.keyword,
                     "region": phone.region, "description": _text(phone.description),
                     "hours": _hours(phone.hours), "languages": list(phone.languages)})


def _verification(verification: Verification) -> Mapped:
    return _compact({"date": verification.date.isoformat(), "method": verification.method,
                     "notes": _text(verification.notes)})


def _address(address: Address | None) -> Mapped | None:
    if address is None:
        return None
    return _compact({"address_1": address.address_1, "address_2": address.address_2,
                     "city": address.city, "state_province": address.state_province,
                     "postal_code": address.postal_code, "country": address.country})


def _location(location: tuple[float, float, float] | None) -> Mapped | None:
    if location is None:
        return None
    return dict(zip(("latitude", "longitude", "radius_km"), location, strict=True))


def _provenance(record: Record) -> Mapped:
    return {"source": record.source, "verification": _verification(record.verification)}


def _service(service: Service) -> Mapped:
    organization = _compact({"name": _text(service.organization_name),
                             "kind": service.organization_kind,
                             "url": service.organization_url})
    return _compact({
        "id": service.id, "name": _text(service.name), "organization": organization,
        "description": _text(service.description), "support_types": list(service.support_types),
        "victimization_types": list(service.victimization_types),
        "service_areas": list(service.service_areas),
        "local_areas": list(service.local_areas), "location": _location(service.location),
        "phones": [_phone(p) for p in service.phones], "url": service.url,
        "chat_url": service.chat_url, "email": service.email, "hours": _hours(service.hours),
        "languages": list(service.languages), "cost": service.cost,
        "cost_notes": _text(service.cost_notes), "anonymous_contact": service.anonymous_contact,
        "confidential_location": service.confidential_location,
        "address": _address(service.address), "accessibility": _text(service.accessibility),
        "eligibility": _text(service.eligibility),
        "confidentiality": _text(service.confidentiality), "status": service.status,
        "alert": _text(service.alert), "urgency": service.urgency, **_provenance(service),
    })


def _right(right: Right) -> Mapped:
    return _compact({
        "id": right.id, "title": _text(right.title), "jurisdiction": _jurisdiction(right),
        "category": right.category, "summary": _text(right.summary),
        "how_to_use": _text(right.how_to_use), "citation": right.citation,
        **_provenance(right),
    })


def _reporting(route: ReportingRoute) -> Mapped:
    return _compact({
        "id": route.id, "title": _text(route.title), "kind": route.route_kind,
        "jurisdiction": _jurisdiction(route), "anonymous": route.anonymous,
        "steps": [_text(step) for step in route.steps],
        "what_happens_next": _text(route.what_happens_next),
        "time_limits": _text(route.time_limits), "phones": [_phone(p) for p in route.phones],
        "url": route.url, "email": route.email, "urgency": route.urgency,
        **_provenance(route),
    })


def _jurisdiction(record: Right | ReportingRoute) -> str | list[str]:
    """As the record has it: one region code, or a list when a law covers several."""
    codes = record.jurisdictions
    return codes[0] if len(codes) == 1 else list(codes)


def _term(term: Term) -> Mapped:
    return _compact({"id": term.id, "name": _text(term.name),
                     "description": _text(term.description)})


def _region(region: Region) -> Mapped:
    """As regions.yaml has it: a name only where it overrides the ISO 3166 one."""
    return _compact({"code": region.code, "name": _text(region.name),
                     "emergency_number": region.emergency_number})


_MAPPERS: dict[str, Callable[[Any], Mapped]] = {
    Service.kind: _service, Right.kind: _right, ReportingRoute.kind: _reporting,
}
