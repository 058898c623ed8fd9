"""Progress of long commands as a maintainer sees it: redrawn in place on a terminal,
nothing in a CI log unless asked, a line per step when asked, nothing with --quiet."""

from __future__ import annotations

import io
import re
import shutil
import threading
from pathlib import Path

import pytest
from haven.cli import main
from haven.progress import Progress

from .conftest import REPO


class FakeTerminal(io.StringIO):
    """What a terminal gets written to it (isatty: True), as a terminal would show it."""

    def isatty(self) -> bool:
        return True

    def screen(self) -> list[str]:
        """The lines left on screen: each \\r returns to the line's start, \\x1b[K clears
        the rest of it."""
        lines = []
        for line in self.getvalue().split("\n"):
            shown = ""
            for part in line.split("\r"):
                part = part.replace("\x1b[K", "")
                shown = part + shown[len(part):]
            lines.append(shown)
        return lines


@pytest.fixture(autouse=True)
def no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAVEN_PROGRESS", raising=False)
    monkeypatch.delenv("TERM", raising=False)


def test_a_terminal_sees_one_line_redrawn_with_every_task() -> None:
    terminal = FakeTerminal()
    progress = Progress.for_command("haven build", stream=terminal)
    pages = progress.task("pages", 5, "languages")
    pamphlets = progress.task("pamphlets", 60)
    for lang in ("en", "es"):
        pages.advance(lang)
    pamphlets.advance()
    assert "\n" not in terminal.getvalue()  # redrawn in place, not a line per step
    assert re.fullmatch(r"haven build: pages 2/5 languages · pamphlets 1/60 · \d+ s",
                        terminal.screen()[0])
    for _ in range(60):
        pamphlets.advance()  # more than the total: stays at the total
    pages.finish()
    progress.close()
    assert terminal.screen()[0].startswith(
        "haven build: pages 5/5 languages · pamphlets 60/60 · ")
    assert terminal.getvalue().endswith("\n")  # the command's next line starts afresh


def test_a_log_gets_nothing_unless_asked_then_a_line_per_step() -> None:
    log = io.StringIO()  # not a terminal: a CI log, a pipe
    quiet = Progress.for_command("haven build", stream=log)
    quiet.task("pages", 5, "languages").advance("en")
    quiet.close()
    assert log.getvalue() == ""

    asked = Progress.for_command("haven build", "always", stream=log)
    pages = asked.task("pages", 2, "languages")
    pages.advance("en")
    pages.advance("es")
    asked.close()
    lines = log.getvalue().splitlines()
    assert [re.sub(r"\d+ s$", "N s", line) for line in lines] == [
        "haven build: pages 1/2 languages (en) · N s",
        "haven build: pages 2/2 languages (es) · N s"]
    assert "\r" not in log.getvalue()


def test_many_steps_make_a_line_per_tenth_in_a_log() -> None:
    log = io.StringIO()
    progress = Progress.for_command("haven pamphlet", "always", stream=log)
    with progress.task("pamphlets", 60) as task:
        for _ in range(60):
            task.advance()
    assert [line.split(" · ")[0] for line in log.getvalue().splitlines()] == [
        f"haven pamphlet: pamphlets {n}/60" for n in range(6, 61, 6)]


def test_quiet_is_silent_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    Progress.for_command("haven build", "never", stream=terminal).task("pages", 1).advance()
    monkeypatch.setenv("HAVEN_PROGRESS", "0")  # for commands without --quiet (mkdocs)
    Progress.for_command("haven build", stream=terminal).task("pages", 1).advance()
    assert terminal.getvalue() == ""


def test_the_environment_asks_for_progress_in_a_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAVEN_PROGRESS", "1")
    said: list[str] = []
    Progress.for_command("haven", stream=io.StringIO(),
                         lines=said.append).task("pages", 5, "languages").advance("en")
    assert [line.split(" · ")[0] for line in said] == ["haven: pages 1/5 languages (en)"]


def test_steps_done_in_other_threads_are_all_counted() -> None:
    terminal = FakeTerminal()
    task = Progress.for_command("haven build", stream=terminal).task("pamphlets", 400)
    threads = [threading.Thread(target=lambda: [task.advance() for _ in range(100)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert task.done == 400
    assert terminal.screen()[0].startswith("haven build: pamphlets 400/400 · ")


# The command, on a fake terminal ------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("directory", "content"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


ONE = ["pamphlet", "--lang", "es", "--region", "GB-WLS", "--paper", "a4", "--out", "out"]


def test_haven_pamphlet_shows_progress_on_a_terminal_and_not_in_a_log(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(ONE) == 0
    assert re.fullmatch(r"haven pamphlet: pamphlets 1/1 rendered · \d+ s",
                        terminal.screen()[0])
    assert "\rhaven pamphlet: pamphlets 0/1 rendered" in terminal.getvalue()  # before
    assert capsys.readouterr().out.splitlines()[-1] == \
        "1 pamphlet(s) in out (1 rendered, the rest unchanged)"

    log = io.StringIO()  # the same command in a CI log: the result only
    monkeypatch.setattr("sys.stderr", log)
    (project / "out" / "es" / "GB-WLS-a4.pdf").unlink()
    assert main(ONE) == 0
    assert log.getvalue() == ""
    (project / "out" / "es" / "GB-WLS-a4.pdf").unlink()
    assert main([*ONE, "--progress"]) == 0
    assert re.fullmatch(r"haven pamphlet: pamphlets 1/1 rendered · \d+ s\n", log.getvalue())

    quiet = FakeTerminal()
    monkeypatch.setattr("sys.stderr", quiet)
    (project / "out" / "es" / "GB-WLS-a4.pdf").unlink()
    assert main([*ONE, "--quiet"]) == 0
    assert quiet.getvalue() == ""


def test_progress_and_quiet_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--progress", "--quiet"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_haven_import_shows_its_steps_when_asked(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from .test_imports import service, write_json

    example = write_json(tmp_path / "service.json", service())
    shutil.copytree(REPO / "directory", tmp_path / "directory")
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    assert main(["import", "hsds", str(example), "--into", str(tmp_path / "directory"),
                 "--progress"]) == 0
    assert [re.sub(r" · \d+ s$", "", line) for line in log.getvalue().splitlines()] == [
        "haven import: import 1/4 steps (read)", "haven import: import 2/4 steps (mapped)",
        "haven import: import 3/4 steps (checked)", "haven import: import 4/4 steps (written)"]
    assert "safe-harbor.yaml (written)" in capsys.readouterr().out
