"""Languages built in parallel processes make exactly the same site as a serial build."""

from __future__ import annotations

from pathlib import Path

from haven.site.split import build_site

from ..conftest import DIRECTORY
from .building import build_site as build_serial
from .building import write_config


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_parallel_build_is_identical_to_serial_build(tmp_path: Path) -> None:
    serial = files(build_serial(tmp_path / "serial", directory=DIRECTORY))
    config = write_config(tmp_path / "parallel", directory=DIRECTORY)
    parallel = files(build_site(config, jobs=2))
    assert sorted(parallel) == sorted(serial)
    assert len(serial) > 300
    different = [name for name in serial if serial[name] != parallel[name]]
    assert different == []
