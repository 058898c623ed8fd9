"""Write every pamphlet, re-rendering only those whose inputs changed.

A pamphlet's inputs are its HTML (records, strings, template) and its stylesheet. The HTML
is hashed with the generation date left out, so an unchanged pamphlet keeps its PDF (and
the date it was really made) while the directory grows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from ..progress import SILENT, Progress
from ..records import Directory
from .content import PamphletContent, pamphlet_content, regions_with_services, shortened
from .render import HERE, fitted_pdf, pamphlet_html

log = logging.getLogger("mkdocs.plugins.haven")
PAPERS = ("a4", "letter")
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class PamphletJob:
    lang: str
    region: str
    paper: str

    @property
    def path(self) -> str:
        return pamphlet_path(self.lang, self.region, self.paper)


def pamphlet_path(lang: str, region: str, paper: str) -> str:
    """``es/US-CA-letter.pdf``: the language code is part of every path."""
    return f"{lang}/{region}-{paper}.pdf"


def pamphlet_jobs(directory: Directory, languages: list[str], regions: list[str] | None = None,
                  papers: tuple[str, ...] = PAPERS) -> list[PamphletJob]:
    wanted = regions or regions_with_services(directory)
    return [PamphletJob(lang, region, paper)
            for lang in languages for region in wanted for paper in papers]


@dataclass(frozen=True)
class PamphletDraft:
    """What one pamphlet is made from, for a worker to write the HTML of only the versions
    that fitting lays out. Writing every shortened version up front, in the main process,
    was about 1,500 HTML documents per 50 crowded pamphlets (12 s on one core, before any
    worker started); fitting lays out five to eight."""

    directory: Directory
    """Only its vocabularies and places: the content carries the records it names, and a
    draft is sent to a worker process."""
    content: PamphletContent
    lang: str
    default: str
    paper: str
    site_url: str
    generated: date

    @classmethod
    def of(cls, directory: Directory, content: PamphletContent, lang: str, default: str,
           paper: str, site_url: str, generated: date) -> PamphletDraft:
        places_and_terms = replace(directory, services=(), rights=(), reporting=())
        return cls(places_and_terms, content, lang, default, paper, site_url, generated)

    def html(self, content: PamphletContent | None = None) -> str:
        return pamphlet_html(self.directory, content or self.content, self.lang,
                             self.default, self.paper, self.site_url, self.generated)

    def versions(self) -> Versions:
        return Versions(self, shortened(self.content))


@dataclass
class Versions(Sequence[str]):
    """A draft's HTML from every service to the fewest, each written when first asked."""

    draft: PamphletDraft
    contents: list[PamphletContent]
    _written: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.contents)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]  # no slices
        if index not in self._written:
            self._written[index] = self.draft.html(self.contents[index])
        return self._written[index]


@dataclass
class PamphletPlan:
    """Which pamphlets must be (re)rendered, with what each is made from; the rest are
    unchanged."""

    out: Path
    todo: list[tuple[PamphletJob, str, PamphletDraft]]
    """Job, fingerprint of its inputs, what it is made from."""
    manifest: dict[str, str]
    total: int

    @cached_property
    def tasks(self) -> list[list[int]]:
        """``todo``'s pamphlets in groups of one place and language (its A4 and Letter
        pamphlets), which one worker fits one after the other: the second starts from the
        first's answer."""
        groups: dict[tuple[str, str], list[int]] = {}
        for index, (job, _, _) in enumerate(self.todo):
            groups.setdefault((job.lang, job.region), []).append(index)
        return list(groups.values())

    def items(self) -> list[tuple[PamphletDraft, ...]]:
        """What ``render_one`` takes, one item per task."""
        return [tuple(self.todo[i][2] for i in task) for task in self.tasks]

    def store(self, results: list[list[bytes]]) -> list[Path]:
        """Write the rendered PDFs (a list per task) and remember their fingerprints."""
        for task, pdfs in zip(self.tasks, results, strict=True):
            for index, pdf in zip(task, pdfs, strict=True):
                job, key, _ = self.todo[index]
                self._write(job, key, pdf)
        _write_manifest(self.out, self.manifest)
        log.info(f"haven: {len(self.todo)} of {self.total} pamphlets rendered, "
                 "the rest unchanged")
        return [self.out / job.path for job, _, _ in self.todo]


    def keep(self, task: int, pdfs: list[bytes]) -> list[tuple[PamphletJob, Path]]:
        """Write one task's PDFs as soon as they are ready, and remember their
        fingerprints: pamphlets rendered in the background are kept even if the rest
        never are."""
        kept = []
        for index, pdf in zip(self.tasks[task], pdfs, strict=True):
            job, key, _ = self.todo[index]
            kept.append((job, self._write(job, key, pdf)))
        _write_manifest(self.out, self.manifest)
        return kept

    def _write(self, job: PamphletJob, key: str, pdf: bytes) -> Path:
        target = self.out / job.path
        write_atomically(target, pdf)
        self.manifest[job.path] = key
        return target


def write_atomically(target: Path, data: bytes) -> None:
    """Readers of ``target`` (a server, a copy) get the previous file or the whole new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)


def plan_pamphlets(directory: Directory, jobs: list[PamphletJob], out: Path, default: str,
                   site_url: str, today: date | None = None) -> PamphletPlan:
    today = today or date.today()
    manifest = _read_manifest(out)
    todo: list[tuple[PamphletJob, str, PamphletDraft]] = []
    contents: dict[str, PamphletContent] = {}
    for job in jobs:
        if job.region not in contents:
            contents[job.region] = pamphlet_content(directory, job.region)
        draft = PamphletDraft.of(directory, contents[job.region], job.lang, default,
                                 job.paper, site_url, today)
        key = _fingerprint(replace(draft, generated=date(2000, 1, 1)).html(), job.paper)
        if manifest.get(job.path) != key or not (out / job.path).exists():
            todo.append((job, key, draft))
    return PamphletPlan(out, todo, manifest, len(jobs))


def build_pamphlets(directory: Directory, jobs: list[PamphletJob], out: Path, default: str,
                    site_url: str, today: date | None = None,
                    progress: Progress = SILENT) -> list[Path]:
    """Write the PDFs of ``jobs`` under ``out``; returns the paths (re)written."""
    plan = plan_pamphlets(directory, jobs, out, default, site_url, today)
    task = progress.task("pamphlets", len(plan.todo), "rendered")
    return plan.store(render_all(plan.items(),
                                 on_rendered=lambda done: task.advance(steps=done)))


def copy_pamphlets(cache: Path, site: Path, jobs: list[PamphletJob]) -> None:
    for job in jobs:
        target = site / "pamphlets" / job.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache / job.path, target)


def _fingerprint(html: str, paper: str) -> str:
    return hashlib.sha256(html.encode() + _layout_rules() + paper.encode()).hexdigest()


@cache
def _layout_rules() -> bytes:
    """The stylesheet and the fitting rules shape the PDF as much as the HTML does (read
    once, not once per pamphlet)."""
    return (HERE / "pamphlet.css").read_bytes() + (HERE / "fit.py").read_bytes()


def render_all(items: list[tuple[PamphletDraft, ...]],
               on_rendered: Callable[[int], object] = lambda _: None) -> list[list[bytes]]:
    """WeasyPrint is single-threaded: spread many pamphlets over the machine's cores.
    ``on_rendered(n)`` is called as each task's ``n`` PDFs are done (progress)."""
    cores = os.cpu_count() or 1
    if len(items) < 4 or cores < 2:
        results = []
        for item in items:
            results.append(render_one(item))
            on_rendered(len(item))
        return results
    with ProcessPoolExecutor(cores) as pool:
        rendering = {pool.submit(render_one, item): len(item) for item in items}
        for done in as_completed(rendering):
            on_rendered(rendering[done])
        return [future.result() for future in rendering]


def render_one(drafts: tuple[PamphletDraft, ...]) -> list[bytes]:
    """The PDFs of one place and language, each fitted to one sheet, the second from the
    first's answer. A top-level function, so process pools can call it."""
    pdfs, like = [], None
    for draft in drafts:
        pdf, like = fitted_pdf(draft.versions(), draft.paper, like=like)
        pdfs.append(pdf)
    return pdfs


def _read_manifest(out: Path) -> dict[str, str]:
    path = out / _MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def _write_manifest(out: Path, manifest: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / _MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
