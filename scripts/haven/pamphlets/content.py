"""What a region's pamphlet says: chosen from the directory, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ..records import Directory, ReportingRoute, Right, Service
from ..records.model import applies_in


@dataclass(frozen=True)
class PamphletContent:
    region: str
    emergency_number: str | None
    lines: list[Service]
    """Lines open 24/7 that serve the region: first, in large type."""
    services: list[Service]
    """The region's other services, its own first, at most MAX_SERVICES."""
    more_services: int
    """How many more the website lists: a handout stays a handout."""
    rights: list[Right]
    routes: list[ReportingRoute]
    first_checked: date
    last_checked: date


def regions_with_services(directory: Directory) -> list[str]:
    return [code for code in directory.regions if directory.services_in(code)]


def pamphlet_content(directory: Directory, region: str) -> PamphletContent:
    place = directory.regions[region]
    around = {region, place.country}
    # Most urgent first. A local service (one county's line) is left out: a place's
    # handout lists what serves all of it; the website's lookup finds the local ones.
    services = directory.by_urgency((s for s in directory.services_in(region)
                                     if s.status == "active" and not s.is_local), region)
    lines = [s for s in services if s.always_open and s.phones]
    rights = core_rights([r for r in directory.rights if applies_in(r, around)], region)
    routes = directory.routes_by_urgency(r for r in directory.reporting
                                         if applies_in(r, around))  # emergency first
    checked = [r.verification.date for r in [*services, *rights, *routes]]
    emergency = directory.emergency_number(region)
    others = sorted((s for s in services if s not in lines),
                    key=lambda s: region not in s.service_areas)  # the region's own first
    return PamphletContent(region, emergency, lines, others[:MAX_SERVICES],
                           max(0, len(others) - MAX_SERVICES), rights, routes, min(checked),
                           max(checked))


def shortened(content: PamphletContent) -> list[PamphletContent]:
    """The content with fewer and fewer of the other services, two (a row) at a time, the
    rest counted as "more on the website": the renderer takes the longest that fits one
    double-sided sheet. Then, only if even that is too long (hundreds of 24/7 lines), fewer
    24/7 lines, the region's own first. Rights and ways to report always stay."""
    counts = sorted({*range(len(content.services), 0, -2), 0}, reverse=True)
    versions = [replace(content, services=content.services[:n],
                        more_services=content.more_services + len(content.services) - n)
                for n in counts]
    bare = versions[-1]
    lines = sorted(content.lines, key=lambda s: content.region not in s.service_areas)
    for n in range(len(lines) - 2, 1, -2):
        versions.append(replace(bare, lines=lines[:n],
                                more_services=bare.more_services + len(lines) - n))
    return versions


MAX_SERVICES = 40
"""Beyond this a region's list goes to extra pages of up to ~5 pages in all; the rest is
named as a count with the website's address. A 35-page "pamphlet" (400 services) is no
longer a handout, and rendering it took 5 s."""

CORE_CATEGORIES = ("to-protection", "to-be-informed", "to-be-heard", "to-compensation")
"""The rights a pamphlet's back page has room for, most useful first."""


def core_rights(rights: list[Right], region: str) -> list[Right]:
    """One right per core category, the region's own law first: the back page has room
    for the core of each right in two lines, not for every clause of every statute."""
    chosen: dict[str, Right] = {}
    for right in sorted(rights, key=lambda r: region not in r.jurisdictions):
        chosen.setdefault(right.category, right)
    return [chosen[c] for c in CORE_CATEGORIES if c in chosen]
