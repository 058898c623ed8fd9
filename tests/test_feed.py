"""The static HSDS feed (``hsds/``): the API's answers as files, in every language, each
valid against Open Referral's compiled schemas, with stable ids and no confidential place.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from haven.exports import write_exports
from haven.exports.hsds import hsds_id
from haven.records import Directory
from jsonschema import Draft202012Validator

from .conftest import TODAY
from .test_exports import HSDS, NDVH, assert_known_fields, hsds_validator  # noqa: F401

LANGUAGES = ["en", "es", "zh", "vi", "ar"]


@pytest.fixture(scope="module")
def feed(shipped: Directory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feed")
    write_exports(shipped, out, LANGUAGES, generated=TODAY)
    return out / "hsds"


def schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((HSDS / name).read_text(encoding="utf-8")))


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def folders(feed: Path) -> list[Path]:
    return [feed] + [feed / lang for lang in LANGUAGES[1:]]


def test_the_root_describes_the_feed(feed: Path) -> None:
    root = read(feed / "index.json")
    assert root["version"] == "3.0" and root["openapi_url"].startswith("https://")
    assert (feed / root["profile"]).is_file()
    assert root["haven_languages"] == {lang: f"{lang}/index.json" for lang in LANGUAGES[1:]}
    for lang in LANGUAGES[1:]:
        assert read(feed / lang / "index.json")["version"] == "3.0"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_service_file_validates(feed: Path, shipped: Directory, lang: str,
                                      hsds_validator: Draft202012Validator) -> None:  # noqa: F811
    base = feed if lang == "en" else feed / lang
    files = sorted(p for p in (base / "services").glob("*.json") if p.name != "index.json")
    assert [p.stem for p in files] == sorted(hsds_id(f"service:{s.id}")
                                             for s in shipped.services)
    for path in files:
        service = read(path)
        assert errors(hsds_validator, service) == [], path.name
        assert set(service["haven"]) >= {"id", "source", "verification", "cost"}
        assert_known_fields({k: v for k, v in service.items() if k != "haven"},
                            hsds_validator.schema)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_lists_validate(feed: Path, shipped: Directory, lang: str) -> None:
    base = feed if lang == "en" else feed / lang
    services, organizations = read(base / "services" / "index.json"), \
        read(base / "organizations" / "index.json")
    for page, item_schema in ((services, schema("service_list.json")),
                              (organizations, schema("organization_list.json"))):
        assert (page["total_pages"], page["page_number"], page["first_page"],
                page["last_page"]) == (1, 1, True, True)
        assert page["total_items"] == page["size"] == len(page["contents"]) > 0
        for item in page["contents"]:
            assert errors(item_schema, item) == [], item["name"]
    assert len(services["contents"]) == len(shipped.services)
    organization = schema("organization.json")
    for item in organizations["contents"]:
        full = read(base / "organizations" / f"{item['id']}.json")
        assert errors(organization, full) == [], full["name"]
        assert full["services"], "an organization lists its services"


def test_ids_are_stable_uuid5_and_the_same_in_every_language(feed: Path) -> None:
    english = sorted(p.name for p in (feed / "services").glob("*.json"))
    for lang in LANGUAGES[1:]:
        assert sorted(p.name for p in (feed / lang / "services").glob("*.json")) == english
    for name in english:
        if name != "index.json":
            assert uuid.UUID(name.removesuffix(".json")).version == 5


def test_each_language_has_its_texts(feed: Path, shipped: Directory) -> None:
    record = next(s for s in shipped.services if s.id == NDVH)
    name = f"{hsds_id(f'service:{NDVH}')}.json"
    for lang in LANGUAGES:
        service = read((feed if lang == "en" else feed / lang) / "services" / name)
        assert service["name"] == record.name.values[lang]
        assert service["description"] == record.description.values[lang]
        assert service["haven"]["accessibility"] == record.accessibility.values[lang]


def test_a_text_not_translated_stays_english(feed: Path, shipped: Directory) -> None:
    untranslated = [(s, lang) for s in shipped.services for lang in LANGUAGES[1:]
                    if not s.description.has(lang)]
    for service, lang in untranslated:
        data = read(feed / lang / "services" / f"{hsds_id(f'service:{service.id}')}.json")
        assert data["description"] == service.description.values["en"]


def test_no_confidential_place_in_the_feed(feed: Path, shipped: Directory) -> None:
    confidential = {hsds_id(f"service:{s.id}") for s in shipped.services
                    if s.confidential_location}
    assert confidential
    for folder in folders(feed):
        for sid in confidential:
            service = read(folder / "services" / f"{sid}.json")
            assert "service_at_locations" not in service
            assert "address" not in service["haven"]
            assert service["haven"]["confidential_location"] is True


def test_a_removed_service_leaves_the_feed(shipped: Directory, tmp_path: Path) -> None:
    from dataclasses import replace

    write_exports(shipped, tmp_path, ["en", "es"], generated=TODAY)
    gone = hsds_id(f"service:{shipped.services[0].id}")
    assert (tmp_path / "hsds" / "es" / "services" / f"{gone}.json").is_file()
    fewer = replace(shipped, services=shipped.services[1:])
    write_exports(fewer, tmp_path, ["en", "es"], generated=TODAY)
    assert not list((tmp_path / "hsds").rglob(f"{gone}.json"))
    assert (tmp_path / "hsds" / "services" / f"{hsds_id(f'service:{fewer.services[0].id}')}"
            ".json").is_file()
