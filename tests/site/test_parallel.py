"""Languages built on their own — in parallel processes (`haven build`) or one command per
language and a merge (`haven build --language`, `haven merge`, as a CI matrix runs them) —
make exactly the same site as `mkdocs build`, file for file, byte for byte."""

from __future__ import annotations

from pathlib import Path

from haven.cli import main
from haven.site.split import build_site
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..conftest import DIRECTORY
from .building import write_config


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def same(built: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if expected[name] != built[name]] == []


def test_parallel_build_is_identical_to_mkdocs_build(tmp_path: Path, site: Path) -> None:
    serial = files(site)  # the shipped site, as `mkdocs build` makes it
    assert len(serial) > 300
    same(files(build_site(write_config(tmp_path, directory=DIRECTORY), jobs=2)), serial)


def test_languages_built_one_by_one_and_merged_are_identical_to_mkdocs_build(
        tmp_path: Path, valid_directory: Path) -> None:
    config = write_config(tmp_path / "project", directory=valid_directory)
    build(load_config(str(config)))
    expected = files(tmp_path / "project" / "site")
    parts = [tmp_path / "parts" / lang for lang in ("ar", "en", "es", "vi", "zh")]
    for part in parts:
        assert main(["build", "-f", str(config), "--language", part.name, "-d", str(part)]) == 0
        assert not (part / "data").exists() and not list(part.rglob("*.pdf"))
    assert main(["merge", *map(str, parts), "-f", str(config),
                 "-d", str(tmp_path / "merged")]) == 0
    same(files(tmp_path / "merged"), expected)
    assert all(part.is_dir() for part in parts)  # the parts are left for another merge
