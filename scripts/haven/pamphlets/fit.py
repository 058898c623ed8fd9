"""Fit a pamphlet to one double-sided sheet by measuring its layout.

A pamphlet has a front (the emergency number, the 24-hour lines, the region's services) and
a back (the way online, safety, rights, how to report). How much a region has to say varies
several times over, so one type size leaves some pamphlets half empty and pushes others to
a third page. Instead each pamphlet is laid out once at the base size; WeasyPrint reports
where three marker elements landed (``Page.anchors``: the end of the front, the start and
the end of the back), which gives how long the front and the back are; the largest type
size at which both fill their pages is predicted from that (``GROWTH``) and laid out to
confirm, stepping down if the prediction was too bold. When the
back would leave the front too empty, the back follows straight on instead of starting
page 2. Services are left out, counted as "more on the website", only when even the
smallest size does not fit.

Two or three layouts for most pamphlets; three to five short ones for a crowded region.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SIZES = (12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0)
"""Root type sizes in points, largest first; nothing on a pamphlet is set below 9 pt."""
BASE = 10.5
SMALLEST = SIZES[-1]
FULL = 0.96
"""How much of a page a prediction may fill: room for the model's error."""
WELL_FILLED = 2 / 3
"""A page less full than this looks unfinished and wastes paper."""
MARGINS_MM = (11.0, 12.0, 13.0)
"""Top, sides, bottom: the text column the content must stay inside."""
GROWTH = 1.2
"""Length grows as size ** GROWTH. Text alone would give 2 (taller lines, fewer words on
each), but margins, rules and short lines do not grow: measured on the shipped pamphlets,
1.0 to 1.5 for the front and 0.5 to 0.9 for the back. The low end makes the first guess fit
more often, at the cost of a slightly emptier page."""
SHEET_PAGES = 2
"""One sheet of paper, printed on both sides."""
SHRINKS_AT_MOST = 1.5
"""The largest growth exponent measured: a pamphlet at the smallest size is at least this
much shorter than at the base size, so when even that is too long, laying it out is
wasted."""
CERTAINLY_TOO_LONG = 2 * SHEET_PAGES
"""An estimate of version 0's length (pages at the smallest size) above which it is not
laid out at all: twice the sheet, room for the estimate's error."""
MANY_VERSIONS = 12
"""From this many versions (about twenty services more than fit) a place is crowded."""
SECANT_GUESSES = 6
"""Guesses from measured lengths before the search falls back to halving."""
MARKERS = ("front-end", "back-start", "back-end")
"""Element ids in the template whose positions measure the layout."""

_PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Style:
    """How a pamphlet is set: the root type size, and whether the back starts page 2."""

    size: float = BASE
    flow: bool = False
    """The back follows the front on the same page (for regions with little to list)."""

    def css(self, paper_size: str) -> str:
        top, side, bottom = MARGINS_MM
        small = max(SMALLEST, self.size - 0.5)
        return (f"@page {{ size: {paper_size}; margin: {top}mm {side}mm {bottom}mm; }}\n"
                f"html {{ font-size: {self.size}pt; }}\n"
                f".meta, .web, .dates {{ font-size: {small}pt; }}\n"
                + ("" if self.flow else ".back { break-before: page; }\n"))


SMALLEST_FLOWING = Style(SMALLEST, flow=True)
"""How a crowded pamphlet is set: the smallest size, the back straight after the front."""


@dataclass(frozen=True)
class Measure:
    """Where a layout's content ended, in pages (1.5 = half-way down the second page)."""

    pages: int
    front_end: float
    back_start: float
    back_end: float

    @property
    def back(self) -> float:
        return self.back_end - self.back_start

    def fills(self, flow: bool) -> list[float]:
        """How full each page is: a page that a section runs past is full."""
        ends = [self.back_end] if flow else [self.front_end, self.back_end]
        return [min(1.0, max((e - i for e in ends if i <= e < i + 1), default=1.0))
                for i in range(self.pages)]


def measure(document: Any) -> Measure | None:
    """The marker positions of a WeasyPrint document, from its pages' anchors (None for
    HTML that is not a pamphlet: it has no markers)."""
    top, _, bottom = (mm * _PX_PER_MM for mm in MARGINS_MM)
    found: dict[str, float] = {}
    for index, page in enumerate(document.pages):
        column = page.height - top - bottom
        for name in MARKERS:
            if name in page.anchors:
                found[name] = index + (page.anchors[name][1] - top) / column
    if set(found) != set(MARKERS):
        return None
    return Measure(len(document.pages), *(found[name] for name in MARKERS))


def predict(measured: Measure, at: Style) -> list[Style]:
    """Styles worth laying out, best first: the largest size at which the front and the
    back each fill one page, when both pages are then well filled; else the back straight
    after the front, at the largest size that fills two pages; then smaller sizes in
    case the prediction was too bold."""
    def grown(length: float, size: float) -> float:
        return length * (size / at.size) ** GROWTH

    def largest(fits: Callable[[float], bool]) -> float | None:
        return next((s for s in SIZES if fits(s)), None)

    front, back = measured.front_end, measured.back
    apart = largest(lambda s: grown(max(front, back), s) <= FULL)
    together = largest(lambda s: grown(front + back, s) <= 1 + FULL)
    fill_apart = grown(min(front, back), apart) if apart else 0.0
    fill_together = grown(front + back, together) - 1 if together else 0.0
    if apart and (fill_apart >= WELL_FILLED or fill_apart >= fill_together):
        first = Style(apart)
    elif together:
        first = Style(together, flow=True)
    else:
        return []
    return [first, *(Style(s, first.flow) for s in SIZES if s < first.size)]


@dataclass(frozen=True)
class Fitted:
    """The chosen layout, and which version at which style it is."""

    document: Any
    version: int
    style: Style


def fit(layout: Callable[[int, Style], Any], versions: int,
        weight: Callable[[int], int] | None = None) -> Any:
    """The document of the fullest version (0 has every service) at the best style that
    fits one sheet. ``layout(version, style)`` lays one out; ``weight(version)``, when
    given, is how much text a version has (to skip laying out a version 0 that is many
    pages too long)."""
    return fit_choosing(layout, versions, weight).document


def fit_choosing(layout: Callable[[int, Style], Any], versions: int,
                 weight: Callable[[int], int] | None = None,
                 like: Fitted | None = None) -> Fitted:
    """``fit``, saying what it chose. ``like``: what the same pamphlet on the other paper
    size chose; when that left services out, the search starts there (A4 and Letter
    differ by a few lines, so two layouts instead of five)."""
    laid_out: dict[tuple[int, Style], Any] = {}

    def pages(version: int, style: Style) -> int:
        if (version, style) not in laid_out:
            laid_out[version, style] = layout(version, style)
        return len(laid_out[version, style].pages)

    def fewer(longest: float, start: int | None = None) -> Fitted:
        return _fuller(pages, laid_out, *_fewer_services(pages, laid_out, longest, versions,
                                                         start))

    if like is not None and like.version > 0 and like.style == SMALLEST_FLOWING:
        return fewer(math.inf, like.version)
    estimate = _estimated_length(pages, laid_out, versions, weight)
    if estimate is not None and estimate > CERTAINLY_TOO_LONG:
        return fewer(estimate)
    pages(0, Style())
    measured = measure(laid_out[0, Style()])
    if measured is None:
        return Fitted(laid_out[0, Style()], 0, Style())
    for style in predict(measured, Style()):
        if pages(0, style) <= SHEET_PAGES:
            return _fuller(pages, laid_out, 0, style)
    return fewer((measured.front_end + measured.back) * (SMALLEST / BASE) ** SHRINKS_AT_MOST)


def _estimated_length(pages: Callable[[int, Style], int],
                      laid_out: dict[tuple[int, Style], Any], versions: int,
                      weight: Callable[[int], int] | None) -> float | None:
    """Version 0's length at the smallest size, estimated from the last version's laid-out
    length and how much more text version 0 has, for a pamphlet with many versions (a
    crowded place: its version 0 is ten pages and more, a second or more to lay out)."""
    if weight is None or versions < MANY_VERSIONS:
        return None
    pages(versions - 1, SMALLEST_FLOWING)
    shortest = measure(laid_out[versions - 1, SMALLEST_FLOWING])
    if shortest is None:
        return None
    return shortest.back_end * weight(0) / max(weight(versions - 1), 1)


def _fewer_services(pages: Callable[[int, Style], int], laid_out: dict[tuple[int, Style], Any],
                    longest: float, versions: int, start: int | None = None
                    ) -> tuple[int, Style]:
    """The longest version that fits at the smallest size (the last if none does).

    Each version is a row of services shorter than the one before, so a pamphlet's length
    falls about evenly from version 0 (``longest`` pages at the smallest size, measured or
    estimated) to the last. The search draws a line through the two versions measured
    last, lays out the version where it crosses the end of the sheet, and repeats with
    what it measured (after ``SECANT_GUESSES``, it halves the range instead). A crowded
    place's pamphlet is found in four to six short layouts instead of a dozen long ones,
    which at fifty places and five languages was most of a cold build; from a ``start``
    that fits (the other paper size's answer), in two. Version 0 is laid out at the
    smallest size only when it might fit (``SHRINKS_AT_MOST``)."""
    style, last = SMALLEST_FLOWING, versions - 1

    def length(version: int) -> float:
        found = measure(laid_out[version, style])
        return found.back_end if found else float(pages(version, style))

    low, high, known = 0, last, []  # low does not fit (tried, or cannot)
    for guess in _near(start, last):  # the other paper's answer, then one fewer row
        fits = pages(guess, style) <= SHEET_PAGES
        low, high = (low, guess) if fits else (guess, high)
        known.append((guess, length(guess)))
        if fits:
            break
    if high == last:
        if pages(last, style) > SHEET_PAGES:
            return last, style
        if low == 0 and longest <= SHEET_PAGES and pages(0, style) <= SHEET_PAGES:
            return 0, style
        known.append((last, length(last)))
    known.insert(0, (0, length(0) if (0, style) in laid_out else longest))
    while high - low > 1:  # low does not fit, high fits
        if len(known) < 2 + SECANT_GUESSES:
            guess = min(high - 1, max(low + 1, _crossing(*known[-2:])))
        else:  # lengths that do not fall evenly (it has never happened): halve the range
            guess = (low + high) // 2
        fits = pages(guess, style) <= SHEET_PAGES
        low, high = (low, guess) if fits else (guess, high)
        known.append((guess, length(guess)))
    return high, style


def _near(start: int | None, last: int) -> list[int]:
    return [] if start is None else [v for v in (start, start + 1) if 0 < v < last]


def _crossing(one: tuple[int, float], other: tuple[int, float]) -> int:
    """The first version predicted to fit, on the line through two (version, length)
    points: lengths fall about evenly from version to version."""
    (v1, l1), (v2, l2) = one, other
    if v1 == v2 or l1 == l2 or math.isinf(l1) or math.isinf(l2):
        return v2 - 1  # no line to draw: the next longer than the one measured last
    return math.ceil(v1 + (SHEET_PAGES - l1) * (v2 - v1) / (l2 - l1))


def _fuller(pages: Callable[[int, Style], int], laid_out: dict[tuple[int, Style], Any],
            version: int, style: Style) -> Fitted:
    """The chosen layout, or the next size up if the chosen one leaves a page looking
    unfinished and the larger one still fits: rows that do not break move to the next page
    whole, so a larger size sometimes fills better."""
    chosen = laid_out[version, style]
    larger = [s for s in SIZES if s > style.size]
    measured = measure(chosen)
    if not larger or measured is None or min(measured.fills(style.flow)) >= WELL_FILLED:
        return Fitted(chosen, version, style)
    up = Style(larger[-1], style.flow)
    if pages(version, up) <= SHEET_PAGES:
        return Fitted(laid_out[version, up], version, up)
    return Fitted(chosen, version, style)
