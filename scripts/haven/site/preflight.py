"""What the build needs from the machine, checked before anything is written.

MkDocs empties the site folder right after the plugins' ``on_config``: a tool found missing
later (Pagefind, at the end of the build) would leave half a site. These checks run in
``on_config`` and first in ``haven build``, and say what to install.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..pamphlets.render import FONTS, LATIN_FONT

INSTALL = "run `bash scripts/setup.sh install` (it installs what the build needs)"


class MissingTool(Exception):
    """The machine lacks something the build needs; the message says what to install."""


def check_machine(languages: list[str], pamphlets: bool) -> None:
    """MissingTool naming everything missing: Pagefind, and the pamphlets' fonts."""
    missing = _pagefind(sys.executable)
    if pamphlets:
        missing += _fonts(tuple(sorted({FONTS.get(lang, LATIN_FONT) for lang in languages})))
    if missing:
        raise MissingTool("haven: the build cannot start, nothing was written:\n"
                          + "\n".join(f"- {line}" for line in missing) + f"\nTo fix: {INSTALL}")


@functools.cache
def _pagefind(python: str) -> list[str]:
    """Pagefind runs as ``python -m pagefind`` (the PyPI package bundles the program)."""
    try:
        run = subprocess.run([python, "-m", "pagefind", "--version"], capture_output=True,
                             text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return [f"Pagefind (search) could not be started: {error}"]
    if run.returncode:
        said = (run.stderr or run.stdout).strip().splitlines()
        return [f"Pagefind (search) is not installed for {python}"
                + (f" ({said[-1]})" if said else "")]
    return []


@functools.cache
def _fonts(families: tuple[str, ...]) -> list[str]:
    """Each family as fontconfig finds it, readable (WeasyPrint embeds the file)."""
    if shutil.which("fc-match") is None:
        return ["fc-match (Debian package fontconfig), which finds the pamphlets' fonts"]
    missing = []
    for family in families:
        found, file = _match(family)
        if family not in found:
            missing.append(f"the font {family} (Debian packages fonts-noto-core and "
                           "fonts-noto-cjk), for the pamphlets")
        elif not os.access(file, os.R_OK):
            missing.append(f"the font file {file} of {family} cannot be read")
    return missing


def _match(family: str) -> tuple[list[str], Path]:
    run = subprocess.run(["fc-match", "--format", "%{family}\n%{file}", family],
                         capture_output=True, text=True, timeout=60)
    names, _, file = run.stdout.partition("\n")
    return names.split(","), Path(file)
