"""What scripts/setup.sh prints, with fake package managers on PATH: a line per step with
its result and time, the installers' own chatter kept in a log, and on a failure the log's
end and what to do (another program holding apt's lock above all)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO

VNU = re.search(r"VNU_VERSION=(\S+)", (REPO / "scripts/setup.sh").read_text()).group(1)  # type: ignore[union-attr]


def _tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The set-up script and pyproject.toml, with fake dpkg, apt-get, sudo, java and npm."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    tools = tmp_path / "tools"
    tools.mkdir()
    _tool(tools, "sudo", 'exec "$@"')
    _tool(tools, "java", "exit 0")
    _tool(tools, "npm", "exit 0")
    return tmp_path


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{project / 'tools'}:{os.environ['PATH']}"}
    return subprocess.run(["bash", "scripts/setup.sh", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)


def test_another_package_manager_holding_the_lock_is_explained(project: Path) -> None:
    tools = project / "tools"
    _tool(tools, "dpkg", "exit 1")  # nothing installed
    _tool(tools, "apt-get", f'echo "$@" >> {project}/apt-args\n'
          'echo "Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. '
          'It is held by process 4242 (unattended-upgr)" >&2\n'
          'echo "E: Could not get lock /var/lib/dpkg/lock-frontend" >&2\nexit 100')
    result = _run(project, "install")
    assert result.returncode != 0
    assert re.fullmatch(r"setup: system packages \(fonts, Pango, Chromium, Poppler\) … "
                        r"(waiting for another program that is installing packages "
                        r"\(up to 10 min\) … )?failed \(\d+ s\)\n", result.stdout)
    assert "E: Could not get lock /var/lib/dpkg/lock-frontend" in result.stderr
    assert "another program is installing packages: wait until it has finished" in \
        result.stderr
    assert "apt-get install --no-install-recommends fonts-noto-core" in result.stderr
    assert ".cache/setup/system.log" in result.stderr
    # apt-get was told to wait for the lock rather than give up at once.
    assert "-o DPkg::Lock::Timeout=600 update" in (project / "apt-args").read_text()
    assert not (project / ".venv").exists()  # nothing after a failed step


def test_an_installed_machine_says_so_in_one_line_per_step(project: Path) -> None:
    _tool(project / "tools", "dpkg", "exit 0")  # every package installed
    _tool(project / "tools", "apt-get", "echo apt-get must not run >&2; exit 1")
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    digest = hashlib.sha256((project / "pyproject.toml").read_bytes()).hexdigest()
    (venv / ".installed-[test]").write_text(f"[test] {digest}\n")
    vnu = project / ".cache/node/node_modules/vnu-jar"
    vnu.mkdir(parents=True)
    (vnu / "package.json").write_text(json.dumps({"version": VNU}, indent=2))
    result = _run(project, "install")
    assert result.returncode == 0, result.stderr
    assert [re.sub(r"\(\d+ s\)$", "(N s)", line) for line in result.stdout.splitlines()] == [
        "setup: system packages (fonts, Pango, Chromium, Poppler) … already installed (N s)",
        "setup: Python packages … already installed (N s)",
        f"setup: the Nu Html Checker (vnu-jar {VNU}) … already installed (N s)"]
    assert result.stderr == ""

    # pyproject.toml changed: the Python packages are installed again (here with a fake
    # python whose pip prints what this machine's pip prints: into the log, not the screen).
    with (project / "pyproject.toml").open("a") as changed:
        changed.write("\n# changed\n")
    _tool(venv / "bin", "python", "echo \"WARNING: Location 'file:///opt/x' is ignored\" >&2")
    result = _run(project, "install")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^setup: Python packages … installed into \.venv \(\d+ s\)$",
                     result.stdout, re.MULTILINE)
    assert "WARNING" not in result.stdout + result.stderr
    assert "WARNING: Location" in (project / ".cache/setup/python.log").read_text()
    assert (venv / ".installed-[test]").read_text().split()[1] == hashlib.sha256(
        (project / "pyproject.toml").read_bytes()).hexdigest()


def test_waiting_for_another_package_manager_is_said_on_the_step_line(project: Path) -> None:
    tools = project / "tools"
    _tool(tools, "dpkg", f'[ -f {project}/installed ]')
    _tool(tools, "apt-get", 'case "$*" in *install*)\n'
          '  echo "Waiting for cache lock: Could not get lock /var/lib/dpkg/lock-frontend. '
          'It is held by process 4242 (apt-get)" >&2; sleep 3;;\nesac\n'
          f'touch {project}/installed')
    _tool(tools, "python3", "exit 1")  # stops at the next step: this test is about apt
    result = _run(project, "serve")
    first = result.stdout.splitlines()[0]
    assert re.fullmatch(r"setup: system packages \(fonts, Pango\) … waiting for another "
                        r"program that is installing packages \(up to 10 min\) … installed "
                        r"fonts-noto-core .* \(\d+ s\)", first), result.stdout
