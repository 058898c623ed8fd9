"""Plain `mkdocs build` empties the site folder once the plugins have read the
configuration. Whatever Haven can know before that (hostile prose in any language, no
Pagefind, no fonts for the pamphlets) fails the build first, so the previous site stays."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from haven.site import preflight
from mkdocs.exceptions import Abort

from ..conftest import FIXTURES
from .building import CONTENT, build_site

PREVIOUS = {"index.html": "<p>the site readers have now</p>", "es/index.html": "<p>ahora</p>"}


@pytest.fixture(autouse=True)
def fresh_checks() -> Iterator[None]:
    """The machine checks are remembered per process; each test checks afresh."""
    preflight._pagefind.cache_clear()
    preflight._fonts.cache_clear()
    yield
    preflight._pagefind.cache_clear()
    preflight._fonts.cache_clear()


def previous_site(out: Path) -> Path:
    for name, text in PREVIOUS.items():
        (out / "site" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "site" / name).write_text(text, encoding="utf-8")
    return out / "site"


def assert_untouched(site: Path) -> None:
    found = {str(p.relative_to(site)): p.read_text(encoding="utf-8")
             for p in site.rglob("*") if p.is_file()}
    assert found == PREVIOUS


def failed(out: Path, directory: Path, caplog: pytest.LogCaptureFixture,
           **options: object) -> str:
    with pytest.raises(Abort):
        build_site(out, directory=directory, **options)
    return caplog.text


def test_hostile_prose_in_any_language_fails_before_the_site_is_touched(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copy(FIXTURES / "content" / "pages" / "handler.en.md", content / "about.es.md")
    shutil.copy(FIXTURES / "content" / "pages" / "iframe.en.md", content / "about.ar.md")
    site = previous_site(tmp_path / "out")
    log = failed(tmp_path / "out", valid_directory, caplog, content=content)
    assert "3 error(s) in the prose pages (content/); nothing was built" in log
    assert f"{content}/about.ar.md:7:1: `<iframe>` is not allowed" in log
    assert f"{content}/about.es.md:7:4: the event handler `onmouseover`" in log
    assert f"{content}/about.es.md:9:31: the event handler `onclick`" in log
    assert_untouched(site)


def test_without_pagefind_the_build_stops_before_the_site_is_touched(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    python = tmp_path / "python"  # says what Python says when the package is missing
    python.write_text("#!/bin/sh\necho 'No module named pagefind' >&2\nexit 1\n")
    python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))
    site = previous_site(tmp_path / "out")
    log = failed(tmp_path / "out", valid_directory, caplog)
    assert ("haven: the build cannot start, nothing was written:\n"
            f"- Pagefind (search) is not installed for {python} (No module named pagefind)\n"
            "To fix: run `bash scripts/setup.sh install`") in log
    assert_untouched(site)


def test_a_missing_pamphlet_font_stops_the_build_before_the_site_is_touched(
        tmp_path: Path, valid_directory: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(preflight.FONTS, "ar", "Haven Missing Naskh")
    site = previous_site(tmp_path / "out")
    log = failed(tmp_path / "out", valid_directory, caplog)
    assert ("- the font Haven Missing Naskh (Debian packages fonts-noto-core and "
            "fonts-noto-cjk), for the pamphlets") in log
    assert_untouched(site)


def test_an_unreadable_font_file_is_named(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    gone = tmp_path / "NotoSans-Regular.ttf"  # fontconfig's cache names a file now gone
    monkeypatch.setattr(preflight, "_match", lambda family: ([family], gone))
    with pytest.raises(preflight.MissingTool, match=f"the font file {gone} of Noto Sans "
                                                    "cannot be read"):
        preflight.check_machine(["en"], pamphlets=True)


def test_the_machine_the_tests_run_on_has_everything() -> None:
    preflight.check_machine(["en", "es", "zh", "vi", "ar"], pamphlets=True)
