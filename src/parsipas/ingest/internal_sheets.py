"""What every analyst file of data/raw/internal/ shares: its name (FileRef), what its table is (Kind), the files read
so far (InternalFiles) and the reading state (Reader: the header vocabularies, a sheet read into a wide frame)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandera.pandas as pa

from parsipas.core import paths
from parsipas.ingest.internal_vocabulary import InternalVocabulary
from parsipas.ingest.official_files import Sheet, read_sheet
from parsipas.ingest.official_header import Vocabulary, fold
from parsipas.ingest.official_kinds import Wide
from parsipas.ingest.official_table import Parsed, read_wide
from parsipas.ingest.provinces import Gazetteer
from parsipas.ingest.reference import table

if TYPE_CHECKING:
    from parsipas.ingest.internal_criteria import Criteria
    from parsipas.ingest.internal_results import Results
    from parsipas.ingest.internal_units import UnitList


TOLERANCE = 0.05


@dataclass(frozen=True)
class Kind:
    """What official_table.read_wide needs to know of a table: the key column, required columns, text columns."""

    name: str
    key: str
    required: dict[str, set[str]]
    text_columns: frozenset[str]
    criteria: bool = False  # no maxima row (a criteria table states a maximum per row)
    stand_in: str | None = None
    readme: str = "templates/internal/README.md"  # where a message sends the analyst for the accepted headers


@dataclass
class FileRef:
    path: Path
    kind: str
    unit_set: str
    year: int | None
    labels: list[str]

    @property
    def shown(self) -> str:
        return paths.shown(self.path)

    @property
    def source_id(self) -> str:
        return f"internal:{self.path.name}"


@dataclass
class InternalFiles:
    units: dict[str, UnitList] = field(default_factory=dict)
    results: list[Results] = field(default_factory=list)
    criteria: list[Criteria] = field(default_factory=list)
    unused: list[dict] = field(default_factory=list)


def filled(error: str) -> pa.Check:
    return pa.Check(lambda s: s.notna() & s.astype(str).str.strip().ne(""), ignore_na=False, error=error)


class Reader:
    """The reading state: the vocabularies of each kind of file and every file read so far."""

    def __init__(self, reference_dir: Path):
        self.reference_dir = reference_dir
        self.vocabularies = {"units": InternalVocabulary("units", reference_dir),
                             "results": InternalVocabulary("results", reference_dir, fields=True),
                             "criteria": InternalVocabulary("criteria", reference_dir)}
        self.ministry_labels = {label for label, meaning in self.vocabularies["units"].row_labels.items()
                                if meaning == "ministry_field"}
        self.maxima_titles = {label for label, meaning in self.vocabularies["units"].row_labels.items()
                              if meaning == "max"}
        self.files = InternalFiles()

    def sheet(self, ref: FileRef) -> Sheet:
        return read_sheet(ref.path, lambda title: fold(title) in self.maxima_titles)

    def wide(self, sheet: Sheet, ref: FileRef, kind: Kind, vocabulary: Vocabulary | None = None) -> Wide:
        parsed = Parsed()
        wide = read_wide(sheet, vocabulary or self.vocabularies[ref.kind], kind, parsed)
        self.files.unused.extend(parsed.unused)
        return wide

    @cached_property
    def gazetteers(self) -> list[Gazetteer]:
        """Every set's province names, built once (not once a row: a unit list of 200,000 rows is read in seconds)."""
        sets = sorted({int(y) for y in table("unit_sets", self.reference_dir)["first_year"]})
        return [Gazetteer(self.reference_dir), *(Gazetteer(self.reference_dir, year=y) for y in sets)]
