"""Synthetic directories for benchmarks and scale tests: N valid services in L languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

LANGUAGES = ("en", "es", "zh", "vi", "ar")
_REGIONS = ("US", "US-CA", "US-NY", "GB", "GB-ENG")
_SUPPORT = ("crisis-line", "counselling", "legal-advocacy", "housing-shelter", "financial-help")
_VICTIM = ("sexual-assault", "domestic-violence", "stalking", "all-crime")


def label(i: int) -> str:
    """A service's distinguishing word, in letters: a number in a name would read as a
    phone number ("Support Service 112"), which the validator rightly refuses."""
    letters = ""
    while True:
        i, rest = divmod(i, 26)
        letters = chr(ord("A") + rest) + letters
        if i == 0:
            return "Q" + letters


def _text(words: str, languages: tuple[str, ...], i: int) -> dict[str, str]:
    return {lang: f"{words} {label(i)} ({lang})" for lang in languages}


SHARED_HOTLINE = "+18007997233"
"""The number every service lists with ``shared=True``, as local programs list a national
hotline beside their own."""


def service(i: int, languages: tuple[str, ...], shared: bool = False) -> dict[str, object]:
    record: dict[str, object] = {
        "id": f"service-{i:05d}",
        "name": _text("Support Service", languages, i),
        "organization": {"name": _text("Organization", languages, i),
                         "kind": "community-nonprofit"},
        "description": _text("Free and confidential help for people affected by crime.",
                             languages, i),
        "support_types": [_SUPPORT[i % len(_SUPPORT)], _SUPPORT[(i + 2) % len(_SUPPORT)]],
        "victimization_types": [_VICTIM[i % len(_VICTIM)]],
        "service_areas": [_REGIONS[i % len(_REGIONS)]],
        "phones": [{"number": f"+1212555{i % 10000:04d}", "type": "voice",
                    "hours": {"always_open": True}}],
        "url": f"https://synthetic.test/services/{i}",
        "hours": {"schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                                "opens_at": "09:00", "closes_at": "17:00"}]},
        "languages": ["en", "es"],
        "cost": "free",
        "anonymous_contact": i % 2 == 0,
        "confidential_location": True,
        "eligibility": _text("Anyone aged 13 or over.", languages, i),
        "status": "active",
        "source": f"https://synthetic.test/services/{i}/about",
        "verification": {"date": "2026-10-01", "method": "desk-review"},
    }
    if shared:
        record["phones"] = [*record["phones"],  # type: ignore[misc]
                            {"number": SHARED_HOTLINE, "type": "voice",
                             "hours": {"always_open": True}}]
    return record


def make_directory(target: Path, shipped: Path, count: int,
                   languages: tuple[str, ...] = LANGUAGES, shared: bool = False) -> Path:
    """Write a directory folder with the shipped schemas and vocabularies and ``count`` services.

    The synthetic services replace the shipped ones; shipped rights and reporting are kept.
    ``shared``: every service also lists one national hotline (SHARED_HOTLINE).
    """
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(shipped, target, ignore=shutil.ignore_patterns("services"))
    (target / "services").mkdir()
    for i in range(count):
        text = yaml.safe_dump(service(i, languages, shared), allow_unicode=True, sort_keys=False)
        (target / "services" / f"service-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return target
