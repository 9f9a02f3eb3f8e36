"""Reading numbers as people publish them: decimal commas, percent signs, '(lost 4.5)', '9.1 (91%)'."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Reading:
    """One published cell read as measures: e.g. '9.1 (91%)' gives points 9.1 and pct_of_max 91."""

    points: float | None = None
    pct: float | None = None
    points_lost: float | None = None


def to_number(text: str) -> float:
    """A single number written with a decimal point or a decimal comma (never a thousands separator here)."""
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not re.fullmatch(_NUMBER, cleaned):
        raise ValueError(f"not a number: {text!r}")
    return float(cleaned.replace(",", "."))


def read_score(text: str) -> Reading:
    """Parse a published score cell; raises ValueError when it is not a form we know."""
    cell = str(text).strip()
    if match := re.fullmatch(rf"\(lost ({_NUMBER})\)", cell):
        return Reading(points_lost=to_number(match[1]))
    if match := re.fullmatch(rf"({_NUMBER})\s*\(({_NUMBER})\s*%\)", cell):
        return Reading(points=to_number(match[1]), pct=to_number(match[2]))
    if match := re.fullmatch(rf"({_NUMBER})\s*%", cell):
        return Reading(pct=to_number(match[1]))
    return Reading(points=to_number(cell))


def leading_number(text: str) -> float:
    """The number a summary cell starts with: '87.14 (Đà Nẵng)', '+13.2% (Quảng Ngãi)', '3 (Đồng Nai, ...)'."""
    match = re.match(rf"\s*({_NUMBER})\s*%?(\s*\(.*\))?\s*$", str(text))
    if not match:
        raise ValueError(f"no leading number in {text!r}")
    return to_number(match[1])


def max_from_unit(unit: str) -> float | None:
    """'points (of 6.5)' -> 6.5: the maximum a component table states in its unit column."""
    match = re.search(rf"of ({_NUMBER})", unit or "")
    return to_number(match[1]) if match else None
