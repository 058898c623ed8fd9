"""Open Referral HSDS files read into service objects, every problem found before any use.

Accepted: HSDS 3.0/3.1 JSON (one service, a list of services, a paginated list response of
the HSDS API, one organization with its services or a list of them), the CSV tabular data
package (a folder of HSDS tables, with or without its ``datapackage.json``), and a Haven
feed folder (``hsds/`` of a built site, with its languages). The data is untrusted: files
are bounded in size, JSON may not repeat a key, CSV cells may not look like spreadsheet
formulas, every field must be one HSDS defines, every service needs a unique id, and every
problem is reported with its file and place in one :class:`InputError`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fields import CHILDREN, FIELDS, unknown_fields

MAX_BYTES = 20 * 1024 * 1024
"""A file larger than this is refused before it is read (a 211 region's whole export of
about 10 000 services is around 15 MB of JSON)."""

FORMULA = re.compile(r"[=@\t\r]|[+-](?![0-9 ().+/-]*$)")
"""A cell a spreadsheet would run as a formula: = or @ first, a tab or carriage return, or +
or - followed by anything but a number (``+44 1234 234567`` and ``-1`` are plain values)."""

Obj = dict[str, Any]


class InputError(Exception):
    """The input cannot be imported; ``problems`` says where and why, each on its own."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Incoming:
    """One HSDS service (its organization nested) and where it was read."""

    service: Obj
    where: str
    language: str = "en"
    """The language of its texts."""
    translations: dict[str, Obj] = field(default_factory=dict)
    """The same service in other languages (a Haven feed's sibling files)."""


@dataclass
class Read:
    services: list[Incoming]
    notes: list[str]


def read_hsds(path: Path) -> Read:
    """Every service in ``path``, or :class:`InputError` with every problem found."""
    if path.is_dir() and (path / "services.csv").is_file():
        read = _read_package(path)
    elif path.is_file() and path.name == "datapackage.json":
        read = _read_package(path.parent)
    elif path.is_dir() and (path / "index.json").is_file():
        read = _read_feed(path)
    elif path.is_dir():
        raise InputError([f"{path}: no HSDS data found: expected a JSON file, a CSV data "
                          "package (a folder with services.csv) or a Haven feed folder "
                          "(with index.json)"])
    elif not path.is_file():
        raise InputError([f"{path}: no such file"])
    else:
        data = load_json(path)
        read = Read(list(_services_in(data, str(path))), _page_notes(data, path))
    _check(read.services)
    return read


# --- JSON ------------------------------------------------------------------------------------

def load_json(path: Path) -> Any:
    text = _text(path)
    try:
        return json.loads(text, object_pairs_hook=_no_repeats)
    except json.JSONDecodeError as error:
        raise InputError([f"{path}:{error.lineno}:{error.colno}: not valid JSON: "
                          f"{error.msg}"]) from None
    except _RepeatedKey as error:
        line = _line_of(text, f'"{error.key}"')
        raise InputError([f"{path}{line}: the key {_shown(error.key)} appears twice in one "
                          "object: keep one"]) from None


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> Obj:
    seen: Obj = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen[key] = value
    return seen


def _line_of(text: str, needle: str) -> str:
    """``:line`` of the last occurrence of ``needle`` (the repeated key), or nothing."""
    at = text.rfind(needle)
    return f":{text.count(chr(10), 0, at) + 1}" if at >= 0 else ""


def _text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError([f"{path}: the file is {size / 1024 / 1024:.0f} MB; an import reads "
                          f"files of up to {MAX_BYTES // 1024 // 1024} MB. Split the export "
                          "(by organization, or one page of the list per file) and import "
                          "each part"])
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError([f"{path}:{line}: not UTF-8 text (byte {error.start}): save the "
                          "file as UTF-8"]) from None


def _page_notes(data: Any, path: Path) -> list[str]:
    """A paginated answer holds one page: say so when there are more."""
    if isinstance(data, dict) and isinstance(data.get("total_pages"), int) \
            and data.get("last_page") is False:
        return [f"{path} is page {data.get('page_number', '?')} of {data['total_pages']} of a "
                "list: import every page to get every service"]
    return []


def _services_in(value: Any, where: str) -> Iterator[Incoming]:
    """Services in any JSON shape the HSDS API gives."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _services_in(item, f"{where}[{i}]")
    elif isinstance(value, dict) and isinstance(value.get("contents"), list):
        for i, item in enumerate(value["contents"]):
            yield from _services_in(item, f"{where}: contents[{i}]")
    elif isinstance(value, dict) and "status" not in value and "services" in value:
        organization = {k: v for k, v in value.items() if k != "services"}
        services = value["services"]
        if not isinstance(services, list):
            raise InputError([f"{where}.services: should be a list of services"])
        for i, service in enumerate(services):
            if isinstance(service, dict) and "organization" not in service:
                service = {**service, "organization": organization}
            yield from _services_in(service, f"{where}.services[{i}]")
    elif isinstance(value, dict) and ("status" in value or "name" in value):
        yield Incoming(value, where)
    else:
        raise InputError([f"{where}: not HSDS data: expected a service, a list of services, "
                          "a paginated list (with `contents`) or an organization with its "
                          "`services`"])


def _check(services: list[Incoming]) -> None:
    """Unknown fields, missing or repeated ids and wrong kinds of value: all at once."""
    problems: list[str] = []
    ids: dict[str, str] = {}
    for incoming in services:
        service, where = incoming.service, incoming.where
        if not isinstance(service, dict):
            problems.append(f"{where}: should be an object (a service)")
            continue
        problems += [f"{where}: {_shown(f)} is not an HSDS field (a misspelling?): rename "
                     "or remove it" for f in unknown_fields(service, "service", "service")]
        problems += _types(service, "service", "service", where)
        sid = service.get("id")
        if not isinstance(sid, str) or not sid.strip():
            problems.append(f"{where}: the service has no `id`: HSDS requires one per service")
        elif sid in ids:
            problems.append(f"{where}: the id {_shown(sid)} is also the id of {ids[sid]}: "
                            "each service needs its own")
        else:
            ids[sid] = where
        if not isinstance(service.get("name"), str) or not service["name"].strip():
            problems.append(f"{where}: the service has no `name`")
    if problems:
        raise InputError(problems)


TEXT_FIELDS = {"name", "description", "url", "email", "status", "fees_description",
               "eligibility_description", "alert", "application_process", "assured_date",
               "number", "code", "address_1", "address_2", "city", "state_province",
               "postal_code", "country", "byday", "opens_at", "closes_at", "freq", "notes",
               "link_type", "website", "location_type", "address_type", "type"}
NUMBER_FIELDS = {"extension", "minimum_age", "maximum_age", "latitude", "longitude",
                 "timezone", "interval", "count", "year_incorporated", "amount"}


def _types(value: Any, kind: str, path: str, where: str) -> list[str]:
    """The kinds of value the importer reads: texts are strings, lists are lists."""
    problems: list[str] = []
    if not isinstance(value, dict):
        return [f"{where}: {path} should be an object"]
    for key, item in value.items():
        at = f"{path}.{key}"
        if item is None or key == "haven" or key not in FIELDS.get(kind, set()) | {"id"}:
            continue
        if key in CHILDREN:
            if key in ("organization", "location", "program", "taxonomy_term",
                       "taxonomy_detail"):
                problems += _types(item, CHILDREN[key], at, where)
            elif not isinstance(item, list):
                problems.append(f"{where}: {at} should be a list")
            else:
                for i, child in enumerate(item):
                    problems += _types(child, CHILDREN[key], f"{at}[{i}]", where)
        elif (key in TEXT_FIELDS or key == "id") and not isinstance(item, str):
            problems.append(f"{where}: {at} should be text, not {_kind(item)}")
        elif key in NUMBER_FIELDS and (isinstance(item, bool)
                                       or not isinstance(item, (int, float, str))):
            problems.append(f"{where}: {at} should be a number, not {_kind(item)}")
    return problems


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number",
            float: "a number", str: "text"}.get(type(value), "empty")


def _shown(value: object, limit: int = 60) -> str:
    """An untrusted value as a safe, short, one-line quotation for a terminal."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return f"`{text[:limit]}{'…' if len(text) > limit else ''}`"


# --- Haven feed ------------------------------------------------------------------------------

def _read_feed(folder: Path) -> Read:
    """A Haven site's ``hsds/`` folder: each service's file, and its language siblings."""
    root = load_json(folder / "index.json")
    if not isinstance(root, dict):
        raise InputError([f"{folder / 'index.json'}: not an HSDS root description"])
    languages = root.get("haven_languages") or {}
    files = sorted(p for p in (folder / "services").glob("*.json") if p.name != "index.json")
    services = []
    for path in files:
        incoming = Incoming(load_json(path), str(path))
        for lang in languages:
            sibling = folder / str(lang) / "services" / path.name
            if isinstance(lang, str) and lang != "en" and sibling.is_file():
                incoming.translations[lang] = load_json(sibling)
        services.append(incoming)
    return Read(services, [])


# --- CSV tabular data package ----------------------------------------------------------------

TABLES = {"services": "service", "organizations": "organization", "phones": "phone",
          "schedules": "schedule", "service_areas": "service_area", "languages": "language",
          "service_at_location": "service_at_location", "locations": "location",
          "addresses": "address", "accessibility": "accessibility", "contacts": "contact",
          "attributes": "attribute", "taxonomy_terms": "taxonomy_term",
          "taxonomies": "taxonomy", "funding": "funding", "cost_options": "cost_option",
          "programs": "program", "required_documents": "required_document",
          "organization_identifiers": "organization_identifier", "metadata": "metadata",
          "meta_table_descriptions": "meta_table_description", "urls": "url"}

Row = dict[str, str]


def _read_package(folder: Path) -> Read:
    notes: list[str] = []
    paths = _table_paths(folder, notes)
    problems: list[str] = []
    tables = {name: _read_table(path, TABLES[name], problems) for name, path in paths.items()}
    if problems:
        raise InputError(problems)
    language = _table_language(tables.get("meta_table_descriptions", []), notes)
    services = _assemble(tables)
    return Read([Incoming(s, w, language) for s, w in services], notes)


def _table_paths(folder: Path, notes: list[str]) -> dict[str, Path]:
    """The tables the descriptor lists, or (without a usable one) HSDS's own file names."""
    descriptor = folder / "datapackage.json"
    found: dict[str, Path] = {}
    if descriptor.is_file():
        try:
            package = load_json(descriptor)
        except InputError:
            package = None
        if isinstance(package, dict) and isinstance(package.get("resources"), list):
            for resource in package["resources"]:
                name, rel = resource.get("name"), resource.get("path")
                if isinstance(rel, str) and Path(rel).stem in TABLES \
                        and not Path(rel).is_absolute() and ".." not in Path(rel).parts:
                    found[Path(rel).stem] = folder / rel
                elif name or rel:
                    notes.append(f"{descriptor}: the resource {_shown(name or rel)} is not "
                                 "an HSDS table: not read")
            return found
        notes.append(f"{descriptor}: not a data package descriptor; the tables were found "
                     "by HSDS's file names (services.csv, phones.csv...)")
    return {p.stem: p for p in sorted(folder.glob("*.csv")) if p.stem in TABLES}


FIELDS_OF_TABLE = {**FIELDS, "meta_table_description": {"name", "language", "character_set"}}


def _read_table(path: Path, kind: str, problems: list[str]) -> list[Row]:
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    known = FIELDS_OF_TABLE[kind] | {"id"}
    for column in reader.fieldnames or []:
        if column not in known:
            problems.append(f"{path}:1: the column {_shown(column)} is not an HSDS field of "
                            f"{kind} (a misspelling?): rename or remove it")
    rows, ids = [], {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"{path}:{line}: more cells than columns")
            continue
        for column, cell in row.items():
            if cell and FORMULA.match(cell):
                problems.append(f"{path}:{line}: column {column}: {_shown(cell)} looks like a "
                                "spreadsheet formula; a formula is never imported: write the "
                                "value itself")
        row = {k: v for k, v in row.items() if v not in ("", None)}
        if row.get("id") in ids:
            problems.append(f"{path}:{line}: the id {_shown(row['id'])} is also on line "
                            f"{ids[row['id']]}: each row needs its own")
        elif row.get("id"):
            ids[row["id"]] = line
        row["_where"] = f"{path}:{line}"
        rows.append(row)
    return rows


def _table_language(descriptions: list[Row], notes: list[str]) -> str:
    """The services table's language, when the package's table descriptions give it."""
    for row in descriptions:
        if row.get("name") == "services" and row.get("language"):
            code = row["language"].split("-")[0].lower()
            notes.append(f"the services table is in the language {_shown(code)} "
                         "(meta_table_descriptions.csv)")
            return code
    return "en"


def _assemble(tables: dict[str, list[Row]]) -> list[tuple[Obj, str]]:
    """Nest the tables' rows into HSDS service objects, as the JSON form has them."""
    def by(table: str, key: str) -> dict[str, list[Row]]:
        index: dict[str, list[Row]] = defaultdict(list)
        for row in tables.get(table, []):
            if row.get(key):
                index[row[key]].append(row)
        return index

    def one(table: str) -> dict[str, Row]:
        return {row["id"]: row for row in tables.get(table, []) if row.get("id")}

    def clean(row: Row, *links: str) -> Obj:
        return {k: v for k, v in row.items() if k != "_where" and k not in links}

    organizations, locations, terms = one("organizations"), one("locations"), \
        one("taxonomy_terms")
    addresses, access = by("addresses", "location_id"), by("accessibility", "location_id")
    phone_languages = by("languages", "phone_id")

    def phone(row: Row) -> Obj:
        return {**clean(row, "location_id", "organization_id", "contact_id",
                        "service_at_location_id"),
                "languages": [clean(lang) for lang in phone_languages.get(row["id"], [])]}

    def location(location_id: str) -> Obj | None:
        row = locations.get(location_id)
        if row is None:
            return None
        return {**clean(row), "addresses": [clean(a) for a in addresses.get(location_id, [])],
                "accessibility": [clean(a) for a in access.get(location_id, [])]}

    def attribute(row: Row) -> Obj:
        term = terms.get(row.get("taxonomy_term_id", ""))
        return {**clean(row), **({"taxonomy_term": clean(term)} if term else {})}

    phones, schedules = by("phones", "service_id"), by("schedules", "service_id")
    areas, languages = by("service_areas", "service_id"), by("languages", "service_id")
    at_locations, attributes = by("service_at_location", "service_id"), by("attributes",
                                                                           "link_id")
    extras = {name: by(name, "service_id") for name in
              ("funding", "cost_options", "required_documents", "contacts")}
    services = []
    for row in tables.get("services", []):
        sid = row.get("id", "")
        service: Obj = clean(row)
        if row.get("organization_id") in organizations:
            service["organization"] = clean(organizations[row["organization_id"]])
        service["phones"] = [phone(p) for p in phones.get(sid, [])]
        service["schedules"] = [clean(s, "location_id", "service_at_location_id")
                                for s in schedules.get(sid, [])]
        service["service_areas"] = [clean(a) for a in areas.get(sid, [])]
        service["languages"] = [clean(lang, "location_id", "phone_id")
                                for lang in languages.get(sid, [])]
        service["service_at_locations"] = [
            {**clean(sal), **({"location": loc} if (loc := location(sal.get("location_id", "")))
                              else {})} for sal in at_locations.get(sid, [])]
        service["attributes"] = [attribute(a) for a in attributes.get(sid, [])]
        for name, index in extras.items():
            service[name] = [clean(r) for r in index.get(sid, [])]
        services.append(({k: v for k, v in service.items() if v != []}, row["_where"]))
    return services
