"""The command line: exit codes and plain-words errors, and a failed run leaves the last good report."""

from __future__ import annotations


import nbformat
import pytest

from conftest import ROOT, run_pipeline


@pytest.mark.parametrize("arguments, fragment", [
    (["--province", "Khanh Hao"], "did you mean 'Khánh Hòa'"),
    (["--year", "2021", "--base-year", "2022"], "base year must come before"),
    (["--year", "2030"], "no methodology is recorded"),
    (["--lang", "fr"], "unknown language"),
    (["--formats", "docx"], "unknown output format"),
    (["--target-rank", "0"], "target rank"),
])
def test_bad_arguments_exit_2_with_a_message(tmp_path, arguments, fragment):
    result = run_pipeline(*arguments, "--out", str(tmp_path))
    assert result.returncode == 2
    assert fragment in result.stderr
    assert not any(tmp_path.iterdir())


def test_failing_notebook_exits_1_names_the_cell_and_keeps_the_last_good_report(tmp_path, default_report):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        if path.stem == "03_report":
            nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken on purpose')"))
        nbformat.write(nb, notebooks / path.name)
    out = tmp_path / "reports"
    good = out / "2022" / "khanh-hoa"
    good.mkdir(parents=True)
    (good / "report.html").write_text("last good report")
    from parsipas.runner import RunParameters, StepFailed, run

    with pytest.raises(StepFailed) as caught:
        run(RunParameters(out=out, notebooks=notebooks, formats=("html",)))
    assert "03_report" in str(caught.value) and "ValueError: broken on purpose" in str(caught.value)
    assert (good / "report.html").read_text() == "last good report"
    assert list((out / "_failed").glob("*03_report.ipynb"))
    assert not [p for p in (out / "2022").iterdir() if p.name.startswith(".")]
