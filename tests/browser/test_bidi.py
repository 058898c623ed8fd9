"""Left-to-right runs in Arabic read as written: laid out by Chromium, the runs that
bidi.isolate finds come out in the visual order a reader expects (right to left between
the Arabic words, left to right inside each run)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from haven.bidi import isolate

# Text, then its tokens in the order they must appear on screen from left to right.
CASES = [
    ("اتصل على 800-656-HOPE (4673) الآن.", ["الآن", "800", "656", "HOPE", "4673", "على"]),
    ("خط الأزمات (Suicide & Crisis Lifeline 988) متاح.",
     ["متاح", "Suicide", "Crisis", "Lifeline", "988", "الأزمات"]),
    ("اتصل على 1-800-799-SAFE (7233) في أي وقت.", ["أي", "1", "799", "SAFE", "7233", "على"]),
    ("زر https://www.rainn.org/help للمزيد.", ["للمزيد", "https", "rainn", "help", "زر"]),
    ("مفتوح من 09:00–17:00 يوميًا", ["يوميًا", "09:00", "17:00", "من"]),
    ("اكتب START إلى 88788 الآن", ["الآن", "88788", "إلى", "START", "اكتب"]),
    ("راسل help@thehotline.org اليوم", ["اليوم", "help", "thehotline", "راسل"]),
    ("القانون 18 U.S.C. § 3771(a)(4) يحميك.", ["يحميك", "18", "3771", "القانون"]),
]

# The left edge of the first occurrence of each token, across text nodes.
LEFT_EDGES = """tokens => {
  const p = document.getElementById('p');
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const nodes = []; for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  return tokens.map(token => {
    for (const node of nodes) {
      const at = node.textContent.indexOf(token);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + token.length);
      return range.getBoundingClientRect().left;
    }
    return null;
  });
}"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 400})
    yield context.new_page()
    context.close()


def left_to_right(page: Any, html: str, tokens: list[str]) -> list[str]:
    page.set_content(f'<!doctype html><html lang="ar" dir="rtl"><body style="font-size:20px">'
                     f'<p id="p">{html}</p></body></html>')
    edges = page.evaluate(LEFT_EDGES, tokens)
    assert None not in edges, dict(zip(tokens, edges, strict=True))
    return [token for _, token in sorted(zip(edges, tokens, strict=True))]


@pytest.mark.parametrize(("text", "order"), CASES, ids=[c[1][1] for c in CASES])
def test_isolated_runs_appear_in_reading_order(page: Any, text: str, order: list[str]) -> None:
    assert left_to_right(page, isolate(text, "rtl"), order) == order


def test_without_isolation_the_numbers_come_apart(page: Any) -> None:
    """The test above can fail: the same phone number, not isolated, is reordered."""
    text, order = CASES[0]
    assert left_to_right(page, text, order) != order
