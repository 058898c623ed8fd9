"""One HSDS service as one Haven service record (the mapping its YAML file will hold).

What HSDS says and Haven keeps is mapped; what Haven has no field for is listed by its
place (``service.wait_time``), never by its value, so that nothing is dropped silently and
nothing confidential is repeated in a report; what Haven needs and HSDS does not say (the
kinds of help, who it is for...) is left for a person to fill in.

Decisions, in one place:

- **Confidential locations.** A service's location is taken as confidential, its address
  and accessibility notes left out and ``confidential_location: true`` written, when any of
  these says so: Haven's own profile field; a word such as confidential, undisclosed,
  withheld or secret in the location's or address's fields or in the service-at-location's
  description; the service's name, description or eligibility naming a confidential or
  undisclosed location, address, shelter or refuge; an attribute whose taxonomy term (code
  or name) mentions confidentiality. Without a signal and with an address, the address is
  imported and the report asks a person to check; with no address, the location is not
  confidential (there is nothing to publish).
- **Texts** are in the data's language (English unless it says otherwise); a Haven feed's
  sibling files give the translations; a translation identical to the English text is
  not kept (it reads the same).
- **Web addresses** are imported only with https; anything else is reported.
- **Phones** become E.164 (``+441234234567``) in the country of the service's address or
  first service area; short codes (988) keep their digits and that country as ``region``.
- **Hours**: weekly schedules only; 00:00-23:59 every day is open 24 hours; 23:59 as a
  closing time reads back as 24:00 (Haven's exports write midnight as 23:59).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
import pycountry

from ..exports.formatting import WEEK
from ..exports.hsds import BYDAY, COST, STATUS
from ..records import codes

Obj = dict[str, Any]

CONFIDENTIAL_WORDS = re.compile(
    r"\b(confidential|undisclosed|not (?:be )?(?:disclosed|published|shared)|withheld|"
    r"secret|suppressed|hidden)\b", re.IGNORECASE)
CONFIDENTIAL_PLACE = re.compile(
    r"\b(confidential|undisclosed|secret)\s+(location|address|shelter|refuge|site|premises)",
    re.IGNORECASE)
HSDS_STATUS = {v: k for k, v in STATUS.items()} | {"defunct": "inactive"}
HSDS_PHONE = {"voice": "voice", "cell": "voice", "text": "text", "textphone": "textphone",
              "video": "video"}
DAYS = {v: k for k, v in BYDAY.items()}
CHAT = re.compile(r"Online chat: (https://\S+)")
ZONE = re.compile(r"local time \(([A-Za-z_]+(?:/[A-Za-z_+-]+)+)\)")
TAGS = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
STRUCTURAL = {"id", "service_id", "location_id", "organization_id", "phone_id", "link_id",
              "taxonomy_term_id", "service_at_location_id", "contact_id", "program_id",
              "parent_id", "taxonomy_id", "resource_id"}
"""Links between HSDS objects: read to nest them, not data of their own."""


@dataclass
class Known:
    """What the target directory defines: vocabulary terms (id → English name), regions."""

    vocabularies: Mapping[str, Mapping[str, str]]
    regions: Mapping[str, str]


@dataclass
class Mapped:
    record: Obj
    hsds_id: str
    unmapped: list[str] = field(default_factory=list)
    """Where data sits that Haven has no field for (``service.wait_time``)."""
    notes: list[str] = field(default_factory=list)
    """What the import changed, left out or wants checked, and why."""
    confidential: bool = False


class _Reader:
    """An HSDS service read field by field; whatever is never read is reported."""

    def __init__(self, service: Obj, lang: str) -> None:
        self.service, self.lang = service, lang
        self.used: set[str] = set()
        self.withheld: set[str] = set()
        self.notes: list[str] = []

    def get(self, *path: str | int) -> Any:
        value: Any = self.service
        for key in path:
            if isinstance(key, int):
                value = value[key] if isinstance(value, list) and key < len(value) else None
            else:
                value = value.get(key) if isinstance(value, dict) else None
        self.used.add(_dotted(path))
        return value

    def text(self, *path: str | int) -> dict[str, str] | None:
        value = self.get(*path)
        if not isinstance(value, str) or not value.strip():
            return None
        value = unicodedata.normalize("NFC", value.strip())
        if TAGS.search(value):
            self.notes.append(f"{_dotted(path)} contains HTML tags; Haven shows text exactly "
                              "as written, never as markup: remove the tags")
        return {self.lang: value}

    def url(self, *path: str | int) -> str | None:
        value = self.get(*path)
        if not isinstance(value, str) or not value.strip():
            return None
        value = value.strip()
        if not re.fullmatch(r"https://[^\s/.?#][^\s]*", value):
            self.notes.append(f"{_dotted(path)} is not an https:// address, so it was not "
                              "imported: if the site has a secure address, write it")
            return None
        return value

    def unused(self) -> list[str]:
        """Every field with a value that was neither read nor withheld; an object none of
        whose fields was read is named once (``service.funding``)."""
        def walk(value: Any, path: tuple[str | int, ...]) -> tuple[list[str], bool]:
            dotted = _dotted(path)
            if any(dotted == w or dotted.startswith((f"{w}.", f"{w}[")) for w in self.withheld):
                return [], False
            if isinstance(value, dict):
                items = [(key, item) for key, item in value.items()
                         if key not in STRUCTURAL and key != "haven"]
            elif isinstance(value, list):
                items = list(enumerate(value))
            else:
                unused = value not in (None, "") and dotted not in self.used
                return ([dotted] if unused else []), unused
            found, every = [], bool(items)
            for key, item in items:
                below, whole = walk(item, (*path, key))
                found += below
                every = every and whole
            return ([dotted] if every and path else found), every
        return walk(self.service, ())[0]


def _dotted(path: tuple[str | int, ...]) -> str:
    text = "service"
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else f".{key}"
    return text


def map_service(service: Obj, lang: str, known: Known) -> Mapped:
    reader = _Reader(service, lang)
    extension = service.get("haven") if isinstance(service.get("haven"), dict) else {}
    confidential = _confidential(reader, extension)
    country = _country(reader, confidential, known)
    chat = _chat(reader)
    record: Obj = {
        "id": extension.get("id"),
        "name": reader.text("name"),
        "organization": _organization(reader, extension, known),
        "description": reader.text("description"),
        "support_types": _terms(reader, "support-types", known),
        "victimization_types": _terms(reader, "victimization-types", known),
        "service_areas": _areas(reader, known),
        "local_areas": extension.get("local_areas"),
        "location": extension.get("location"),
        "phones": _phones(reader, extension, country),
        "url": reader.url("url"),
        "chat_url": extension.get("chat_url") or chat,
        "email": _email(reader),
        "hours": _hours(reader, extension),
        "languages": _languages(reader, ("languages",)),
        **_cost(reader, extension),
        "anonymous_contact": extension.get("anonymous_contact"),
        "confidential_location": confidential or _not_confidential(reader, extension),
        "address": None if confidential else (extension.get("address") or _address(reader)),
        "accessibility": _texted(extension, "accessibility", lang)
        or (None if confidential else _accessibility(reader)),
        "eligibility": reader.text("eligibility_description"),
        "confidentiality": _texted(extension, "confidentiality", lang),
        "status": _status(reader),
        "alert": reader.text("alert"),
        "urgency": extension.get("urgency"),
        "source": extension.get("source"),
        "verification": _verification(reader, extension, lang),
    }
    record = {k: v for k, v in record.items() if v not in (None, [], {})}
    if extension:  # Haven's export made the location from the record's name and address
        reader.withheld.add("service.service_at_locations")
    if confidential and service.get("service_at_locations"):
        reader.notes.append("the location is confidential: its address and notes about it "
                            "were not imported, and are named here only by field")
    return Mapped(record, str(service.get("id")), reader.unused(), reader.notes, confidential)


def _texted(extension: Obj, key: str, lang: str) -> dict[str, str] | None:
    value = extension.get(key)
    return {lang: value} if isinstance(value, str) and value else None


# --- confidentiality -------------------------------------------------------------------------

def _confidential(reader: _Reader, extension: Obj) -> bool:
    if "confidential_location" in extension:
        if extension["confidential_location"] is True:
            reader.withheld.add("service.service_at_locations")
        return extension["confidential_location"] is True
    places = reader.service.get("service_at_locations") or []
    signals = []
    for sal in places if isinstance(places, list) else []:
        if not isinstance(sal, dict):
            continue
        location = sal.get("location") if isinstance(sal.get("location"), dict) else {}
        texts = [sal.get("description"), *_strings(location)]
        signals += [t for t in texts if isinstance(t, str) and CONFIDENTIAL_WORDS.search(t)]
    for key in ("name", "description", "eligibility_description"):
        value = reader.service.get(key)
        if isinstance(value, str) and CONFIDENTIAL_PLACE.search(value):
            signals.append(value)
    for attribute in reader.service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if isinstance(term, dict) and any(isinstance(term.get(k), str) and "confidential"
                                          in term[k].lower() for k in ("code", "name")):
            signals.append("attribute")
    if signals:
        reader.withheld.add("service.service_at_locations")
    return bool(signals)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _not_confidential(reader: _Reader, extension: Obj) -> bool:
    """False, with a request to check when an address will be published (unless Haven's
    own profile already says the location is not confidential)."""
    if not extension and _first_address(reader.service) is not None:
        reader.notes.append("the address will be published: nothing in the data marks the "
                            "location as confidential. If it is a shelter or any place whose "
                            "address must stay private, write confidential_location: true "
                            "and delete the address")
    return False


# --- organization, terms, places -------------------------------------------------------------

def _organization(reader: _Reader, extension: Obj, known: Known) -> Obj | None:
    organization = reader.get("organization")
    if not isinstance(organization, dict):
        return None
    kinds = known.vocabularies.get("organization-kinds", {})
    kind = extension.get("organization_kind")
    description = organization.get("description")
    if kind is None and isinstance(description, str):
        # Haven's own export describes the organization by its kind's name.
        kind = next((t for t, name in kinds.items() if description == f"{name}."), None)
    if kind is not None:
        reader.get("organization", "description")  # said by the kind: nothing is lost
    mapped = {"name": reader.text("organization", "name"), "kind": kind,
              "url": reader.url("organization", "website")}
    return {k: v for k, v in mapped.items() if v is not None}


def _terms(reader: _Reader, vocabulary: str, known: Known) -> list[str]:
    """Attributes that name a term of one of Haven's vocabularies (as Haven's export
    writes them: link_type or taxonomy ``Haven <vocabulary>``, the term id as code)."""
    terms = known.vocabularies.get(vocabulary, {})
    found = []
    for i, attribute in enumerate(reader.service.get("attributes") or []):
        term = attribute.get("taxonomy_term") or {}
        if vocabulary != attribute.get("link_type") and \
                term.get("taxonomy") != f"Haven {vocabulary}":
            continue
        reader.get("attributes", i)
        for key in ("link_type", "link_entity", "value"):
            reader.get("attributes", i, key)
        for key in ("code", "name", "description", "taxonomy", "language"):
            reader.get("attributes", i, "taxonomy_term", key)
        code = term.get("code")
        if code in terms and code not in found:
            found.append(code)
        elif code not in found:
            reader.notes.append(f"service.attributes[{i}]: the term is not in "
                                f"directory/vocabularies/{vocabulary}.yaml: not imported")
    return found


def _areas(reader: _Reader, known: Known) -> list[str]:
    names = {name.casefold(): code for code, name in known.regions.items()}
    found = []
    for i, area in enumerate(reader.service.get("service_areas") or []):
        text = " ".join(str(area.get(k) or "") for k in ("name", "description"))
        code = _region_code(text, names)
        if code:
            reader.get("service_areas", i, "name")
            reader.get("service_areas", i, "description")
            if code not in found:
                found.append(code)
    return found


def _region_code(text: str, names: Mapping[str, str]) -> str | None:
    """A region code the text gives (``(ISO 3166-2 subdivision code US-CA)``, ``US-CA``),
    or a covered region or ISO 3166 country named exactly."""
    if match := re.search(r"\bcode ([A-Z]{2}(?:-[A-Z0-9]{1,3})?)\)", text):
        return match.group(1)
    text = text.strip()
    if re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", text) and codes.is_region(text):
        return text
    if text.casefold() in names:
        return names[text.casefold()]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


def _country(reader: _Reader, confidential: bool, known: Known) -> str | None:
    """The country whose numbering plan the service's phone numbers are written in."""
    address = None if confidential else _first_address(reader.service)
    if address and isinstance(address.get("country"), str) and \
            codes.is_region(address["country"].upper()):
        return address["country"].upper()
    names = {name.casefold(): code for code, name in known.regions.items()}
    for area in reader.service.get("service_areas") or []:
        code = _region_code(" ".join(str(area.get(k) or "") for k in ("name", "description")),
                            names)
        if code:
            return code.split("-")[0]
    return None


# --- contact ---------------------------------------------------------------------------------

def _phones(reader: _Reader, extension: Obj, country: str | None) -> list[Obj]:
    extras = extension.get("phones") if isinstance(extension.get("phones"), list) else []
    phones = []
    for i, phone in enumerate(reader.service.get("phones") or []):
        extra = extras[i] if i < len(extras) and isinstance(extras[i], dict) else {}
        number = _number(reader, i, extra.get("region") or country)
        kind = HSDS_PHONE.get(str(reader.get("phones", i, "type") or "voice"))
        if number is None:
            continue
        if kind is None:
            reader.notes.append(f"service.phones[{i}]: a {phone.get('type')} line is not one "
                                "Haven lists (voice, text, textphone, video): not imported")
            continue
        mapped: Obj = {"number": number, "type": kind}
        if "keyword" in extra:
            mapped["keyword"] = extra["keyword"]
        if "region" in extra:
            mapped["region"] = extra["region"]
        elif not extension and not number.startswith("+") and country:
            mapped["region"] = country
        if extension:
            reader.get("phones", i, "description")  # Haven's export composed it from these
            if isinstance(extra.get("description"), str):
                mapped["description"] = {reader.lang: extra["description"]}
            if isinstance(extra.get("hours"), dict):
                mapped["hours"] = _extension_hours(extra["hours"], reader.lang)
        elif text := reader.text("phones", i, "description"):
            mapped["description"] = text
        if languages := _languages(reader, ("phones", i, "languages")):
            mapped["languages"] = languages
        phones.append(mapped)
    return phones


def _number(reader: _Reader, i: int, country: str | None) -> str | None:
    raw = reader.get("phones", i, "number")
    digits = re.sub(r"[\s\"'().-]", "", str(raw or ""))
    if re.fullmatch(r"[0-9]{3,6}", digits):
        return digits
    try:
        parsed = phonenumbers.parse(digits, country)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        where = "" if country or digits.startswith("+") else (
            " (no country is known for it: write it with + and the country code)")
        reader.notes.append(f"service.phones[{i}].number is not a valid phone number{where}: "
                            "not imported")
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _email(reader: _Reader) -> str | None:
    value = reader.get("email")
    if not isinstance(value, str) or not value.strip():
        return None
    if not re.fullmatch(r"[^@\s<>\":/?&=;,]+@[^@\s<>\":/?&=;,]+\.[^@\s<>\":/?&=;,]+",
                        value.strip()):
        reader.notes.append("service.email is not one plain e-mail address: not imported")
        return None
    return value.strip()


def _chat(reader: _Reader) -> str | None:
    process = reader.service.get("application_process")
    match = CHAT.fullmatch(process) if isinstance(process, str) else None
    if match:
        reader.get("application_process")
    return match.group(1) if match else None


def _languages(reader: _Reader, path: tuple[str | int, ...]) -> list[str]:
    found = []
    for i, language in enumerate(reader.get(*path) or []):
        code = str(language.get("code") or "")
        reader.get(*path, i, "name")
        alpha2 = _language_code(code)
        reader.get(*path, i, "code")
        if alpha2 is None:
            reader.notes.append(f"{_dotted((*path, i))}: the language code is not an ISO 639 "
                                "code: not imported")
        elif alpha2 not in found:
            found.append(alpha2)
    return found


def _language_code(code: str) -> str | None:
    base = code.replace("_", "-").split("-")[0].lower()
    if len(base) == 2 and codes.is_language(base):
        return base
    language = pycountry.languages.get(alpha_3=base) if len(base) == 3 else None
    return getattr(language, "alpha_2", None)


# --- hours -----------------------------------------------------------------------------------

def _hours(reader: _Reader, extension: Obj) -> Obj | None:
    schedules = reader.service.get("schedules") or []
    slots, notes, zone = [], None, extension.get("timezone")
    for i, schedule in enumerate(schedules):
        slot = _slot(reader, i, schedule)
        if slot is None:
            continue
        slots.append(slot)
        description = schedule.get("description")
        if isinstance(description, str) and description.startswith("Open "):
            reader.get("schedules", i, "description")  # Haven's export wrote it
            if match := ZONE.search(description):
                zone = zone or match.group(1)
        if isinstance(schedule.get("notes"), str):
            notes = notes or reader.text("schedules", i, "notes")
            reader.get("schedules", i, "notes")
    if not slots:
        return None
    if len(slots) == 1 and len(slots[0]["days"]) == 7 and \
            (slots[0]["opens_at"], slots[0]["closes_at"]) == ("00:00", "24:00"):
        hours: Obj = {"always_open": True}
    else:
        hours = {"schedule": slots}
    if zone:
        hours["timezone"] = zone
    if notes:
        hours["notes"] = notes
    return hours


def _slot(reader: _Reader, i: int, schedule: Obj) -> Obj | None:
    freq = schedule.get("freq")
    days = [DAYS.get(d.strip().upper()) for d in str(schedule.get("byday") or "").split(",")]
    opens, closes = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
    if (freq not in (None, "WEEKLY") or not days or None in days or opens is None
            or closes is None):
        reader.notes.append(f"service.schedules[{i}] is not a weekly schedule Haven can show "
                            "(days, opening and closing time): write hours by hand")
        return None
    for key in ("freq", "byday", "opens_at", "closes_at"):
        reader.get("schedules", i, key)
    if re.search(r"(Z|[+-][0-9:]+)$", str(schedule.get("opens_at"))):
        reader.notes.append(f"service.schedules[{i}]: the times' UTC offset was not imported: "
                            "write the time zone's name as hours.timezone (e.g. "
                            "America/New_York)")
    if closes == "23:59":
        closes = "24:00"
    return {"days": sorted(set(days), key=WEEK.index), "opens_at": opens, "closes_at": closes}


def _time(value: Any) -> str | None:
    """``HH:MM`` of an HSDS time (``09:00``, ``09:00:00``, ``09:00-05:00``, ``09:00Z``): the
    offset, which HSDS allows, is the time zone's business (``hours.timezone``)."""
    match = re.fullmatch(r"([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?"
                         r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?", str(value or ""))
    return f"{match.group(1)}:{match.group(2)}" if match else None


def _extension_hours(hours: Obj, lang: str) -> Obj:
    mapped = {k: v for k, v in hours.items() if k != "notes"}
    if isinstance(hours.get("notes"), str):
        mapped["notes"] = {lang: hours["notes"]}
    return mapped


# --- cost, address, status, verification -----------------------------------------------------

def _cost(reader: _Reader, extension: Obj) -> Obj:
    fees = reader.service.get("fees_description")
    if "cost" in extension:
        reader.get("fees_description")  # Haven's export wrote it from these two
        return {"cost": extension["cost"],
                "cost_notes": _texted(extension, "cost_notes", reader.lang)}
    if not isinstance(fees, str) or not fees.strip():
        return {}
    for cost, sentence in COST.items():
        if fees.startswith(sentence):
            reader.get("fees_description")
            rest = fees[len(sentence):].strip()
            return {"cost": cost, "cost_notes": {reader.lang: rest} if rest else None}
    return {"cost_notes": reader.text("fees_description")}


def _first_address(service: Obj) -> Obj | None:
    for sal in service.get("service_at_locations") or []:
        location = sal.get("location") if isinstance(sal, dict) else None
        for address in (location or {}).get("addresses") or []:
            if isinstance(address, dict) and address.get("address_type") != "postal":
                return address
        for address in (location or {}).get("addresses") or []:
            if isinstance(address, dict):
                return address
    return None


def _address(reader: _Reader) -> Obj | None:
    address = _first_address(reader.service)
    if address is None:
        return None
    where = _where(reader.service, address)
    country = str(address.get("country") or "").upper()
    mapped = {key: str(address[key]).strip() for key in
              ("address_1", "address_2", "city", "state_province", "postal_code")
              if isinstance(address.get(key), str) and address[key].strip()}
    if codes.is_region(country) and country:
        mapped["country"] = country
    for key in ("address_1", "address_2", "city", "state_province", "postal_code", "country"):
        reader.get(*where, key)
    return mapped


def _where(service: Obj, address: Obj) -> tuple[str | int, ...]:
    for i, sal in enumerate(service.get("service_at_locations") or []):
        for j, candidate in enumerate(((sal or {}).get("location") or {}).get("addresses")
                                      or []):
            if candidate is address:
                return ("service_at_locations", i, "location", "addresses", j)
    return ()


def _accessibility(reader: _Reader) -> dict[str, str] | None:
    texts = []
    for i, sal in enumerate(reader.service.get("service_at_locations") or []):
        notes = ((sal or {}).get("location") or {}).get("accessibility") or []
        for j in range(len(notes)):
            for key in ("description", "details"):
                if text := reader.text("service_at_locations", i, "location", "accessibility",
                                       j, key):
                    texts.append(text[reader.lang])
    return {reader.lang: " ".join(texts)} if texts else None


def _status(reader: _Reader) -> str | None:
    status = reader.get("status")
    mapped = HSDS_STATUS.get(str(status))
    if status == "defunct":
        reader.notes.append("status defunct is written as inactive")
    elif mapped is None:
        reader.notes.append("service.status is not an HSDS status: write active, "
                            "temporarily-closed or inactive")
    return mapped


def _verification(reader: _Reader, extension: Obj, lang: str) -> Obj | None:
    day = reader.get("assured_date")
    verification = extension.get("verification") if isinstance(
        extension.get("verification"), dict) else {}
    mapped: Obj = {}
    if isinstance(day, str) and codes.is_date(day[:10]):
        mapped["date"] = day[:10]
    if verification.get("method"):
        mapped["method"] = verification["method"]
    if isinstance(verification.get("notes"), str):
        mapped["notes"] = {lang: verification["notes"]}
    return mapped or None
