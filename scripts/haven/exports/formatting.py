"""Plain-text forms of structured fields, shared by the CSV and HSDS exports.

Both need opening hours and lists as one line of text; writing them once keeps the two
files saying the same thing about the same service.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..records.model import Hours, TimeSlot

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS_OPEN = "24/7"
LIST_SEPARATOR = "; "
"""Between items of a list in one cell: a comma already appears inside names."""


def join(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def days_text(days: Iterable[str]) -> str:
    """``mon-fri``, ``sat, sun`` or ``mon, wed, fri``: runs of three days or more as ranges."""
    ordered = sorted(set(days), key=WEEK.index)
    runs: list[list[str]] = []
    for day in ordered:
        if runs and WEEK.index(day) == WEEK.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) >= 3 else ", ".join(r) for r in runs)


def slot_text(slot: TimeSlot) -> str:
    return f"{days_text(slot.days)} {slot.opens_at}-{slot.closes_at}"


def hours_text(hours: Hours | None) -> str:
    """``24/7`` or ``mon-fri 09:00-17:00 (America/New_York)``; notes are left to the caller,
    who knows which language to take them in."""
    if hours is None:
        return ""
    if hours.always_open:
        return ALWAYS_OPEN
    text = join(slot_text(slot) for slot in hours.schedule)
    return f"{text} ({hours.timezone})" if hours.timezone else text
