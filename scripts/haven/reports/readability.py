"""How hard the English prose pages are to read: Flesch-Kincaid grade and reading ease.

A guide for people in crisis should read at about grade 6-8 (reading ease 60 or more). The
numbers are a prompt to look again at a page, not a gate: the formulas count syllables and
sentence lengths, and know nothing about meaning. Only English is measured (the formulas are
made for English); ``content/<page>.en.md`` is the source every translation starts from.

Sentences and words are counted by textstat. Syllables are counted with Pyphen's English
hyphenation dictionary, which is what textstat itself falls back to for a word missing from
the CMU pronouncing dictionary: textstat 0.7.13 fetches that dictionary through NLTK from the
internet on first use, and a report must not make network requests (nor fail without them).
The two Flesch formulas are then applied as published (Kincaid et al., 1975).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import textstat

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Block-level tags end what comes before them; inline ones (<bdi>, <strong>) do not.
_BLOCK_TAG = re.compile(r"</?(?:div|p|section|article|aside|nav|details|summary|ul|ol|li|dl|dt|dd"
                        r"|h[1-6]|table|tr|td|th|blockquote|br|hr)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]+>")
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")  # attr_list: {: .class #id } and { .class }
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_ADMONITION = re.compile(r"^\s*(!!!|\?\?\?\+?)\s*\w+(?:\s+\"([^\"]*)\")?\s*$", re.MULTILINE)
_LINE_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)")
_ENDS_SENTENCE = re.compile(r"[.!?:;…]$")


def plain_text(markdown: str) -> str:
    """The words of a Markdown page, without front matter, markup or link addresses.

    Headings, list items and table cells have no full stop; each is made a sentence of its
    own, otherwise the formulas read a whole list as one very long sentence. Lines of a
    paragraph wrapped over several lines are joined first.
    """
    text = FRONT_MATTER.sub("", markdown, count=1)
    text = _FENCED_CODE.sub("", text)
    text = _HTML_COMMENT.sub("", text)
    text = _ADMONITION.sub(lambda m: m.group(2) or "", text)
    text = _LINK_DEFINITION.sub("", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _HTML_TAG.sub(" ", text)
    text = _ATTR_LIST.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _TABLE_RULE.sub("", text)
    text = _EMPHASIS.sub("", text)
    units: list[str] = []  # headings, list items, table cells, paragraphs
    paragraph: list[str] = []
    for line in [*text.splitlines(), ""]:
        starts_unit = _LINE_MARKERS.match(line) or "|" in line or not line.strip()
        if starts_unit and paragraph:
            units.append(" ".join(paragraph))
            paragraph = []
        if "|" in line:
            units += [cell.strip() for cell in line.split("|")]
        elif line.strip():
            paragraph.append(_LINE_MARKERS.sub("", line).strip())
            if _LINE_MARKERS.match(line) and line.lstrip().startswith("#"):
                units.append(paragraph.pop())  # a heading never continues on the next line
    return " ".join(unit if _ENDS_SENTENCE.search(unit) else unit + "."
                    for unit in units if unit)


_HYPHENATOR = pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    """Syllables in one English word: its hyphenation points plus one."""
    return len(_HYPHENATOR.positions(word.lower())) + 1


def scores(text: str) -> tuple[float, float]:
    """(Flesch-Kincaid grade, Flesch reading ease) of plain English text."""
    words = textstat.remove_punctuation(text).split()
    sentences = textstat.sentence_count(text)
    if not words or not sentences:
        return 0.0, 0.0
    words_per_sentence = len(words) / sentences
    syllables_per_word = sum(syllables(w) for w in words) / len(words)
    grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
    return round(grade, 1), round(ease, 1)


def readability(content_dir: Path) -> list[tuple[str, float, float]]:
    """For each English prose page, sorted by name: (page, Flesch-Kincaid grade, Flesch
    reading ease). ``page`` is the name without language and extension (``about``)."""
    rows = []
    for path in sorted(content_dir.glob("*.en.md")):
        text = plain_text(path.read_text(encoding="utf-8"))
        if text.strip():
            rows.append((path.name.removesuffix(".en.md"), *scores(text)))
    return rows


def format_table(rows: list[tuple[str, float, float]]) -> str:
    """A plain-text table, one page a line, for the terminal."""
    headers = ("Page", "Grade (Flesch-Kincaid)", "Reading ease (Flesch)")
    width = max([len(headers[0]), *(len(name) for name, _, _ in rows)])
    lines = [f"{headers[0]:<{width}}  {headers[1]:>22}  {headers[2]:>21}",
             f"{'-' * width}  {'-' * 22}  {'-' * 21}"]
    lines += [f"{name:<{width}}  {grade:>22.1f}  {ease:>21.1f}" for name, grade, ease in rows]
    return "\n".join(lines)
