"""The readability report: a row per English prose page, with plausible numbers (not a gate
on how easy the pages are: the lead reads the report, the build does not fail on it)."""

from __future__ import annotations

from pathlib import Path

from haven.reports.readability import format_table, plain_text, readability

from .conftest import REPO


def test_a_row_per_english_prose_page_with_plausible_scores() -> None:
    content = REPO / "content"
    rows = readability(content)
    assert [name for name, _, _ in rows] == sorted(
        p.name.removesuffix(".en.md") for p in content.glob("*.en.md"))
    for name, grade, ease in rows:
        assert 0 < grade < 20, (name, grade)
        assert 0 < ease < 120, (name, ease)
    table = format_table(rows)
    assert table.splitlines()[0].startswith("Page")
    assert len(table.splitlines()) == len(rows) + 2
    assert all(name in table for name, _, _ in rows)


def test_markdown_and_front_matter_are_not_read_as_words(tmp_path: Path) -> None:
    (tmp_path / "page.en.md").write_text(
        "---\ntitle: Secret Front Matter\n---\n\n# A heading\n\n<!-- haven:get-help-now -->\n"
        "Read [this page](https://example.org/long-address) **now**.\n\n- one item\n"
        '<div class="x" markdown>Text in a block.</div>\n', encoding="utf-8")
    (tmp_path / "page.es.md").write_text("# Solo en español\n", encoding="utf-8")
    text = plain_text((tmp_path / "page.en.md").read_text(encoding="utf-8"))
    assert text == "A heading. Read this page now. one item. Text in a block."
    assert [row[0] for row in readability(tmp_path)] == ["page"]


def test_harder_text_scores_harder(tmp_path: Path) -> None:
    (tmp_path / "easy.en.md").write_text("You can call us. We will help you. It is free.\n",
                                         encoding="utf-8")
    (tmp_path / "hard.en.md").write_text(
        "Notwithstanding considerable institutional heterogeneity, organizational accountability "
        "mechanisms necessitate comprehensive documentation of jurisdictional eligibility.\n",
        encoding="utf-8")
    scores = {name: (grade, ease) for name, grade, ease in readability(tmp_path)}
    assert scores["hard"][0] > scores["easy"][0] + 5
    assert scores["hard"][1] < scores["easy"][1] - 30
