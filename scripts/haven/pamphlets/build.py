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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ..progress import SILENT, Progress
from ..records import Directory
from .content import pamphlet_content, regions_with_services, shortened
from .render import HERE, pamphlet_html, pamphlet_pdf

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


@dataclass
class PamphletPlan:
    """Which pamphlets must be (re)rendered, with their HTML; the rest are unchanged."""

    out: Path
    todo: list[tuple[PamphletJob, str, list[str]]]
    """Job, fingerprint of its inputs, its HTML from the longest to the shortest."""
    manifest: dict[str, str]
    total: int

    def items(self) -> list[tuple[list[str], str]]:
        """What ``render_one`` takes, one item per pamphlet to render."""
        return [(versions, job.paper) for job, _, versions in self.todo]

    def store(self, pdfs: list[bytes]) -> list[Path]:
        """Write the rendered PDFs (in ``todo`` order) and remember their fingerprints."""
        for (job, key, _), pdf in zip(self.todo, pdfs, strict=True):
            self._write(job, key, pdf)
        _write_manifest(self.out, self.manifest)
        log.info(f"haven: {len(self.todo)} of {self.total} pamphlets rendered, "
                 "the rest unchanged")
        return [self.out / job.path for job, _, _ in self.todo]


    def keep(self, index: int, pdf: bytes) -> Path:
        """Write one rendered PDF (``todo[index]``'s) as soon as it is ready, and remember
        its fingerprint: a pamphlet rendered in the background is kept even if the rest
        never are."""
        job, key, _ = self.todo[index]
        target = self._write(job, key, pdf)
        _write_manifest(self.out, self.manifest)
        return target

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
    todo: list[tuple[PamphletJob, str, list[str]]] = []
    for job in jobs:
        content = pamphlet_content(directory, job.region)
        args = (directory, content, job.lang, default, job.paper, site_url)
        key = _fingerprint(pamphlet_html(*args, date(2000, 1, 1)), job.paper)
        if manifest.get(job.path) != key or not (out / job.path).exists():
            todo.append((job, key, [pamphlet_html(directory, c, *args[2:], today)
                                    for c in shortened(content)]))
    return PamphletPlan(out, todo, manifest, len(jobs))


def build_pamphlets(directory: Directory, jobs: list[PamphletJob], out: Path, default: str,
                    site_url: str, today: date | None = None,
                    progress: Progress = SILENT) -> list[Path]:
    """Write the PDFs of ``jobs`` under ``out``; returns the paths (re)written."""
    plan = plan_pamphlets(directory, jobs, out, default, site_url, today)
    task = progress.task("pamphlets", len(plan.todo), "rendered")
    return plan.store(render_all(plan.items(), on_rendered=task.advance))


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


def render_all(items: list[tuple[list[str], str]],
               on_rendered: Callable[[], object] = lambda: None) -> list[bytes]:
    """WeasyPrint is single-threaded: spread many pamphlets over the machine's cores.
    ``on_rendered`` is called as each is done (progress)."""
    cores = os.cpu_count() or 1
    if len(items) < 4 or cores < 2:
        pdfs = []
        for item in items:
            pdfs.append(render_one(item))
            on_rendered()
        return pdfs
    with ProcessPoolExecutor(cores) as pool:
        rendering = [pool.submit(render_one, item) for item in items]
        for _ in as_completed(rendering):
            on_rendered()
        return [future.result() for future in rendering]


def render_one(item: tuple[list[str], str]) -> bytes:
    """One PDF from ``(versions, paper)``, fitted to one sheet. A top-level function, so
    process pools can call it."""
    versions, paper = item
    return pamphlet_pdf(versions, paper)


def _read_manifest(out: Path) -> dict[str, str]:
    path = out / _MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def _write_manifest(out: Path, manifest: dict[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / _MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
