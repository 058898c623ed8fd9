"""A static Open Referral feed: the HSDS API's answers as files any web host can serve.

``<site>/hsds/`` follows the HSDS 3.0 API's paths as far as static files allow (a file name
needs its ``.json``; a folder's answer is its ``index.json``)::

    hsds/index.json                      the root description (version, profile, languages)
    hsds/services/index.json             GET /services: one page with every service
    hsds/services/<id>.json              GET /services/{id}: one service, nested in full
    hsds/organizations/index.json        GET /organizations
    hsds/organizations/<id>.json         GET /organizations/{id}, naming its services
    hsds/<lang>/...                      the same files in another language

English is the HSDS text; each other language of the guide has the same files, ids and
shape under ``hsds/<lang>/`` (a text not yet translated stays in English). No server runs,
so no request is logged, and the files are valid against HSDS's compiled schemas
(tests/test_feed.py). A confidential location has no address anywhere in the feed.

**The Haven profile.** What HSDS has no field for travels in one extra field of each
service, ``haven``, so that another Haven (``haven import hsds <site>/hsds``) reads the
records back whole: the record id, organization kind, cost, chat address, whether contact
can be anonymous and the location is confidential, accessibility and confidentiality
notes, urgency, source, how the record was verified, the time zone, and each phone's
keyword, region, description and hours. HSDS allows extra fields; a reader that does not
know the profile ignores it. ``hsds/profile.json`` documents it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..records.model import Address, Directory, Hours, Phone, Service, Text
from .hsds import HsdsObject, hsds_organization, hsds_service

HSDS_VERSION = "3.0"
OPENAPI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
LIST_FIELDS = ("id", "organization_id", "name", "alternate_name", "description", "url", "email",
               "status", "application_process", "fees_description",
               "eligibility_description", "assured_date", "alert")
"""A list answer's service: its own fields, as HSDS's service_list schema has them."""
ORGANIZATION_SERVICE_FIELDS = ("id", "name", "status")
"""An organization's services name themselves only: their full text is one request away
(``services/<id>.json``), and a third copy of every description per language was a fifth
of a national site."""

PROFILE = {
    "name": "Haven",
    "description": "Haven's extension of HSDS 3.0: one extra field, `haven`, on each service, "
                   "with what HSDS has no field for. Texts in it are in the file's language.",
    "fields": {
        "id": "the record's id in the Haven directory",
        "organization_kind": "who runs the service (Haven's organization-kinds vocabulary)",
        "cost": "free, sliding-scale or fee", "cost_notes": "text",
        "chat_url": "where to start an online chat",
        "anonymous_contact": "true when people can get help without giving their name",
        "confidential_location": "true when the address is never published",
        "accessibility": "text", "confidentiality": "text",
        "urgency": "1 (first) to 9: where the service comes in lists",
        "source": "the public page the details were checked against",
        "verification": "method (with-organization or desk-review) and notes",
        "timezone": "the IANA time zone of the service's hours",
        "address": "the address, when HSDS's (which needs a state and postal code) cannot hold it",
        "phones": "per phone, in the order of `phones`: keyword, region, description, hours",
        "local_areas": "counties (fips:06037) or local authorities (ons:W06000015) served",
        "location": "latitude, longitude and radius_km of the area served around a point",
        "same_as_english": "the texts this language gives exactly as English does (a name), "
                           "by their place in the record: the others equal to English are "
                           "English shown because they are not translated",
    },
}


def write_feed(directory: Directory, out: Path, languages: list[str]) -> list[Path]:
    """``out/hsds/`` for every language (English first, at the root); the paths written.
    A file of an earlier build that this one did not write (a record since removed, while
    serving) is deleted: the feed never offers a service the directory no longer has."""
    root = out / "hsds"
    before = set(root.rglob("*.json")) if root.is_dir() else set()
    written = [_write(root / "profile.json", PROFILE)]
    others = [lang for lang in languages if lang != "en"]
    for lang in ["en", *others]:
        base = root if lang == "en" else root / lang
        written += _write_language(directory, base, lang)
    written.append(_write(root / "index.json", {
        "version": HSDS_VERSION, "profile": "profile.json", "openapi_url": OPENAPI,
        "haven_languages": {lang: f"{lang}/index.json" for lang in others},
    }))
    for stale in before - set(written):
        stale.unlink()
    return written


def _write_language(directory: Directory, base: Path, lang: str) -> list[Path]:
    services = [feed_service(directory, s, lang) for s in directory.services]
    written = [_write(base / "services" / f"{s['id']}.json", s) for s in services]
    written.append(_write(base / "services" / "index.json",
                          _page([{k: s[k] for k in LIST_FIELDS if k in s} for s in services])))
    organizations: dict[str, HsdsObject] = {}
    for service, hsds in zip(directory.services, services, strict=True):
        organization = organizations.setdefault(
            hsds["organization_id"], {**hsds_organization(directory, service, lang),
                                      "services": []})
        organization["services"].append({k: hsds[k] for k in ORGANIZATION_SERVICE_FIELDS})
    written += [_write(base / "organizations" / f"{oid}.json", o)
                for oid, o in organizations.items()]
    written.append(_write(base / "organizations" / "index.json", _page(
        [{k: v for k, v in o.items() if k != "services"} for o in organizations.values()])))
    if lang != "en":
        written.append(_write(base / "index.json", {
            "version": HSDS_VERSION, "profile": "../profile.json", "openapi_url": OPENAPI}))
    return written


def _page(contents: list[HsdsObject]) -> HsdsObject:
    """Every item on one page: a static host cannot answer ``?page=2``."""
    return {"total_items": len(contents), "total_pages": 1, "page_number": 1,
            "size": len(contents), "first_page": True, "last_page": True,
            "empty": not contents, "contents": contents}


def feed_service(directory: Directory, service: Service, lang: str) -> HsdsObject:
    return {**hsds_service(directory, service, lang), "haven": haven_fields(service, lang)}


def haven_fields(service: Service, lang: str) -> dict[str, Any]:
    """The Haven profile's field: what HSDS cannot say about ``service``, in ``lang``."""
    verification = _compact({"method": service.verification.method,
                             "notes": _in(service.verification.notes, lang)})
    partial = service.address and not (service.address.state_province
                                       and service.address.postal_code)
    return _compact({
        "id": service.id, "organization_kind": service.organization_kind,
        "cost": service.cost, "cost_notes": _in(service.cost_notes, lang),
        "chat_url": service.chat_url, "anonymous_contact": service.anonymous_contact,
        "confidential_location": service.confidential_location,
        "accessibility": _in(service.accessibility, lang),
        "confidentiality": _in(service.confidentiality, lang),
        "urgency": service.urgency, "source": service.source, "verification": verification,
        "timezone": service.hours.timezone if service.hours else None,
        "address": _address(service.address) if partial and service.address
        and not service.confidential_location else None,
        "phones": [_phone(phone, lang) for phone in service.phones],
        "local_areas": list(service.local_areas) or None,
        "location": dict(zip(("latitude", "longitude", "radius_km"), service.location,
                             strict=True)) if service.location else None,
        "same_as_english": same_as_english(service, lang) or None,
    })


def same_as_english(service: Service, lang: str) -> list[str]:
    """The texts the record gives in ``lang`` exactly as in English (a proper name such as
    "Safe Horizon"). The feed shows an untranslated text in English too, so without this
    list an importer could not tell a name written the same in every language from a
    text nobody has translated yet."""
    if lang == "en":
        return []
    texts: dict[str, Text | None] = {
        "name": service.name, "organization.name": service.organization_name,
        "description": service.description, "eligibility": service.eligibility,
        "alert": service.alert, "cost_notes": service.cost_notes,
        "accessibility": service.accessibility, "confidentiality": service.confidentiality,
        "hours.notes": service.hours.notes if service.hours else None,
        "verification.notes": service.verification.notes}
    for i, phone in enumerate(service.phones):
        texts[f"phones[{i}].description"] = phone.description
        texts[f"phones[{i}].hours.notes"] = phone.hours.notes if phone.hours else None
    return sorted(path for path, text in texts.items() if text is not None
                  and text.values.get(lang) == text.values["en"])


def _phone(phone: Phone, lang: str) -> dict[str, Any]:
    return _compact({"keyword": phone.keyword, "region": phone.region,
                     "description": _in(phone.description, lang),
                     "hours": _hours(phone.hours, lang)})


def _hours(hours: Hours | None, lang: str) -> dict[str, Any] | None:
    if hours is None:
        return None
    return _compact({
        "always_open": True if hours.always_open else None,
        "schedule": [{"days": list(s.days), "opens_at": s.opens_at, "closes_at": s.closes_at}
                     for s in hours.schedule],
        "timezone": hours.timezone, "notes": _in(hours.notes, lang)})


def _address(address: Address) -> dict[str, Any]:
    return _compact({"address_1": address.address_1, "address_2": address.address_2,
                     "city": address.city, "state_province": address.state_province,
                     "postal_code": address.postal_code, "country": address.country})


def _in(text: Text | None, lang: str) -> str | None:
    return text.get(lang)[0] if text else None


def _compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and v != [] and v != {}}


def _write(path: Path, value: Any) -> Path:
    """Without indentation: a fifth of the bytes, and a national feed has one file per
    service per language (a reader pretty-prints if it wants to)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    return path
