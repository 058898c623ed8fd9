"""Benchmark Haven at scale and print figures (never asserted: see tests for behaviour).

    .venv/bin/python scripts/benchmark.py validate --records 10000
    .venv/bin/python scripts/benchmark.py site --records 500 2000
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from haven.records import load_directory
from haven.synthetic import LANGUAGES, make_directory

REPO = Path(__file__).resolve().parent.parent


def bench_validate(counts: list[int], languages: int) -> None:
    print(f"{'records':>8} {'langs':>5} {'seconds':>8} {'records/s':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            root = make_directory(Path(tmp) / f"d{count}", REPO / "directory", count,
                                  LANGUAGES[:languages])
            start = time.perf_counter()
            validation = load_directory(root)
            seconds = time.perf_counter() - start
            assert validation.ok, validation.problems.errors[:3]
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{count:>8} {languages:>5} {seconds:>8.2f} {count / seconds:>10.0f} "
                  f"{peak:>8.0f}")


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_site(counts: list[int]) -> None:
    """Build the whole site (5 languages) for synthetic directories of N services."""
    import subprocess
    import sys

    sys.path.insert(0, str(REPO))
    from tests.site.building import write_config

    print(f"{'records':>8} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} "
          f"{'site MB':>8} {'record page KB':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            out = Path(tmp) / f"s{count}"
            root = make_directory(out / "directory", REPO / "directory", count)
            config = write_config(out, directory=root)
            start = time.perf_counter()
            # A child process, so that peak memory is the build's own.
            child = subprocess.run(
                [sys.executable, "-c", "import resource, sys\n"
                 "from mkdocs.commands.build import build\n"
                 "from mkdocs.config import load_config\n"
                 f"build(load_config({str(config)!r}))\n"
                 "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
                capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            peak = int(child.stdout.strip().splitlines()[-1]) / 1024
            site = out / "site"
            pages = sum(1 for _ in site.rglob("index.html"))
            record = site / "services" / "service-00000" / "index.html"
            print(f"{count:>8} {pages:>7} {seconds:>8.1f} {pages / seconds:>8.0f} {peak:>8.0f} "
                  f"{_tree_bytes(site) / 1e6:>8.1f} {record.stat().st_size / 1024:>15.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    validate = sub.add_parser("validate", help="validation throughput")
    validate.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    validate.add_argument("--languages", type=int, default=5)
    site = sub.add_parser("site", help="full site build time, memory and size")
    site.add_argument("--records", type=int, nargs="+", default=[500, 2000])
    args = parser.parse_args()
    if args.what == "validate":
        bench_validate(args.records, args.languages)
    elif args.what == "site":
        bench_site(args.records)


if __name__ == "__main__":
    main()
