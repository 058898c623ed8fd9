"""What a first visit to a page costs a reader: every response fetched before the page is
idle, in gzip-compressed bytes (how a server would send them). Used by the benchmark and
by the budget tests, with a Playwright page the caller provides."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fetched:
    url: str
    raw: int
    gzip: int


def first_visit(page: Any, url: str) -> list[Fetched]:
    """Load ``url`` in a fresh page (empty cache) and weigh each response."""
    fetched: list[Fetched] = []

    def weigh(response: Any) -> None:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        fetched.append(Fetched(response.url, len(body), len(gzip.compress(body, 9))))

    page.on("response", weigh)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", weigh)
    return fetched


def total_gzip(fetched: list[Fetched]) -> int:
    return sum(f.gzip for f in fetched)
