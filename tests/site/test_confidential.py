"""Confidential means confidential, proven on a whole built site.

A shelter comes in as Open Referral data whose location is marked confidential, with a
unique word in every address field and in every note about the place (the location's
name, description, transport, accessibility, contacts, schedule). It goes through
`haven import hsds` into a copy of the directory, a person fills in what the report asks,
and the site is built once. Then every file of the site is searched for the word: HTML,
Pagefind's index (its gzip files decompressed), the sitemap, JSON, CSV, the HSDS feed, the
pamphlets' text (pdftotext) and every file's own name. A second word, in the shelter's
name, must be found in each kind of file: the search reaches where the first one would be.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from haven.imports import import_hsds
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..conftest import DIRECTORY
from .building import write_config

SECRET = "wkvmarkerq"
"""Where the shelter is: in no file of the site, in no form."""
CANARY = "zqxcanary"
"""The shelter's name: in every kind of file, so that the search could find the secret."""

PLACE = f"{SECRET.capitalize()} Lane"


def shelter() -> dict[str, object]:
    where = f"Confidential shelter in the {SECRET} district"
    phone = {"id": "8a7c4f52-51a6-4f7e-9a49-8f2d6c1b0c11", "number": "+1 212 555 0147",
             "type": "voice", "description": f"Front desk at {PLACE}"}
    schedule = {"id": "0b4a4d5e-54f2-4b0c-8d7e-6a8a9c7f1e22", "freq": "WEEKLY",
                "byday": "MO", "opens_at": "09:00", "closes_at": "17:00",
                "notes": f"Use the side door on {PLACE}"}
    location = {
        "id": "6c2f6a31-2a0e-4f4f-8c9b-3e1f0c0a9b33", "location_type": "physical",
        "name": f"{SECRET.capitalize()} House", "description": f"Behind the {SECRET} church",
        "transportation": f"Bus 12 to {SECRET} square", "latitude": 40.7, "longitude": -73.9,
        "addresses": [{"id": "3f9d1c3e-9a4b-4f0e-b1d2-7c8e9f0a1b44", "address_1": f"12 {PLACE}",
                       "address_2": f"Flat {SECRET}", "city": f"{SECRET.capitalize()}ville",
                       "state_province": "NY", "postal_code": f"{SECRET}-1",
                       "country": "US", "address_type": "physical"}],
        "accessibility": [{"id": "a1b2c3d4-1111-4a2b-9c3d-4e5f6a7b8c55",
                           "description": f"Ramp at the {SECRET} entrance"}],
        "contacts": [{"id": "b2c3d4e5-2222-4b3c-8d4e-5f6a7b8c9d66",
                      "name": f"{SECRET.capitalize()} Warden"}],
        "phones": [phone], "schedules": [schedule],
    }
    return {
        "id": "e3b0c442-98fc-4c14-9afb-f4c8996fb977", "status": "active",
        "name": f"{CANARY.capitalize()} Shelter",
        "description": "Emergency shelter and advocacy for survivors of domestic violence.",
        "assured_date": "2026-11-02",
        "organization": {"id": "c3d4e5f6-3333-4c4d-9e5f-6a7b8c9d0e77",
                         "name": f"{CANARY.capitalize()} Shelter Trust",
                         "description": "A community shelter."},
        "phones": [{"id": "d4e5f6a7-4444-4d5e-8f6a-7b8c9d0e1f88", "number": "+1 212 555 0146",
                    "type": "voice", "description": "Call at any hour."}],
        "languages": [{"id": "e5f6a7b8-5555-4e6f-9a7b-8c9d0e1f2a99", "code": "en"}],
        "service_areas": [{"id": "f6a7b8c9-6666-4f7a-8b8c-9d0e1f2a3baa", "name": "US-NY"}],
        "service_at_locations": [{"id": "a7b8c9d0-7777-4a8b-9c9d-0e1f2a3b4cbb",
                                  "description": where, "location": location}],
    }


def filled_in(record: dict[str, object]) -> dict[str, object]:
    """What the import's report asks a person to fill in."""
    record["organization"]["kind"] = "community-nonprofit"  # type: ignore[index]
    record.update(support_types=["housing-shelter"], victimization_types=["domestic-violence"],
                  cost="free", anonymous_contact=False,
                  source="https://shelter.zqxcanary.org/about")
    record["verification"]["method"] = "with-organization"  # type: ignore[index]
    return record


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    tmp = tmp_path_factory.mktemp("confidential")
    directory = tmp / "directory"
    shutil.copytree(DIRECTORY, directory)
    source = tmp / "shelter.json"
    source.write_text(json.dumps(shelter()), encoding="utf-8")
    report = import_hsds(source, directory)
    [outcome] = report.outcomes
    record = filled_in(yaml.safe_load(outcome.path.read_text(encoding="utf-8")))
    outcome.path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
    config_path = write_config(tmp / "build", directory=directory)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["site_url"] = "https://guide.example.org/"  # so that the sitemap is written
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build(load_config(str(config_path)))
    return tmp / "build" / "site", outcome.path.read_text(encoding="utf-8"), report.text()


def readable(path: Path) -> str:
    """The file as a reader or a program gets it: PDFs as their text, gzip unpacked."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              check=True, text=True).stdout
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def kind(path: Path) -> str:
    if ".pf_" in path.name:
        return "search index"
    return path.suffix or path.name


def test_the_import_left_the_place_out(built: tuple[Path, str, str]) -> None:
    _, record, report = built
    assert "confidential_location: true" in record
    assert SECRET not in record.lower(), "the record file"
    assert SECRET not in report.lower(), "the import's report"
    assert "+12125550146" in record, "the service's own phone is imported"


def test_the_place_is_in_no_output_file(built: tuple[Path, str, str]) -> None:
    site = built[0]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 100
    leaks = [str(p.relative_to(site)) for p in files
             if SECRET in str(p.relative_to(site)).lower() or SECRET in readable(p).lower()]
    assert leaks == []


@pytest.mark.parametrize("wanted", [".html", ".json", ".csv", ".pdf", ".xml", "search index"])
def test_the_search_reaches_every_kind_of_file(built: tuple[Path, str, str],
                                               wanted: str) -> None:
    """The shelter's name is found in each kind of file the secret is looked for in."""
    site = built[0]
    found = [p for p in site.rglob("*") if p.is_file() and kind(p) == wanted
             and CANARY in readable(p).lower()]
    assert found, f"no {wanted} file names the shelter: the search would miss a leak there"


def test_the_feed_has_no_location_for_the_shelter(built: tuple[Path, str, str]) -> None:
    site = built[0]
    for path in (site / "hsds").rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        services = data.get("contents", [data]) if isinstance(data, dict) else data
        for service in services:
            if CANARY in str(service.get("name", "")).lower():
                assert "service_at_locations" not in service, path
                assert service.get("haven", {}).get("confidential_location") in (True, None)
