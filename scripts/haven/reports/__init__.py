"""Reports for maintainers and translators: what is untranslated, stale or hard to read."""
