"""The ``haven`` command: argument parsing only; the work lives in the packages."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import ConfigurationError

from .i18n import use_strings_from
from .progress import Progress
from .project import Project
from .records import DirectoryError, find_root, load_directory
from .records.reporters import as_github, as_json, as_text

if TYPE_CHECKING:  # the site's modules load Jinja and more: only `haven build` needs them
    from .site.build import BuildFailed

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what a shell reports for a command stopped by Ctrl-C (128 + SIGINT)


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


KIND_FOLDERS = {"service": "services", "right": "rights", "reporting": "reporting"}


def cmd_new(args: argparse.Namespace) -> int:
    """Write directory/<kind>/<id>.yaml from the template, ready to fill in."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.id):
        print(f"haven new: `{args.id}` is not a valid id: use lowercase letters, digits and "
              "single hyphens, e.g. city-rape-crisis-centre", file=sys.stderr)
        return EXIT_USAGE
    directory = Path(args.directory)
    template = directory / "templates" / f"{args.kind}.yaml"
    target = directory / KIND_FOLDERS[args.kind] / f"{args.id}.yaml"
    if not template.exists():
        print(f"haven new: no template at {template}", file=sys.stderr)
        return EXIT_USAGE
    if target.exists():
        print(f"haven new: {target} already exists; edit it instead", file=sys.stderr)
        return EXIT_USAGE
    text = template.read_text(encoding="utf-8").replace("{id}", args.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace("{today}", date.today().isoformat()), encoding="utf-8")
    print(f"Wrote {target}. Fill it in, then run: haven validate {target}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Records from another directory's Open Referral HSDS data (JSON or CSV package)."""
    from .imports import InputError, import_hsds

    try:
        progress = progress_of(args, "haven import")
        try:
            report = import_hsds(Path(args.path), Path(args.into), update=args.update,
                                 dry_run=args.dry_run, progress=progress)
        finally:
            progress.close()
    except InputError as error:
        print(f"haven import: nothing was written; the data has {len(error.problems)} "
              "problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_ERRORS
    print(report.text())
    return EXIT_OK


def cmd_pamphlet(args: argparse.Namespace) -> int:
    from .pamphlets import PAPERS, build_pamphlets, pamphlet_jobs

    project = Project.load(Path(args.config))
    directory = load_directory(project.directory).require()
    languages = [args.lang] if args.lang else list(project.languages.codes)
    unknown = [lang for lang in languages if lang not in project.languages.codes]
    if unknown or (args.region and args.region not in directory.regions):
        asked = " ".join(x for x in (args.lang, args.region) if x)
        print(f"haven pamphlet: unknown language or region ({asked}); languages: "
              f"{', '.join(project.languages.codes)}; regions: {', '.join(directory.regions)}",
              file=sys.stderr)
        return EXIT_USAGE
    papers = (args.paper,) if args.paper else PAPERS
    jobs = pamphlet_jobs(directory, languages, [args.region] if args.region else None, papers)
    url = args.site_url or project.public_url
    progress = progress_of(args, "haven pamphlet")
    try:
        written = build_pamphlets(directory, jobs, Path(args.out), project.languages.default,
                                  url, progress=progress)
    finally:
        progress.close()
    for job in jobs:
        print(Path(args.out) / job.path)
    print(f"{len(jobs)} pamphlet(s) in {args.out} ({len(written)} rendered, the rest unchanged)")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    project = Project.load(Path(args.config))
    use_strings_from([project.strings] if project.strings.is_dir() else [])
    if args.report == "all":
        return _report_all(args, project)
    if args.report == "readability":
        from .reports.readability import format_table, readability

        print(format_table(readability(project.content)))
        return EXIT_OK
    directory = load_directory(project.directory).require()
    markdown = args.format == "markdown"
    if args.report == "translations":
        from .reports import translations

        report = translations.coverage(directory, project.content,
                                       list(project.languages.codes), project.languages.default)
        print(translations.as_markdown(report) if markdown else translations.as_text(report))
    elif args.report == "facts":
        from .reports import facts

        languages = list(project.languages.codes)
        found = facts.record_facts(directory, languages)
        print(facts.as_markdown(found, directory.root, languages) if markdown
              else facts.as_text(found, directory.root))
    else:
        from .reports import stale

        found = stale.stale_records(directory)
        print(stale.as_markdown(found, directory.root) if markdown
              else stale.as_text(found, directory.root))
    return EXIT_OK


def _report_all(args: argparse.Namespace, project: Project) -> int:
    """What a maintainer needs to see at once: broken, untranslated and stale entries."""
    validation = load_directory(project.directory)
    problems = validation.problems
    print(f"Problems: {len(problems.errors)} error(s), {len(problems.warnings)} warning(s)")
    for problem in problems:
        print(f"  {problem.text()}")
    if not validation.ok:
        print("Fix the errors above; translations and staleness need a valid directory.")
        return EXIT_ERRORS
    for name in ("translations", "stale", "facts"):
        print()
        cmd_report(argparse.Namespace(**{**vars(args), "report": name}))
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """The whole site, languages built in parallel; the same result as `mkdocs build`, but
    published all at once: on an error or Ctrl-C the previous site stays as it was. With
    --language, one language only, for `haven merge`."""
    from .site import split

    site_dir = Path(args.site_dir) if args.site_dir else None
    if args.language:
        if site_dir is None:
            print("haven build --language needs --site-dir: the folder that language's "
                  "build is written to, for `haven merge`", file=sys.stderr)
            return EXIT_USAGE
        return _built(args, lambda progress: split.build_language(
            Path(args.config), args.language, site_dir, strict=args.strict, progress=progress))
    return _built(args, lambda progress: split.build_site(
        Path(args.config), site_dir, jobs=args.jobs, strict=args.strict, progress=progress))


def cmd_merge(args: argparse.Namespace) -> int:
    """The site from its languages' builds (`haven build --language`), finished once."""
    from .site import split

    parts = [Path(part) for part in args.parts]
    return _built(args, lambda progress: split.merge_site(
        Path(args.config), parts, Path(args.site_dir) if args.site_dir else None,
        jobs=args.jobs, progress=progress))


def _built(args: argparse.Namespace, work: Callable[[Progress], Path]) -> int:
    from .site.build import BuildFailed, BuildInterrupted, step

    progress = progress_of(args, f"haven {args.command}")
    try:
        with step("building the site"):
            site = work(progress)
    except BuildFailed as failure:
        progress.close()
        if args.traceback:
            raise
        print(_build_failed(failure), file=sys.stderr)
        return EXIT_ERRORS
    except BuildInterrupted as interrupt:
        progress.close()
        print(f"haven build: interrupted while {interrupt.step}; {_site_kept(interrupt.site)}",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.close()
    print(f"Built {site}")
    return EXIT_OK


def cmd_languages(args: argparse.Namespace) -> int:
    """The site's languages as mkdocs.yml gives them (for a CI matrix: --json)."""
    project = Project.load(Path(args.config))
    codes = list(project.languages.codes)
    print(json.dumps(codes) if args.json else "\n".join(
        f"{code}\t{project.languages.names[code]}" + ("\t(default)"
                                                     if code == project.languages.default
                                                     else "") for code in codes))
    return EXIT_OK


def cmd_pages(args: argparse.Namespace) -> int:
    """Write what each language's build would generate, for debugging."""
    from .site.generated import dump_pages

    project = Project.load(Path(args.config))
    directory = load_directory(project.directory).require()
    count = dump_pages(directory, project.languages, Path(args.dump))
    print(f"Wrote {count} generated pages to {args.dump}")
    return EXIT_OK


def _build_failed(failure: BuildFailed) -> str:
    """One line when the cause is one line; the site's fate first when the cause is a list
    (every problem of the directory), so that it is not lost at the end of the list."""
    cause = str(failure.cause).strip() or type(failure.cause).__name__
    kept = _site_kept(failure.site)
    if "\n" in cause:
        return f"haven build: failed while {failure.step}; {kept}:\n{cause}"
    return f"haven build: failed while {failure.step}: {cause.removesuffix('.')}; {kept}"


def _site_kept(site: Path | None) -> str:
    if site is None:  # the configuration could not be read: no site folder is known yet
        return "nothing was built"
    try:
        shown = f"{site.relative_to(Path.cwd())}/"
    except ValueError:
        shown = f"{site}/"
    if not site.exists():
        return f"nothing was written to {shown}"
    return f"the site in {shown} was left as it was"


PROGRESS_FLAGS = argparse.ArgumentParser(add_help=False)
"""``--progress`` and ``--quiet`` for a long command: ``parents=[PROGRESS_FLAGS]``, then
``progress_of(args, "haven <command>")`` (see progress.py)."""
_shown = PROGRESS_FLAGS.add_mutually_exclusive_group()
_shown.add_argument("--progress", dest="progress", action="store_const", const="always",
                    default="auto", help="show progress even when the output is not a "
                    "terminal (a CI log); default: only on a terminal")
_shown.add_argument("--quiet", "-q", dest="progress", action="store_const", const="never",
                    help="show no progress, even on a terminal")


def progress_of(args: argparse.Namespace, title: str) -> Progress:
    return Progress.for_command(title, args.progress)


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

    build = commands.add_parser("build", help="build the site (languages in parallel)",
                                parents=[PROGRESS_FLAGS])
    build.add_argument("--config", "-f", default="mkdocs.yml")
    build.add_argument("--site-dir", "-d", help="where to write the site (default: site/)")
    build.add_argument("--language", help="build only this language, into --site-dir, for "
                       "`haven merge` (a CI matrix builds each language on its own runner)")
    build.add_argument("--jobs", type=int, help="processes (default: one per core)")
    build.add_argument("--strict", "-s", action="store_true", help="fail on warnings")
    build.set_defaults(run=cmd_build)

    merge = commands.add_parser("merge", help="make the site from its languages' builds "
                                "(haven build --language)", parents=[PROGRESS_FLAGS])
    merge.add_argument("parts", nargs="+", help="each language's build folder")
    merge.add_argument("--config", "-f", default="mkdocs.yml")
    merge.add_argument("--site-dir", "-d", help="where to write the site (default: site/)")
    merge.add_argument("--jobs", type=int, help="processes for pamphlets (default: one per "
                       "core)")
    merge.set_defaults(run=cmd_merge)

    languages = commands.add_parser("languages", help="list the site's languages")
    languages.add_argument("--json", action="store_true", help="as a JSON list of codes")
    languages.add_argument("--config", "-f", default="mkdocs.yml")
    languages.set_defaults(run=cmd_languages)

    pages = commands.add_parser("pages", help="write the generated pages, for debugging")
    pages.add_argument("--dump", required=True, help="the folder to write them to")
    pages.add_argument("--config", "-f", default="mkdocs.yml")
    pages.set_defaults(run=cmd_pages)

    new = commands.add_parser("new", help="start a new record from its template")
    new.add_argument("kind", choices=sorted(KIND_FOLDERS))
    new.add_argument("id", help="the record's id, also its file name (e.g. city-crisis-line)")
    new.add_argument("--directory", default="directory", help="the directory folder")
    new.set_defaults(run=cmd_new)

    importing = commands.add_parser("import", help="make records from another directory's "
                                    "data")
    formats = importing.add_subparsers(dest="format", required=True)
    hsds = formats.add_parser("hsds", help="Open Referral HSDS 3.0/3.1: JSON, a CSV data "
                              "package, or a Haven site's hsds/ feed", parents=[PROGRESS_FLAGS])
    hsds.add_argument("path", help="a JSON file, a folder with services.csv (or its "
                      "datapackage.json), or a Haven feed folder")
    hsds.add_argument("--into", default="directory", help="the directory folder to write "
                      "records into (default: directory)")
    hsds.add_argument("--update", action="store_true", help="change records already there: "
                      "shows each change; keeps their other translations and what the data "
                      "does not say")
    hsds.add_argument("--dry-run", action="store_true", help="show what would be written, "
                      "write nothing")
    hsds.set_defaults(run=cmd_import)

    pamphlet = commands.add_parser("pamphlet", help="write printable PDF pamphlets",
                                   parents=[PROGRESS_FLAGS])
    pamphlet.add_argument("--lang", help="one language (default: every language)")
    pamphlet.add_argument("--region", help="one region code, e.g. US-CA (default: all)")
    pamphlet.add_argument("--paper", choices=["a4", "letter"], help="default: both")
    pamphlet.add_argument("--out", default="build/pamphlets", help="folder for the PDFs")
    pamphlet.add_argument("--site-url", help="the guide's https address to print")
    pamphlet.add_argument("--config", default="mkdocs.yml")
    pamphlet.set_defaults(run=cmd_pamphlet)

    report = commands.add_parser("report", help="translation, staleness, numbers in texts "
                                 "and readability")
    report.add_argument("report", nargs="?", default="all",
                        choices=["all", "translations", "stale", "facts", "readability"],
                        help="default: all (errors, translations, stale entries and the "
                             "numbers each record's texts mention)")
    report.add_argument("--format", choices=["text", "markdown"], default="text")
    report.add_argument("--config", default="mkdocs.yml")
    report.set_defaults(run=cmd_report)
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
    except (DirectoryError, ConfigurationError) as exc:
        # The records' or the configuration's own problems, each with its fix: not a bug.
        print(f"haven: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if args.traceback:
            raise
        print(f"haven: {exc} (run with --traceback for details)", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:  # Ctrl-C: a status, not a traceback (`haven build` says more)
        if args.traceback:
            raise
        print("haven: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
