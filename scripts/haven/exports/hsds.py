"""Services as Open Referral HSDS 3.0 service objects, for other directories to import.

Each object validates against HSDS 3.0's compiled ``service.json`` (tests/test_exports.py
checks every one). Choices where HSDS and Haven differ:

- Language: HSDS 3.0 text fields hold one string each, with no way to give translations,
  so ``services.json`` is in English. The static feed (``feed.py``) gives every language its
  own files, made here with ``lang`` (a text not yet translated stays in English); the
  sentences this module writes itself (fees, hours) are in English in every language.
- Ids: HSDS wants a UUID for every object. Each is a UUID 5 of a readable name under the
  fixed ``NAMESPACE``, so the same record gets the same ids in every build, and an object
  shared between services (an organization, a taxonomy term) gets the same id everywhere.
- Phones: HSDS phones have no hours or keyword; both are added to the phone's description.
- Schedules: HSDS's ``timezone`` is a single UTC offset, which a zone with summer time does
  not have; the IANA zone name goes into the schedule's description instead.
- Fields with no HSDS counterpart (chat_url aside, which goes to application_process;
  accessibility; confidentiality; anonymous_contact) are only in directory.json. An address
  is never exported for a confidential location.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..records import codes
from ..records.model import Address, Directory, Hours, Phone, Service, Text, TimeSlot
from ..records.places import local_area
from .formatting import ALWAYS_OPEN, hours_text, slot_text

NAMESPACE = uuid.UUID("eba77d70-1462-4c4d-a27c-fbecf6d0db1d")
"""Never change it: every published HSDS id is derived from it."""

STATUS = {"active": "active", "inactive": "inactive", "temporarily-closed": "temporarily closed"}
PHONE_TYPE = {"voice": "voice", "text": "text", "textphone": "textphone", "video": "video"}
"""Haven's types are a subset of HSDS's (RFC 6350's): text (SMS), voice, fax, cell, video,
pager, textphone. Listed so that a type added to Haven's schema fails here, not silently."""
BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA",
         "sun": "SU"}
COST = {"free": "Free.", "sliding-scale": "Sliding scale: the fee depends on what you can pay.",
        "fee": "There is a fee."}
ATTRIBUTE_VOCABULARIES = {"support_types": "support-types",
                          "victimization_types": "victimization-types"}

HsdsObject = dict[str, Any]


def hsds_id(name: str) -> str:
    """A stable UUID for ``name``, e.g. ``service:rainn-national-sexual-assault-hotline``."""
    return str(uuid.uuid5(NAMESPACE, name))


def hsds_services(directory: Directory, lang: str = "en") -> list[HsdsObject]:
    return [hsds_service(directory, service, lang) for service in directory.services]


def hsds_service(directory: Directory, service: Service, lang: str = "en") -> HsdsObject:
    key = f"service:{service.id}"
    organization = hsds_organization(directory, service, lang)
    return _compact({
        "id": hsds_id(key), "organization_id": organization["id"],
        "name": _in(service.name, lang), "description": _in(service.description, lang),
        "url": service.url, "email": service.email,
        "status": STATUS[service.status], "application_process": _application(service),
        "fees_description": _fees(service, lang),
        "eligibility_description": _in(service.eligibility, lang),
        "assured_date": service.verification.date.isoformat(),
        "alert": _in(service.alert, lang),
        "phones": [_phone(key, phone, lang) for phone in service.phones],
        "schedules": _schedules(key, service.hours, lang),
        "service_areas": [_service_area(directory, key, code, lang)
                          for code in service.service_areas]
        + [_local_area(key, code) for code in service.local_areas],
        "service_at_locations": _locations(key, service, lang),
        "languages": [_language(key, code, lang, service_id=hsds_id(key))
                      for code in service.languages],
        "organization": organization,
        "attributes": _attributes(directory, key, service, lang),
    })


def _compact(fields: HsdsObject) -> HsdsObject:
    """HSDS fields are optional unless required: leave out what Haven does not have."""
    return {key: value for key, value in fields.items() if value is not None and value != []}


def _in(text: Text | None, lang: str) -> str | None:
    """The text in ``lang``, or in English until it is translated."""
    return text.get(lang)[0] if text else None


def _fees(service: Service, lang: str) -> str:
    return " ".join(t for t in (COST[service.cost], _in(service.cost_notes, lang)) if t)


def _application(service: Service) -> str | None:
    return f"Online chat: {service.chat_url}" if service.chat_url else None


def _language(parent: str, code: str, lang: str, **link: str) -> HsdsObject:
    return {"id": hsds_id(f"{parent}/language:{code}"), **link,
            "name": codes.language_name(code, lang), "code": code}


def _phone(parent: str, phone: Phone, lang: str) -> HsdsObject:
    key = f"{parent}/phone:{phone.type}:{phone.number}:{phone.keyword or ''}"
    phone_id = hsds_id(key)
    return _compact({
        "id": phone_id, "service_id": hsds_id(parent), "number": phone.number,
        "type": PHONE_TYPE[phone.type],
        "description": _phone_description(phone, lang) or None,
        "languages": [_language(key, code, lang, phone_id=phone_id)
                      for code in phone.languages],
    })


def _phone_description(phone: Phone, lang: str) -> str:
    parts = [_in(phone.description, lang) or ""]
    if phone.keyword and phone.keyword not in parts[0]:
        parts.append(f"Text {phone.keyword} to {phone.number}.")
    if phone.hours:
        parts.append(_hours_sentence(phone.hours, lang))
    return " ".join(p for p in parts if p)


def _hours_sentence(hours: Hours, lang: str) -> str:
    text = "Open 24 hours a day, 7 days a week." if hours.always_open \
        else f"Open {hours_text(hours)}."
    return f"{text} {_in(hours.notes, lang)}" if hours.notes else text


def _schedules(parent: str, hours: Hours | None, lang: str) -> list[HsdsObject]:
    if hours is None:
        return []
    if hours.always_open:
        # HSDS has no 24/7 flag; its documentation suggests 00:00-23:59 every day.
        every_day = TimeSlot(tuple(BYDAY), "00:00", "23:59")
        return [_schedule(parent, every_day, hours, "Open 24 hours a day, 7 days a week.",
                          lang)]
    return [_schedule(parent, slot, hours, _slot_description(slot, hours), lang)
            for slot in hours.schedule]


def _slot_description(slot: TimeSlot, hours: Hours) -> str:
    zone = f", local time ({hours.timezone})" if hours.timezone else ""
    return f"Open {slot_text(slot)}{zone}."


def _schedule(parent: str, slot: TimeSlot, hours: Hours, description: str, lang: str
              ) -> HsdsObject:
    # An HSDS time is a time of day, which 24:00 is not: midnight is 23:59, as for 24/7.
    closes = "23:59" if slot.closes_at == "24:00" else slot.closes_at
    key = f"{parent}/schedule:{ALWAYS_OPEN if hours.always_open else slot_text(slot)}"
    return _compact({
        "id": hsds_id(key), "service_id": hsds_id(parent), "freq": "WEEKLY",
        "byday": ",".join(BYDAY[d] for d in sorted(slot.days, key=list(BYDAY).index)),
        "opens_at": slot.opens_at, "closes_at": closes, "description": description,
        "notes": _in(hours.notes, lang),
    })


def _service_area(directory: Directory, parent: str, code: str, lang: str) -> HsdsObject:
    region = directory.regions.get(code)
    name = region.name_in(lang) if region else codes.region_name(code, lang)
    standard = "ISO 3166-2 subdivision" if "-" in code else "ISO 3166-1 country"
    return {"id": hsds_id(f"{parent}/service-area:{code}"), "service_id": hsds_id(parent),
            "name": name, "description": f"{name} ({standard} code {code})"}


def _local_area(parent: str, code: str) -> HsdsObject:
    """A county (FIPS code) or local authority (ONS code) the service is limited to."""
    area = local_area(code)
    name = area.name if area and area.name else code
    standard = "US county FIPS" if code.startswith("fips:") else "UK local authority ONS"
    return {"id": hsds_id(f"{parent}/service-area:{code}"), "service_id": hsds_id(parent),
            "name": name, "description": f"{name} ({standard} code {code.split(':')[1]})"}


def _locations(parent: str, service: Service, lang: str) -> list[HsdsObject]:
    """The service's premises, unless confidential (the rules already forbid an address
    there; this is the second lock on a shelter's location)."""
    if service.address is None or service.confidential_location:
        return []
    key = f"{parent}/location"
    location = {"id": hsds_id(key), "location_type": "physical",
                "name": _in(service.name, lang),
                **_address(key, service.address)}
    return [{"id": hsds_id(f"{parent}/service-at-location"), "service_id": hsds_id(parent),
             "location_id": location["id"], "location": location}]


def _address(parent: str, address: Address) -> HsdsObject:
    """HSDS requires a state and postal code in an address; without them, the address is
    given as the location's description instead of being dropped."""
    parts = [address.address_1, address.address_2, address.city, address.state_province,
             address.postal_code, address.country]
    if address.state_province is None or address.postal_code is None:
        return {"description": ", ".join(p for p in parts if p)}
    return {"addresses": [_compact({
        "id": hsds_id(f"{parent}/address"), "location_id": hsds_id(parent),
        "address_1": address.address_1, "address_2": address.address_2, "city": address.city,
        "state_province": address.state_province, "postal_code": address.postal_code,
        "country": address.country, "address_type": "physical",
    })]}


def hsds_organization(directory: Directory, service: Service, lang: str = "en"
                      ) -> HsdsObject:
    """The organization running ``service``; its id is its English name's, in every
    language, so the services of one organization share it."""
    kind = directory.term("organization-kinds", service.organization_kind)
    name = str(service.organization_name)
    # HSDS requires a description; Haven records what kind of organization it is.
    return _compact({"id": hsds_id(f"organization:{name}"),
                     "name": _in(service.organization_name, lang),
                     "description": f"{_in(kind.name, lang)}.",
                     "website": service.organization_url})


def _attributes(directory: Directory, parent: str, service: Service, lang: str
                ) -> list[HsdsObject]:
    """Support and victimization types as HSDS attributes linking taxonomy terms."""
    service_id = hsds_id(parent)
    return [
        _attribute(service_id, f"{parent}/attribute:{vocabulary}:{term_id}",
                   _taxonomy_term(directory, vocabulary, term_id, lang), vocabulary)
        for field, vocabulary in ATTRIBUTE_VOCABULARIES.items()
        for term_id in getattr(service, field)
    ]


def _attribute(service_id: str, key: str, term: HsdsObject, link_type: str) -> HsdsObject:
    return {"id": hsds_id(key), "link_id": service_id, "taxonomy_term_id": term["id"],
            "link_type": link_type, "link_entity": "service", "taxonomy_term": term}


def _taxonomy_term(directory: Directory, vocabulary: str, term_id: str, lang: str
                   ) -> HsdsObject:
    term = directory.term(vocabulary, term_id)
    name, used = term.name.get(lang)
    return {"id": hsds_id(f"term:{vocabulary}:{term_id}"), "code": term_id, "name": name,
            "description": _in(term.description or term.name, lang),
            "taxonomy": f"Haven {vocabulary}", "language": used}
