"""Every case of tests/bad_inputs/ through the command line: exit code, message, the file, row and column named,
raw and last good outputs intact. (The only run of the official cases through the command line; tests/test_official.py
reads a few of them again for what a fragment cannot say: every fault, in order.)"""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
from pathlib import Path

import nbformat
import pytest

import pipeline
from parsipas import clean
from parsipas.core import paths
from parsipas.ingest.reference import read_commented_csv

BAD = Path(__file__).parent / "bad_inputs"
CASES = read_commented_csv(BAD / "cases.csv")
FOLDERS = ["official", "internal"]  # a case of these kinds drops its files into that folder of data/raw
SYNTHETIC = Path(__file__).parent / "fixtures" / "synthetic_complete"


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file() and "_logs" not in p.parts and p.name != ".parsipas.lock"}


@pytest.fixture(scope="module")
def good_processed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good") / "processed"
    clean.write(clean.build(SYNTHETIC), folder)
    return folder


def test_the_corpus_has_at_least_forty_cases():
    assert len(CASES) >= 40 and CASES["case"].is_unique
    assert {p.name for p in (BAD / "data").iterdir()} == set(CASES.query("kind in @FOLDERS")["case"])


@pytest.mark.parametrize("case", list(CASES.itertuples(index=False)), ids=lambda c: c.case)
def test_bad_input_fails_clearly_and_loses_nothing(tmp_path, capsys, good_processed, case):
    raw = tmp_path / "raw"
    (raw / "official").mkdir(parents=True)
    if case.kind in FOLDERS:
        (raw / case.kind).mkdir(exist_ok=True)
        for path in (BAD / "data" / case.case).iterdir():
            shutil.copyfile(path, raw / case.kind / path.name)
    processed = tmp_path / "processed"
    shutil.copytree(good_processed, processed)
    out = tmp_path / "reports"
    last_good = out / "2022" / "khanh-hoa" / "vi"
    last_good.mkdir(parents=True)
    (last_good / "report.html").write_text("last good report")
    notebooks = tmp_path / "notebooks_without_parameters"
    notebooks.mkdir()
    for path in paths.NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            cell.metadata.pop("tags", None) if path.stem == "03_report" else None
        nbformat.write(nb, notebooks / path.name)
    (tmp_path / "a-file").write_text("not a folder")
    arguments = case.arguments.format(tmp=tmp_path, file=tmp_path / "a-file", notebooks_without_parameters=notebooks)
    before = {"raw": _tree(raw), "processed": _tree(processed), "reports": _tree(out)}

    try:
        code = pipeline.main(["--raw", str(raw), "--processed", str(processed), "--out", str(out),
                              *shlex.split(arguments)])
    except SystemExit as exit_:  # argparse refuses before main's body runs
        code = exit_.code
    stderr = capsys.readouterr().err

    assert code == int(case.exit_code), stderr
    assert all(fragment in stderr for fragment in case.message.split(" … ")), stderr  # each fragment
    if case.kind in FOLDERS:  # the file, and the row or column in it, are named with what was expected
        names = [path.name for path in (raw / case.kind).iterdir()]  # a case may need its scorecards beside it
        assert any(name in stderr for name in names) and "; expected " in stderr
        whole_file = case.case == "corrupt_xlsx"  # nothing inside a damaged workbook can be pointed at
        assert whole_file or any(re.search(rf"{re.escape(name)}(, row \d+|, column 'file name')", stderr)
                                 for name in names), stderr
    assert {"raw": _tree(raw), "processed": _tree(processed), "reports": _tree(out)} == before
    assert not [p for p in out.rglob("*") if ".staging-" in p.name]
