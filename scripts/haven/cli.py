"""The ``haven`` command: argument parsing only; the work lives in the packages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .records import find_root, load_directory
from .records.reporters import as_github, as_json, as_text

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def cmd_validate(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if not target.exists():
        print(f"haven validate: {target} does not exist", file=sys.stderr)
        return EXIT_USAGE
    root = find_root(target)
    if not (root / "schema").is_dir():
        print(f"haven validate: {target} is not inside a directory folder "
              "(one with schema/ and regions.yaml)", file=sys.stderr)
        return EXIT_USAGE
    only = [target] if target.is_file() else None
    validation = load_directory(root, only=only)
    render = {"text": as_text, "github": as_github, "json": as_json}[args.format]
    print(render(validation))
    return EXIT_OK if validation.ok else EXIT_ERRORS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haven", description=__doc__)
    parser.add_argument("--traceback", action="store_true",
                        help="show Python tracebacks (for developers)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the directory records")
    validate.add_argument("path", nargs="?", default="directory",
                          help="the directory folder or one record file (default: directory)")
    validate.add_argument("--format", choices=["text", "github", "json"], default="text")
    validate.set_defaults(run=cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except Exception as exc:
        if args.traceback:
            raise
        print(f"haven: {exc} (run with --traceback for details)", file=sys.stderr)
        return EXIT_ERRORS


if __name__ == "__main__":
    sys.exit(main())
