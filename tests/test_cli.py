"""The `haven` command as a contributor or maintainer uses it, run in a copy of the project.

Each test works in tmp_path with copies of directory/, content/ and mkdocs.yml (whose haven
plugin paths are relative), so commands run exactly as they would in a checkout.
"""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from haven.cli import main
from haven.records import load_directory
from pypdf import PdfReader

from .conftest import REPO

SERVICE = Path("directory/services/love-is-respect.yaml")
RIGHT = Path("directory/rights/us-cvra-restitution.yaml")
DATE = re.compile(r'^(\s*date: )"\d{4}-\d{2}-\d{2}"', re.MULTILINE)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project, every record checked today (so none is stale, whatever the
    day the tests run), as the working directory."""
    shutil.copytree(REPO / "directory", tmp_path / "directory")
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for kind in ("services", "rights", "reporting"):
        for record in (tmp_path / "directory" / kind).glob("*.yaml"):
            set_date(record, date.today())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def set_date(record: Path, day: date) -> None:
    text = record.read_text(encoding="utf-8")
    changed, count = DATE.subn(rf'\g<1>"{day.isoformat()}"', text)
    assert count == 1, f"{record.name}: expected one verification date"
    record.write_text(changed, encoding="utf-8")


def edit(record: Path, old: str, new: str) -> None:
    text = record.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{record.name}: `{old}` is not there exactly once"
    record.write_text(text.replace(old, new), encoding="utf-8")


# --- haven new -------------------------------------------------------------------------------

def test_new_service_is_written_from_the_template_and_validates(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = Path("directory/services/city-crisis-line.yaml")
    assert main(["new", "service", "city-crisis-line"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote {target}. Fill it in, then run: haven validate {target}")
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/service.schema.json"
    assert 'id: "city-crisis-line"' in text
    assert f'date: "{date.today().isoformat()}"' in text
    assert "{id}" not in text and "{today}" not in text

    assert main(["validate", str(target)]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^{re.escape(str(target))}:\d+:9: warning: source: `https://example.org` "
                     "is a placeholder — put the organization's real address here$", out, re.M)
    assert "✓ No errors" in out


def test_new_refuses_to_overwrite(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = Path("directory/services/city-crisis-line.yaml")
    assert main(["new", "service", "city-crisis-line"]) == 0
    target.write_text(target.read_text(encoding="utf-8") + "# my notes\n", encoding="utf-8")
    before = target.read_bytes()
    capsys.readouterr()
    assert main(["new", "service", "city-crisis-line"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"haven new: {target} already exists; edit it instead")
    assert target.read_bytes() == before


def test_new_refuses_an_invalid_id(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(Path("directory").rglob("*"))
    assert main(["new", "service", "City Line"]) == 2
    assert capsys.readouterr().err.strip() == (
        "haven new: `City Line` is not a valid id: use lowercase letters, digits and single "
        "hyphens, e.g. city-rape-crisis-centre")
    assert sorted(Path("directory").rglob("*")) == before


@pytest.mark.parametrize(("kind", "folder"), [("right", "rights"), ("reporting", "reporting")])
def test_new_right_and_reporting_go_in_their_folders(project: Path, kind: str,
                                                     folder: str) -> None:
    assert main(["new", kind, f"us-new-{kind}"]) == 0
    text = (project / "directory" / folder / f"us-new-{kind}.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schema/{kind}.schema.json\n")
    assert f'id: "us-new-{kind}"' in text
    assert main(["validate"]) == 0


# --- haven report translations ---------------------------------------------------------------

@pytest.fixture
def untranslated(project: Path) -> Path:
    """One record without its Spanish description, one Vietnamese page deleted."""
    text = (project / SERVICE).read_text(encoding="utf-8")
    spanish = re.search(r"^description:\n  en: .*\n(  es: .*\n)", text, re.MULTILINE)
    assert spanish, "the record's description has no es line to remove"
    (project / SERVICE).write_text(text.replace(spanish.group(1), "", 1), encoding="utf-8")
    (project / "content" / "about.vi.md").unlink()
    return project


def coverage_line(out: str, lang: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(f"{lang}: "))


def test_translation_report_lists_what_is_missing(
        untranslated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = len(list((untranslated / "content").glob("*.en.md")))
    assert main(["report", "translations"]) == 0
    out = capsys.readouterr().out

    fields = re.match(r"en: record texts 100% \((\d+)/\1\), prose pages 100% "
                      rf"\({pages}/{pages}\), UI strings missing: 0$", coverage_line(out, "en"))
    assert fields, coverage_line(out, "en")
    total = int(fields.group(1))
    share = f"{100 * (total - 1) // total}%"  # rounded down: never 100% with one missing
    assert share != "100%"
    assert coverage_line(out, "es").startswith(
        f"es: record texts {share} ({total - 1}/{total}), prose pages 100% ")
    assert f", prose pages {100 * (pages - 1) // pages}% ({pages - 1}/{pages})," \
        in coverage_line(out, "vi")
    assert [ln for ln in out.splitlines() if ln.startswith("  ")] == [
        f"  missing: {SERVICE}: description", "  missing: content/about.vi.md"]


def test_translation_report_as_markdown(untranslated: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "translations", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines.index("| Language | Record texts | Prose pages | UI strings missing |")
    assert lines[header + 1] == "| --- | --- | --- | --- |"
    rows = [line.split(" | ")[0] for line in lines[header + 2:header + 7]]
    assert rows == ["| en", "| es", "| zh", "| vi", "| ar"]
    assert f"- `{SERVICE}: description`" in lines
    assert "- `content/about.vi.md`" in lines


# --- haven report stale ----------------------------------------------------------------------

def test_stale_report_lists_oldest_first(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    set_date(project / SERVICE, date(2024, 1, 1))
    set_date(project / RIGHT, date(2023, 6, 1))
    assert main(["report", "stale"]) == 0
    days = [(date.today() - day).days for day in (date(2023, 6, 1), date(2024, 1, 1))]
    assert capsys.readouterr().out.splitlines() == [
        "2 record(s) not checked for over 12 months, oldest first:",
        f"  2023-06-01 ({days[0]} days) right us-cvra-restitution — {RIGHT}",
        f"  2024-01-01 ({days[1]} days) service love-is-respect — {SERVICE}",
    ]


def test_stale_report_says_when_nothing_is_stale(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "stale"]) == 0
    assert capsys.readouterr().out.strip() == (
        "No record is over 12 months since it was last checked.")


# --- haven report (all) ----------------------------------------------------------------------

def test_report_all_puts_problems_first_and_fails_on_errors(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warnings = len(load_directory(project / "directory").problems.warnings)
    edit(project / SERVICE, "cost: free", "cost: gratis")
    assert main(["report"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Problems: 1 error(s), {warnings} warning(s)"
    [error] = [line for line in lines[1:] if "warning:" not in line and line.startswith("  ")]
    row = (project / SERVICE).read_text(encoding="utf-8").splitlines().index("cost: gratis") + 1
    assert error.split(": ", 1)[0].endswith(f"{SERVICE.name}:{row}:7")
    assert "cost: `gratis` is not allowed here" in error
    assert lines[-1] == ("Fix the errors above; translations and staleness need a valid "
                         "directory.")


def test_report_all_when_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warnings = [p.text() for p in load_directory(project / "directory").problems.warnings]
    assert main(["report"]) == 0
    lines = capsys.readouterr().out.splitlines()
    n = len(warnings)
    assert lines[0] == f"Problems: 0 error(s), {n} warning(s)"
    assert [line.strip() for line in lines[1:1 + n]] == warnings
    assert lines[1 + n] == ""
    assert lines[2 + n].startswith("en: record texts 100% ")
    assert "No record is over 12 months since it was last checked." in lines
    assert any(line.startswith("directory/services/love-is-respect.yaml: voice ")
               for line in lines), "the numbers in texts come last, record by record"


# --- haven pamphlet --------------------------------------------------------------------------

def test_pamphlet_writes_the_one_asked_for(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "OUT"
    assert main(["pamphlet", "--lang", "es", "--region", "US-CA", "--paper", "a4",
                 "--out", str(out), "--site-url", "https://guide.example.org/"]) == 0
    pdf = out / "es" / "US-CA-a4.pdf"
    assert sorted(out.rglob("*.pdf")) == [pdf]
    assert pdf.read_bytes().startswith(b"%PDF")
    assert capsys.readouterr().out.splitlines() == [
        str(pdf), f"1 pamphlet(s) in {out} (1 rendered, the rest unchanged)"]
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "guide.example.org" in text


def test_pamphlet_for_an_unknown_region(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "OUT"
    assert main(["pamphlet", "--lang", "es", "--region", "XX-YY", "--out", str(out)]) == 2
    assert "haven pamphlet: unknown language or region" in capsys.readouterr().err
    assert not out.exists()


# --- usage errors ----------------------------------------------------------------------------

def test_validate_a_missing_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "nowhere"]) == 2
    assert capsys.readouterr().err.strip() == "haven validate: nowhere does not exist"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2  # returned, not raised as SystemExit
    assert capsys.readouterr().err.startswith("usage: haven")


@pytest.mark.parametrize("command", [["build", "-d", "out"], ["build", "--language", "es",
                                                              "-d", "out-es"],
                                     ["pamphlet", "--lang", "es"], ["report", "translations"]])
def test_a_broken_record_is_reported_as_itself_without_a_traceback_hint(
        project: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    record = project / SERVICE
    record.write_text(record.read_text(encoding="utf-8").replace(
        "id: love-is-respect", "id: Love Is Respect"), encoding="utf-8")
    assert main(command) == 1
    err = capsys.readouterr().err
    assert f"{SERVICE}:" in err and "does not match the file name" in err
    assert "traceback" not in err.lower()
    assert not (project / "out").exists() and not (project / "out-es").exists()


def test_a_broken_configuration_is_reported_without_a_traceback_hint(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "exit_url: https://www.bbc.com/weather", "exit_url: http://example.org/"),
        encoding="utf-8")
    assert main(["report", "stale"]) == 1
    err = capsys.readouterr().err
    assert "exit_url" in err and "traceback" not in err.lower()


def test_pages_dump_shows_what_each_language_would_generate(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pages", "--dump", "dump"]) == 0
    page = project / "dump" / "services" / "love-is-respect.ar.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and 'href="tel:' in text
    assert (project / "dump" / "find-support" / "region" / "us-ca.zh.md").is_file()
    assert "generated pages" in capsys.readouterr().out
