"""Records whose information has not been checked for a long time, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..records import Directory
from ..records.model import Record
from ..records.rules import STALE_AFTER


@dataclass(frozen=True)
class StaleRecord:
    record: Record
    age: timedelta

    def where(self, root: Path) -> str:
        try:
            return str(self.record.path.relative_to(root.parent))
        except ValueError:
            return str(self.record.path)


def stale_records(directory: Directory, today: date | None = None,
                  older_than: timedelta = STALE_AFTER) -> list[StaleRecord]:
    today = today or date.today()
    found = [StaleRecord(r, today - r.verification.date) for r in directory.records()
             if today - r.verification.date > older_than]
    return sorted(found, key=lambda s: s.record.verification.date)


def as_text(stale: list[StaleRecord], root: Path) -> str:
    if not stale:
        return "No record is over 12 months since it was last checked."
    lines = [f"{len(stale)} record(s) not checked for over 12 months, oldest first:"]
    lines += [f"  {s.record.verification.date} ({s.age.days} days) {s.record.kind} "
              f"{s.record.id} — {s.where(root)}" for s in stale]
    return "\n".join(lines)


def as_markdown(stale: list[StaleRecord], root: Path) -> str:
    lines = ["## Entries to check again", ""]
    if not stale:
        return "\n".join([*lines, "No record is over 12 months since it was last checked."])
    lines += ["| Last checked | Days | Kind | Record |", "| --- | --- | --- | --- |"]
    lines += [f"| {s.record.verification.date} | {s.age.days} | {s.record.kind} | "
              f"`{s.where(root)}` |" for s in stale]
    return "\n".join(lines)
