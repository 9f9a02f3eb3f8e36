"""The analyst notebooks, executed with Papermill as an analyst would run them, on both kinds of data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
import papermill
import pytest
from test_display import headers, visible

from parsipas import clean
from parsipas.core import built_from
from parsipas.core.messages import text
from parsipas.ingest.provinces import Gazetteer
from parsipas.present import report

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
                         + data.get("text/html", "") + data.get("image/svg+xml", ""))
    return "\n".join(parts)


def _shown(nb: nbformat.NotebookNode) -> str:
    """What the analyst reads in the tables and sentences (HTML and Markdown outputs), tags dropped."""
    parts = [output.get("data", {}).get(kind, "") for cell in nb.cells for output in cell.get("outputs", [])
             for kind in ("text/html", "text/markdown")]
    return visible("\n".join(parts))


def _headers(nb: nbformat.NotebookNode) -> list[str]:
    return [h for cell in nb.cells for output in cell.get("outputs", [])
            for h in headers(output.get("data", {}).get("text/html", ""))]


UNREADABLE = re.compile(r"<NA>|\bNaN\b|\bnan\b|\bNone\b|\bTrue\b|\bFalse\b|\d[.,]\d{3,}")


def assert_readable(nb: nbformat.NotebookNode) -> None:
    """No placeholder of a missing value, no Python truth value, no number with more than 2 decimals, no raw column
    name: what an analyst should never read in a table."""
    shown = _shown(nb)
    assert UNREADABLE.findall(shown) == []
    assert [h for h in _headers(nb) if re.search(r"\b[a-z]+_[a-z_]+\b", h)] == []
    assert _headers(nb), "the notebook shows its tables as HTML"


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


@pytest.fixture(scope="module")
def public_processed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("public") / "processed"
    clean.write(clean.build(), folder)
    return folder


def test_clean_notebook_writes_the_tables_the_package_builds(tmp_path):
    nb = execute(tmp_path, "01_clean", processed_dir=str(tmp_path / "processed"), lang="en")
    tables = clean.build()
    clean.write(tables, tmp_path / "expected")
    assert _digests(tmp_path / "processed") == _digests(tmp_path / "expected")  # byte for byte, every table
    shown = _shown(nb)
    assert all(f"{name} {len(frame)}" in " ".join(shown.split()) for name, frame in tables.items())  # rows per table
    # cleaned through clean.prepare: the pipeline finds these tables current and does not rebuild them
    assert built_from.is_current(tmp_path / "processed", built_from.data_key(clean.paths.RAW))
    assert_readable(nb)
    assert {"Rows", "Year", "Value kept", "Rule step", "Units in the group"} <= set(_headers(nb))
    assert "Long An 2023 PAR INDEX rank 8 " in " ".join(shown.split())  # a rank whole, the measure in words


def test_explorer_on_the_public_record_in_vietnamese(tmp_path, public_processed):
    nb = execute(tmp_path, "04_explore", processed_dir=str(public_processed))
    everything, shown = _texts(nb), _shown(nb)
    assert 'id="heatmap-' in everything and 'id="spread-' in everything  # provinces x fields, and each field's spread
    assert "Hiện biết: điểm 86,19, hạng 25/63" in shown  # the what-if, in the run's language
    assert "Cải cách thể chế" in shown and "PAR.F" not in everything.split('id="heatmap-')[0]  # names, not codes
    assert_readable(nb)
    assert {"Lĩnh vực / tiêu chí", "% điểm tối đa 2022", "Hạng 2022", "Số tỉnh có hạng", "Nhóm một phần ba cuối"} \
        <= set(_headers(nb))
    assert not {"Field / criterion", "Rank 2022"} & set(_headers(nb))  # one language per run
    assert text("nb_no_headroom", "vi", year=2022) in shown  # an empty table is one sentence saying why
    assert text("nb_no_scorecard", "vi", year=2022) in shown


def test_explorer_with_a_year_without_figures_lists_the_years_that_have_them(tmp_path, public_processed):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute(tmp_path, "04_explore", year=2030, processed_dir=str(public_processed))
    assert "no figures for 2030" in str(caught.value) and "2021, 2022, 2023, 2024" in str(caught.value)


def test_explorer_on_the_synthetic_complete_tables_for_another_province_in_english(tmp_path, synthetic_processed):
    nb = execute(tmp_path, "04_explore", province="Ninh Thuận", processed_dir=str(synthetic_processed),
                 sort_by="shortfall", lang="en")
    everything, shown = _texts(nb), _shown(nb)
    assert 'id="heatmap-' in everything and "With the gains" in shown
    assert "No target is on record for the province and year" in shown
    spread = everything[everything.index('id="spread-'):]
    assert "Ninh Thuận" in spread and "Other provinces" in spread  # the province is the one marked, in English
    assert_readable(nb)
    assert {"Field / criterion", "Headroom", "Provinces with a rank", "Bottom third"} <= set(_headers(nb))
    assert not {"Lĩnh vực / tiêu chí", "Dư địa"} & set(_headers(nb))
    processed = clean.load(synthetic_processed)
    data = report.prepare(processed, Gazetteer(year=2022).province_code("Ninh Thuận"), 2022, 2021)
    headroom = data.target.headroom.iloc[0]  # the largest: the displayed row is the processed figure, formatted
    name = data.indicator_names.loc[data.target.headroom.index[0], "name_en"]
    assert f"{name} {headroom['points']:.2f} {headroom['max_points']:.2f} {headroom['headroom']:.2f}" \
        in " ".join(shown.split())
    assert "Rank 30" not in shown  # Khánh Hòa's target is Khánh Hòa's alone


def test_explorer_on_a_unit_set_in_vietnamese(tmp_path):
    processed = tmp_path / "internal"
    clean.write(clean.build(ROOT / "tests" / "fixtures" / "synthetic_internal"), processed)
    nb = execute(tmp_path, "04_explore", unit_set="khanh-hoa", year=2024, processed_dir=str(processed))
    everything, shown = _texts(nb), _shown(nb)
    assert "khanh-hoa: % điểm tối đa theo lĩnh vực, năm 2024" in everything  # the heatmap's title in Vietnamese
    assert_readable(nb)
    assert {"Đơn vị", "Khối", "Hạng 2024", "Số đơn vị dưới mức trung bình"} <= set(_headers(nb))
    assert shown.count("/21 ") >= 21  # every unit of the departments' group, none cut off


def test_compare_notebook_on_the_public_record(tmp_path, public_processed):
    nb = execute(tmp_path, "02_compare", processed_dir=str(public_processed))
    shown = " ".join(_shown(nb).split())
    assert_readable(nb)
    assert "Chỉ số cải cách hành chính (PAR INDEX) 85,11 48/63 86,19 25/63 +1,08 +23" in shown  # ranks whole, signed
    assert not re.search(r"\b\d+\.0\b", shown)  # no rank written as 5.0
    assert text("nb_no_at_target", "vi", target=30, year=2022) in shown  # the empty table says why
    assert {"Chỉ tiêu", "Thay đổi hạng", "Tỷ lệ hài lòng 2021"} <= set(_headers(nb))


def test_compare_notebook_on_the_synthetic_complete_tables_in_english(tmp_path, synthetic_processed):
    nb = execute(tmp_path, "02_compare", province="Ninh Thuận", processed_dir=str(synthetic_processed), lang="en")
    everything, shown = _texts(nb), _shown(nb)
    assert "Complete table: yes" in shown and "no target is on record for the province and year" in shown
    assert everything.count("<svg") == 5  # fields, rank change, heatmap, SIPAS elements, rank trajectory
    assert_readable(nb)
    assert {"Indicator", "Rank change", "Headroom"} <= set(_headers(nb)) and "Thay đổi hạng" not in _headers(nb)


def test_internal_report_notebook_reads_as_the_others_on_the_public_record(tmp_path, public_processed):
    """Notebook 05 shows the unit-set report's own sections (formatted by internal_report): the same promises hold."""
    nb = execute(tmp_path, "05_internal", year=2020, base_year=2018, lang="en", processed_dir=str(public_processed))
    assert_readable(nb)
    assert {"Unit", "Rank 2020", "Rank change"} <= set(_headers(nb)) and "Đơn vị" not in _headers(nb)
