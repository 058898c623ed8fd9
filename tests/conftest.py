"""Shared fixtures: every test builds in its own tmp_path, never in the working tree."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from haven.records import Directory, load_directory

REPO = Path(__file__).resolve().parent.parent
DIRECTORY = REPO / "directory"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 12, 7)
"""Tests fix "today" so that stale-entry and future-date rules do not drift with time."""


@pytest.fixture(autouse=True)
def built_in_strings() -> Iterator[None]:
    """Each test starts and ends with the built-in UI strings: a build that reads a strings
    folder (a fixture's) sets it for the whole process."""
    from haven.i18n import use_strings_from

    use_strings_from([])
    yield
    use_strings_from([])


@pytest.fixture
def empty_directory(tmp_path: Path) -> Path:
    """A directory folder with the shipped schemas, vocabularies and regions, no records."""
    root = tmp_path / "directory"
    root.mkdir()
    shutil.copytree(DIRECTORY / "schema", root / "schema")
    shutil.copytree(DIRECTORY / "vocabularies", root / "vocabularies")
    shutil.copy(DIRECTORY / "regions.yaml", root / "regions.yaml")
    for folder in ("services", "rights", "reporting"):
        (root / folder).mkdir()
    return root


@pytest.fixture
def valid_directory(empty_directory: Path) -> Path:
    """The empty directory plus the valid example records."""
    shutil.copytree(FIXTURES / "records" / "valid", empty_directory, dirs_exist_ok=True)
    return empty_directory


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the shipped directory and content, once per test run."""
    from .site.building import build_site

    return build_site(tmp_path_factory.mktemp("shipped"), directory=DIRECTORY)


@pytest.fixture(scope="session")
def shipped() -> Directory:
    return load_directory(DIRECTORY).require()
