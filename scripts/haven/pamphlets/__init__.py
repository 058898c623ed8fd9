"""Printable pamphlets: one PDF per language, region and paper size, from the same records.

``content`` chooses what goes in a region's pamphlet; ``render`` turns it into HTML and
then PDF with WeasyPrint (no browser, no network); ``build`` writes them all and only
re-renders those whose inputs changed.
"""

from .build import PAPERS, PamphletJob, build_pamphlets, pamphlet_jobs, pamphlet_path

__all__ = ["PAPERS", "PamphletJob", "build_pamphlets", "pamphlet_jobs", "pamphlet_path"]
