"""Benchmark Haven at scale and print figures (never asserted: see tests for behaviour).

    .venv/bin/python scripts/benchmark.py validate --records 10000
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    validate = sub.add_parser("validate", help="validation throughput")
    validate.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    validate.add_argument("--languages", type=int, default=5)
    args = parser.parse_args()
    if args.what == "validate":
        bench_validate(args.records, args.languages)


if __name__ == "__main__":
    main()
