"""Problems found in the directory, collected rather than raised.

Every stage adds to one :class:`Problems` list so that a contributor sees every mistake in
every file in a single run; a reporter turns the list into text or CI annotations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one field of one file, written for the person who edits it."""

    path: Path
    line: int
    column: int
    field: str
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR

    def text(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        fix = f" — {self.fix}" if self.fix else ""
        label = "" if self.severity is Severity.ERROR else "warning: "
        return f"{where}: {label}{what}{fix}"


@dataclass
class Problems:
    """Every problem found so far, in the order files and fields were checked."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Problems | list[Problem]) -> None:
        self.items.extend(problems.items if isinstance(problems, Problems) else problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items, key=lambda p: (str(p.path), p.line, p.column)))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]


class DirectoryError(Exception):
    """The directory has errors; nothing may be built or published from it."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        errors = problems.errors
        lines = "\n".join(p.text() for p in errors)
        super().__init__(f"{len(errors)} error(s) in the directory:\n{lines}")
