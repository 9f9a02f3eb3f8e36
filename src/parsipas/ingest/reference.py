"""Reading the hand-made reference tables in data/reference/ (each starts with '#' comment lines)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pandas as pd

from parsipas.core import paths
from parsipas.core.text import nfc


def read_commented_csv(path: Path) -> pd.DataFrame:
    text = Path(path).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    frame = pd.read_csv(io.StringIO("".join(lines)), dtype=str, keep_default_na=False)
    return frame.apply(lambda column: column.map(nfc))


@lru_cache(maxsize=None)
def _table(name: str, directory: str) -> pd.DataFrame:
    return read_commented_csv(Path(directory) / f"{name}.csv")


def table(name: str, directory: Path = paths.REFERENCE) -> pd.DataFrame:
    """A reference table by name (provinces, regions, indicators, ...); a copy, so callers may modify it."""
    return _table(name, str(directory)).copy()


def indicators(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    frame = table("indicators", directory)
    frame["sort"] = frame["sort"].astype(float)
    return frame.set_index("indicator")


def max_points(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    """Published maxima as (year, indicator) -> max_points; absent means unknown."""
    frame = table("max_points", directory)
    frame["year"] = frame["year"].astype(int)
    frame["max_points"] = frame["max_points"].astype(float)
    return frame


def decisions(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    frame = table("decisions", directory)
    frame["year"] = frame["year"].astype(int)
    return frame.set_index("year")


def par_fields(directory: Path = paths.REFERENCE) -> tuple[str, ...]:
    """The PAR INDEX's fields in their order ('PAR.F1', ...): the indicators of level 'field' under the index PAR. The
    Ministry's fields are data, never a list in code (analyse.methodology.par_fields reads the same rows from the
    processed indicators)."""
    frame = indicators(directory)
    return tuple(frame[(frame["level"] == "field") & (frame["index"] == "PAR")].sort_values("sort").index)
