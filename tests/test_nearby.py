"""The ZIP code / postcode table (site/nearby.py) and the postal data behind it
(records/places.py), without building a site."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from haven.records import Directory, load_directory
from haven.records import places as data
from haven.site import nearby

from .conftest import DIRECTORY


def code(postcode: str, region: str, area: str | None, x: float = 0.0,
         y: float = 0.0) -> data.Postcode:
    return data.Postcode(postcode, region, area, x, y)


def test_postcodes_are_read_at_every_level() -> None:
    assert nearby.uk_levels("CF10 1EP") == ["CF", "CF10", "CF10 1"]
    assert nearby.uk_levels("W1A 1AA") == ["W", "W1A", "W1A 1"]
    assert nearby.uk_levels("M1 1AE") == ["M", "M1", "M1 1"]
    assert nearby.uk_levels("not one") == []
    assert nearby.us_levels("90012") == ["900", "90012"]


def test_keys_are_as_coarse_as_the_places_allow() -> None:
    codes = [code("AB1 1AA", "GB-SCT", "ons:S1"), code("AB1 2AA", "GB-SCT", "ons:S1"),
             code("CD1 1AA", "GB-WLS", "ons:W1"), code("CD2 1AA", "GB-WLS", "ons:W2"),
             # A sector split between two authorities is given to both.
             code("CD3 1AA", "GB-WLS", "ons:W1"), code("CD3 1AB", "GB-WLS", "ons:W2"),
             code("CD3 2AA", "GB-WLS", "ons:W2")]
    places = nearby.place_keys(codes, nearby.uk_levels, lambda region: region == "GB-WLS")
    keys = {place: info["keys"] for place, info in places.items()}
    assert keys == {("GB-SCT", ""): ["AB"],  # not detailed: the nation only
                    ("GB-WLS", "ons:W1"): ["CD1", "CD3 1"],
                    ("GB-WLS", "ons:W2"): ["CD2", "CD3 1", "CD3 2"]}


def test_centres_are_averaged_then_converted() -> None:
    codes = [code("90001", "US-CA", "fips:06037", 34.0, -118.0),
             code("90002", "US-CA", "fips:06037", 34.2, -118.4)]
    places = nearby.place_keys(codes, nearby.us_levels, lambda region: True)
    assert places[("US-CA", "fips:06037")] == {"keys": ["900"], "centre": (34.1, -118.2)}


def test_counties_and_authorities_come_from_the_data_packages() -> None:
    assert data.local_area("fips:06037") == data.LocalArea("fips:06037", "Los Angeles County",
                                                           "US-CA")
    # The county list's other names for a county still map ZIP codes to it.
    assert data.local_area("fips:36047").name == "Kings County"
    assert data.local_area("fips:99999") is None
    assert data.local_area("ons:W06000015") == data.LocalArea("ons:W06000015", "Cardiff",
                                                              "GB-WLS")
    assert data.local_area("06037") is None


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(DIRECTORY).require()


def test_the_table_covers_the_guides_places(shipped: Directory, tmp_path: Path) -> None:
    table = json.loads(nearby.write_table(tmp_path, shipped, ["en", "es"], tmp_path / "cache")
                       .read_text(encoding="utf-8"))
    owners: dict[str, list[list[object]]] = {}
    for place in table["places"]:
        for key in str(place[5]).split(","):
            owners.setdefault(key, []).append(place)
    la = owners["900"] if "900" in owners else owners["90012"]
    assert [p[:3] for p in la] == [["US-CA", "fips:06037", "Los Angeles County"]]
    # Texas is not covered in detail: its ZIP codes name the state only.
    assert all(p[:3] == ["US-TX", "", ""] for p in owners["750"])
    cardiff = owners.get("CF10") or owners["CF10 1"]
    assert [p[:3] for p in cardiff] == [["GB-WLS", "ons:W06000015", "Cardiff"]]
    assert table["regions"]["GB"]["es"] == "el Reino Unido"
    services = {s["id"]: s for s in table["services"]}
    assert services["los-angeles-county-domestic-violence-hotline"]["local"] == ["fips:06037"]
    assert services["los-angeles-county-domestic-violence-hotline"]["tel"] == "+18009783600"
    assert "local" not in services["live-fear-free"]
    # Made again only when the covered places or the data change: the second is the cache.
    assert len(list((tmp_path / "cache").glob("places-*.json"))) == 1


def test_a_point_and_radius_reach_the_table(shipped: Directory) -> None:
    service = replace(shipped.services[0], location=(51.48, -3.18, 25.0))
    directory = replace(shipped, services=(service,))
    [row] = nearby.services_table(directory, ["en"])
    assert row["point"] == [51.48, -3.18, 25.0]
    assert round(nearby.distance_km((51.48, -3.18), (51.62, -3.94))) == 55  # Cardiff–Swansea
