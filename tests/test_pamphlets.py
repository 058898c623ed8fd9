"""Pamphlets: real PDFs for every language, read back with pypdf."""

from __future__ import annotations

import io
import re
import shutil
import socket
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from haven.pamphlets import build_pamphlets, pamphlet_jobs
from haven.pamphlets import render as pamphlet_render
from haven.pamphlets.content import pamphlet_content
from haven.records import Directory, load_directory
from haven.render import Renderer
from haven.synthetic import label
from haven.synthetic import service as synthetic_service
from pypdf import PdfReader

from .conftest import DIRECTORY

LANGUAGES = ["en", "es", "zh", "vi", "ar"]
URL = "https://guide.example.org/"
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def normalise(text: str) -> str:
    """pdftotext/pypdf give Arabic with direction marks and presentation forms
    (lam-alef ligatures): compare on NFKC-normalised text without marks or spaces."""
    return re.sub(r"\s+", "", BIDI_MARKS.sub("", unicodedata.normalize("NFKC", text)))


@pytest.fixture(scope="module")
def no_network() -> Any:
    """Any attempt to open a connection while pamphlets are made fails the test."""
    real = socket.socket.connect

    def refuse(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"pamphlet generation tried to connect to {address}")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    yield
    socket.socket.connect = real  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def shipped_directory() -> Directory:
    return load_directory(DIRECTORY).require()


@pytest.fixture(scope="module")
def pamphlets(tmp_path_factory: pytest.TempPathFactory, shipped_directory: Directory,
              no_network: None) -> Path:
    out = tmp_path_factory.mktemp("pamphlets")
    jobs = pamphlet_jobs(shipped_directory, LANGUAGES, ["US-CA"], ("a4",))
    jobs += pamphlet_jobs(shipped_directory, ["en", "ar"], ["GB-ENG"], ("letter",))
    build_pamphlets(shipped_directory, jobs, out, "en", URL, date(2026, 11, 25))
    return out


def read(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in read(path).pages)


def arabic_runs(text: str) -> list[str]:
    """Runs of Arabic words: text extraction reorders the Latin and digit runs mixed into
    right-to-left text, but keeps each Arabic run in reading order."""
    return [normalise(m) for m in re.findall(r"[\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+)*", text)]


def contains(text: str, wanted: str, lang: str) -> bool:
    """For Arabic, every Arabic word (lines wrap inside names mixed with Latin runs);
    otherwise the whole text."""
    words = re.findall(r"[\u0600-\u06ff]+", wanted)
    if lang == "ar" and words:
        return all(normalise(word) in text for word in words)
    return normalise(wanted) in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_sheet_of_the_right_paper_with_every_line_and_number(
        pamphlets: Path, shipped_directory: Directory, lang: str) -> None:
    path = pamphlets / lang / "US-CA-a4.pdf"
    pdf = read(path)
    assert len(pdf.pages) == 2
    width, height = (round(float(v)) for v in pdf.pages[0].mediabox.upper_right)
    assert (width, height) == PAPER_POINTS["a4"]
    text = normalise(text_of(path))
    content = pamphlet_content(shipped_directory, "US-CA")
    r = Renderer(shipped_directory, lang, "en")
    shown = [s for s in content.services if contains(text, r.plain(s.name), lang)]
    assert shown == content.services[:len(shown)], "the region's own services first"
    for service in content.lines + shown:  # every 24/7 line; other services as fit
        assert contains(text, r.plain(service.name), lang), service.id
        for phone in service.phones:  # digits only: right-to-left text mirrors "(800)"
            number = re.sub(r"\D", "", r.phone_text(phone, service.service_areas[0]))
            assert number in re.sub(r"\D", "", text), phone
    assert "911" in text
    assert normalise(URL) in text


def test_letter_paper_and_region_content(pamphlets: Path) -> None:
    pdf = read(pamphlets / "en" / "GB-ENG-letter.pdf")
    width, height = (round(float(v)) for v in pdf.pages[0].mediabox.upper_right)
    assert (width, height) == PAPER_POINTS["letter"]
    text = text_of(pamphlets / "en" / "GB-ENG-letter.pdf")
    assert "999" in text and "Victim Support" in text
    assert "RAINN" not in text  # a US line has no place in an England and Wales pamphlet


def test_arabic_is_real_text_that_reads_back(pamphlets: Path,
                                             shipped_directory: Directory) -> None:
    text = normalise(text_of(pamphlets / "ar" / "US-CA-a4.pdf"))
    r = Renderer(shipped_directory, "ar", "en")
    assert normalise(r.s("pamphlet.title")) in text
    assert normalise(r.s("title.rights")) in text
    for line in pamphlet_content(shipped_directory, "US-CA").lines:
        assert arabic_runs(r.plain(line.name)), line.id
        assert contains(text, r.plain(line.name), "ar"), line.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fonts_are_embedded_and_the_pdf_is_tagged(pamphlets: Path, lang: str) -> None:
    pdf = read(pamphlets / lang / "US-CA-a4.pdf")
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font
                          else font)["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == lang
    assert pdf.metadata.title


def test_nothing_is_fetched_even_when_asked(no_network: None) -> None:
    fetcher = pamphlet_render.offline_fetcher()
    html = ('<html lang="en"><title>t</title><body><img src="https://tracker.example/x.png">'
            '<p>Hello</p></body></html>')
    pdf = pamphlet_render.pamphlet_pdf(html, "a4", fetcher)
    assert pdf.startswith(b"%PDF") and fetcher.refused == ["https://tracker.example/x.png"]


def test_only_changed_pamphlets_are_rendered_again(tmp_path: Path) -> None:
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    jobs_for = lambda d: pamphlet_jobs(d, ["en"], ["US-CA", "GB-ENG"], ("a4",))  # noqa: E731
    first = load_directory(directory).require()
    assert len(build_pamphlets(first, jobs_for(first), tmp_path / "out", "en", URL)) == 2
    assert build_pamphlets(first, jobs_for(first), tmp_path / "out", "en", URL) == []
    record = directory / "services" / "victim-support-supportline.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["name"]["en"] = "Victim Support (renamed)"
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    changed = load_directory(directory).require()
    rebuilt = build_pamphlets(changed, jobs_for(changed), tmp_path / "out", "en", URL)
    assert [p.name for p in rebuilt] == ["GB-ENG-a4.pdf"]


def test_a_crowded_region_still_fits_one_sheet_and_points_to_the_website(tmp_path: Path
                                                                        ) -> None:
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    for i in range(30):
        data = synthetic_service(i, ("en",))
        data["service_areas"] = ["US-CA"]
        (directory / "services" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    crowded = load_directory(directory).require()
    jobs = pamphlet_jobs(crowded, ["en"], ["US-CA"], ("a4",))
    build_pamphlets(crowded, jobs, tmp_path / "out", "en", URL)
    path = tmp_path / "out" / "en" / "US-CA-a4.pdf"
    assert len(read(path).pages) == 2  # one sheet, printed on both sides
    text = text_of(path)
    content = pamphlet_content(crowded, "US-CA")
    assert sum(f"Support Service {label(i)} (en)" in text for i in range(30)) < 30
    shown = [s for s in content.services if normalise(s.name.values["en"]) in normalise(text)]
    assert shown == content.services[:len(shown)], "as many as fit, in order"
    more = re.search(r"(\d+) more services are listed", text)
    assert more and int(more.group(1)) == (len(content.services) + content.more_services
                                           - len(shown))
    for line in content.lines:  # the 24/7 lines are never dropped
        assert normalise(line.name.values["en"]) in normalise(text)


def test_a_very_long_list_is_capped_and_points_to_the_website(tmp_path: Path) -> None:
    from haven.pamphlets.content import MAX_SERVICES

    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    for i in range(MAX_SERVICES + 5):
        data = synthetic_service(i, ("en",))
        data["service_areas"] = ["GB-ENG"]
        (directory / "services" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    crowded = load_directory(directory).require()
    content = pamphlet_content(crowded, "GB-ENG")
    assert len(content.services) == MAX_SERVICES and content.more_services >= 5
    jobs = pamphlet_jobs(crowded, ["en"], ["GB-ENG"], ("a4",))
    build_pamphlets(crowded, jobs, tmp_path / "out", "en", URL)
    text = text_of(tmp_path / "out" / "en" / "GB-ENG-a4.pdf")
    more = re.search(r"(\d+) more services are listed", text)
    assert more and int(more.group(1)) >= content.more_services


def test_a_hundred_24_7_lines_still_make_one_sheet(tmp_path: Path) -> None:
    directory = tmp_path / "directory"
    shutil.copytree(DIRECTORY, directory)
    for i in range(120):
        data = synthetic_service(i, ("en",))
        data["hours"] = {"always_open": True}
        data["service_areas"] = ["US"]
        (directory / "services" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    crowded = load_directory(directory).require()
    assert len(pamphlet_content(crowded, "US").lines) > 120
    build_pamphlets(crowded, pamphlet_jobs(crowded, ["en"], ["US"], ("letter",)),
                    tmp_path / "out", "en", URL)
    path = tmp_path / "out" / "en" / "US-letter.pdf"
    assert len(read(path).pages) == 2
    more = re.search(r"(\d+) more services are listed", text_of(path))
    assert more and int(more.group(1)) > 100

