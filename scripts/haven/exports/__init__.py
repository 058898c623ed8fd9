"""Open data: the directory as JSON, CSV per language, and Open Referral HSDS 3.0 (one file,
and a static feed in every language).

Written next to the built site (``<site>/data/``) so that anyone can reuse the directory
under CC BY 4.0, as content/open-data.*.md explains.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..records.model import Directory
from .csv_export import write_services_csv
from .feed import write_feed
from .hsds import hsds_services
from .json_export import directory_json, record_to_mapping, records_from_json

__all__ = ["directory_json", "hsds_services", "record_to_mapping", "records_from_json",
           "write_exports"]


def write_exports(directory: Directory, out: Path, languages: list[str], *,
                  generated: date | None = None) -> list[Path]:
    """``out/data/directory.json``, ``out/data/services-<lang>.csv`` for each language,
    ``out/data/hsds/services.json`` and the static HSDS feed ``out/hsds/`` (feed.py);
    returns the paths written."""
    data = out / "data"
    written = [_write_json(data / "directory.json",
                           directory_json(directory, generated=generated or build_date()))]
    written += [write_services_csv(directory, lang, data / f"services-{lang}.csv")
                for lang in languages]
    written.append(_write_json(data / "hsds" / "services.json", hsds_services(directory)))
    return written + write_feed(directory, out, languages)


def build_date() -> date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set, so that a reproducible build
    (https://reproducible-builds.org/specs/source-date-epoch/) gives identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC).date() if epoch else date.today()


def _write_json(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unescaped UTF-8 keeps Arabic and Chinese readable for anyone opening the file; no
    # indentation, which was a seventh of the bytes.
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    return path
