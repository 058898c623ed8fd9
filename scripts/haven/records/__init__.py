"""The data layer: safe loading, validation and typed records. Knows nothing of MkDocs."""

from .directory import Validation, find_root, load_directory
from .model import Directory, Phone, Region, ReportingRoute, Right, Service, Term, Text
from .problems import DirectoryError, Problem, Problems, Severity

__all__ = [
    "Directory", "DirectoryError", "Phone", "Problem", "Problems", "Region", "ReportingRoute",
    "Right", "Service", "Severity", "Term", "Text", "Validation", "find_root", "load_directory",
]
