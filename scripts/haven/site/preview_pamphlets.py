"""Pamphlets while serving: rendered in the background, and a link to one never 404s.

`mkdocs serve` must show the site within seconds, while rendering every pamphlet of a
fresh clone takes a minute or more. So while serving, the pages are built first and the
pamphlets rendered after, in the background, in low-priority processes, with Haven's
pamphlet cache (``build/pamphlets``) as any build uses it: only pamphlets that are missing or
whose records changed are rendered. Until a pamphlet's PDF exists, its address serves a
one-page PDF saying, in the pamphlet's language, that it is being prepared; each is
replaced (atomically) the moment its PDF is ready. After an edit, the pamphlets it changes
are rendered again the same way, the previous PDF served meanwhile.

Only the preview does this. `mkdocs build` and `haven build` wait for every pamphlet and
never publish a placeholder: a printed link or QR code must never lead to one.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..progress import SILENT, Progress
from ..records import Directory

if TYPE_CHECKING:
    from ..pamphlets.build import PamphletJob
    from .build import SiteInputs

log = logging.getLogger("mkdocs.plugins.haven")


@dataclass(frozen=True)
class _Wanted:
    """The pamphlets the latest build of the site links to, and what they are made from."""

    directory: Directory
    inputs: SiteInputs
    public_url: str


class PreviewPamphlets:
    """One per server (serve.ServeState): ``wanted`` then ``publish`` after each build,
    ``stop`` when the server stops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._wanted: _Wanted | None = None
        self._next: _Wanted | None = None
        self._site: Path | None = None
        self._jobs: set[PamphletJob] = set()
        self._placeholders: dict[str, bytes] = {}
        self._worker: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._stopped = False
        self._rendered = False

    def wanted(self, directory: Directory, inputs: SiteInputs,
               public_url: str) -> PreviewPamphlets:
        """The site just built links to these records' pamphlets (published by
        ``publish``, as build.finish_site does with a build's pamphlets)."""
        self._wanted = _Wanted(directory, inputs, public_url)
        return self

    def publish(self, site: Path) -> None:
        """Every pamphlet address of the site gets its PDF as cached, or the placeholder;
        the missing and changed ones are then rendered in the background."""
        from ..pamphlets.build import pamphlet_jobs

        wanted = self._wanted
        assert wanted is not None, "publish() comes after wanted()"
        jobs = pamphlet_jobs(wanted.directory, list(wanted.inputs.languages.codes))
        cache = wanted.inputs.work / "pamphlets"
        with self._lock:
            self._site, self._jobs = site, set(jobs)
            for job in jobs:
                cached = cache / job.path
                _put(site / "pamphlets" / job.path, cached.read_bytes() if cached.exists()
                     else self._placeholder(job.lang))
            self._next = wanted
            self._changed.notify()
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="haven-pamphlets",
                                            daemon=True)
            self._worker.start()

    def stop(self) -> None:
        """The server stops: render nothing more, write nothing more into its site."""
        with self._lock:
            self._stopped = True
            self._changed.notify()
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _placeholder(self, lang: str) -> bytes:
        from ..pamphlets.render import preparing_pdf

        if lang not in self._placeholders:
            self._placeholders[lang] = preparing_pdf(lang)
        return self._placeholders[lang]

    def _work(self) -> None:
        """Render what the latest build wants, again after each build that wants more."""
        while True:
            with self._lock:
                while self._next is None and not self._stopped:
                    self._changed.wait()
                if self._stopped:
                    return
                wanted, self._next = self._next, None
            try:
                self._render(wanted)
            except Exception:  # a background thread's error would otherwise vanish
                log.exception("haven: rendering the pamphlets failed")

    def _render(self, wanted: _Wanted) -> None:
        from ..pamphlets.build import pamphlet_jobs, plan_pamphlets, render_one

        languages = wanted.inputs.languages
        plan = plan_pamphlets(wanted.directory, pamphlet_jobs(wanted.directory,
                                                              list(languages.codes)),
                              wanted.inputs.work / "pamphlets", languages.default,
                              wanted.public_url)
        if not plan.todo or self._stopped:
            return
        started = time.monotonic()
        new = sum(not (plan.out / job.path).exists() for job, _, _ in plan.todo)
        log.info(f"haven: rendering {len(plan.todo)} of {plan.total} pamphlets in the "
                 "background; " + ("until each is ready, its link shows that it is being "
                                   "prepared" if new else "the previous ones are shown meanwhile"))
        pool = self._start_pool()
        if pool is None:
            return
        # The first time (a fresh clone: every pamphlet), a line per quarter, on a terminal
        # or when asked (progress.py); after an edit, a few, said when they are ready.
        progress = Progress.for_command("haven", lines=log.info, every=25) \
            if not self._rendered else SILENT
        self._rendered = True
        ready = progress.task("pamphlets", len(plan.todo), "ready")
        rendering: dict[Future[list[bytes]], int] = {
            pool.submit(render_one, item): index for index, item in enumerate(plan.items())}
        for future in as_completed(rendering):
            if self._stopped:
                return
            pdfs = future.result()
            with self._lock:
                if self._stopped:
                    return
                for job, kept in plan.keep(rendering[future], pdfs):
                    if self._site is not None and job in self._jobs:
                        _put(self._site / "pamphlets" / job.path, kept.read_bytes())
            ready.advance(steps=len(pdfs))
        if not progress.shown:  # else its last line said so
            log.info(f"haven: {len(plan.todo)} pamphlets ready in "
                     f"{time.monotonic() - started:.0f} s")

    def _start_pool(self) -> ProcessPoolExecutor | None:
        """Processes of their own, niced, so that the server and its rebuilds come first.
        Started fresh ("spawn"), not forked: the server runs threads."""
        with self._lock:
            if self._pool is None and not self._stopped:
                self._pool = ProcessPoolExecutor(
                    os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker)
            return self._pool


def _start_worker() -> None:
    """Second to the server; and Ctrl-C at the terminal, which reaches these processes
    too, is for the server, which then stops them (``stop``)."""
    os.nice(10)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _put(target: Path, data: bytes) -> None:
    from ..pamphlets.build import write_atomically

    if not target.exists() or target.read_bytes() != data:
        write_atomically(target, data)
