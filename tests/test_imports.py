"""`haven import hsds`: Open Referral's own examples, hostile and malformed input, --update,
confidential locations, and the round trip export → import.

Open Referral's example data is read where it lies (``shared/hsds/examples`` beside the
project, or HAVEN_HSDS), never copied in.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from haven.cli import main
from haven.exports import write_exports
from haven.imports import InputError, import_hsds
from haven.imports.reading import MAX_BYTES
from haven.records import Directory, load_directory

from .conftest import DIRECTORY, TODAY
from .test_exports import HSDS, RICH_SERVICE

EXAMPLES = HSDS / "examples"
LANGUAGES = ["en", "es", "zh", "vi", "ar"]


@pytest.fixture(scope="module")
def examples() -> Path:
    if not (EXAMPLES / "service_full.json").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Open Referral's examples are missing in CI: {EXAMPLES}")
        pytest.skip(f"Open Referral's examples are not beside the project ({EXAMPLES})")
    return EXAMPLES


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A directory folder with the shipped vocabularies and regions and no services."""
    root = tmp_path / "directory"
    shutil.copytree(DIRECTORY, root)
    shutil.rmtree(root / "services")
    (root / "services").mkdir()
    return root


def service(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "2d0f1f0e-1c6a-4c55-9a8e-1b2c3d4e5f60", "name": "Safe Harbor",
                            "status": "active", "description": "Help after a crime."}
    return {**base, **fields}


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def loaded(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


FILLED = {"support_types": ["counselling"], "victimization_types": ["all-crime"],
          "service_areas": ["GB-ENG"], "cost": "fee", "anonymous_contact": False,
          "source": "https://www.counselling.example.org/about"}


def fill_in(path: Path) -> None:
    """What the report asks a person to add, added."""
    record = loaded(path)
    record.update(FILLED)
    record["organization"]["kind"] = "community-nonprofit"
    record["verification"] = {"date": "2026-11-30", "method": "desk-review"}
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


# --- Open Referral's examples ----------------------------------------------------------------

def test_the_full_example_service_becomes_a_record(examples: Path, target: Path) -> None:
    report = import_hsds(examples / "service_full.json", target, today=TODAY)
    [outcome] = report.outcomes
    assert (outcome.action, outcome.path.name) == ("new", "community-counselling.yaml")
    record = loaded(outcome.path)
    assert record["name"] == {"en": "Community Counselling"}
    assert record["organization"]["name"] == {"en": "Example Organization Inc."}
    assert record["phones"][0]["number"] == "+441234234567"
    assert record["phones"][0]["languages"] == ["ur"]
    assert record["hours"]["schedule"] == [{"days": ["thu", "fri"], "opens_at": "10:00",
                                            "closes_at": "18:00"}]
    assert record["languages"] == ["ur"]
    assert record["address"]["city"] == "MyCity" and record["confidential_location"] is False
    assert record["verification"]["date"] == "2005-01-01"
    assert "url" not in record, "http://example.com/counselling is not https"
    text = report.text()
    assert "service.url is not an https:// address" in text
    for unmapped in ("service.wait_time", "service.funding", "service.cost_options",
                     "service.phones[0].extension"):
        assert unmapped in outcome.mapped.unmapped and unmapped in text
        assert f"#   {unmapped}\n" in outcome.text, "kept as a comment in the record"
    assert "If it is a shelter" in text, "an address without a confidentiality signal"


def test_the_record_validates_after_the_steps_the_report_lists(examples: Path,
                                                               target: Path) -> None:
    report = import_hsds(examples / "service_full.json", target, today=TODAY)
    [outcome] = report.outcomes
    asked = {line.split(":")[0] for line in outcome.fill_in}
    assert asked == {"support_types", "victimization_types", "service_areas",
                     "organization.kind", "cost", "anonymous_contact", "source",
                     "verification.method"}
    assert not load_directory(target, only=[outcome.path], today=TODAY).ok
    fill_in(outcome.path)
    validation = load_directory(target, only=[outcome.path], today=TODAY)
    assert validation.problems.errors == []


def test_the_csv_package_gives_the_same_record(examples: Path, target: Path) -> None:
    report = import_hsds(examples / "csv", target, today=TODAY)
    [outcome] = report.outcomes
    record = loaded(outcome.path)
    assert record["name"] == {"en": "Community Counselling"}
    assert record["phones"][0]["number"] == "+441234234567"
    assert record["hours"]["schedule"][0]["days"] == ["thu", "fri"]
    assert record["address"]["address_1"] == "1-30 Main Street"
    assert record["organization"]["name"] == {"en": "Example Organization Inc."}
    assert "not a data package descriptor" in report.text()
    fill_in(outcome.path)
    assert load_directory(target, only=[outcome.path], today=TODAY).problems.errors == []


def test_the_data_says_its_language(examples: Path, tmp_path: Path, target: Path) -> None:
    """A CSV package whose table descriptions give the services table's language: the
    texts are in that language, and the report asks for the English one."""
    package = csv_package(examples, tmp_path)
    (package / "meta_table_descriptions.csv").write_text(
        "id,name,language,character_set\nm1,services,es,UTF-8\n", encoding="utf-8")
    report = import_hsds(package, target, today=TODAY)
    record = loaded(report.outcomes[0].path)
    assert record["name"] == {"es": "Community Counselling"}
    assert "services table is in the language `es`" in report.text()
    assert "name.en: the required field `en` is missing" in report.text()


@pytest.mark.parametrize("name, count", [("service_list.json", 1),
                                         ("organization_full.json", 1),
                                         ("service_at_location_list.json", 0)])
def test_lists_and_organizations_are_read(examples: Path, target: Path, name: str,
                                          count: int) -> None:
    data = json.loads((examples / name).read_text(encoding="utf-8"))
    if count == 0:  # a list of service-at-locations is not services: a clear refusal
        with pytest.raises(InputError, match=name):
            import_hsds(examples / name, target)
        assert list((target / "services").iterdir()) == []
        return
    report = import_hsds(examples / name, target, today=TODAY)
    assert len(report.outcomes) == len(data.get("contents") or data.get("services"))
    if name == "service_list.json":  # page 1 of 10
        assert "is page 1 of 10 of a list: import every page" in report.text()


def test_times_with_a_utc_offset(tmp_path: Path, target: Path) -> None:
    path = write_json(tmp_path / "export.json", service(schedules=[
        {"id": "s", "freq": "WEEKLY", "byday": "MO,TU", "opens_at": "09:00-05:00",
         "closes_at": "17:30:00-05:00"}]))
    report = import_hsds(path, target)
    assert loaded(report.outcomes[0].path)["hours"] == {
        "schedule": [{"days": ["mon", "tue"], "opens_at": "09:00", "closes_at": "17:30"}]}
    assert "UTC offset was not imported" in report.text()


# --- malformed input: a clear error, nothing written -----------------------------------------

def refused(path: Path, target: Path) -> str:
    with pytest.raises(InputError) as caught:
        import_hsds(path, target)
    assert list((target / "services").iterdir()) == [], "nothing is written"
    return str(caught.value)


def test_not_json(tmp_path: Path, target: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"id": "a",\n "name": }', encoding="utf-8")
    assert refused(path, target).startswith(f"{path}:2:10: not valid JSON")


def test_wrong_types(tmp_path: Path, target: Path) -> None:
    path = write_json(tmp_path / "export.json", [service(phones={"number": 5}),
                                                 service(id="b", name=["Safe"])])
    message = refused(path, target)
    assert f"{path}[0]: service.phones should be a list" in message
    assert f"{path}[1]: service.name should be text, not a list" in message


def test_missing_and_duplicate_ids(tmp_path: Path, target: Path) -> None:
    path = write_json(tmp_path / "export.json", [service(), service(), service(id=None)])
    message = refused(path, target)
    assert f"{path}[1]: the id" in message and f"is also the id of {path}[0]" in message
    assert f"{path}[2]: the service has no `id`" in message


def test_a_key_twice_in_one_object(tmp_path: Path, target: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"id": "a", "name": "A",\n "status": "active", "name": "B"}',
                    encoding="utf-8")
    assert f"{path}:2: the key `name` appears twice" in refused(path, target)


def test_unknown_fields(tmp_path: Path, target: Path) -> None:
    path = write_json(tmp_path / "export.json",
                      service(descripton="typo", phones=[{"id": "p", "number": "988",
                                                          "kind": "voice"}]))
    message = refused(path, target)
    assert "`service.descripton` is not an HSDS field" in message
    assert "`service.phones[0].kind` is not an HSDS field" in message


def test_a_file_too_large(tmp_path: Path, target: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    assert path.stat().st_size > MAX_BYTES
    assert "huge.json: the file is 50 MB; an import reads files of up to 20 MB" in \
        refused(path, target)


def csv_package(examples: Path, tmp_path: Path) -> Path:
    package = tmp_path / "package"
    shutil.copytree(examples / "csv", package)
    return package


def test_a_formula_in_a_csv_cell(examples: Path, tmp_path: Path, target: Path) -> None:
    package = csv_package(examples, tmp_path)
    services = package / "services.csv"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("Community Counselling,",
                                     '"=HYPERLINK(""https://evil.example/"",""Help"")",', 1),
                        encoding="utf-8")
    message = refused(package, target)
    assert f"{services}:2: column name:" in message and "looks like a spreadsheet formula" \
        in message


def test_a_plus_sign_phone_number_is_not_a_formula(examples: Path, tmp_path: Path,
                                                   target: Path) -> None:
    package = csv_package(examples, tmp_path)
    phones = package / "phones.csv"
    phones.write_text(phones.read_text(encoding="utf-8").replace('"""+44 1234 234567"""',
                                                                 "+44 1234 234567"),
                      encoding="utf-8")
    [outcome] = import_hsds(package, target).outcomes
    assert loaded(outcome.path)["phones"][0]["number"] == "+441234234567"


def test_unknown_csv_columns_and_repeated_rows(examples: Path, tmp_path: Path,
                                               target: Path) -> None:
    package = csv_package(examples, tmp_path)
    phones = package / "phones.csv"
    lines = phones.read_text(encoding="utf-8").splitlines()
    phones.write_text("\n".join([lines[0].replace("extension", "extenson"), lines[1],
                                 lines[1]]) + "\n", encoding="utf-8")
    message = refused(package, target)
    assert f"{phones}:1: the column `extenson` is not an HSDS field of phone" in message
    assert f"{phones}:3: the id" in message and "also on line 2" in message


# --- untrusted strings -----------------------------------------------------------------------

def test_hostile_strings_stay_text(tmp_path: Path, target: Path) -> None:
    name = 'Safe <script>alert(1)</script>\nid: evil # "quoted"'
    path = write_json(tmp_path / "export.json", service(
        name=name, url="javascript:alert(1)", email="help@example.org?bcc=x@evil.example",
        organization={"id": "o", "name": "Org", "website": "http://org.example"}))
    [outcome] = import_hsds(path, target).outcomes
    record = loaded(outcome.path)
    assert record["name"] == {"en": name.strip()}, "the name is kept as text, whole"
    assert record["id"] == "safe-script-alert-1-script-id-evil-quoted"
    assert "url" not in record and "email" not in record and "url" not in record["organization"]
    notes = " ".join(outcome.mapped.notes)
    assert "HTML tags" in notes and "not an https:// address" in notes
    assert "not one plain e-mail address" in notes


# --- confidential locations ------------------------------------------------------------------

PRIVATE = "Wkvsecret"


def located(*, address_1: str = f"1 {PRIVATE} Road", description: str | None = None,
            **fields: Any) -> dict[str, Any]:
    location = {"id": "l", "name": f"{PRIVATE} House",
                "addresses": [{"id": "a", "address_1": address_1, "city": f"{PRIVATE}ville",
                               "state_province": "NY", "postal_code": "10001",
                               "country": "US"}]}
    if description:
        location["description"] = description
    return service(service_at_locations=[{"id": "s", "location": location}], **fields)


@pytest.mark.parametrize("signal", [
    {"address_1": "Confidential address"},
    {"description": "The address is not disclosed to the public."},
    {"description": "Undisclosed location; call first."},
    {"name": "Safe Harbor confidential shelter"},
    {"attributes": [{"id": "t", "taxonomy_term": {"id": "c", "code": "confidential-location",
                                                  "name": "Confidential location"}}]},
], ids=["address", "not-disclosed", "undisclosed", "service-name", "attribute"])
def test_signals_of_a_confidential_location(tmp_path: Path, target: Path,
                                            signal: dict[str, Any]) -> None:
    path = write_json(tmp_path / "export.json", located(**signal))
    report = import_hsds(path, target)
    [outcome] = report.outcomes
    record = loaded(outcome.path)
    assert record["confidential_location"] is True and "address" not in record
    assert PRIVATE.lower() not in outcome.text.lower(), "nothing of the place in the file"
    assert PRIVATE.lower() not in report.text().lower(), "nor in the report"


def test_no_signal_publishes_the_address_and_asks(tmp_path: Path, target: Path) -> None:
    path = write_json(tmp_path / "export.json", located())
    report = import_hsds(path, target)
    record = loaded(report.outcomes[0].path)
    assert record["confidential_location"] is False
    assert record["address"]["address_1"] == f"1 {PRIVATE} Road"
    assert "write confidential_location: true and delete the address" in report.text()


# --- existing records and --update -----------------------------------------------------------

def test_existing_records_change_only_with_update(examples: Path, target: Path) -> None:
    [first] = import_hsds(examples / "service_full.json", target, today=TODAY).outcomes
    fill_in(first.path)
    record = loaded(first.path)
    record["name"]["es"] = "Asesoramiento comunitario"
    first.path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
    edited = first.path.read_text(encoding="utf-8")

    [again] = import_hsds(examples / "service_full.json", target, today=TODAY).outcomes
    assert again.action == "exists" and first.path.read_text(encoding="utf-8") == edited

    changed = json.loads((examples / "service_full.json").read_text(encoding="utf-8"))
    changed["alert"] = "Open again after the flood."
    source = write_json(target.parent / "changed.json", changed)
    report = import_hsds(source, target, update=True, today=TODAY)
    [updated] = report.outcomes
    assert updated.action == "updated"
    after = loaded(updated.path)
    assert after["alert"] == {"en": "Open again after the flood."}
    assert after["name"] == {"en": "Community Counselling", "es": "Asesoramiento comunitario"}
    assert after["support_types"] == ["counselling"], "what the data does not say stays"
    assert "+  en: Open again after the flood." in report.text(), "the change is shown"
    assert load_directory(target, only=[updated.path], today=TODAY).problems.errors == []
    assert import_hsds(source, target, update=True, today=TODAY).outcomes[0].action == \
        "unchanged"

    changed["description"] = "Talking therapy."
    record = loaded(updated.path)
    record["description"]["es"] = "Servicios de asesoramiento."
    updated.path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    write_json(source, changed)
    report = import_hsds(source, target, update=True, today=TODAY)
    assert loaded(updated.path)["description"] == {"en": "Talking therapy.",
                                                   "es": "Servicios de asesoramiento."}
    assert "description: the English text changed; check its translations (es)" in \
        report.text()

    changed["name"] = "Community Counselling Centre"
    write_json(source, changed)
    [renamed] = import_hsds(source, target, update=True, today=TODAY).outcomes
    assert (renamed.action, renamed.path) == ("updated", updated.path), \
        "a service renamed at the source is still its record (the HSDS id is in the file)"
    assert loaded(updated.path)["name"]["en"] == "Community Counselling Centre"


# --- round trip ------------------------------------------------------------------------------

def exported_and_imported(directory: Directory, tmp_path: Path, target: Path,
                          strip: bool = False) -> dict[str, dict[str, Any]]:
    out = tmp_path / "site"
    write_exports(directory, out, LANGUAGES, generated=TODAY)
    feed = out / "hsds"
    if strip:  # only what HSDS itself carries
        for path in feed.rglob("*.json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "haven" in data:
                del data["haven"]
                write_json(path, data)
    report = import_hsds(feed, target, today=TODAY)
    return {o.mapped.record["id"]: loaded(o.path) for o in report.outcomes}


def originals(root: Path) -> dict[str, dict[str, Any]]:
    from .test_exports import normalised

    return {p.stem: normalised(yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted((root / "services").glob("*.yaml"))}


def test_round_trip_gives_every_record_back_in_every_language(
        shipped: Directory, tmp_path: Path, target: Path) -> None:
    imported = exported_and_imported(shipped, tmp_path, target)
    expected = originals(DIRECTORY)
    assert sorted(imported) == sorted(expected)
    for record_id, original in expected.items():
        assert imported[record_id] == original, record_id
    assert load_directory(target, today=TODAY).problems.errors == []


def test_round_trip_of_every_optional_field(tmp_path: Path, target: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(DIRECTORY, source)
    shutil.rmtree(source / "services")
    (source / "services").mkdir()
    (source / "services" / "example-legal-clinic.yaml").write_text(RICH_SERVICE)
    clinic = load_directory(source, today=TODAY).require()
    imported = exported_and_imported(clinic, tmp_path, target)
    assert imported == originals(source)


def test_hsds_alone_carries_its_own_fields(shipped: Directory, tmp_path: Path,
                                           target: Path) -> None:
    """Without Haven's profile field, what HSDS has a field for still comes back equal,
    except a text written the same in every language (a name such as "Safe Horizon"):
    plain HSDS shows an untranslated text in English too, so it cannot tell the two apart,
    and the import keeps only the English one."""
    def told(value: Any) -> Any:
        if isinstance(value, dict) and "en" in value:
            return {k: v for k, v in value.items() if k == "en" or v != value["en"]}
        return value

    imported = exported_and_imported(shipped, tmp_path, target, strip=True)
    expected = originals(DIRECTORY)
    hsds_fields = ("name", "description", "url", "email", "languages", "service_areas",
                   "support_types", "victimization_types", "eligibility", "alert", "status")
    for record_id, original in expected.items():
        back = next(r for r in imported.values() if r["name"] == told(original["name"]))
        for key in hsds_fields:
            assert back.get(key) == told(original.get(key)), (record_id, key)
        assert [(p["number"], p["type"]) for p in back.get("phones", [])] == \
            [(p["number"], p["type"]) for p in original.get("phones", [])], record_id
        assert back["verification"]["date"] == original["verification"]["date"]
        assert back["organization"]["name"] == told(original["organization"]["name"])


# --- the command -----------------------------------------------------------------------------

def test_the_command(examples: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "hsds", str(examples / "service_full.json"),
                 "--into", str(target)]) == 0
    out = capsys.readouterr().out
    assert "1 new" in out and "community-counselling.yaml (written)" in out
    assert "To fill in:" in out and "support_types: the kinds of help" in out


def test_the_command_on_bad_data(tmp_path: Path, target: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[1, 2", encoding="utf-8")
    assert main(["import", "hsds", str(path), "--into", str(target)]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and f"{path}:1:" in err


def test_translations_identical_to_english_are_not_kept() -> None:
    from haven.imports import add_translations

    record = {"name": {"en": "Galop"}, "description": {"en": "Help"}}
    add_translations(record, {"name": {"es": "Galop"}, "description": {"es": "Ayuda"}},
                     "en", "es")
    assert record == {"name": {"en": "Galop"}, "description": {"en": "Help", "es": "Ayuda"}}
