"""One spreadsheet-friendly CSV of services per language.

For people who open data in Excel or LibreOffice rather than code: one row per service,
vocabulary terms by their names in the file's language, lists joined with "; ". A text not
yet translated falls back to English, and the ``translated`` column says so.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..records.model import Directory, Phone, Service, Text
from .formatting import hours_text, join

COLUMNS = (
    "id", "name", "organization", "organization_kind", "description", "support_types",
    "victimization_types", "service_areas", "phones", "url", "chat_url", "email", "hours",
    "languages", "cost", "anonymous_contact", "confidential_location", "status",
    "verified_on", "verification_method", "source", "translated",
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
(OWASP "CSV injection"): a record's text could otherwise run =HYPERLINK(...) or worse in
the spreadsheet of a helpline worker who opens the file."""


def safe_cell(value: str) -> str:
    """``value``, with a leading apostrophe when a spreadsheet would take it for a formula.

    Applied to every cell, not only free text: e-mail addresses can legally start with "-"
    or "=", and a guard that covers every column cannot be forgotten when one is added. So
    that real data is never altered by it, no generated cell starts with a trigger: the
    phones cell begins with the line's type ("voice: +1800..."), not with the "+" of an
    international number.
    """
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


class _Localiser:
    """Picks each text in one language, remembering whether any fell back to English."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.complete = True

    def __call__(self, text: Text | None) -> str:
        if text is None:
            return ""
        value, used = text.get(self.lang)
        self.complete = self.complete and used == self.lang
        return value


def phone_text(phone: Phone) -> str:
    """``voice: +18007997233`` or ``text: 88788 (START)``: starts with a letter, see safe_cell."""
    keyword = f" ({phone.keyword})" if phone.keyword else ""
    return f"{phone.type}: {phone.number}{keyword}"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _hours(service: Service, local: _Localiser) -> str:
    text = hours_text(service.hours)
    notes = service.hours.notes if service.hours else None
    return f"{text}. {local(notes)}" if notes else text


def service_row(directory: Directory, service: Service, lang: str) -> dict[str, str]:
    local = _Localiser(lang)

    def terms(vocabulary: str, ids: tuple[str, ...]) -> str:
        return join(local(directory.term(vocabulary, i).name) for i in ids)

    row = {
        "id": service.id, "name": local(service.name),
        "organization": local(service.organization_name),
        "organization_kind": terms("organization-kinds", (service.organization_kind,)),
        "description": local(service.description),
        "support_types": terms("support-types", service.support_types),
        "victimization_types": terms("victimization-types", service.victimization_types),
        "service_areas": join(service.service_areas),
        "phones": join(phone_text(p) for p in service.phones),
        "url": service.url or "", "chat_url": service.chat_url or "",
        "email": service.email or "", "hours": _hours(service, local),
        "languages": join(service.languages), "cost": service.cost,
        "anonymous_contact": _yes_no(service.anonymous_contact),
        "confidential_location": _yes_no(service.confidential_location),
        "status": service.status, "verified_on": service.verification.date.isoformat(),
        "verification_method": service.verification.method, "source": service.source,
    }
    return {**row, "translated": _yes_no(local.complete)}


def write_services_csv(directory: Directory, lang: str, path: Path) -> Path:
    """``services-<lang>.csv``, in UTF-8 with a byte-order mark: without it Excel reads the
    file in the computer's legacy code page and shows Arabic, Chinese and Vietnamese text as
    mojibake. Other tools (Python's "utf-8-sig", LibreOffice, pandas) skip the mark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)  # RFC 4180 quoting and CRLF
        writer.writeheader()
        for service in directory.services:
            row = service_row(directory, service, lang)
            writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return path
