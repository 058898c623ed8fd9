"""The JSON Schemas under ``directory/schema/`` and plain-language versions of their errors.

jsonschema says ``'webiste' was unexpected`` or ``668 is not of type 'string'``; an editor
needs the field, what is wrong and how to fix it. Each schema definition may carry an
``x-fix`` hint, which is shown as the fix.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cached_property
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from . import codes
from .problems import Problem, Problems
from .yaml_loader import FieldPath, LoadedFile

SCHEMA_FILES = {
    "service": "service.schema.json",
    "right": "right.schema.json",
    "reporting": "reporting.schema.json",
    "vocabulary": "vocabulary.schema.json",
    "regions": "regions.schema.json",
}
_TYPE_NAMES = {
    "string": "text", "object": "a group of `field: value` lines", "array": "a list",
    "boolean": "true or false", "integer": "a whole number", "number": "a number",
}


def field_name(path: FieldPath) -> str:
    """``('phones', 0, 'number')`` → ``phones[0].number``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"`{value}`"


class SchemaFolderError(Exception):
    """The schema folder itself is broken: a maintainer's problem, not a contributor's."""


class Schemas:
    """Loads the schema folder once and validates loaded YAML files against one kind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        resources = []
        for path in sorted(folder.glob("*.schema.json")):
            contents = json.loads(path.read_text(encoding="utf-8"))
            if "$id" not in contents:
                raise SchemaFolderError(f"{path}: a schema needs an \"$id\" (see the others)")
            resources.append((contents["$id"], Resource.from_contents(contents)))
        self.registry = Registry().with_resources(resources)
        self.documents = {uri: res.contents for uri, res in resources}

    @cached_property
    def _validators(self) -> dict[str, Draft202012Validator]:
        base = "https://haven.example/schema/"
        return {
            kind: Draft202012Validator(self.documents[base + name], registry=self.registry,
                                       format_checker=codes.format_checker())
            for kind, name in SCHEMA_FILES.items()
        }

    @cached_property
    def _fast(self) -> dict[str, Any]:
        """Compiled validators: ~50x faster, but they stop at the first error."""
        base = "https://haven.example/schema/"
        formats = {"iso-639-1": codes.is_language, "iso-3166": codes.is_region,
                   "date": codes.is_date}
        return {
            kind: fastjsonschema.compile(self.documents[base + name], formats=formats,
                                         handlers={"https": self.documents.__getitem__})
            for kind, name in SCHEMA_FILES.items()
        }

    def check(self, kind: str, loaded: LoadedFile) -> Problems:
        """Every schema problem in one file. Valid files (nearly all) take the fast path."""
        problems = Problems()
        try:
            self._fast[kind](loaded.data)
            return problems
        except fastjsonschema.JsonSchemaException:
            pass  # run the full validator to find and explain every problem
        validator = self._validators[kind]
        seen: set[Problem] = set()
        for error in validator.iter_errors(loaded.data):
            problem = self._explain(error, loaded)
            if problem not in seen:  # a key can fail both `pattern` and `format`
                seen.add(problem)
                problems.add(problem)
        return problems

    def _explain(self, error: ValidationError, loaded: LoadedFile) -> Problem:
        path: FieldPath = tuple(error.absolute_path)
        if "propertyNames" in error.relative_schema_path:
            at_key, path, message, fix = self._on_property_name(error, path)
        else:
            explain = getattr(self, f"_on_{error.validator}", self._on_other)
            at_key, path, message, fix = explain(error, path, loaded)
        line, column = loaded.where(path, key=at_key)
        return Problem(loaded.path, line, column, field_name(path), message, fix)

    # One method per JSON Schema keyword: (at the key?, field path, message, fix).
    def _on_required(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        missing = re.match(r"'(.+?)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        fix = self._hint((error.schema.get("properties") or {}).get(name, {}))
        return True, (*path, name), f"the required field `{name}` is missing", \
            f"add `{name}:`" + (f"; {fix}" if fix else "")

    def _on_additionalProperties(self, error: ValidationError, path: FieldPath,
                                 loaded: LoadedFile) -> Any:
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        name = extra[0] if extra else "?"
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        fix = (f"did you mean `{close[0]}`?" if close
               else "remove it; the fields allowed here are " + ", ".join(allowed))
        return True, (*path, name), f"unknown field `{name}`", fix

    def _on_property_name(self, error: ValidationError, path: FieldPath) -> Any:
        """A map key is wrong; jsonschema reports the key itself as the instance."""
        key = str(error.instance)
        return True, (*path, key), f"`{key}` is not an ISO 639-1 language code", \
            self._hint(error.schema)

    def _on_format(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        what = {"iso-639-1": "an ISO 639-1 language code", "iso-3166": "an ISO 3166 region code",
                "date": "a real date"}.get(error.validator_value, error.validator_value)
        return False, path, f"{describe(error.instance)} is not {what}", self._hint(error.schema)

    def _on_type(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        wanted = error.validator_value
        wanted_text = _TYPE_NAMES.get(wanted, wanted) if isinstance(wanted, str) else "a value"
        raw = loaded.raw.get(path)
        if error.instance is None:
            return False, path, "the value is missing", self._hint(error.schema) or \
                f"write {wanted_text} after the colon, or remove the line"
        found = f"`{raw}`, which YAML reads as {describe(error.instance)}" if raw is not None \
            else describe(error.instance)
        if wanted == "string" and raw is not None:
            fix = f'put the value in quotes: "{raw}"'
        else:
            fix = self._hint(error.schema) or f"write {wanted_text} here"
        return False, path, f"expected {wanted_text}, found {found}", fix

    def _on_enum(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.5)
        fix = f"did you mean `{close[0]}`? " if close else ""
        return False, path, f"{describe(error.instance)} is not allowed here", \
            fix + (self._hint(error.schema) or "use one of: " + ", ".join(options))

    def _on_pattern(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        return False, path, f"{describe(error.instance)} is not in the expected form", \
            self._hint(error.schema)

    def _on_minItems(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        return False, path, "the list is empty", "add at least one item"

    def _on_uniqueItems(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        return False, path, "the list has the same item twice", "remove the repeated item"

    def _on_minLength(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        return False, path, "the text is empty", "write the text, or remove the field"

    def _on_anyOf(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        """A value that may take several shapes (one code or a list): explain it by the
        shape it has, not by the ones it was never meant to be."""
        for sub in sorted(error.context or [], key=lambda e: e.validator == "type"):
            if sub.validator != "type":
                return self._explain_parts(sub, loaded)
        return False, path, f"{describe(error.instance)} is not allowed here", \
            self._hint(error.schema)

    def _explain_parts(self, error: ValidationError, loaded: LoadedFile) -> Any:
        explain = getattr(self, f"_on_{error.validator}", self._on_other)
        return explain(error, tuple(error.absolute_path), loaded)

    def _on_other(self, error: ValidationError, path: FieldPath, loaded: LoadedFile) -> Any:
        return False, path, error.message, self._hint(error.schema)

    def _hint(self, schema: dict[str, Any]) -> str:
        """The ``x-fix`` of a schema, following a ``$ref`` to a shared definition."""
        if "x-fix" in schema:
            return str(schema["x-fix"])
        ref = schema.get("$ref", "")
        if ref.startswith("common.schema.json#/$defs/") or ref.startswith("#/$defs/"):
            common = self.documents["https://haven.example/schema/common.schema.json"]
            return self._hint(common["$defs"].get(ref.rsplit("/", 1)[1], {}))
        return ""
