"""The analyst notebooks, executed with Papermill as an analyst would run them, on both kinds of data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from parsipas import built_from, clean, report

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests" / "fixtures" / "synthetic_complete"
pytestmark = pytest.mark.slow  # each test executes a notebook on a kernel


def execute(tmp_path: Path, name: str, **parameters) -> nbformat.NotebookNode:
    output = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(output), parameters=parameters,
                               kernel_name="parsipas", cwd=str(ROOT), progress_bar=False)
    return nbformat.read(output, as_version=4)


def _texts(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(output.get("text", "") + data.get("text/markdown", "") + data.get("text/plain", "")
                         + data.get("image/svg+xml", ""))
    return "\n".join(parts)


def _digests(folder: Path) -> dict[str, str]:
    """Every processed table's bytes; the build stamp is checked on its own (notebook 01 writes it, clean.write not)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.is_file() and p.name != built_from.STAMP}


@pytest.fixture(scope="module")
def synthetic_processed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic") / "processed"
    clean.write(clean.build(SYNTHETIC), folder)
    return folder


def test_report_notebook_has_one_cell_per_part_in_the_order_of_the_sections():
    """The report's one list of sections drives notebook 03: the cover, then a cell per section, in order."""
    nb = nbformat.read(ROOT / "notebooks" / "03_report.ipynb", as_version=4)
    shown = [name for cell in nb.cells if cell.cell_type == "code"
             for name in re.findall(r'report\.section\("(\w+)", data\)', cell.source)]
    assert shown == ["cover", *report.SECTIONS]


def test_clean_notebook_writes_the_tables_the_package_builds(tmp_path):
    nb = execute(tmp_path, "01_clean", processed_dir=str(tmp_path / "processed"))
    tables = clean.build()
    clean.write(tables, tmp_path / "expected")
    assert _digests(tmp_path / "processed") == _digests(tmp_path / "expected")  # byte for byte, every table
    text = _texts(nb)
    assert all(f"'{name}': {len(frame)}" in text for name, frame in tables.items())  # the rows per table shown
    # cleaned through clean.prepare: the pipeline finds these tables current and does not rebuild them
    assert built_from.is_current(tmp_path / "processed", built_from.data_key(clean.paths.RAW))


def test_explorer_on_the_public_record(tmp_path):
    processed = tmp_path / "processed"
    clean.write(clean.build(), processed)
    text = _texts(execute(tmp_path, "04_explore", processed_dir=str(processed)))
    assert 'id="heatmap-' in text and 'id="spread-' in text  # provinces x fields, and each field's spread
    assert "The what-if needs the complete PAR INDEX table" in text and "Known now: score 86.19, rank 25/63" in text
    assert "Cải cách thể chế" in text and "PAR.F" not in text.split('id="heatmap-')[0]  # names, not codes
    assert "<NA>" in text  # a flag whose figures are unknown is blank, not False


def test_explorer_with_a_year_without_figures_lists_the_years_that_have_them(tmp_path):
    processed = tmp_path / "processed"
    clean.write(clean.build(), processed)
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute(tmp_path, "04_explore", year=2030, processed_dir=str(processed))
    assert "no figures for 2030" in str(caught.value) and "2021, 2022, 2023, 2024" in str(caught.value)


def test_explorer_on_the_synthetic_complete_tables_for_another_province(tmp_path, synthetic_processed):
    text = _texts(execute(tmp_path, "04_explore", province="Ninh Thuận", processed_dir=str(synthetic_processed),
                          sort_by="shortfall"))
    assert 'id="heatmap-' in text and "With the gains" in text
    assert "No target is on record for the province and year" in text  # Khánh Hòa's target is Khánh Hòa's alone
    spread = text[text.index('id="spread-'):]
    assert "Ninh Thuận" in spread and "Các tỉnh khác" in spread  # the province is the one marked


def test_compare_notebook_on_the_synthetic_complete_tables(tmp_path, synthetic_processed):
    nb = execute(tmp_path, "02_compare", province="Ninh Thuận", processed_dir=str(synthetic_processed))
    text = _texts(nb)
    assert "complete table: True" in text and "points needed" in text
    assert text.count("<svg") == 5  # fields, rank change, heatmap, SIPAS elements, rank trajectory
