"""Open data exports: directory.json, services-<lang>.csv and HSDS 3.0 services.json.

Built from the shipped directory, and from copies of it edited to carry what the shipped
records do not (a weekly schedule, an address, a malicious description).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from haven.exports import directory_json, hsds_services, records_from_json, write_exports
from haven.exports.csv_export import COLUMNS, FORMULA_TRIGGERS, safe_cell
from haven.exports.hsds import hsds_id
from haven.records import Directory, load_directory
from haven.records.directory import RECORD_FOLDERS
from jsonschema import Draft202012Validator, FormatChecker

from .conftest import DIRECTORY, FIXTURES, REPO, TODAY

LANGUAGES = ["en", "es", "zh", "vi", "ar"]


def _hsds_folder() -> Path:
    """Open Referral's compiled HSDS 3.0 schemas, never copied in: named by HAVEN_HSDS, or
    in ``shared/hsds`` beside the project, or beside the repository it was cloned from (a
    fresh clone in /tmp for CI still finds them)."""
    if os.environ.get("HAVEN_HSDS"):
        return Path(os.environ["HAVEN_HSDS"])
    places = [REPO.parent]
    origin = subprocess.run(["git", "-C", str(REPO), "config", "remote.origin.url"],
                            capture_output=True, text=True).stdout.strip()
    if origin and Path(origin).is_dir():
        places.append(Path(origin).resolve().parent)
    found = [p / "shared" / "hsds" for p in places if (p / "shared" / "hsds").is_dir()]
    return found[0] if found else places[0] / "shared" / "hsds"


HSDS = _hsds_folder()
NDVH = "national-domestic-violence-hotline"

RICH_SERVICE = """\
id: example-legal-clinic
name: {en: Example Legal Clinic, es: Clínica Legal de Ejemplo}
organization: {name: {en: Example Legal Aid}, kind: community-nonprofit,
               url: "https://legal.example.org"}
description: {en: Free legal advice for victims of crime., es: Asesoría legal gratuita.}
support_types: [legal-advocacy, court-accompaniment]
victimization_types: [all-crime]
service_areas: [US-NY]
local_areas: [fips:36061]
location: {latitude: 40.71, longitude: -74.01, radius_km: 15}
phones:
  - number: "+12025550143"
    type: voice
    languages: [en, es]
    hours:
      always_open: false
      schedule:
        - {days: [mon, tue, wed, thu, fri], opens_at: "09:00", closes_at: "17:00"}
      timezone: America/New_York
  - {number: "+12025550144", type: text, keyword: HELP}
url: "https://legal.example.org/clinic"
email: "clinic@legal.example.org"
hours:
  schedule:
    - {days: [mon, wed, fri], opens_at: "09:00", closes_at: "17:00"}
    - {days: [sat], opens_at: "10:00", closes_at: "24:00"}
  timezone: America/New_York
  notes: {en: Closed on public holidays., es: Cerrado los días festivos.}
languages: [en, es]
cost: sliding-scale
cost_notes: {en: Nobody is turned away for lack of money.}
anonymous_contact: false
confidential_location: false
address: {address_1: 1 Court Street, address_2: Suite 2, city: Albany, state_province: NY,
          postal_code: "12207", country: US}
status: temporarily-closed
alert: {en: Closed until further notice after a flood.}
source: "https://legal.example.org/about"
verification: {date: "2026-10-01", method: with-organization, notes: {en: Confirmed by phone.}}
"""


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(shipped: Directory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    write_exports(shipped, out, LANGUAGES, generated=TODAY)
    return out / "data"


@pytest.fixture
def directory_copy(tmp_path: Path) -> Path:
    root = tmp_path / "directory"
    shutil.copytree(DIRECTORY, root)
    return root


@pytest.fixture
def rich(directory_copy: Path) -> Directory:
    """The shipped records plus one with every optional field, and the valid examples."""
    (directory_copy / "services" / "example-legal-clinic.yaml").write_text(RICH_SERVICE)
    shutil.copytree(FIXTURES / "records" / "valid", directory_copy, dirs_exist_ok=True)
    return load_directory(directory_copy, today=TODAY).require()


@pytest.fixture(scope="module")
def hsds_validator() -> Draft202012Validator:
    schema_path = HSDS / "service.json"
    if not schema_path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the HSDS schemas are missing in CI: {schema_path}")
        pytest.skip(f"the HSDS schemas are not beside the project ({HSDS})")
    checker = FormatChecker()  # uuid, email, date...; "uri" needs a package we do not add
    checker.checks("uri")(lambda value: not isinstance(value, str) or _is_uri(value))
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=checker)


def _is_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


# --- directory.json --------------------------------------------------------------------------

def normalised(value: Any) -> Any:
    """A YAML value as the export writes it: dates as ISO text, no empty lists, and no
    ``always_open: false`` (the typed records cannot tell it from an absent value)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()
                if v != [] and not (k == "always_open" and v is False)}
    return value


def assert_round_trip(root: Path, data: dict[str, Any]) -> None:
    for folder in RECORD_FOLDERS:
        exported = {record["id"]: record for record in data[folder]}
        files = sorted((root / folder).glob("*.yaml"))
        assert len(exported) == len(files) > 0
        for path in files:
            original = normalised(yaml.safe_load(path.read_text(encoding="utf-8")))
            assert exported[original["id"]] == original, path.name


def test_directory_json_has_every_record_as_its_yaml_file(exported: Path) -> None:
    data = json.loads((exported / "directory.json").read_text(encoding="utf-8"))
    assert (data["format"], data["format_version"]) == ("haven-directory", 1)
    assert data["generated"] == TODAY.isoformat()
    assert data["license"]["name"] == "CC BY 4.0"
    assert_round_trip(DIRECTORY, data)


def test_every_optional_field_round_trips(rich: Directory, directory_copy: Path) -> None:
    data = json.loads(json.dumps(directory_json(rich)))
    assert_round_trip(directory_copy, data)
    clinic = next(s for s in data["services"] if s["id"] == "example-legal-clinic")
    assert clinic["phones"][0]["hours"]["schedule"][0]["days"][0] == "mon"
    assert "always_open" not in clinic["phones"][0]["hours"]


def test_json_rebuilds_the_same_typed_records(shipped: Directory, exported: Path) -> None:
    data = json.loads((exported / "directory.json").read_text(encoding="utf-8"))
    rebuilt = records_from_json(data)
    assert [replace(r, path=Path()) for r in rebuilt] \
        == [replace(r, path=Path()) for r in shipped.records()]


def test_vocabularies_and_regions_are_included(shipped: Directory, exported: Path) -> None:
    data = json.loads((exported / "directory.json").read_text(encoding="utf-8"))
    for name, terms in shipped.vocabularies.items():
        assert [t["id"] for t in data["vocabularies"][name]] == list(terms)
        assert all(set(t["name"]) >= {"en", "ar"} for t in data["vocabularies"][name])
    assert [r["code"] for r in data["regions"]] == list(shipped.regions)
    assert {"code": "US", "emergency_number": "911"} in data["regions"]


def test_write_exports_returns_every_file(shipped: Directory, tmp_path: Path) -> None:
    written = write_exports(shipped, tmp_path, ["en", "ar"], generated=TODAY)
    data = tmp_path / "data"
    assert written[:4] == [data / "directory.json", data / "services-en.csv",
                           data / "services-ar.csv", data / "hsds" / "services.json"]
    feed = {p.relative_to(tmp_path).as_posix() for p in written[4:]}
    assert {"hsds/index.json", "hsds/profile.json", "hsds/services/index.json",
            "hsds/organizations/index.json", "hsds/ar/index.json",
            "hsds/ar/services/index.json"} <= feed
    assert not any(p.startswith(("hsds/es", "hsds/zh")) for p in feed), "only the languages"
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)


# --- CSV -------------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_csv_per_language_one_row_per_service(shipped: Directory, exported: Path,
                                                  lang: str) -> None:
    path = exported / f"services-{lang}.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    rows = read_csv(path)
    assert [r["id"] for r in rows] == [s.id for s in shipped.services]
    for row in rows:
        assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row.values()), row["id"]


def test_csv_is_in_the_files_language(shipped: Directory, exported: Path) -> None:
    service = next(s for s in shipped.services if s.id == NDVH)
    row = next(r for r in read_csv(exported / "services-ar.csv") if r["id"] == NDVH)
    assert row["name"] == service.name.values["ar"]
    assert re.search(r"[\u0600-\u06FF]", row["description"])
    assert row["organization_kind"] == "منظمة مناصرة وطنية"
    assert row["translated"] == "yes"
    assert row["phones"] == "voice: +18007997233; text: 88788 (START); textphone: +18007873224"
    assert (row["hours"], row["languages"], row["service_areas"]) == ("24/7", "en; es", "US")
    assert (row["anonymous_contact"], row["verified_on"]) == (
        "yes", service.verification.date.isoformat())


def test_csv_hours_and_fallback_to_english(rich: Directory, tmp_path: Path) -> None:
    write_exports(rich, tmp_path, ["en", "es", "vi"], generated=TODAY)
    by_lang = {lang: {r["id"]: r for r in read_csv(tmp_path / "data" / f"services-{lang}.csv")}
               for lang in ("en", "es", "vi")}
    es, vi = by_lang["es"]["example-legal-clinic"], by_lang["vi"]["example-legal-clinic"]
    assert es["hours"] == ("mon, wed, fri 09:00-17:00; sat 10:00-24:00 (America/New_York). "
                           "Cerrado los días festivos.")
    assert es["translated"] == "no", "the organization name has no Spanish"
    assert vi["description"] == "Free legal advice for victims of crime."
    assert (vi["translated"], by_lang["en"]["example-legal-clinic"]["translated"]) == ("no", "yes")


def test_csv_formula_injection_is_neutralised(directory_copy: Path, tmp_path: Path) -> None:
    path = directory_copy / "services" / f"{NDVH}.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    attack = '=HYPERLINK("https://evil.example/","Click for help")'
    record["description"]["en"] = attack
    record["description"]["es"] = '@HYPERLINK("https://evil.example/")'
    for lang in ("vi", "zh", "ar"):
        del record["description"][lang]
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    directory = load_directory(directory_copy, today=TODAY).require()
    write_exports(directory, tmp_path, LANGUAGES, generated=TODAY)
    cells = {lang: next(r for r in read_csv(tmp_path / "data" / f"services-{lang}.csv")
                        if r["id"] == NDVH) for lang in LANGUAGES}
    assert cells["en"]["description"] == "'" + attack
    assert cells["es"]["description"] == "'" + '@HYPERLINK("https://evil.example/")'
    assert (cells["vi"]["description"], cells["vi"]["translated"]) == ("'" + attack, "no")
    assert cells["en"]["phones"].startswith("voice: +1"), "phones are never altered"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_safe_cell_prefixes_every_formula_trigger(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_safe_cell_keeps_ordinary_text() -> None:
    assert safe_cell("voice: +18007997233") == "voice: +18007997233"
    assert safe_cell("مساعدة مجانية") == "مساعدة مجانية"


# --- HSDS 3.0 --------------------------------------------------------------------------------

def assert_known_fields(instance: Any, schema: dict[str, Any], where: str = "service") -> None:
    """HSDS allows unknown fields; a typo in a field name would pass validation unnoticed."""
    if isinstance(instance, list):
        for i, item in enumerate(instance):
            assert_known_fields(item, schema["items"], f"{where}[{i}]")
    elif isinstance(instance, dict):
        for key, value in instance.items():
            assert key in schema["properties"], f"{where}.{key} is not an HSDS field"
            assert_known_fields(value, schema["properties"][key], f"{where}.{key}")


def nested_ids(value: Any) -> list[str]:
    """Every id in a service except shared ones (its organization, taxonomy terms)."""
    if isinstance(value, list):
        return [i for item in value for i in nested_ids(item)]
    if not isinstance(value, dict):
        return []
    own = [value["id"]] if "id" in value else []
    return own + [i for key, item in value.items()
                  if key not in ("organization", "taxonomy_term") for i in nested_ids(item)]


def test_every_hsds_service_validates(hsds_validator: Draft202012Validator,
                                      exported: Path, rich: Directory) -> None:
    services = json.loads((exported / "hsds" / "services.json").read_text(encoding="utf-8"))
    services += hsds_services(rich)
    for service in services:
        errors = [f"{list(e.absolute_path)}: {e.message}"
                  for e in hsds_validator.iter_errors(service)]
        assert errors == [], service["name"]
        assert_known_fields(service, hsds_validator.schema)


def test_hsds_ids_are_stable_unique_uuid5(shipped: Directory) -> None:
    first, second = hsds_services(shipped), hsds_services(shipped)
    assert first == second
    ids = nested_ids(first)
    assert len(ids) == len(set(ids))
    assert all(uuid.UUID(i).version == 5 for i in ids)
    assert [s["id"] for s in first] == [hsds_id(f"service:{s.id}") for s in shipped.services]


def test_hsds_maps_a_known_service(shipped: Directory) -> None:
    record = next(s for s in shipped.services if s.id == NDVH)
    service = next(s for s in hsds_services(shipped) if s["id"] == hsds_id(f"service:{NDVH}"))
    assert (service["name"], service["status"]) == ("National Domestic Violence Hotline",
                                                    "active")
    assert service["assured_date"] == record.verification.date.isoformat()
    assert service["fees_description"] == str(record.cost_notes or "Free.")
    assert [(p["number"], p["type"]) for p in service["phones"]] == [
        ("+18007997233", "voice"), ("88788", "text"), ("+18007873224", "textphone")]
    assert "24 hours" in service["phones"][0]["description"]
    assert "START" in service["phones"][1]["description"]
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("en", "English"), ("es", "Spanish")]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in service["schedules"]] == [
        ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")]
    assert service["service_areas"][0]["name"] == "United States"
    assert service["organization"]["name"] == "The National Domestic Violence Hotline"
    assert service["organization"]["website"] == "https://www.thehotline.org"
    assert service["organization_id"] == service["organization"]["id"]
    assert "service_at_locations" not in service, "a confidential location has no address"


def test_hsds_maps_schedules_status_and_address(rich: Directory) -> None:
    clinic = next(s for s in hsds_services(rich)
                  if s["id"] == hsds_id("service:example-legal-clinic"))
    assert clinic["status"] == "temporarily closed"
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in clinic["schedules"]] == [
        ("MO,WE,FR", "09:00", "17:00"), ("SA", "10:00", "23:59")]
    assert "America/New_York" in clinic["schedules"][0]["description"]
    assert clinic["schedules"][0]["notes"] == "Closed on public holidays."
    assert clinic["fees_description"] == ("Sliding scale: the fee depends on what you can pay. "
                                          "Nobody is turned away for lack of money.")
    assert clinic["alert"] == "Closed until further notice after a flood."
    assert "mon-fri 09:00-17:00" in clinic["phones"][0]["description"]
    assert [lang["code"] for lang in clinic["phones"][0]["languages"]] == ["en", "es"]
    address = clinic["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["city"], address["state_province"], address["country"]) == (
        "Albany", "NY", "US")
    assert clinic["service_areas"][0]["name"] == "New York"
