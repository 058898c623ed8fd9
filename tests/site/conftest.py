from __future__ import annotations

from pathlib import Path

import pytest
from haven.records import Directory, load_directory

from ..conftest import DIRECTORY
from .building import build_site


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the shipped directory and content, once per test run."""
    return build_site(tmp_path_factory.mktemp("shipped"), directory=DIRECTORY)


@pytest.fixture(scope="session")
def shipped() -> Directory:
    return load_directory(DIRECTORY).require()
