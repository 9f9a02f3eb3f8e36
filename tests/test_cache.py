"""Cache keys: a report is rebuilt when something it shows or was made from changes, and only then."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from parsipas.core import built_from, paths
from parsipas.run import cache
from parsipas.run.parameters import BATCH_NOTEBOOKS, RunParameters


@pytest.fixture()
def params(tmp_path) -> RunParameters:
    """Parameters over a small raw folder and a copy of the notebooks, so that the tests may change both."""
    raw = tmp_path / "raw" / "public"
    raw.mkdir(parents=True)
    (raw / "par_totals.csv").write_text("year,province,value\n2022,Khánh Hòa,86.19\n", encoding="utf-8")
    shutil.copytree(paths.NOTEBOOKS, tmp_path / "notebooks")
    return RunParameters(out=tmp_path / "reports", raw=tmp_path / "raw", processed=tmp_path / "processed",
                         notebooks=tmp_path / "notebooks", produced="2026-01-01")


def _report_key(params: RunParameters, **changes) -> str:
    return cache.report_key(replace(params, **changes), "56", "data-key")


@pytest.mark.parametrize("name, value", [("year", 2023), ("base_year", 2020), ("target_rank", 20), ("lang", "en"),
                                         ("produced", "2026-01-02")])
def test_report_key_changes_with_each_parameter_the_report_shows(params, name, value):
    assert _report_key(params, **{name: value}) != _report_key(params)


@pytest.mark.parametrize("name, value", [("workers", 4), ("wait", 600), ("force", True), ("formats", ("docx",)),
                                         ("province", "Ninh Thuận"), ("out", Path("/elsewhere"))])
def test_report_key_ignores_what_does_not_change_the_report(params, name, value):
    """How many processes, how long to wait and which formats are written do not change the report's content;
    the province enters as its code (any spelling of it gives the same report)."""
    assert _report_key(params, **{name: value}) == _report_key(params)


def test_report_key_changes_with_the_province_the_data_and_the_notebooks_run(params):
    key = cache.report_key(params, "56", "data-key")
    assert cache.report_key(params, "58", "data-key") != key
    assert cache.report_key(params, "56", "other-data-key") != key
    assert cache.report_key(params, "56", "data-key", BATCH_NOTEBOOKS) != key


def test_report_key_changes_when_a_notebook_or_a_template_file_changes(params, tmp_path, monkeypatch):
    key = _report_key(params)
    report = params.notebooks / "03_report.ipynb"
    report.write_text(report.read_text(encoding="utf-8").replace("Khánh Hòa", "Ninh Thuận"), encoding="utf-8")
    assert _report_key(params) != key
    key = _report_key(params)
    templates = tmp_path / "package" / "templates"
    shutil.copytree(paths.TEMPLATES, templates)
    monkeypatch.setattr(paths, "TEMPLATES", templates)
    assert _report_key(params) == key
    css = templates / "parsipas_report" / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: red; }\n", encoding="utf-8")
    assert _report_key(params) != key


def test_data_key_changes_when_a_raw_file_changes_or_is_added(params):
    key = built_from.data_key(params.raw)
    assert built_from.data_key(params.raw) == key
    figures = params.raw / "public" / "par_totals.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("86.19", "86.20"), encoding="utf-8")
    changed = built_from.data_key(params.raw)
    assert changed != key
    (params.raw / "official").mkdir()
    (params.raw / "official" / "par_2022.csv").write_text("STT,Tỉnh\n", encoding="utf-8")
    assert built_from.data_key(params.raw) != changed


def test_data_key_changes_when_a_reference_table_or_the_code_changes(params, tmp_path, monkeypatch):
    reference = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE, reference)
    monkeypatch.setattr(paths, "REFERENCE", reference)
    package = tmp_path / "package"
    (package / "templates").mkdir(parents=True)
    (package / "clean.py").write_text("RULE = 'official first'\n", encoding="utf-8")
    monkeypatch.setattr(paths, "TEMPLATES", package / "templates")
    key = built_from.data_key(params.raw)
    maxima = reference / "max_points.csv"
    maxima.write_text(maxima.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert built_from.data_key(params.raw) != key
    key = built_from.data_key(params.raw)
    (package / "clean.py").write_text("RULE = 'more sources first'\n", encoding="utf-8")
    assert built_from.data_key(params.raw) != key


@pytest.mark.parametrize("name, value", [("province", "khanh hoa"), ("formats", ("html",)), ("lang", "en"),
                                         ("out", Path("/elsewhere")), ("processed", Path("/elsewhere/processed")),
                                         ("target_rank", 20)])
def test_request_key_is_the_command_as_typed(params, name, value):
    """Another spelling of the same province is another request (answered from the manifests, not this cache)."""
    assert cache.request_key(replace(params, **{name: value})) != cache.request_key(params)


@pytest.mark.parametrize("name, value", [("workers", 2), ("wait", 600), ("force", True)])
def test_request_key_ignores_how_the_run_is_carried_out(params, name, value):
    assert cache.request_key(replace(params, **{name: value})) == cache.request_key(params)


def _published(folder: Path, key: str) -> Path:
    """A report folder as a run leaves it: its file and a manifest naming the file's checksum and the key."""
    folder.mkdir(parents=True)
    html = folder / "report.html"
    html.write_text("<html>report</html>", encoding="utf-8")
    manifest = {"cache_key": key, "formats": {"html": {"file": "report.html", "cache_key": key, "current": True}},
                "outputs": {"report.html": hashlib.sha256(html.read_bytes()).hexdigest()}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_remembered_answers_an_identical_request_while_its_reports_are_intact(params):
    params = replace(params, formats=("html",))
    folder = _published(params.out / "2022" / "khanh-hoa" / "vi", "report-key")
    assert cache.remembered(params) is None
    cache.remember(params, [folder])
    assert cache.remembered(params) == [folder]
    assert cache.remembered(replace(params, wait=600, workers=2)) == [folder]
    assert cache.remembered(replace(params, force=True)) is None
    assert cache.remembered(replace(params, formats=("html", "pdf"))) is None
    assert cache.remembered(replace(params, province="56")) is None
    (folder / "report.html").write_text("<html>edited by hand</html>", encoding="utf-8")
    assert cache.remembered(params) is None


def test_up_to_date_needs_every_asked_format_built_from_the_key(tmp_path):
    folder = _published(tmp_path / "vi", "report-key")
    assert cache.up_to_date(folder, "report-key", ("html",))
    assert not cache.up_to_date(folder, "other-key", ("html",))
    assert not cache.up_to_date(folder, "report-key", ("html", "pdf"))
    assert not cache.up_to_date(tmp_path / "missing", "report-key", ("html",))


def test_processed_tables_are_read_once_per_folder_while_its_files_are_unchanged(tmp_path, monkeypatch):
    """A warm kernel's reports share one reading of the tables; a change by one report or a rewritten table is never
    seen by the next as anything but what the folder holds."""
    import pandas as pd

    from parsipas import clean

    folder = tmp_path / "processed"
    clean.write({name: pd.DataFrame({"value": [1.0, 2.0]}) for name in clean.TABLES}, folder, stamp="key")
    reads = []
    read_parquet = pd.read_parquet
    monkeypatch.setattr(pd, "read_parquet", lambda path: reads.append(path) or read_parquet(path))
    first = clean.load(folder)
    first["par_scores"].loc[0, "value"] = 99.0
    first["summary"] = None
    second = clean.load(folder)
    assert len(reads) == len(clean.TABLES)
    assert second["par_scores"]["value"].tolist() == [1.0, 2.0] and second["summary"] is not None
    pd.DataFrame({"value": [3.0]}).to_parquet(folder / "par_scores.parquet", index=False)
    assert clean.load(folder)["par_scores"]["value"].tolist() == [3.0]
    assert len(reads) == 2 * len(clean.TABLES)
