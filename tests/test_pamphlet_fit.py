"""Choosing a pamphlet's type size and page break from a measured layout: the rules,
without WeasyPrint (milliseconds). The real layouts are checked in site/test_pamphlet_layout."""

from __future__ import annotations

from dataclasses import dataclass, field

from haven.pamphlets.fit import (
    BASE,
    SHEET_PAGES,
    SMALLEST,
    Measure,
    Style,
    fit,
    fit_choosing,
    predict,
)


def measured(front: float, back: float, pages: int = 2) -> Measure:
    """A base layout whose front is ``front`` pages long and whose back starts a page."""
    start = float(int(front) + 1)
    return Measure(pages, front, start, start + back)


def test_a_sparse_pamphlet_gets_larger_type_not_empty_paper() -> None:
    first = predict(measured(0.6, 0.6), Style())[0]
    assert first.size > BASE and not first.flow


def test_a_full_pamphlet_keeps_the_back_on_the_back_at_a_size_that_fits() -> None:
    first = predict(measured(1.05, 0.8, pages=3), Style())[0]
    assert SMALLEST <= first.size < BASE and not first.flow


def test_a_short_front_with_a_long_back_lets_the_back_follow_on() -> None:
    """0.3 of a page of services and a full back: the front page would be 70% empty."""
    assert predict(measured(0.3, 0.95), Style())[0].flow


def test_every_later_guess_is_smaller_and_nothing_is_below_nine_points() -> None:
    styles = predict(measured(1.2, 0.9, pages=3), Style())
    sizes = [s.size for s in styles]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= SMALLEST


def test_far_too_much_predicts_no_size_at_all() -> None:
    assert predict(measured(2.5, 1.0, pages=4), Style()) == []


def test_the_fill_of_each_page() -> None:
    assert [round(f, 6) for f in measured(0.8, 0.7).fills(flow=False)] == [0.8, 0.7]
    assert [round(f, 6) for f in Measure(2, 0.5, 0.5, 1.75).fills(flow=True)] == [1.0, 0.75]


@dataclass
class FakePage:
    """What fit reads of a WeasyPrint page: its height and where the markers are."""

    anchors: dict[str, tuple[float, float, float, float]]
    height: float = 1000.0


@dataclass
class FakeDocument:
    pages: list[FakePage]


@dataclass
class FakeLayout:
    """Versions 0..n-1 with ``rows[v]`` rows of content, a row being 0.1 page at 10.5 pt
    and growing with the size; the back is half a page."""

    rows: list[int]
    calls: list[tuple[int, Style]] = field(default_factory=list)

    def __call__(self, version: int, style: Style) -> FakeDocument:
        self.calls.append((version, style))
        front = self.rows[version] * 0.1 * (style.size / BASE) ** 1.2
        back_start = front if style.flow else float(int(front) + 1)
        end = back_start + 0.5 * (style.size / BASE)
        return FakeDocument(_pages({"front-end": front, "back-start": back_start,
                                    "back-end": end}))


def _pages(marks: dict[str, float]) -> list[FakePage]:
    from haven.pamphlets.fit import _PX_PER_MM, MARGINS_MM

    top, bottom = MARGINS_MM[0] * _PX_PER_MM, MARGINS_MM[2] * _PX_PER_MM
    column = 1000.0 - top - bottom
    pages = [FakePage({}) for _ in range(int(max(marks.values())) + 1)]
    for name, at in marks.items():
        y = top + (at - int(at)) * column
        pages[int(at)].anchors[name] = (0.0, y, 10.0, y)
    return pages


def test_services_are_left_out_only_when_the_smallest_type_does_not_fit() -> None:
    fits = FakeLayout([9, 7, 5])
    chosen = fit(fits, 3)
    assert all(version == 0 for version, _ in fits.calls), "every service fits at some size"
    assert len(chosen.pages) <= 2

    # Close: every service is tried at 9 pt before any is left out.
    close = FakeLayout([20, 19, 18, 17, 16, 14, 12, 10, 8, 6])
    chosen = fit(close, 10)
    assert (0, Style(SMALLEST, flow=True)) in close.calls, "every service tried at 9 pt"
    _the_longest_that_fits(close, chosen)


def test_a_far_too_long_pamphlet_finds_its_services_in_a_few_short_layouts() -> None:
    rows = list(range(150, 5, -1))  # a national pamphlet: 15 pages of lines and services
    crowded = FakeLayout(rows)
    chosen = fit(crowded, len(rows))
    _the_longest_that_fits(crowded, chosen)
    assert (0, Style(SMALLEST, flow=True)) not in crowded.calls, "certain not to fit"
    assert len(crowded.calls) <= 7
    long_ones = [v for v, s in crowded.calls if rows[v] * 0.1 > SHEET_PAGES + 1]
    assert long_ones == [0], "only the first layout is long"


def test_how_much_text_each_version_has_spares_even_the_first_long_layout() -> None:
    rows = list(range(150, 5, -1))
    crowded = FakeLayout(rows)
    chosen = fit(crowded, len(rows), weight=lambda v: rows[v] * 100)
    _the_longest_that_fits(crowded, chosen)
    assert len(crowded.calls) <= 7
    assert not [v for v, s in crowded.calls if rows[v] * 0.1 > SHEET_PAGES + 1], \
        "no long layout at all"


def test_many_versions_whose_every_service_fits_still_show_every_service() -> None:
    """The text-based estimate only ever skips a version 0 that is far too long."""
    rows = list(range(13, 1, -1))
    roomy = FakeLayout(rows)
    chosen = fit(roomy, len(rows), weight=lambda v: rows[v] * 100)
    assert roomy.calls[-1][0] == 0 and len(chosen.pages) <= SHEET_PAGES


def test_the_other_paper_size_starts_from_the_first_ones_answer() -> None:
    """Letter holds a row or so less than A4: fitted from A4's answer, in two layouts
    (a few more when the sizes differ more), and still the longest version that fits."""
    rows = list(range(150, 5, -1))
    a4 = fit_choosing(FakeLayout(rows), len(rows), weight=lambda v: rows[v] * 100)
    for shorter_sheet in (0, 1, 2, 5):  # Letter's rows: the same, or up to 5 rows longer
        letter = FakeLayout([r + shorter_sheet for r in rows])
        chosen = fit_choosing(letter, len(rows), weight=lambda v: rows[v] * 100, like=a4)
        assert len(letter.calls) <= (2 if shorter_sheet <= 1 else 5)
        _the_longest_that_fits(letter, chosen.document)


def _the_longest_that_fits(layout: FakeLayout, chosen: FakeDocument) -> None:
    final_version = layout.calls[-1][0]
    assert len(chosen.pages) <= 2 and 0 < final_version < len(layout.rows) - 1
    assert len(layout(final_version - 1, Style(SMALLEST, flow=True)).pages) > 2, \
        "the longest version that fits"
    assert all(s.size >= SMALLEST for _, s in layout.calls)
