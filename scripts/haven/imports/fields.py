"""The fields HSDS 3.0 and 3.1 define, per object, and which object each nested field holds.

Read from Open Referral's compiled schemas (service.json, organization.json) once and
written here, because the importer must not depend on files outside the project. HSDS
itself allows any extra field; the importer refuses them instead, because a field it does
not know is most often a misspelt one whose data would otherwise vanish without a word.
``haven`` is Haven's own profile extension (exports/feed.py), read back on import.
"""

from __future__ import annotations

from typing import Any

COMMON = {"id", "attributes", "metadata"}

FIELDS: dict[str, set[str]] = {
    "service": {"organization_id", "program_id", "name", "alternate_name", "description",
                "url", "email", "status", "interpretation_services", "application_process",
                "fees_description", "wait_time", "fees", "accreditations",
                "eligibility_description", "minimum_age", "maximum_age", "assured_date",
                "assurer_email", "licenses", "alert", "last_modified", "phones", "schedules",
                "service_areas", "service_at_locations", "languages", "organization",
                "funding", "cost_options", "program", "required_documents", "contacts",
                "additional_urls", "haven"},
    "organization": {"name", "alternate_name", "description", "email", "website",
                     "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
                     "uri", "parent_organization_id", "funding", "contacts", "phones",
                     "locations", "programs", "organization_identifiers", "services",
                     "additional_websites"},
    "phone": {"location_id", "service_id", "organization_id", "contact_id",
              "service_at_location_id", "number", "extension", "type", "description",
              "languages"},
    "language": {"service_id", "location_id", "phone_id", "name", "code", "note"},
    "schedule": {"service_id", "location_id", "service_at_location_id", "valid_from",
                 "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq",
                 "interval", "byday", "byweekno", "bymonthday", "byyearday", "description",
                 "opens_at", "closes_at", "schedule_link", "attending_type", "notes"},
    "service_area": {"service_id", "name", "description", "extent", "extent_type", "uri"},
    "service_at_location": {"service_id", "location_id", "description", "contacts", "phones",
                            "schedules", "location"},
    "location": {"location_type", "url", "organization_id", "name", "alternate_name",
                 "description", "transportation", "latitude", "longitude",
                 "external_identifier", "external_identifier_type", "languages", "addresses",
                 "contacts", "accessibility", "phones", "schedules"},
    "address": {"location_id", "attention", "address_1", "address_2", "city", "region",
                "state_province", "postal_code", "country", "address_type"},
    "accessibility": {"location_id", "description", "details", "url"},
    "contact": {"organization_id", "service_id", "service_at_location_id", "location_id",
                "name", "title", "department", "email", "phones"},
    "attribute": {"link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
                  "taxonomy_term"},
    "taxonomy_term": {"code", "name", "description", "parent_id", "taxonomy", "language",
                      "taxonomy_id", "term_uri", "taxonomy_detail"},
    "taxonomy": {"name", "description", "uri", "version"},
    "metadata": {"resource_id", "resource_type", "last_action_date", "last_action_type",
                 "field_name", "previous_value", "replacement_value", "updated_by"},
    "funding": {"organization_id", "service_id", "source"},
    "cost_option": {"service_id", "valid_from", "valid_to", "option", "currency", "amount",
                    "amount_description"},
    "program": {"organization_id", "name", "alternate_name", "description"},
    "required_document": {"service_id", "document", "uri"},
    "organization_identifier": {"organization_id", "identifier_scheme", "identifier_type",
                                "identifier"},
    "url": {"label", "url", "organization_id", "service_id"},
}

CHILDREN: dict[str, str] = {
    "phones": "phone", "languages": "language", "schedules": "schedule",
    "service_areas": "service_area", "service_at_locations": "service_at_location",
    "location": "location", "locations": "location", "addresses": "address",
    "accessibility": "accessibility", "contacts": "contact", "attributes": "attribute",
    "taxonomy_term": "taxonomy_term", "taxonomy_detail": "taxonomy", "metadata": "metadata",
    "funding": "funding", "cost_options": "cost_option", "program": "program",
    "programs": "program", "required_documents": "required_document",
    "organization": "organization", "services": "service",
    "organization_identifiers": "organization_identifier", "additional_urls": "url",
    "additional_websites": "url",
}
"""The kind of object a nested field holds (one object, or a list of them)."""


def unknown_fields(value: Any, kind: str, where: str) -> list[str]:
    """``where.field`` for every field HSDS does not define, at any depth."""
    found: list[str] = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += unknown_fields(item, kind, f"{where}[{i}]")
        return found
    if not isinstance(value, dict):
        return found
    known = FIELDS[kind] | COMMON
    for key, item in value.items():
        if key not in known:
            found.append(f"{where}.{key}")
        elif key in CHILDREN and key != "haven":
            found += unknown_fields(item, CHILDREN[key], f"{where}.{key}")
    return found
