"""Haven's own stylesheets, smaller as published: comments and indentation removed.

The sources explain every rule (why a selector outranks Material's, which WCAG criterion a
size meets); a reader on a slow connection needs none of that. Gzip still sends comments at
about a third of their size: removing them takes ≈3 KB off every first visit.
"""

from __future__ import annotations

import re
from pathlib import Path

STYLESHEETS = ("assets/haven/haven.css", "components/quick-exit/quick-exit.css")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
_INDENT = re.compile(r"\n\s*")


def compact_css(css: str) -> str:
    """``css`` without comments and indentation; as it is when a string in it holds
    ``/*`` or ``*/`` (removing comments by pattern would then cut the string)."""
    strings = " ".join(_STRING.findall(css))
    if "/*" in strings or "*/" in strings:
        return css
    return _INDENT.sub("\n", _COMMENT.sub("", css)).strip() + "\n"


def compact_stylesheets(site: Path) -> None:
    for name in STYLESHEETS:
        path = site / name
        if path.is_file():
            path.write_text(compact_css(path.read_text(encoding="utf-8")), encoding="utf-8")
