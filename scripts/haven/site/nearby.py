"""The table behind "Enter your ZIP code or postcode": `nearby/places.json`.

The reader's browser fetches it whole, once, only when they use the box (assets/haven/
nearby.js), and finds their place in it on the device: the code is never sent anywhere,
and the request is the same whatever the code. So it holds every postal code of the
places the guide covers, as compactly as the places allow:

- each **place** is an ISO region and, inside a covered subdivision (California, Wales),
  its county or local authority, with the centre of its postal codes;
- a place lists the **keys** it owns at the coarsest level that is wholly inside it: a US
  ZIP code's first three digits or the whole ZIP; a UK postcode area ("CF"), district
  ("CF10") or sector ("CF10 1"). A sector that straddles two authorities is listed by
  both, and the reader is told it may be either;
- every **service** with where it serves (regions, local areas, a point and radius), its
  name in each language and its first line to call, most urgent first.

Places outside any covered subdivision (Texas, Scotland) keep their state or nation only,
which is what a reader there is shown (with their country's services).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..records import Directory, Service
from ..records import places as data
from ..records.codes import plain_region_name
from ..render import Renderer

TABLE = "nearby/places.json"
"""Where the table is published, at the site's root: one address for every language."""

Place = tuple[str, str]  # (ISO region, local area code or "")


@dataclass
class _Leaf:
    """The finest key (a ZIP code, a postcode sector): its places and their centres."""

    places: Counter[Place]
    sums: dict[Place, list[float]]


def us_levels(code: str) -> list[str]:
    return [code[:3], code]


_UK = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


def uk_levels(code: str) -> list[str]:
    """"CF10 1EP" is in area "CF", district "CF10" and sector "CF10 1". (String slicing,
    not a regular expression's groups: this runs for each of 2.7 million postcodes.)"""
    bare = code.replace(" ", "").upper()
    if not _UK.match(bare):
        return []
    district = bare[:-3]
    area = district[:2] if district[1].isalpha() else district[:1]
    return [area, district, f"{district} {bare[-3]}"]


def place_keys(postcodes: Iterable[data.Postcode], levels: Callable[[str], list[str]],
               detailed: Callable[[str], bool],
               to_lat_lon: Callable[[list[tuple[float, float]]], list[tuple[float, float]]]
               = lambda points: points) -> dict[Place, dict[str, Any]]:
    """Each place with its keys (coarsest wholly inside it) and the centre of its codes.
    ``detailed(region)``: whether a region's places carry their county or authority."""
    leaves: dict[tuple[str, ...], _Leaf] = {}
    for code in postcodes:
        path = tuple(levels(code.code))
        if not path:
            continue
        place = (code.region, code.area or "") if detailed(code.region) else (code.region, "")
        leaf = leaves.setdefault(path, _Leaf(Counter(), {}))
        leaf.places[place] += 1
        sums = leaf.sums.setdefault(place, [0.0, 0.0])
        sums[0] += code.x
        sums[1] += code.y
    keys: dict[Place, list[str]] = defaultdict(list)
    _assign(sorted(leaves.items()), 0, keys)
    centres: dict[Place, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for leaf in leaves.values():
        for place, count in leaf.places.items():
            centre = centres[place]
            centre[0] += leaf.sums[place][0]
            centre[1] += leaf.sums[place][1]
            centre[2] += count
    found = list(centres.items())
    lat_lons = to_lat_lon([(c[0] / c[2], c[1] / c[2]) for _, c in found])
    return {place: {"keys": sorted(keys[place]), "centre": (round(lat, 2), round(lon, 2))}
            for (place, _), (lat, lon) in zip(found, lat_lons, strict=True)}


def _assign(leaves: list[tuple[tuple[str, ...], _Leaf]], depth: int,
            keys: dict[Place, list[str]]) -> None:
    """Give each group of leaves sharing a key at ``depth`` to its one place, or go a
    level deeper; a leaf with several places is given to each of them."""
    groups: dict[str, list[tuple[tuple[str, ...], _Leaf]]] = defaultdict(list)
    for path, leaf in leaves:
        groups[path[depth]].append((path, leaf))
    for key, members in groups.items():
        places = {p for _, leaf in members for p in leaf.places}
        if len(places) == 1 or depth == len(members[0][0]) - 1:
            for place in places:
                keys[place].append(key)
        else:
            _assign(members, depth + 1, keys)


def places_table(regions: Iterable[str], *, all_detailed: bool = False
                 ) -> list[list[Any]]:
    """See _places_table; made once per process for the same places (tests build many
    sites)."""
    return _places_table(tuple(sorted(set(regions))), all_detailed)


@cache
def _places_table(regions: tuple[str, ...], all_detailed: bool) -> list[list[Any]]:
    """Every place of the covered countries: ``[region, area, area name, lat, lon, keys]``,
    the keys separated by commas (a sector, "CF10 1", has a space).
    Counties and authorities are kept inside covered subdivisions (or everywhere, with
    ``all_detailed``: the size of a guide that covered all of them)."""
    covered = set(regions)
    countries = {code.split("-")[0] for code in covered}

    def detailed(region: str) -> bool:
        return all_detailed or region in covered

    found: dict[Place, dict[str, Any]] = {}
    if "US" in countries:
        found |= place_keys(data.us_zip_codes(), us_levels, detailed)
    if "GB" in countries:
        found |= place_keys(data.uk_postcodes(), uk_levels, detailed, data.grid_to_lat_lon)
    rows = []
    for (region, area), place in sorted(found.items()):
        local = data.local_area(area) if area else None
        rows.append([region, area, local.name if local else "", *place["centre"],
                     ",".join(place["keys"])])
    return rows


def services_table(directory: Directory, languages: list[str]) -> list[dict[str, Any]]:
    """Every active service, most urgent first, with what the lookup shows of it."""
    renderers = {lang: Renderer(directory, lang, languages[0]) for lang in languages}
    rows = []
    for service in directory.by_urgency(s for s in directory.services
                                        if s.status != "inactive"):
        row: dict[str, Any] = {
            "id": service.id, "areas": list(service.service_areas),
            "name": {lang: r.plain(service.name) for lang, r in renderers.items()}}
        if service.local_areas:
            row["local"] = list(service.local_areas)
        if service.location:
            row["point"] = list(service.location)
        if call := _first_call(service):
            row["tel"] = call.number
            row["label"] = Renderer.phone_text(call, service.service_areas[0])
        rows.append(row)
    return rows


def _first_call(service: Service) -> Any:
    return next((p for p in service.phones if p.type == "voice"), None)


def region_names(regions: Iterable[str], languages: list[str],
                 directory: Directory) -> dict[str, dict[str, str]]:
    """Names of the places' regions (Texas too) and their countries, per language, as a
    sentence says them ("Across the United States")."""
    renderers = {lang: Renderer(directory, lang, languages[0]) for lang in languages}
    codes = sorted(set(regions) | {code.split("-")[0] for code in regions})
    return {code: {lang: r.place(code) if code in directory.regions
                   else plain_region_name(code, lang) for lang, r in renderers.items()}
            for code in codes}


def write_table(site: Path, directory: Directory, languages: list[str], cache: Path) -> Path:
    """``site/nearby/places.json``. The places part (seconds of work over every postcode)
    is kept in ``cache`` until the covered regions or the data packages change."""
    regions = list(directory.regions)
    key = hashlib.sha256(json.dumps([regions, data.data_versions()]).encode()).hexdigest()[:16]
    cached = cache / f"places-{key}.json"
    if cached.exists():
        places = json.loads(cached.read_text(encoding="utf-8"))
    else:
        places = places_table(regions)
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("places-*.json"):
            old.unlink()
        cached.write_text(json.dumps(places, separators=(",", ":")), encoding="utf-8")
    table = {"places": places, "services": services_table(directory, languages),
             "regions": region_names({row[0] for row in places}, languages, directory)}
    out = site / TABLE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")),
                   encoding="utf-8")
    return out


def gzip_size(payload: bytes) -> int:
    return len(gzip.compress(payload, 9))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), as nearby.js computes it."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + \
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))
