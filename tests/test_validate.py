"""The validator, driven by real broken files in fixtures/records/invalid/.

Each invalid file says, in its first comment lines, which folder it belongs in and the exact
``line:column field | message`` that must be reported for it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from haven.cli import main
from haven.records import Directory, Severity, load_directory
from haven.records.yaml_loader import MAX_BYTES

from .conftest import DIRECTORY, FIXTURES, TODAY

INVALID = sorted((FIXTURES / "records" / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# (expect|expect-warning): (\d+):(\d+) (\S*) ?\| (.+)$")


def expectations(path: Path) -> tuple[str, list[tuple[Severity, int, int, str, str]]]:
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    folder = lines[0].removeprefix("# folder: ").strip()
    expected = []
    for line in lines[1:]:
        if match := EXPECT.match(line):
            level, row, col, field, message = match.groups()
            severity = Severity.WARNING if level == "expect-warning" else Severity.ERROR
            expected.append((severity, int(row), int(col), field, message))
    return folder, expected


def place(directory: Path, path: Path) -> Path:
    folder, _ = expectations(path)
    target = directory / folder / path.name
    shutil.copy(path, target)
    return target


def test_shipped_directory_is_valid() -> None:
    validation = load_directory(DIRECTORY)
    assert validation.problems.errors == []
    assert validation.directory is not None


def test_valid_examples_have_no_problems(valid_directory: Path) -> None:
    validation = load_directory(valid_directory, today=TODAY)
    assert list(validation.problems) == []
    services = validation.require().services
    assert [s.id for s in services] == ["example-hotline"]
    assert services[0].phones[1].href == "sms:88788?&body=START"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_broken_file_is_reported_where_it_is_wrong(valid_directory: Path, path: Path) -> None:
    target = place(valid_directory, path)
    _, expected = expectations(path)
    assert expected, f"{path.name} declares no expectation"
    validation = load_directory(valid_directory, today=TODAY)
    reported = [p for p in validation.problems if p.path == target]
    for severity, line, column, field, message in expected:
        matches = [p for p in reported if (p.line, p.column, p.field) == (line, column, field)
                   and p.severity is severity and p.text().split(": ", 1)[1].find(message) >= 0]
        assert matches, (f"expected {line}:{column} {field} | {message}\n got:\n"
                         + "\n".join(p.text() for p in reported))
    if any(s is Severity.ERROR for s, *_ in expected):
        assert validation.directory is None, "a directory with errors must not be built"


def test_every_problem_in_every_file_in_one_run(valid_directory: Path) -> None:
    targets = [place(valid_directory, p) for p in INVALID]
    validation = load_directory(valid_directory, today=TODAY)
    reported_files = {p.path for p in validation.problems}
    assert reported_files >= set(targets)
    expected_total = sum(len(expectations(p)[1]) for p in INVALID)
    assert len(validation.problems) >= expected_total


def test_oversized_file_is_refused(valid_directory: Path) -> None:
    big = valid_directory / "services" / "huge.yaml"
    big.write_text("id: huge\ndescription: {en: '" + "x" * MAX_BYTES + "'}\n")
    problems = [p for p in load_directory(valid_directory, today=TODAY).problems
                if p.path == big]
    assert len(problems) == 1
    assert "over the limit" in problems[0].message


def test_alias_bomb_is_refused_quickly(valid_directory: Path) -> None:
    bomb = valid_directory / "rights" / "bomb.yaml"
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    bomb.write_text("\n".join(lines) + "\n")
    problems = [p for p in load_directory(valid_directory, today=TODAY).problems
                if p.path == bomb]
    assert [(p.line, p.column) for p in problems] == [(1, 5)]


def test_cli_exit_status_and_output(valid_directory: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(valid_directory)]) == 0  # warnings alone do not fail
    capsys.readouterr()
    place(valid_directory, FIXTURES / "records" / "invalid" / "bad-phone.yaml")
    assert main(["validate", str(valid_directory)]) == 1
    out = capsys.readouterr().out
    assert "bad-phone.yaml:12:13: phones[0].number: `+15555550123` is not a valid" in out
    assert main(["validate", str(valid_directory / "nope")]) == 2


def test_github_annotations(valid_directory: Path, capsys: pytest.CaptureFixture[str]) -> None:
    place(valid_directory, FIXTURES / "records" / "invalid" / "http-link.yaml")
    assert main(["validate", "--format", "github", str(valid_directory)]) == 1
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "http-link.yaml" in ln and "::error" in ln)
    assert re.match(r"^::error file=.*services/http-link\.yaml,line=14,col=6,title=url::", line)
    assert "https://" in line


def test_single_file_mode_reports_only_that_file(valid_directory: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    place(valid_directory, FIXTURES / "records" / "invalid" / "bad-enum.yaml")
    target = place(valid_directory, FIXTURES / "records" / "invalid" / "bad-phone.yaml")
    assert main(["validate", str(target)]) == 1
    out = capsys.readouterr().out
    assert "bad-phone.yaml" in out and "bad-enum.yaml" not in out


def test_clean_summary_counts_kinds_and_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DIRECTORY)]) == 0
    out = capsys.readouterr().out
    summary = out.strip().splitlines()[-2]
    assert re.search(r"\d+ reporting, \d+ right, \d+ service", summary)
    assert re.search(r"Fully translated: en (\d+)/\1, ar \d+/\d+", summary)


def test_parallel_checking_reports_the_same_problems(valid_directory: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from haven.records import directory

    for path in INVALID:
        place(valid_directory, path)
    serial = list(load_directory(valid_directory, today=TODAY).problems)
    monkeypatch.setattr(directory, "PARALLEL_FROM", 1)
    parallel = list(load_directory(valid_directory, today=TODAY).problems)
    assert parallel == serial


@pytest.mark.parametrize(("url", "placeholder"), [
    ("https://example.org", True), ("https://help.example.com/chat", True),
    ("https://EXAMPLE.NET./x", True), ("https://myexample.org", False),
    ("https://example.org.uk/help", False), ("https://www.example-service.org", False),
])
def test_only_example_addresses_are_placeholders(valid_directory: Path, url: str,
                                                 placeholder: bool) -> None:
    record = valid_directory / "services" / "example-hotline.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "https://crisis-help.test/help", url), encoding="utf-8")
    warnings = [p.text() for p in load_directory(valid_directory, today=TODAY).problems.warnings]
    assert warnings == ([f"{record}:25:6: warning: url: `{url}` is a placeholder — put the "
                         "organization's real address here"] if placeholder else [])


def test_a_region_name_must_not_name_another_region(valid_directory: Path) -> None:
    """GB-ENG named "England and Wales" would show readers in Wales England-only services."""
    regions = valid_directory / "regions.yaml"
    text = regions.read_text(encoding="utf-8")
    assert "name: {en: England," in text
    regions.write_text(text.replace("name: {en: England,", "name: {en: England and Wales,"),
                       encoding="utf-8")
    validation = load_directory(valid_directory, today=TODAY)
    [problem] = [p for p in validation.problems if p.path == regions]
    assert problem.field == "regions[4].name.en"
    assert problem.message == ("`England and Wales` also names Wales (GB-WLS), but GB-ENG is "
                               "England in ISO 3166")
    assert validation.directory is None


def test_records_for_england_and_wales_serve_readers_in_wales(shipped: Directory) -> None:
    wales = {s.id for s in shipped.services_in("GB-WLS")}
    england = {s.id for s in shipped.services_in("GB-ENG")}
    assert "live-fear-free" in wales and "live-fear-free" not in england
    assert {"victim-support-supportline", "samaritans"} <= wales & england
    assert "Wales" not in shipped.regions["GB-ENG"].name_in("en")


def test_facts_report_puts_each_number_beside_whose_it_is(valid_directory: Path) -> None:
    from haven.reports.facts import as_text, record_facts

    directory = load_directory(valid_directory, today=TODAY).require()
    text = as_text(record_facts(directory, ["en", "es"]), directory.root)
    assert "services/example-hotline.yaml: voice +1 800-656-4673; text 88788 keyword START" \
        in text
    assert ("  description [es]: START (✓), 1-800-656-HOPE (✓), 88788 (✓), 911 (✓ emergency)"
            in text)
    assert "  steps[2] [en]: (800) 656-4673 (→ example-hotline)" in text


def test_a_shared_hotline_gives_one_bounded_warning(valid_directory: Path) -> None:
    """2,000 local records that all list one national number: one line, not 2,000 x 2,000."""
    template = (FIXTURES / "records" / "invalid" / "a-shared-phone.yaml").read_text(
        encoding="utf-8")
    for i in range(2000):
        (valid_directory / "services" / f"local-{i:04d}.yaml").write_text(
            template.replace("a-shared-phone", f"local-{i:04d}"), encoding="utf-8")
    validation = load_directory(valid_directory, today=TODAY)
    [warning] = [p for p in validation.problems.warnings if "is also listed by" in p.message]
    assert warning.path.name == "example-hotline.yaml"
    assert warning.message.endswith("local-0000, local-0001, local-0002 and 1997 more")
    focused = valid_directory / "services" / "local-1234.yaml"
    [shown] = [p for p in load_directory(valid_directory, today=TODAY, only=[focused]).problems
               if "is also listed by" in p.message]
    assert shown.path == focused and "example-hotline" in shown.message


def test_symbolic_links_are_refused_and_capital_extensions_read(valid_directory: Path,
                                                                tmp_path: Path) -> None:
    services = valid_directory / "services"
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\n", encoding="utf-8")
    (services / "to-outside.yaml").symlink_to(outside)
    (services / "to-nowhere.yaml").symlink_to(tmp_path / "missing.yaml")
    (services / "to-zero.yaml").symlink_to("/dev/zero")
    shutil.copy(services / "example-hotline.yaml", services / "Shouting.YAML")
    problems: dict[str, list[str]] = {}
    for problem in load_directory(valid_directory, today=TODAY).problems:
        problems.setdefault(problem.path.name, []).append(problem.message)
    for name in ("to-outside.yaml", "to-nowhere.yaml", "to-zero.yaml"):
        assert problems[name] == ["this is a symbolic link, not a file"], name
    assert "`example-hotline` does not match the file name `Shouting`" in problems[
        "Shouting.YAML"]


def test_reports_cannot_be_forged_by_values_or_file_names(valid_directory: Path) -> None:
    from haven.records.reporters import as_github, as_text

    name = "evil\x1b[2J\n::error file=x.yaml::Approved by the maintainers.yaml"
    record = valid_directory / "services" / name
    record.write_text('id: x\nname: {en: "\\x1b[2J No errors"}\n', encoding="utf-8")
    validation = load_directory(valid_directory, today=TODAY)
    text = as_text(validation)
    assert "\x1b" not in text and "\n::error" not in text
    assert "evil\\x1b[2J\\n::error" in text
    github = as_github(validation).splitlines()
    assert not any(line.startswith("::error file=x.yaml") for line in github)
    assert not any("\x1b" in line for line in github)
    assert any("evil\\x1b[2J\\n%3A%3Aerror file=x.yaml%3A%3AApproved" in line
               for line in github)
