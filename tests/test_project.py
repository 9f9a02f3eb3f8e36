"""Project-level promises: raw data unchanged and faithfully transcribed, notebooks parameterised, pins in step."""

from __future__ import annotations

import ast
import csv
import hashlib
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pandas as pd
import pytest

from parsipas import clean
from parsipas.core import defaults, paths
from parsipas.ingest import reference

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "sources"


def test_raw_files_match_their_manifest_checksums():
    manifest = (ROOT / "data/raw/MANIFEST.csv").read_text(encoding="utf-8")
    lines = [line for line in manifest.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert rows
    for row in rows:
        assert hashlib.sha256((ROOT / "data/raw" / row["path"]).read_bytes()).hexdigest() == row["sha256"], row["path"]
    listed = {row["path"] for row in rows}
    data_files = [*(ROOT / "data/raw/public").glob("*.csv"),
                  *(p for p in (ROOT / "data/raw/official").iterdir() if p.name != "README.md")]
    assert listed == {str(p.relative_to(ROOT / "data/raw")) for p in data_files}


@pytest.mark.skipif(not SHARED.exists(), reason="the shared reference record is not beside this checkout")
def test_transcription_of_the_shared_record_is_faithful(tmp_path):
    script = ROOT / "scripts/transcribe_public_record.py"
    subprocess.run([sys.executable, str(script), str(SHARED), str(tmp_path)], check=True)
    assert {p.name for p in tmp_path.glob("*.csv")} == {p.name for p in (ROOT / "data/raw/public").glob("*.csv")}
    for produced in tmp_path.glob("*.csv"):
        assert produced.read_bytes() == (ROOT / "data/raw/public" / produced.name).read_bytes(), produced.name


@pytest.mark.skipif(not SHARED.exists(), reason="the shared reference record is not beside this checkout")
def test_no_quoted_source_sentence_is_copied():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "data/raw/public").glob("*.csv"))
    notes = [row["note"] for path in [*SHARED.glob("*.csv"), *SHARED.glob("additions/**/*.csv")]
             for row in csv.DictReader(open(path, encoding="utf-8"))]
    quotes = [note for note in notes if len(note) > 30]
    assert quotes and not [quote for quote in quotes if quote in text]


def test_every_source_id_is_registered():
    public = ROOT / "data/raw/public"
    registered = {row["source_id"] for row in csv.DictReader(open(public / "sources.csv", encoding="utf-8"))}
    for path in public.glob("*.csv"):
        if path.name != "sources.csv":
            used = {row["source_id"] for row in csv.DictReader(open(path, encoding="utf-8")) if row["source_id"]}
            assert used <= registered, path.name


def test_readme_coverage_table_is_the_processed_coverage():
    spec = importlib.util.spec_from_file_location("readme_coverage", ROOT / "scripts/readme_coverage.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = script.coverage_markdown(clean.build()["coverage"])
    assert "| 2024 |" in table and table in (ROOT / "README.md").read_text(encoding="utf-8")


# Sites known to carry copies of other publishers' articles (a betting site, a football site, aggregators).
MIRROR_SITES = set(reference.read_commented_csv(ROOT / "data/reference/copy_domains.csv")["domain"])


def _site(url: str) -> str:
    return re.sub(r"^(www|m)\.", "", urlparse(url).netloc.lower())


def test_registry_cites_publishers_and_flags_every_copy():
    registry = reference.read_commented_csv(ROOT / "data/raw/public/sources.csv")
    assert {"publisher", "url", "mirror_url"} <= set(registry.columns) and registry["publisher"].str.strip().all()
    assert {"ufabetindo.in", "tothethao.com"} <= MIRROR_SITES
    for row in registry.itertuples():
        if _site(row.url) in MIRROR_SITES:
            # Known only at the copy: the page is the copy site's, never registered under the publisher it copied.
            assert row.mirror_url == row.url and row.publisher.startswith(_site(row.url) + " ("), row.source_id
        assert not row.mirror_url or _site(row.mirror_url) in MIRROR_SITES, row.source_id
    copy_of_vietnamplus = registry[registry.mirror_url.str.contains("ufabetindo.in")].iloc[0]
    original = "https://en.vietnamplus.vn/da-nang-takes-lead-in-2013-administrative-reform-post65209.vnp"
    assert copy_of_vietnamplus.url == original
    assert (copy_of_vietnamplus.publisher, copy_of_vietnamplus.site) == ("VietnamPlus", "en.vietnamplus.vn")
    football = registry[registry.url.str.contains("tothethao.com")].iloc[0]
    assert football.publisher != "VnExpress International" and "VnExpress International" in football.publisher


def test_figures_read_at_a_copy_cite_the_original_page_the_additions_give():
    """The 2013 leader and runner-up, read at a betting site's copy, are cited by Việt Nam News and SGGP pages."""
    registry = reference.read_commented_csv(ROOT / "data/raw/public/sources.csv").set_index("source_id")
    totals = reference.read_commented_csv(ROOT / "data/raw/public/par_totals.csv")
    leaders = totals[(totals.year == "2013") & totals.province.isin(["Đà Nẵng", "Hải Phòng"])]
    hosts = {_site(registry.loc[s, "url"]) for s in leaders.source_id}
    assert {"vietnamnews.vn", "en.sggp.org.vn"} <= hosts
    assert all(_site(registry.loc[s, "url"]) not in MIRROR_SITES for s in leaders.source_id)


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_each_notebook_has_exactly_one_parameters_cell_and_the_project_kernel(notebook):
    nb = nbformat.read(notebook, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "parsipas"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "notebooks are committed without outputs"


# What each parameters cell may say, and the value it must say it with: the defaults a run uses when nothing is given
# (Papermill needs literals there, so they are written twice and kept equal here). None means the default in code.
NOTEBOOK_DEFAULTS = {"province": defaults.PROVINCE, "year": defaults.YEAR, "base_year": defaults.BASE_YEAR,
                     "target_rank": None, "lang": defaults.LANG, "produced": None, "raw_dir": paths.RAW,
                     "processed_dir": paths.PROCESSED, "unit_set": defaults.UNIT_SET}
NOTEBOOK_KNOBS = {"04_explore": {"sort_by", "ascending", "gains"}}  # the explorer's own settings, no run default
# A unit set's report (notebook 05): its years default to the set's latest years with results (None), its unit to
# the overview (None); the set to the one in the public record.
UNIT_SET_DEFAULTS = {"unit_set": defaults.REPORT_UNIT_SET, "unit": None, "year": None, "base_year": None,
                     "lang": defaults.LANG, "produced": None, "processed_dir": paths.PROCESSED}


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_each_notebooks_parameters_are_the_run_defaults(notebook):
    [cell] = [c for c in nbformat.read(notebook, as_version=4).cells if "parameters" in c.metadata.get("tags", [])]
    values = {}
    for statement in ast.parse(cell.source).body:
        [target] = statement.targets
        values[target.id] = ast.literal_eval(statement.value)
    if notebook.stem == "05_internal":
        assert set(values) == set(UNIT_SET_DEFAULTS)
        expected = UNIT_SET_DEFAULTS
    else:
        assert set(values) - NOTEBOOK_KNOBS.get(notebook.stem, set()) <= set(NOTEBOOK_DEFAULTS)
        assert {"province", "year", "base_year"} <= set(values) or notebook.stem == "01_clean"
        expected = NOTEBOOK_DEFAULTS
    for name, value in values.items():
        if name.endswith("_dir"):
            assert paths.resolve(value) == expected[name], name
        elif name in expected:
            assert value == expected[name], name


def _pins_from_pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    return dict(re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", s).groups() for s in specs)


def _pins_from_environment() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+)==?(\S+)", line)  # conda pins =, the pip list ==
        if match and match[1] != "python":
            pins[match[1]] = match[2]
    return pins


def test_environment_yml_pins_the_same_packages_as_pyproject():
    assert _pins_from_pyproject() == _pins_from_environment()
    assert len(_pins_from_pyproject()) >= 15


def test_english_names_of_the_ministrys_fields_are_data_with_their_basis():
    """Every field and indicator has an English name; one said to come from a source is the term an English page of
    the record uses for it, the others are marked as the project's translation."""
    crosswalk = reference.read_commented_csv(ROOT / "data/reference/field_crosswalk.csv")
    indicators = reference.read_commented_csv(ROOT / "data/reference/indicators.csv")
    public = ROOT / "data/raw/public"
    labels = pd.concat([
        reference.read_commented_csv(public / "par_fields.csv").rename(columns={"field_name": "label"}),
        reference.read_commented_csv(public / "sipas_components.csv").rename(columns={"component": "label"}),
    ])
    for table in (crosswalk, indicators):
        assert table.name_en.str.strip().all() and table.name_en_basis.isin(["source", "translation", "official"]).all()
        assert not table.name_en.str.contains(r"[ăâđêôơưạảãẹẻẽịỉĩọỏõụủũỵỷỹ]").any()
        for row in table[table.name_en_basis == "source"].itertuples():
            used = labels[labels.source_id == row.name_en_source_id].label.str.lower()
            assert used.str.contains(row.name_en.lower(), regex=False).any(), (row.name_en, row.name_en_source_id)
        assert (table[table.name_en_basis != "source"].name_en_source_id == "").all()
