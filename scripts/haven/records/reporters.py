"""Turn a validation into what a person or a CI system reads: text, GitHub annotations, JSON."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

from .directory import Validation
from .problems import Problem, Severity
from .rules import RecordFile


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _display(problem: Problem) -> Problem:
    return Problem(Path(_relative(problem.path)), problem.line, problem.column, problem.field,
                   problem.message, problem.fix, problem.severity)


def printable(text: str) -> str:
    """Control characters shown as escapes: a value or a file name can never move the
    cursor, repaint a maintainer's terminal or start a new line of the report."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def as_text(validation: Validation) -> str:
    lines = [printable(_display(p).text()) for p in validation.problems]
    errors, warnings = len(validation.problems.errors), len(validation.problems.warnings)
    lines.append(summary(validation.files))
    if errors:
        lines.append(f"✗ {errors} error(s), {warnings} warning(s). Nothing can be published "
                     "until the errors are fixed.")
    else:
        lines.append(f"✓ No errors ({warnings} warning(s)).")
    return "\n".join(lines)


def as_github(validation: Validation) -> str:
    """GitHub Actions workflow commands: each problem shows on the pull request's line."""
    lines = []
    for problem in validation.problems:
        level = "error" if problem.severity is Severity.ERROR else "warning"
        title = problem.field or "file"
        body = problem.message + (f" — {problem.fix}" if problem.fix else "")
        lines.append(f"::{level} file={_property(printable(_relative(problem.path)))},"
                     f"line={problem.line},col={problem.column},"
                     f"title={_property(printable(title))}::"
                     f"{_data(printable(body))}")
    lines.append(summary(validation.files))
    return "\n".join(lines)


def as_json(validation: Validation) -> str:
    return json.dumps([
        {"file": _relative(p.path), "line": p.line, "column": p.column, "field": p.field,
         "message": p.message, "fix": p.fix, "severity": p.severity.value}
        for p in validation.problems
    ], indent=2, ensure_ascii=False)


def summary(files: list[RecordFile]) -> str:
    """Counts per kind, and how many records are fully written in each language."""
    kinds = Counter(f.kind for f in files)
    complete: Counter[str] = Counter()
    for record in files:
        for lang in _complete_languages(record.data):
            complete[lang] += 1
    per_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    per_lang = ", ".join(f"{lang} {n}/{len(files)}" for lang, n in sorted(
        complete.items(), key=lambda item: (item[0] != "en", item[0])))
    return f"Checked {len(files)} records ({per_kind or 'none'}). " \
           f"Fully translated: {per_lang or 'none'}."


def _complete_languages(data: object) -> set[str]:
    """Languages in which every translatable text of a record is written."""
    maps = list(_translatable_maps(data))
    if not maps:
        return set()
    return set.intersection(*(set(m) for m in maps))


def _translatable_maps(data: object):  # type: ignore[no-untyped-def]
    if isinstance(data, dict):
        if "en" in data and all(isinstance(v, str) for v in data.values()):
            yield data
        else:
            for value in data.values():
                yield from _translatable_maps(value)
    elif isinstance(data, list):
        for item in data:
            yield from _translatable_maps(item)


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (%, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property (file, title): also ':' and ',' (GitHub's rules), so a
    file name can never end the command or add another."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")

