"""pipeline.py --unit-set: the reports of a province's own index (issue 15) through the command line, on the SYNTHETIC
internal-index fixture (44 units in four groups, 2023-2024; 65 communes and wards, 2025)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from conftest import ROOT, run_pipeline

import pipeline
from parsipas import clean
from parsipas.run import worker
from parsipas.run.parameters import RunParameters
from parsipas.run.runner import run

FIXTURE = ROOT / "tests" / "fixtures" / "synthetic_internal"
SET = "khanh-hoa"


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """The fixture cleaned once, stamped as the pipeline stamps it (so runs find it current)."""
    folder = tmp_path_factory.mktemp("internal") / "processed"
    clean.prepare(FIXTURE, folder)
    return folder


def _main(tmp_path: Path, processed: Path, *arguments: str) -> int:
    return pipeline.main([*arguments, "--raw", str(FIXTURE), "--processed", str(processed),
                          "--out", str(tmp_path / "reports")])


def test_an_unknown_unit_set_exits_2_and_lists_the_sets_found(tmp_path, processed, capsys, no_kernel):
    assert _main(tmp_path, processed, "--unit-set", "nha-trang") == pipeline.EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert "unknown unit set — command line, option --unit-set; found 'nha-trang'" in error
    assert "one of khanh-hoa, khanh-hoa-communes" in error


def test_an_unknown_unit_exits_2_names_a_few_units_and_how_to_list_all(tmp_path, processed, capsys, no_kernel):
    assert _main(tmp_path, processed, "--unit-set", SET, "--unit", "SO01, Sở Bưu điện") == pipeline.EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert "unknown unit of khanh-hoa in 2024 — command line, option --unit; found 'Sở Bưu điện'" in error
    assert "such as Sở Nội vụ; Sở Tư pháp" in error
    assert "pipeline.py --list-units --unit-set khanh-hoa --year 2024 lists them all" in error


@pytest.mark.parametrize("arguments, says", [
    (["--unit", "all"], "--unit needs --unit-set SET"),
    (["--list-units"], "--list-units needs --unit-set SET"),
    (["--unit-set", SET, "--target-rank", "20"], "--target-rank is an option of the Ministry's report"),
    (["--unit-set", SET, "--province", "Khánh Hòa"], "--province is an option of the Ministry's report"),
])
def test_options_of_the_other_kind_of_report_are_usage_errors(tmp_path, processed, capsys, no_kernel, arguments,
                                                              says):
    with pytest.raises(SystemExit) as caught:
        _main(tmp_path, processed, *arguments)
    assert caught.value.code == pipeline.EXIT_BAD_INPUT and says in capsys.readouterr().err


def test_list_units_shows_each_unit_its_group_and_whether_it_has_results(tmp_path, processed, capsys, no_kernel):
    assert _main(tmp_path, processed, "--list-units", "--unit-set", SET) == pipeline.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Units of khanh-hoa valid in 2024") and "years with results: 2023, 2024" in lines[0]
    assert lines[1].split() == ["code", "name", "group", "results"] and len(lines[2:-1]) == 44
    assert re.match(r"^SO01 +Sở Nội vụ +Sở, ban, ngành +yes$", lines[2])
    assert lines[-1] == "44 units; 44 with results for 2024"


def test_list_units_of_2025_leaves_out_the_districts_and_knows_the_communes(tmp_path, processed, capsys, no_kernel):
    assert _main(tmp_path, processed, "--list-units", "--unit-set", SET, "--year", "2025") == pipeline.EXIT_OK
    assert capsys.readouterr().out.splitlines()[-1] == "36 units; 0 with results for 2025"  # 8 districts ended
    assert _main(tmp_path, processed, "--list-units", "--unit-set", "khanh-hoa-communes") == pipeline.EXIT_OK
    assert capsys.readouterr().out.splitlines()[-1] == "65 units; 65 with results for 2025"


@pytest.mark.slow
def test_the_overview_and_a_unit_report_through_the_command_line(tmp_path, processed):
    out = tmp_path / "reports"
    result = run_pipeline("--unit-set", SET, "--unit", "overview, Sở Nội vụ", "--formats", "html,pdf,docx",
                          "--raw", str(FIXTURE), "--processed", str(processed), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "[1/2] overview of khanh-hoa: done" in result.stderr and "[2/2] Sở Nội vụ: done" in result.stderr
    sets = out / "2024" / "internal" / SET
    assert sorted(p.name for p in sets.iterdir()) == ["SO01-so-noi-vu", "overview"]
    for folder, unit in (("overview", None), ("SO01-so-noi-vu", "SO01")):
        report = sets / folder / "vi"
        assert {"report.html", "report.pdf", "manifest.json"} <= {p.name for p in report.iterdir()}
        manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["parameters"]["unit_set"] == SET and manifest["parameters"]["unit"] == unit
        assert manifest["parameters"]["year"] == "2024" and manifest["parameters"]["base_year"] == "2023"
        html = (report / "report.html").read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
        assert title.strip() and "khanh-hoa" not in title
        assert not re.search(r"\bSO01\b|\bHU0\d\b", html), "the report shows no unit codes"
        assert (report / "report.pdf").read_bytes().startswith(b"%PDF")
        document = docx.Document(report / "report.docx")
        top = document.tables[0]  # the agency beside the national name, place and date
        draft = "\n".join(cell.text for row in top.rows for cell in row.cells)
        assert "Khánh Hòa, ngày" in draft  # the Word draft's place is the province, not the unit
    assert "Sở Nội vụ" in (sets / "SO01-so-noi-vu" / "vi" / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_all_makes_the_overview_and_44_unit_reports_and_a_rerun_is_answered_from_the_manifests(
        tmp_path, processed, monkeypatch):
    out = tmp_path / "reports"
    result = run_pipeline("--unit-set", SET, "--unit", "all", "--formats", "html", "--workers", "2",
                          "--raw", str(FIXTURE), "--processed", str(processed), "--out", str(out))
    assert result.returncode == 0, result.stderr
    folders = sorted((out / "2024" / "internal" / SET).iterdir())
    assert len(folders) == 45 and all((f / "vi" / "report.html").is_file() for f in folders)
    assert "[45/45]" in result.stderr
    again = run_pipeline("--unit-set", SET, "--unit", "all", "--formats", "html", "--raw", str(FIXTURE),
                         "--processed", str(processed), "--out", str(out))
    assert again.returncode == 0 and again.stderr.count("report up to date") == 45
    monkeypatch.setattr(worker.Worker, "warm", lambda self: pytest.fail("a kernel was started"))
    params = RunParameters(year=None, base_year=None, unit_set=SET, unit="ALL", formats=("html",), raw=FIXTURE,
                           processed=processed, out=out)  # another spelling: answered from the manifests
    outcomes = run(params)
    assert len(outcomes) == 45 and all(o.skipped for o in outcomes)
    assert {o.name for o in run(replace(params, unit="so noi vu,  overview"))} == {"Sở Nội vụ", "overview of khanh-hoa"}


def test_recovery_tidies_what_a_killed_run_left_in_a_unit_set_folder(tmp_path):
    from parsipas.core.locking import recover

    unit = tmp_path / "reports" / "2024" / "internal" / SET / "SO01-so-noi-vu"
    (unit / ".vi.previous").mkdir(parents=True)
    (unit / ".vi.previous" / "report.html").write_text("last good report")
    (unit / ".en.staging-abc").mkdir()
    recover(tmp_path / "reports", tmp_path / "processed")
    assert sorted(p.name for p in unit.iterdir()) == ["vi"]
    assert (unit / "vi" / "report.html").read_text() == "last good report"


def test_the_command_line_loads_without_pandas_so_an_unchanged_rerun_stays_fast():
    """An unchanged rerun is answered from the request cache before pandas is imported (benchmark case (d))."""
    import subprocess
    import sys

    probe = "import sys, pipeline, parsipas.run.runner, parsipas.run.subjects; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.slow
def test_an_unknown_unit_found_after_cleaning_still_exits_2_and_publishes_nothing(tmp_path):
    """Without processed data the kernels warm up while the data is cleaned; the unit is checked after that."""
    out = tmp_path / "reports"
    result = run_pipeline("--unit-set", SET, "--unit", "Sở Bưu điện", "--raw", str(FIXTURE),
                          "--processed", str(tmp_path / "processed"), "--out", str(out))
    assert result.returncode == 2 and "unknown unit of khanh-hoa in 2024 — command line, option --unit" in result.stderr
    assert not (out / "2024").exists()
