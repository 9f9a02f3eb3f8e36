"""Print the README's coverage table (provinces with a PAR INDEX / SIPAS figure per year) from the processed
`coverage` table, so the README never states a count by hand. A test checks the README holds this exact output.

    python scripts/readme_coverage.py [data/processed]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from parsipas.ingest.provinces import unit_count

COLUMNS = {("PAR", "points"): "PAR INDEX score", ("PAR", "rank"): "PAR INDEX rank",
           ("SIPAS", "percent"): "SIPAS %", ("SIPAS", "rank"): "SIPAS rank"}


def coverage_markdown(coverage: pd.DataFrame) -> str:
    """One line per year: how many of the year's provinces (63 up to 2024, 34 from 2025) have each total figure
    (score or rank) published."""
    counts = (coverage.set_index(["indicator", "measure"]).loc[list(COLUMNS)].reset_index()
              .pivot(index="year", columns=["indicator", "measure"], values="provinces_known"))
    counts = counts.reindex(columns=pd.MultiIndex.from_tuples(COLUMNS)).fillna(0).astype(int)
    lines = ["| year | " + " | ".join(COLUMNS.values()) + " |", "|---|" + "---:|" * len(COLUMNS)]
    lines += [f"| {year} | " + " | ".join(f"{n}/{unit_count(year)}" for n in row) + " |"
              for year, row in counts.iterrows()]
    return "\n".join(lines)


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "data" / "processed"
    print(coverage_markdown(pd.read_parquet(folder / "coverage.parquet")))
