"""The generated pages of one language: directory, browse pages, records, rights, report.

Each page is a front matter and a Markdown H1 (so MkDocs' table of contents and Material's
skip link find it), and an HTML body rendered from the templates (see generated.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import segno
from babel.dates import format_date
from markupsafe import Markup

from ..pamphlets.build import PAPERS, pamphlet_path
from ..pamphlets.content import regions_with_services
from ..records import Directory, Service
from ..render import Renderer, attribute_text, environment, markdown_text
from ..urls import page_url

TEMPLATES = Path(__file__).parent / "templates"
_ENV = environment(TEMPLATES)
MAX_PLACE_LINES = 6
"""Get help now lists at most this many 24-hour lines per place; the rest are one link away
(the place's page). Thousands would make the first page a reader opens megabytes long."""
MAX_HELP_PLACES = 60
"""Get help now covers at most this many places (regions.yaml's first); Find support has all."""
LIST_PAGE_SIZE = 50
"""Service cards per page of a list (a place, a kind of help); the next ones are one link
away on the list's page 2, 3, ...: a phone on a slow connection loads 50 cards, not 5,000."""
FIND_ALL_MAX = 100
"""Find support lists every service (with the filter) only up to this many; a larger guide
is browsed by place or kind of help instead, where the lists are paged."""
T = TypeVar("T")


@dataclass
class Page:
    """One page in one language, before MkDocs sees it."""

    path: str  # e.g. "services/rainn-hotline", without language or extension
    title: str
    body: str
    description: str = ""
    searchable: bool = True
    meta: dict[str, Any] = field(default_factory=dict)

    def markdown(self) -> str:
        """Front matter and the H1 as Markdown: what MkDocs reads. The body, finished HTML,
        never goes through Python-Markdown (see generated.py)."""
        front = [f"title: {_yaml_string(attribute_text(self.title))}"]
        if self.description:
            front.append(f"description: {_yaml_string(attribute_text(self.description))}")
        if not self.searchable:
            front.append("haven_search: false")
        front += [f"{key}: {_yaml_string(str(value))}" for key, value in self.meta.items()]
        heading = markdown_text(self.title)
        return "---\n" + "\n".join(front) + f"\n---\n\n# {heading}\n"

    def html(self) -> str:
        return "\n".join(line for line in self.body.splitlines() if line.strip())


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(template: str, renderer: Renderer, **context: Any) -> str:
    return _ENV.get_template(template).render(r=renderer, **context)


def take_with_you(service: Service, address: str = "") -> dict[str, Any] | None:
    """A QR code of the service's first line to call (``tel:`` and the number, nothing
    else), or, for a service without one, of its page's public ``address`` (none when the
    site's address is unknown); drawn at build time as inline SVG: no script, nothing
    fetched, nothing sent."""
    call = next((p for p in service.phones if p.type == "voice" and not p.is_short_code), None)
    if call is None and not address:
        return None
    svg = segno.make(f"tel:{call.number}" if call else address, error="m").svg_inline(
        border=2, dark="#000", light="#fff", omitsize=True)
    return {"svg": Markup(svg), "phone": call}


@dataclass
class RenderCache:
    """Rendered pieces of service records (pages, cards), kept between builds while
    serving: after one record changes, only its own pieces are rendered again. Valid for
    one ``context`` (everything but the services: vocabularies, regions, strings,
    templates); any other change empties it."""

    context: object = None
    services: dict[str, Service] = field(default_factory=dict)
    pieces: dict[str, dict[tuple[object, ...], Any]] = field(default_factory=dict)

    def use_for(self, context: object, services: tuple[Service, ...]) -> None:
        """Forget what no longer holds: everything if the context changed, else the pieces
        of each service that changed (compared field by field: records are frozen)."""
        if context != self.context:
            self.context, self.services, self.pieces = context, {}, {}
        current = {service.id: service for service in services}
        for service_id, old in self.services.items():
            if current.get(service_id) != old:
                self.pieces.pop(service_id, None)
        self.services = current

    def get(self, service: Service, key: tuple[object, ...], render: Callable[[], T]) -> T:
        """``render()``'s result for this piece of ``service``, rendered once."""
        pieces = self.pieces.setdefault(service.id, {})
        if key not in pieces:
            pieces[key] = render()
        return pieces[key]  # type: ignore[no-any-return]


@dataclass
class LanguagePages:
    """Builds every generated page of one language."""

    directory: Directory
    lang: str
    default: str
    cache: RenderCache = field(default_factory=RenderCache)
    public_url: str = ""
    """The site's public address (site_url), for QR codes of pages; "" when unknown."""

    def renderer(self, path: str) -> Renderer:
        return Renderer(self.directory, self.lang, self.default).at(path)

    def all(self) -> Iterator[Page]:
        """Every page but the services' own (``service``), which generated.py keeps in
        the render cache."""
        yield self.find_support()
        yield from self.browse_pages()
        yield self.rights()
        yield self.report()
        yield self.search()
        yield self.pamphlets()

    def s(self, key: str, **values: Any) -> str:
        return Renderer(self.directory, self.lang, self.default).s(key, **values)

    def cards(self, services: list[Service], r: Renderer, level: int = 3) -> list[Markup]:
        """Service cards for a list page. A card's links depend only on how deep the page
        is, so each card is rendered once per depth, not once per list it appears in.
        ``level`` is the card titles' heading level: one below the heading the list sits
        under, so no level is skipped (h2 in a list straight under the page's h1)."""
        depth = r.url.count("/")
        return [self.cache.get(
            s, ("card", self.lang, depth, level),
            lambda s=s: Markup(render("card.html.j2", r, service=s, level=level)))
            for s in services]

    # The directory ----------------------------------------------------------------------
    def find_support(self) -> Page:
        r = self.renderer("find-support")
        d = self.directory
        body = render("find_support.html.j2", r, ways=self._ways(r),
                      cards=self.cards(list(d.services), r)
                      if len(d.services) <= FIND_ALL_MAX else None,
                      count=len(d.services),
                      regions=list(d.regions.values()),
                      support_terms=list(d.vocabularies["support-types"].values()),
                      languages=sorted({c for s in d.services for c in s.languages}))
        return Page("find-support", self.s("title.find"), body, self.s("find.intro"),
                    searchable=False)

    def _ways(self, r: Renderer) -> list[dict[str, Any]]:
        d, v = self.directory, self.directory.vocabularies
        counts: dict[tuple[str, str], int] = {}
        for service in d.services:  # one pass: the build stays linear in services
            keys = [("help", t) for t in service.support_types] + \
                   [("for", t) for t in service.victimization_types] + \
                   [("provider", service.organization_kind)]
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        for code in d.regions:
            counts[("region", code)] = len(d.services_in(code))

        def way(title: str, prefix: str, items: list[tuple[str, str]]) -> dict[str, Any]:
            return {"title": self.s(title), "links": [
                {"href": r.link(f"find-support/{prefix}/{key.lower()}"), "label": label,
                 "count": counts[(prefix, key)]}
                for key, label in items if counts.get((prefix, key))]}

        return [
            way("find.way_region", "region", [(c, r.region(c)) for c in d.regions]),
            way("find.way_help", "help", [(t.id, r.plain(t.name))
                                          for t in v["support-types"].values()]),
            way("find.way_for", "for", [(t.id, r.plain(t.name))
                                        for t in v["victimization-types"].values()]),
            way("find.way_provider", "provider", [(t.id, r.plain(t.name))
                                                  for t in v["organization-kinds"].values()]),
        ]

    def browse_pages(self) -> Iterator[Page]:
        d, v = self.directory, self.directory.vocabularies
        for term in v["support-types"].values():
            yield from self._list_page(f"help/{term.id}", term.name.get(self.lang)[0],
                                  [s for s in d.services if term.id in s.support_types])
        for term in v["victimization-types"].values():
            yield from self._list_page(f"for/{term.id}", term.name.get(self.lang)[0],
                                  [s for s in d.services if term.id in s.victimization_types])
        for term in v["organization-kinds"].values():
            yield from self._list_page(f"provider/{term.id}", term.name.get(self.lang)[0],
                                  [s for s in d.services if s.organization_kind == term.id])
        for code in d.regions:
            yield from self.region_page(code)

    def _list_page(self, key: str, title: str, services: list[Service]) -> Iterator[Page]:
        intro = self.s("browse.intro", count=len(services))
        yield from self._paged(f"find-support/{key}", title, [("", s) for s in services],
                               lambda r, first: {"intro": intro, "emergency": None,
                                                 "lines": None, "more": None,
                                                 "pamphlets": None, "nearby": False})

    def _paged(self, path: str, title: str, entries: list[tuple[str, Service]],
               context: Callable[[Renderer, bool], dict[str, Any]]) -> Iterator[Page]:
        """A list of services as pages of LIST_PAGE_SIZE cards: ``path`` for the first,
        ``path/2``, ``path/3``... for the rest, each linking to the previous and the next.
        ``entries`` pairs each service with the heading of its group ("" for none)."""
        chunks = [entries[i:i + LIST_PAGE_SIZE]
                  for i in range(0, len(entries), LIST_PAGE_SIZE)] or [[]]
        paths = [path] + [f"{path}/{n}" for n in range(2, len(chunks) + 1)]
        for n, (chunk, here) in enumerate(zip(chunks, paths, strict=True), start=1):
            r = self.renderer(here)
            pager = None if len(chunks) == 1 else {
                "label": self.s("list.page", page=n, pages=len(chunks)),
                "previous": r.link(paths[n - 2]) if n > 1 else None,
                "next": r.link(paths[n]) if n < len(chunks) else None}
            body = render("services.html.j2", r, groups=self._groups(chunk, r), pager=pager,
                          **context(r, n == 1))
            shown = title if n == 1 else self.s("list.title_page", title=title, page=n,
                                                pages=len(chunks))
            yield Page(here, shown, body, searchable=False)

    def _groups(self, entries: list[tuple[str, Service]], r: Renderer) -> list[dict[str, Any]]:
        """Consecutive services under the same heading, as one group of cards."""
        groups: list[dict[str, Any]] = []
        for heading, service in entries:
            if not groups or groups[-1]["title"] != heading:
                groups.append({"title": heading, "services": []})
            groups[-1]["services"].append(service)
        for group in groups:  # cards one heading level below their group's
            group["cards"] = self.cards(group.pop("services"), r, 3 if group["title"] else 2)
        return groups

    def region_page(self, code: str) -> Iterator[Page]:
        """A place's pages: its emergency number and lines open 24 hours first, then its
        services (its own, its parts', its country's) by kind of help, most urgent first."""
        d = self.directory
        path = f"find-support/region/{code.lower()}"
        r = self.renderer(path)
        services = d.by_urgency(d.services_in(code), code)
        lines = [s for s in services if s.open_line][:MAX_PLACE_LINES]
        number = d.emergency_number(code)
        subdivisions = [c for c in d.regions if c.startswith(code + "-")]

        def context(r: Renderer, first: bool) -> dict[str, Any]:
            # The emergency number on every page; lines, places and pamphlets on the first.
            more = {"title": self.s("region.parts", region=r.place(code)),
                    "links": [{"href": r.link(f"find-support/region/{c.lower()}"),
                               "label": r.region(c)} for c in subdivisions]} \
                if subdivisions and first else None
            pamphlets = {"title": self.s("pamphlets.for_region", region=r.place(code)),
                         "links": self.pamphlet_links(r, code)} if services and first else None
            return {"intro": "", "emergency": number, "more": more, "pamphlets": pamphlets,
                    "nearby": first,
                    "lines": {"title": self.s("region.lines", region=r.place(code)),
                              "services": lines} if lines and first else None}

        yield from self._paged(path, self.s("region.title", region=r.place(code)),
                               self._by_kind(services, r), context)

    def _by_kind(self, services: list[Service], r: Renderer) -> list[tuple[str, Service]]:
        """Each service under its first kind of help, kinds in the vocabulary's order (a
        crisis line before a compensation board), the services' order kept within each."""
        kinds = list(self.directory.vocabularies["support-types"])
        ordered = sorted(services, key=lambda s: kinds.index(s.support_types[0])
                         if s.support_types[0] in kinds else len(kinds))
        return [(r.plain(self.directory.term("support-types", s.support_types[0]).name), s)
                for s in ordered]

    def service(self, service: Service) -> Page:
        r = self.renderer(f"services/{service.id}")
        address = self.public_url.rstrip("/") + "/" + page_url(
            f"services/{service.id}", self.lang, self.default) if self.public_url else ""
        body = render("service.html.j2", r, service=service,
                      take=take_with_you(service, address))
        return Page(f"services/{service.id}", r.plain(service.name), body,
                    r.first_sentence(service.description),
                    meta={"haven_checked": service.verification.date.isoformat(),
                          # For the printed page's header (theme main.html), in this language.
                          "haven_checked_text": format_date(service.verification.date, "long",
                                                            locale=self.lang)})

    # Rights and reporting ----------------------------------------------------------------
    def _by_jurisdiction(self, records: list[Any], r: Renderer) -> list[dict[str, Any]]:
        """One group per jurisdiction (England and Wales together when a law covers both)."""
        groups: dict[tuple[str, ...], list[Any]] = {}
        for record in records:
            groups.setdefault(record.jurisdictions, []).append(record)
        order = list(self.directory.regions)
        return [{"anchor": "in-" + "-".join(code.lower() for code in codes),
                 "title": r.regions(codes), "records": items}
                for codes, items in sorted(groups.items(),
                                           key=lambda g: [order.index(c) for c in g[0]])]

    def rights(self) -> Page:
        return self._by_place_page("rights", list(self.directory.rights), "rights.html.j2")

    def report(self) -> Page:
        """Emergency routes first in each place, then by urgency (routes_by_urgency)."""
        routes = self.directory.routes_by_urgency(self.directory.reporting)
        return self._by_place_page("report", routes, "report.html.j2", emergency_first=True)

    def _by_place_page(self, path: str, records: list[Any], template: str,
                       emergency_first: bool = False) -> Page:
        """``emergency_first``: a place whose routes do not start with its emergency
        number gets the number's button first."""
        r = self.renderer(path)
        checks = {(x.verification.date, x.verification.method) for x in records}
        shared = records[0].verification if len(checks) == 1 else None
        groups = self._by_jurisdiction(records, r)
        for group in groups if emergency_first else []:
            first = group["records"][0]
            number = self.directory.emergency_number(first.jurisdictions[0])
            if first.route_kind != "emergency-services" and number:
                group["emergency"] = number
        body = render(template, r, groups=groups, shared=shared)
        return Page(path, self.s(f"title.{path}"), body, self.s(f"{path}.intro"))

    def pamphlet_links(self, r: Renderer, region: str) -> list[dict[str, str]]:
        return [{"href": r.asset(f"pamphlets/{pamphlet_path(self.lang, region, paper)}"),
                 "label": self.s(f"pamphlets.{paper}", region=r.region(region)),
                 "hreflang": self.lang}
                for paper in PAPERS]

    def pamphlets(self) -> Page:
        r = self.renderer("pamphlets")
        regions = regions_with_services(self.directory)
        body = render("pamphlets.html.j2", r, groups=[
            {"title": r.region(code), "links": self.pamphlet_links(r, code)} for code in regions])
        return Page("pamphlets", self.s("pamphlets.title"), body, self.s("pamphlets.intro"),
                    searchable=False)

    def search(self) -> Page:
        r = self.renderer("search")
        return Page("search", self.s("title.search"), render("search.html.j2", r),
                    searchable=False)

    # Pieces for prose pages --------------------------------------------------------------
    def get_help_now(self, page_path: str = "index") -> str:
        """The home page's first block: for each place, its emergency number and its own
        lines open 24 hours, most urgent first."""
        r = self.renderer(page_path)
        html = render("get_help_now.html.j2", r, places=self.help_places(r))
        return "\n".join(line for line in html.splitlines() if line.strip())

    def help_places(self, r: Renderer) -> list[dict[str, Any]]:
        """Every covered place that has an emergency number or a 24-hour line (at most
        MAX_HELP_PLACES, each with at most MAX_PLACE_LINES lines; the rest one link away,
        on the place's page)."""
        d = self.directory
        places = []
        for region in list(d.regions.values())[:MAX_HELP_PLACES]:
            lines = d.by_urgency(s for s in d.services
                                 if region.code in s.service_areas and s.open_line)
            country = d.regions.get(region.country)
            number = d.emergency_number(region.code)
            if not lines and not number:
                continue
            places.append({
                "anchor": f"help-{region.code.lower()}", "name": r.region(region.code),
                "in_name": r.place(region.code),
                "emergency": number, "lines": lines[:MAX_PLACE_LINES],
                "more": len(lines[MAX_PLACE_LINES:]),
                "href": r.link(f"find-support/region/{region.code.lower()}"),
                "country": None if region.is_country or country is None else {
                    "anchor": f"help-{country.code.lower()}", "name": r.place(country.code)}})
        return places
