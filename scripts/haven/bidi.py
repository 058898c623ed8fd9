"""Left-to-right runs inside right-to-left text, isolated so that they read as written.

In an Arabic sentence, an English name, a phone number with letters, a web address or a
time range is a left-to-right run. Left to the Unicode bidirectional algorithm alone, its
neutral characters (spaces, hyphens, brackets) take the direction around them and the run
comes apart: "800-656-HOPE (4673)" shows as "HOPE (4673)-656-800". ``isolate`` finds each
such run and wraps it in ``<bdi dir="ltr">`` (with ``lang="en"`` when it has words), the
HTML way to say "lay this out on its own" that browsers, screen readers and WeasyPrint
follow. Every record text a page or pamphlet shows goes through it (render.py).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
"""Hebrew, Arabic, Syriac, Thaana, N'Ko... and the Arabic presentation forms."""
_RUN = re.compile(rf"\+?[0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff][^{_RTL}\n]*")
"""From a digit or a Latin letter (or + before a digit) up to the next right-to-left letter."""
_TRAILING = re.compile(r"[\s.,;:!?\u060c\u061b\u061f\u2013\u2014-]+$")
"""Spaces and sentence punctuation at the end of a run belong to the sentence around it."""
_WORDS = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]{2,}")
_ADDRESS = re.compile(r"://|@|^www\.", re.IGNORECASE)


def _trimmed(run: str) -> str:
    """The run without what belongs to the sentence: trailing spaces and punctuation, and
    closing brackets it did not open ("(Lifeline 988)" isolates "Lifeline 988")."""
    while True:
        before = run
        run = _TRAILING.sub("", run)
        for opening, closing in ("()", "[]", "（）"):
            if run.endswith(closing) and run.count(closing) > run.count(opening):
                run = run[:-1]
            if run.endswith(opening):
                run = run[:-1]
        if run == before:
            return run


def runs(text: str) -> list[tuple[int, int]]:
    """Where the left-to-right runs of ``text`` are: (start, end) pairs, in order."""
    found = []
    for match in _RUN.finditer(text):
        run = _trimmed(match.group())
        if run:
            found.append((match.start(), match.start() + len(run)))
    return found


def isolate(text: str, direction: str, source_lang: str = "en") -> Markup:
    """``text`` escaped for HTML; in right-to-left text, each left-to-right run isolated,
    marked ``lang=source_lang`` when it has words (not when it is a number or an address).
    Left-to-right text is returned escaped and otherwise as it is."""
    if direction != "rtl":
        return Markup(escape(text))
    pieces, at = [], 0
    for start, end in runs(text):
        run = text[start:end]
        lang = "" if _ADDRESS.search(run) or not _WORDS.search(run) else \
            Markup(' lang="{}"').format(source_lang)
        pieces += [escape(text[at:start]),
                   Markup('<bdi dir="ltr"{0}>{1}</bdi>').format(lang, run)]
        at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)
