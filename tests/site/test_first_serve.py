"""The README's serve command in a fresh clone, as a new maintainer runs it: the site comes
up, every pamphlet link works (a "being prepared" PDF in its language until the pamphlet is
rendered in the background, then the pamphlet), an edited record shows, and nothing printed
says WARNING or ERROR.

"Packages already installed": the clone's .venv is this checkout's environment (a symbolic
link), which the set-up script finds up to date by the content of pyproject.toml, so it
installs nothing; PYTHONPATH makes that environment run the clone's own code. The clone
has no pamphlet cache (build/ is not in git): every pamphlet is rendered, as on a fresh
machine. One site build, and about a minute of background rendering on two cores.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from haven.i18n import Strings
from haven.project import Project
from haven.site.search import ENTRY
from pypdf import PdfReader

from ..conftest import REPO

SITE_WAIT = 180  # s: set-up's checks, validation and the first build of every language
PAMPHLET_WAIT = 400  # s: every pamphlet rendered from nothing, on a shared 2-core machine
EDIT_WAIT = 60  # s: an edited record on its page (a few seconds when the machine is idle)
SERVICE = "national-domestic-violence-hotline"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


class Served:
    def __init__(self, clone: Path, process: subprocess.Popen[bytes], output: Path,
                 base: str) -> None:
        self.clone, self.process, self.output_file, self.base = clone, process, output, base

    @property
    def output(self) -> str:
        return self.output_file.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, path: str, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the command stopped:\n{self.output}"
            status, body = _get(self.base + path)
            if status == 200:
                return body
            time.sleep(0.5)
        pytest.fail(f"{path} was not served within {timeout} s:\n{self.output}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    environment = REPO / ".venv"
    want = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()
    stamps = [p.read_text().split() for p in environment.glob(".installed-*")]
    if not any(stamp[-1:] == [want] for stamp in stamps):
        pytest.fail("the test reuses .venv and must not install into it: run "
                    "`bash scripts/setup.sh install` first")
    clone = tmp_path_factory.mktemp("first-serve") / "haven"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    (clone / ".venv").symlink_to(environment)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
    env["PYTHONPATH"] = str(clone / "scripts")
    output = clone.parent / "output.txt"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            ["bash", "scripts/setup.sh", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=clone, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    served = Served(clone, process, output, f"http://127.0.0.1:{port}/")
    try:
        yield served
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _links(served: Served, page: str) -> list[str]:
    html = served.wait_for(page, SITE_WAIT)
    anchors = BeautifulSoup(html, "html.parser").select(".haven-pamphlets a[href]")
    return [urljoin(served.base + page, str(a["href"])) for a in anchors]


def _kind(pdf: bytes, lang: str) -> str:
    """"pamphlet" (two pages, one sheet) or "preparing" (in ``lang``)."""
    assert pdf.startswith(b"%PDF"), pdf[:200]
    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) == 2:
        return "pamphlet"
    title = reader.metadata.title if reader.metadata else None
    assert len(reader.pages) == 1 and title == Strings(lang)("pamphlets.preparing_title"), \
        f"neither a pamphlet nor the {lang} 'being prepared' page: {title}"
    return "preparing"


def test_open_data_and_search_are_there_as_soon_as_the_site_is(served: Served) -> None:
    """The Open data page names these files; the search page loads Pagefind's entry."""
    served.wait_for("", SITE_WAIT)
    languages = Project.load(REPO / "mkdocs.yml").languages.codes
    for path in ["data/directory.json", "data/hsds/services.json", f"pagefind/{ENTRY}",
                 *[f"data/services-{lang}.csv" for lang in languages]]:
        status, body = _get(served.base + path)
        assert status == 200 and body, f"{path}: {status}"


def test_every_pamphlet_link_gives_a_pdf_while_serving_a_fresh_clone(served: Served) -> None:
    languages = Project.load(REPO / "mkdocs.yml").languages
    links = {lang: _links(served, "pamphlets/" if lang == languages.default
                          else f"{lang}/pamphlets/") for lang in languages.codes}
    assert all(len(found) >= 2 for found in links.values()), links
    started = time.monotonic()
    seen: dict[str, set[str]] = {}
    waiting = {(lang, url) for lang, urls in links.items() for url in urls}
    while waiting:
        for lang, url in sorted(waiting):
            status, body = _get(url)
            assert status == 200, f"{url}: {status} — a pamphlet link must never fail"
            kind = _kind(body, lang)
            seen.setdefault(kind, set()).add(url)
            if kind == "pamphlet":
                waiting.discard((lang, url))
        if waiting:
            assert time.monotonic() - started < PAMPHLET_WAIT, \
                f"{len(waiting)} pamphlets not ready after {PAMPHLET_WAIT} s:\n{served.output}"
            time.sleep(2)
    print(f"every pamphlet ready {time.monotonic() - started:.0f} s after the site was up; "
          f"{len(seen.get('preparing', ()))} links showed 'being prepared' first")
    # A fresh clone has no pamphlet yet: the first requests got the placeholder.
    assert seen.get("preparing"), "expected the 'being prepared' page before the pamphlets"
    assert "pamphlets ready" in served.output


def test_an_edited_record_shows_while_serving(served: Served) -> None:
    page = f"services/{SERVICE}/"
    served.wait_for(page, SITE_WAIT)
    record = served.clone / "directory" / "services" / f"{SERVICE}.yaml"
    text = record.read_text(encoding="utf-8")
    old = 'en: "National Domestic Violence Hotline"'
    assert old in text
    record.write_text(text.replace(old, 'en: "National Domestic Violence Hotline Edited"'),
                      encoding="utf-8")
    saved = time.monotonic()
    while b"Hotline Edited" not in _get(served.base + page)[1]:
        assert time.monotonic() - saved < EDIT_WAIT, f"the edit never showed:\n{served.output}"
        time.sleep(0.2)
    print(f"the edit showed {time.monotonic() - saved:.1f} s after saving")


def test_what_the_command_printed_until_ctrl_c(served: Served) -> None:
    """Right after the edit (the search index is being remade in the background), as a
    maintainer who has seen enough would."""
    served.wait_for("", SITE_WAIT)
    os.killpg(served.process.pid, signal.SIGINT)  # Ctrl-C at the terminal: all its processes
    try:
        served.process.wait(60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the server did not stop on Ctrl-C:\n{served.output}")
    output = served.output
    assert "Shutting down..." in output
    assert "Traceback" not in output, output
    lines = output.splitlines()
    assert re.fullmatch(r"setup: system packages \(fonts, Pango\) … already installed "
                        r"\(\d s\)", lines[0]), output
    assert re.fullmatch(r"setup: Python packages … already installed \(\d s\)", lines[1])
    assert "WARNING" not in output and "ERROR" not in output, output
    assert "Serving on http://127.0.0.1:" in output


def test_a_built_site_has_every_pamphlet_and_never_the_placeholder(site: Path) -> None:
    """A built site's links and QR codes are printed: each must lead to the pamphlet. The
    "being prepared" page belongs to the preview only."""
    languages = Project.load(REPO / "mkdocs.yml").languages.codes
    for lang in languages:
        html = (site / ("" if lang == languages[0] else lang) / "pamphlets" /
                "index.html").read_bytes()
        for a in BeautifulSoup(html, "html.parser").select(".haven-pamphlets a[href]"):
            href = str(a["href"])
            pdf = (site / ("" if lang == languages[0] else lang) / "pamphlets" / href).resolve()
            assert _kind(pdf.read_bytes(), lang) == "pamphlet", pdf
