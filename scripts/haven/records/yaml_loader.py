"""Safe YAML loading for records written by strangers.

PyYAML's own loaders keep the last of two duplicate keys (losing a contributor's data),
expand aliases (alias bombs) and accept tags. We build values from the parser's *events*
instead (the fast C parser when available), which lets us refuse all of those, keep the
line and column of every key and value, and decide how plain scalars are typed: dates and
times stay strings, because the schemas want text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, Problems

try:  # The C parser is ~10x faster; fall back to pure Python where libyaml is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
"""A record is a few kilobytes; anything far larger is a mistake or an attack."""

MAX_DEPTH = 20
"""Records are at most five levels deep; a deeper file is a mistake or an attack (Python
would run out of stack on the way)."""

FieldPath = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?$")
_BOOL = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_NULL = {"", "~", "null"}


@dataclass
class LoadedFile:
    """A YAML mapping with the 1-based line and column of each value and key."""

    path: Path
    data: dict[str, Any]
    values: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    raw: dict[FieldPath, str] = field(default_factory=dict)
    """The source text of unquoted values that YAML read as numbers, booleans or null."""

    def where(self, path: FieldPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at ``path`` (or its key), or the nearest enclosing one."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if not key and path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, fix: str) -> None:
        self.line = mark.line + 1 if mark else 1
        self.column = mark.column + 1 if mark else 1
        self.message = message
        self.fix = fix


def load_yaml(path: Path, problems: Problems, max_bytes: int = MAX_BYTES) -> LoadedFile | None:
    """Load one record file, or add a problem and return None when it cannot be trusted."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(Problem(path, 1, 1, "", f"cannot read the file ({exc.strerror})"))
        return None
    text = _decode(raw, max_bytes)
    if isinstance(text, tuple):
        problems.add(Problem(path, 1, 1, "", *text))
        return None
    return load_yaml_text(path, text, problems)


def load_yaml_text(path: Path, text: str, problems: Problems) -> LoadedFile | None:
    """As ``load_yaml``, for text already read (such as a page's front matter); ``path``
    names it in problems. The caller bounds its size."""
    try:
        return _build(path, text)
    except _Refused as exc:
        problems.add(Problem(path, exc.line, exc.column, "", exc.message, exc.fix))
    except yaml.MarkedYAMLError as exc:
        problems.add(_syntax_problem(path, text, exc))
    except yaml.reader.ReaderError as exc:  # a raw control character in the file
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        problems.add(Problem(path, line, column, "", f"the file contains an invisible control "
                             f"character (U+{exc.character:04X})",
                             "delete it: it often comes from pasting from a word processor"))
    except yaml.YAMLError as exc:  # anything else the parser refuses: never a traceback
        problems.add(Problem(path, 1, 1, "", f"this is not valid YAML ({exc})",
                             "start again from the template for this kind of record"))
    return None


def _syntax_problem(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    # An unclosed quote is found at the end of the file; point at where it opens.
    opened = "quoted scalar" in (exc.context or "")
    mark = (exc.context_mark if opened else None) or exc.problem_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = "a quote is opened here but never closed" if opened else exc.problem
    fix = "check the indentation and that text with a colon (:) is quoted"
    if "\t" in (text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""):
        fix = "indent with spaces, not tabs (some editors insert a tab for the Tab key)"
    return Problem(path, line, col, "", f"this is not valid YAML ({what})", fix)


def _decode(raw: bytes, max_bytes: int) -> str | tuple[str, str]:
    """The file's text, or why it is refused: (what is wrong, how to fix it)."""
    if len(raw) > max_bytes:
        return (f"the file is {len(raw):,} bytes, over the limit of {max_bytes:,}",
                "a record should be a few kilobytes: split it or remove pasted material")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return (f"the file is not valid UTF-8 (bad byte on line {line})",
                "save the file as UTF-8 in your editor")


def _build(path: Path, text: str) -> LoadedFile:
    parser = _Loader(text)
    try:
        return _document(path, iter(parser.get_event, None))  # without yaml.parse's wrapper
    finally:
        parser.dispose()


def _document(path: Path, events: Iterator[Any]) -> LoadedFile:
    loaded = LoadedFile(path, {})
    next(events)  # StreamStart
    start = next(events)
    if isinstance(start, yaml.StreamEndEvent):
        raise _Refused(None, "the file is empty", "start from the template for this kind of record")
    if isinstance(next_event := next(events), yaml.MappingStartEvent):
        _refuse_node_extras(next_event)
        loaded.values[()] = (next_event.start_mark.line + 1, next_event.start_mark.column + 1)
        loaded.data = _mapping(events, next_event, (), loaded)
    else:
        raise _Refused(next_event.start_mark, "the file must be a set of `field: value` lines",
                       "start from the template for this kind of record")
    if not isinstance(next(events), yaml.DocumentEndEvent) or not isinstance(
        next(events), yaml.StreamEndEvent
    ):
        raise _Refused(None, "the file holds more than one YAML document",
                       "remove the `---` line and keep one record per file")
    return loaded


def _value(events: Any, event: Any, path: FieldPath, loaded: LoadedFile) -> Any:
    if len(path) > MAX_DEPTH:
        raise _Refused(event.start_mark, f"the values are nested more than {MAX_DEPTH} "
                       "levels deep", "a record is a few levels deep: start again from the "
                       "template for this kind of record")
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(event.start_mark, "aliases (*name) are not allowed",
                       "write the value out in full")
    _refuse_node_extras(event)
    loaded.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
    if isinstance(event, yaml.MappingStartEvent):
        return _mapping(events, event, path, loaded)
    if isinstance(event, yaml.SequenceStartEvent):
        return _sequence(events, path, loaded)
    value = _scalar(event)
    if not isinstance(value, str):
        loaded.raw[path] = event.value
    return value


def _refuse_node_extras(event: Any) -> None:
    if getattr(event, "anchor", None):
        raise _Refused(event.start_mark, f"anchors (&{event.anchor}) are not allowed",
                       "write each value out in full")
    if getattr(event, "tag", None):
        raise _Refused(event.start_mark, f"tags such as {event.tag} are not allowed",
                       "remove the word starting with ! and quote the value if it is text")


def _mapping(events: Any, start: Any, path: FieldPath, loaded: LoadedFile) -> dict[str, Any]:
    result: dict[str, Any] = {}
    while not isinstance(key_event := next(events), yaml.MappingEndEvent):
        if not isinstance(key_event, yaml.ScalarEvent):
            raise _Refused(key_event.start_mark, "a field name must be a plain word",
                           "write `name: value`")
        _refuse_node_extras(key_event)
        key = key_event.value
        if key in result:
            line = loaded.keys[(*path, key)][0]
            raise _Refused(key_event.start_mark, f"the field `{key}` appears twice "
                           f"(first on line {line})", "keep one and delete the other")
        loaded.keys[(*path, key)] = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
        result[key] = _value(events, next(events), (*path, key), loaded)
    return result


def _sequence(events: Any, path: FieldPath, loaded: LoadedFile) -> list[Any]:
    items: list[Any] = []
    while not isinstance(event := next(events), yaml.SequenceEndEvent):
        items.append(_value(events, event, (*path, len(items)), loaded))
    return items


def _scalar(event: Any) -> Any:
    """Type a scalar as YAML 1.1 would, except dates and times, which stay text."""
    value = event.value
    if not event.implicit[0]:
        return value  # quoted or block text
    lowered = value.lower()
    if lowered in _NULL:
        return None
    if lowered in _BOOL:
        return _BOOL[lowered]
    if _INT.match(value):
        return int(value.replace("_", ""))
    if re.match(r"^[-+]?0[0-7_]+$", value):  # YAML 1.1 octal: 01234 reads as 668
        return int(value.replace("_", ""), 8)
    if _FLOAT.match(value):
        return float(value.replace("_", ""))
    return value
