"""Load and validate a whole directory folder: the one entry point of the data layer.

``load_directory`` reads every file, collects every problem, and only when there are no
errors builds the typed :class:`Directory` that the site, pamphlets and exports read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .model import (
    Address,
    Directory,
    Hours,
    Phone,
    Region,
    ReportingRoute,
    Right,
    Service,
    Term,
    Text,
    Verification,
)
from .problems import DirectoryError, Problem, Problems
from .rules import RecordFile, Rules, region_names
from .schemas import Schemas
from .yaml_loader import LoadedFile, load_yaml

RECORD_FOLDERS = {"services": "service", "rights": "right", "reporting": "reporting"}


@dataclass
class Validation:
    """The outcome of checking a directory: the problems, and the records when usable."""

    problems: Problems
    directory: Directory | None
    files: list[RecordFile]

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    def require(self) -> Directory:
        if self.directory is None:
            raise DirectoryError(self.problems)
        return self.directory


def find_root(path: Path) -> Path:
    """The directory folder holding ``path`` (the folder with ``schema/`` in it)."""
    path = path.resolve()
    for folder in [path, *path.parents]:
        if (folder / "schema").is_dir() and (folder / "regions.yaml").exists():
            return folder
    return path


def record_files(root: Path) -> list[tuple[str, Path]]:
    """Every .yaml or .yml file (any case: "Record.YAML" is read, never silently skipped)."""
    found = []
    for folder, kind in RECORD_FOLDERS.items():
        found += [(kind, p) for p in sorted((root / folder).rglob("*"))
                  if p.suffix.lower() in (".yaml", ".yml") and (p.is_file() or p.is_symlink())]
    return found


def load_directory(root: Path, *, today: date | None = None,
                   only: list[Path] | None = None) -> Validation:
    """Check every record under ``root`` (or just ``only``) and build the directory."""
    problems = Problems()
    vocab_files = _load_support(root, Schemas(root / "schema"), problems)
    vocabularies, regions = _vocabularies(vocab_files), _regions(vocab_files)
    rules = Rules({k: set(v) for k, v in vocabularies.items()}, set(regions),
                  today or date.today(),
                  frozenset((r.country, r.emergency_number) for r in regions.values()
                            if r.emergency_number))
    files = []
    for record, found in _check_each(root, rules, record_files(root)):
        problems.extend(found)
        if record is not None:
            files.append(record)
    wanted = {p.resolve() for p in only} if only is not None else set()
    problems.extend(rules.check_across(files, wanted))
    if only is not None:
        problems = Problems([p for p in problems.items if p.path.resolve() in wanted])
    directory = _build(root, files, vocabularies, regions) if not problems.errors else None
    return Validation(problems, directory, files)


PARALLEL_FROM = 400
"""Below this many files, starting worker processes costs more than it saves."""

CheckedFile = tuple[RecordFile | None, Problems]


class _FileChecker:
    """Loads one file and runs every check that needs only that file."""

    def __init__(self, root: Path, rules: Rules, *, keep_positions: bool) -> None:
        self.schemas, self.rules, self.keep_positions = Schemas(root / "schema"), rules, \
            keep_positions

    def __call__(self, item: tuple[str, Path]) -> CheckedFile:
        kind, path = item
        problems = Problems()
        if path.is_symlink():  # it could point at /dev/zero or at a file outside the tree
            problems.add(Problem(path, 1, 1, "", "this is a symbolic link, not a file",
                                 "put the record itself here, not a link to it"))
            return None, problems
        loaded = load_yaml(path, problems)
        if loaded is None:
            return None, problems
        record = RecordFile(kind, loaded)
        problems.extend(self.schemas.check(kind, loaded))
        problems.extend(self.rules.check_file(record))
        if not self.keep_positions:  # they are large to send between processes
            loaded.values, loaded.keys, loaded.raw = {}, {}, {}
        return record, problems


_worker: _FileChecker | None = None


def _start_worker(root: Path, rules: Rules) -> None:
    global _worker
    _worker = _FileChecker(root, rules, keep_positions=False)


def _in_worker(item: tuple[str, Path]) -> CheckedFile:
    assert _worker is not None
    return _worker(item)


class _Checked:
    """Each file's check, kept while the file, the schemas and the rules are unchanged:
    `mkdocs serve` validates the whole directory after every edit, and one edited record
    is then checked again alone (rules across records always run on all)."""

    context: object = None
    files: dict[Path, tuple[tuple[int, int], CheckedFile]] = {}  # noqa: RUF012

    @classmethod
    def reuse(cls, root: Path, rules: Rules, paths: list[tuple[str, Path]]
              ) -> tuple[dict[Path, CheckedFile], list[tuple[str, Path]]]:
        """The checks still valid, and the files to check again."""
        schemas = sorted((p.name, p.stat().st_mtime_ns) for p in (root / "schema").glob("*"))
        context = (root, rules, schemas)
        if context != cls.context:
            cls.context, cls.files = context, {}
        valid, todo = {}, []
        for kind, path in paths:
            hit = cls.files.get(path)
            if hit is not None and hit[0] == _stamp(path):
                valid[path] = hit[1]
            else:
                todo.append((kind, path))
        return valid, todo

    @classmethod
    def keep(cls, paths: list[tuple[str, Path]], checked: list[CheckedFile]) -> None:
        for (_, path), result in zip(paths, checked, strict=True):
            cls.files[path] = (_stamp(path), result)


def _stamp(path: Path) -> tuple[int, int]:
    info = path.lstat()  # a link is refused, never followed (it may point nowhere)
    return info.st_mtime_ns, info.st_size


def _check_each(root: Path, rules: Rules, paths: list[tuple[str, Path]]) -> list[CheckedFile]:
    """Check each file not checked before as it is now; on large directories, on every core."""
    valid, todo = _Checked.reuse(root, rules, paths)
    checked = dict(zip([path for _, path in todo], _check_all(root, rules, todo),
                       strict=True))
    _Checked.keep(todo, list(checked.values()))
    return [valid[path] if path in valid else checked[path] for _, path in paths]


def _check_all(root: Path, rules: Rules, paths: list[tuple[str, Path]]) -> list[CheckedFile]:
    cores = os.cpu_count() or 1
    if len(paths) < PARALLEL_FROM or cores < 2:
        checker = _FileChecker(root, rules, keep_positions=True)
        return [checker(item) for item in paths]
    chunk = max(1, len(paths) // (cores * 4))
    with ProcessPoolExecutor(cores, initializer=_start_worker, initargs=(root, rules)) as pool:
        return list(pool.map(_in_worker, paths, chunksize=chunk))


def _load_support(root: Path, schemas: Schemas, problems: Problems) -> dict[str, LoadedFile]:
    """Vocabularies and regions, keyed ``vocabulary:<name>`` and ``regions``."""
    loaded: dict[str, LoadedFile] = {}
    regions_path = root / "regions.yaml"
    if not regions_path.exists():
        problems.add(Problem(regions_path, 1, 1, "", "the regions file is missing",
                             "create directory/regions.yaml listing the regions covered"))
    elif (regions := load_yaml(regions_path, problems)) is not None:
        problems.extend(schemas.check("regions", regions))
        problems.extend(list(region_names(regions)))
        loaded["regions"] = regions
    for path in sorted((root / "vocabularies").glob("*.yaml")):
        if (vocab := load_yaml(path, problems)) is not None:
            problems.extend(schemas.check("vocabulary", vocab))
            loaded[f"vocabulary:{path.stem}"] = vocab
    return loaded


def _vocabularies(files: Mapping[str, LoadedFile]) -> dict[str, dict[str, Term]]:
    result: dict[str, dict[str, Term]] = {}
    for key, loaded in files.items():
        if key.startswith("vocabulary:"):
            terms = [t for t in loaded.data.get("terms") or [] if isinstance(t, Mapping)]
            result[key.split(":", 1)[1]] = {
                t["id"]: Term(t["id"], Text.of(t.get("name")) or Text({"en": t["id"]}),
                              Text.of(t.get("description")))
                for t in terms if isinstance(t.get("id"), str)
            }
    return result


def _regions(files: Mapping[str, LoadedFile]) -> dict[str, Region]:
    entries = files["regions"].data.get("regions") or [] if "regions" in files else []
    return {
        r["code"]: Region(r["code"], Text.of(r.get("name")), r.get("emergency_number"))
        for r in entries if isinstance(r, Mapping) and isinstance(r.get("code"), str)
    }


def _build(root: Path, files: list[RecordFile], vocabularies: dict[str, dict[str, Term]],
           regions: dict[str, Region]) -> Directory:
    by_kind: dict[str, list[Any]] = {"service": [], "right": [], "reporting": []}
    for record in files:
        by_kind[record.kind].append(BUILDERS[record.kind](record.data, record.loaded.path))
    return Directory(
        services=tuple(sorted(by_kind["service"], key=lambda s: str(s.name).lower())),
        rights=tuple(sorted(by_kind["right"], key=lambda r: (r.jurisdictions, r.id))),
        reporting=tuple(sorted(by_kind["reporting"], key=lambda r: (r.jurisdictions, r.id))),
        vocabularies=vocabularies, regions=regions, root=root,
    )


def _common(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    return {"id": data["id"], "path": path, "source": data["source"],
            "verification": Verification.of(data["verification"])}


def _service(data: Mapping[str, Any], path: Path) -> Service:
    org, address = data["organization"], data.get("address")
    return Service(
        **_common(data, path), name=Text(data["name"]), organization_name=Text(org["name"]),
        organization_kind=org["kind"], organization_url=org.get("url"),
        description=Text(data["description"]), support_types=tuple(data["support_types"]),
        victimization_types=tuple(data["victimization_types"]),
        service_areas=tuple(data["service_areas"]), languages=tuple(data["languages"]),
        cost=data["cost"], anonymous_contact=data["anonymous_contact"],
        confidential_location=data["confidential_location"], status=data["status"],
        phones=tuple(Phone.of(p) for p in data.get("phones", ())), url=data.get("url"),
        chat_url=data.get("chat_url"), email=data.get("email"), hours=Hours.of(data.get("hours")),
        cost_notes=Text.of(data.get("cost_notes")),
        address=Address(**address) if address else None,
        accessibility=Text.of(data.get("accessibility")),
        eligibility=Text.of(data.get("eligibility")),
        confidentiality=Text.of(data.get("confidentiality")), alert=Text.of(data.get("alert")),
        urgency=data.get("urgency"), local_areas=tuple(data.get("local_areas", ())),
        location=(loc["latitude"], loc["longitude"], loc["radius_km"])
        if (loc := data.get("location")) else None,
    )


def _right(data: Mapping[str, Any], path: Path) -> Right:
    return Right(**_common(data, path), title=Text(data["title"]),
                 jurisdictions=_codes(data["jurisdiction"]), category=data["category"],
                 summary=Text(data["summary"]), how_to_use=Text(data["how_to_use"]),
                 citation=data["citation"])


def _reporting(data: Mapping[str, Any], path: Path) -> ReportingRoute:
    return ReportingRoute(
        **_common(data, path), title=Text(data["title"]), route_kind=data["kind"],
        jurisdictions=_codes(data["jurisdiction"]), anonymous=data["anonymous"],
        steps=tuple(Text(s) for s in data["steps"]),
        what_happens_next=Text(data["what_happens_next"]),
        time_limits=Text.of(data.get("time_limits")),
        phones=tuple(Phone.of(p) for p in data.get("phones", ())), url=data.get("url"),
        email=data.get("email"), urgency=data.get("urgency"),
    )


def _codes(value: str | list[str]) -> tuple[str, ...]:
    """A jurisdiction is one region code or a list of them."""
    return (value,) if isinstance(value, str) else tuple(value)


BUILDERS = {"service": _service, "right": _right, "reporting": _reporting}
