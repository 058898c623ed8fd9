"""`haven build` publishes all or nothing: a build that fails or is interrupted leaves the
previous site exactly as it was, with nothing beside it; a build that succeeds replaces it
whole. Each test builds a small directory (the valid example records) for real."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from haven.cli import main
from haven.exports import write_exports

from ..conftest import DIRECTORY, FIXTURES
from .building import write_config


def haven_build(config: Path, site: Path) -> int:
    """`haven build` as a publisher runs it, languages in parallel whatever the machine."""
    return main(["build", "--config", str(config), "--site-dir", str(site), "--jobs", "2"])


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by path, with a hash of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def beside(site: Path) -> list[str]:
    """What the site's parent folder holds (the site alone, unless a build left something)."""
    return sorted(path.name for path in site.parent.iterdir())


def small_directory(directory: Path) -> Path:
    """The shipped schemas, vocabularies and regions, and the valid example records."""
    for folder in ("schema", "vocabularies"):
        shutil.copytree(DIRECTORY / folder, directory / folder)
    shutil.copy(DIRECTORY / "regions.yaml", directory / "regions.yaml")
    shutil.copytree(FIXTURES / "records" / "valid", directory, dirs_exist_ok=True)
    return directory


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The config of a small directory, shared by the tests (and so is its pamphlet cache)."""
    root = tmp_path_factory.mktemp("publish")
    return write_config(root / "project", directory=small_directory(root / "directory"))


@pytest.fixture(scope="module")
def reference(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as `haven build` makes it, into a folder that did not exist yet."""
    site = tmp_path_factory.mktemp("reference") / "public" / "site"
    assert haven_build(project, site) == 0
    assert beside(site) == ["site"]
    return site


@pytest.fixture
def published(reference: Path, tmp_path: Path) -> Path:
    """A previously published site, alone in its folder, as a web server would serve it."""
    site = tmp_path / "public" / "site"
    shutil.copytree(reference, site)
    return site


# --- failures injected in late steps ---------------------------------------------------------

def disk_full_in_open_data(directory: Any, out: Path, languages: list[str],
                           **options: Any) -> list[Path]:
    """Open data written, then no space left: the new site has half of its last step."""
    written = write_exports(directory, out, languages, **options)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(written[-1]))


def ctrl_c_in_open_data(directory: Any, out: Path, languages: list[str],
                        **options: Any) -> list[Path]:
    write_exports(directory, out, languages, **options)
    raise KeyboardInterrupt


def broken_renderer(item: tuple[list[str], str]) -> bytes:
    """Runs in the pamphlet workers (a top-level function, so that it can be sent there)."""
    raise RuntimeError("WeasyPrint could not lay out the pamphlet")


def open_data_full(monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path) -> None:
    monkeypatch.setattr("haven.exports.write_exports", disk_full_in_open_data)


def open_data_interrupted(monkeypatch: pytest.MonkeyPatch, project: Path,
                          tmp_path: Path) -> None:
    monkeypatch.setattr("haven.exports.write_exports", ctrl_c_in_open_data)


def pamphlets_fail(monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path) -> None:
    shutil.rmtree(project.parent / "work" / "pamphlets")  # no cached PDFs: every one is rendered
    monkeypatch.setattr("haven.pamphlets.build.render_one", broken_renderer)


def pagefind_missing(monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path) -> None:
    """Pagefind runs as `python -m pagefind` in the language workers; this "python" says
    what Python says when the package is not installed."""
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\necho 'No module named pagefind' >&2\nexit 1\n")
    python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))


@pytest.mark.parametrize(("inject", "status", "message"), [
    (open_data_full, 1, "haven build: failed while writing open data: [Errno 28] "),
    (open_data_interrupted, 130, "haven build: interrupted while writing open data; "),
    (pamphlets_fail, 1, "haven build: failed while rendering pamphlets: WeasyPrint could "
                        "not lay out the pamphlet; "),
    (pagefind_missing, 1, "haven build: failed while checking the machine; "),
], ids=["disk full in open data", "ctrl-c in open data", "pamphlet fails", "no pagefind"])
def test_a_failed_build_leaves_the_previous_site_as_it_was(
        inject: Callable[[pytest.MonkeyPatch, Path, Path], None], status: int, message: str,
        project: Path, reference: Path, published: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    inject(monkeypatch, project, tmp_path)
    assert haven_build(project, published) == status
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert f"the site in {published.resolve()}/ was left as it was" in err
    assert snapshot(published) == snapshot(reference)
    assert beside(published) == ["site"]
    assert multiprocessing.active_children() == []  # every worker pool was ended


def test_a_broken_directory_is_not_built_and_every_problem_is_listed(
        published: Path, reference: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    directory = small_directory(tmp_path / "directory")
    record = directory / "services" / "example-hotline.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "opening_soon: true\n",
                      encoding="utf-8")
    assert haven_build(write_config(tmp_path / "project", directory=directory), published) == 1
    first, *problems = capsys.readouterr().err.splitlines()
    assert first == ("haven build: failed while validating the directory; the site in "
                     f"{published.resolve()}/ was left as it was:")
    assert any("example-hotline.yaml" in line and "opening_soon" in line for line in problems)
    assert snapshot(published) == snapshot(reference)
    assert beside(published) == ["site"]


# --- Ctrl-C at the terminal ------------------------------------------------------------------

def session(leader: int) -> list[tuple[int, str]]:
    """The processes of the session ``leader`` started, with their state (Z: a zombie, dead
    but not yet collected). Linux only; elsewhere none are found."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if fields[3] == str(leader):
            found.append((int(stat.parent.name), fields[0]))
    return found


def alive(leader: int, grace: float = 5.0) -> list[int]:
    """The processes of the session still running after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    while True:
        running = [pid for pid, state in session(leader) if state != "Z"]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.05)


def wait_for_language_builds(twins: Path, build: subprocess.Popen[bytes]) -> None:
    """Until the English pages are being built (each built page's search twin is written
    into ``twins``, outside the site): every worker pool is running then."""
    deadline = time.monotonic() + 120
    while not twins.is_dir():
        assert build.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline, "the languages were never built"
        time.sleep(0.02)


def test_ctrl_c_stops_the_build_at_once_and_leaves_the_previous_site(
        project: Path, reference: Path, published: Path, tmp_path: Path) -> None:
    twins = project.parent / "work" / "search" / "en"
    shutil.rmtree(twins)  # written again as the English pages are built
    err = tmp_path / "stderr.txt"
    with err.open("wb") as stderr:
        # A session of its own, so that the signal goes where a terminal sends Ctrl-C (the
        # foreground process group) and no further.
        build = subprocess.Popen(
            [sys.executable, "-m", "haven.cli", "build", "--config", str(project),
             "--site-dir", str(published), "--jobs", "2"],
            stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    try:
        wait_for_language_builds(twins, build)
        os.killpg(build.pid, signal.SIGINT)
        pressed = time.monotonic()
        status = build.wait(timeout=30)
        took = time.monotonic() - pressed
        left = alive(build.pid)
    finally:
        for pid, _ in session(build.pid):  # a hung build must not outlive the test
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        build.wait()
    message = err.read_text(encoding="utf-8")
    assert status == 130, message
    assert "haven build: interrupted while " in message
    assert f"the site in {published.resolve()}/ was left as it was" in message
    assert took < 15
    assert left == [], "worker processes were left running"
    assert snapshot(published) == snapshot(reference)
    assert beside(published) == ["site"]


# --- success -----------------------------------------------------------------------------------

def test_a_successful_build_replaces_the_whole_site(
        project: Path, reference: Path, published: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (published / "stale.html").write_text("a page the directory no longer has")
    gone = published / "es" / "services" / "closed-service" / "index.html"
    gone.parent.mkdir(parents=True)
    gone.write_text("a service that closed")
    assert haven_build(project, published) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"Built {published.resolve()}"
    assert not (published / "stale.html").exists()
    assert not gone.parent.exists()
    assert snapshot(published) == snapshot(reference)
    assert beside(published) == ["site"]
