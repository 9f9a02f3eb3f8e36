"""Where things live in a checkout; every path is relative to the project root unless given explicitly."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"
RAW = DATA / "raw"
REFERENCE = DATA / "reference"
PROCESSED = DATA / "processed"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def resolve(path: str | Path) -> Path:
    """A notebook parameter path, taken relative to the project root, so a notebook runs from any folder."""
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def shown(path: str | Path) -> str:
    """How a file is named in messages and raw_file: relative to the project root when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
