"""pipeline.py --list-provinces: which provinces have figures for a year, before a report is asked for."""

from __future__ import annotations

import re

import pipeline
from parsipas import clean


def test_lists_every_province_with_the_figures_known_for_the_year(tmp_path, capsys, no_kernel):
    processed = tmp_path / "processed"
    code = pipeline.main(["--list-provinces", "--year", "2024", "--processed", str(processed), "--out", str(tmp_path)])
    assert code == pipeline.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    header, rows, count = lines[1], lines[2:-1], lines[-1]
    assert header.split()[:2] == ["code", "name"] and len(rows) == 63
    starts = {header.index(column) for column in ("PAR total", "PAR rank", "SIPAS %", "SIPAS rank", "fields")}
    assert all(len(row) <= start or row[start - 1] == " " for row in rows for start in starts), "columns are aligned"
    cells = {row[:2]: row.split() for row in rows}
    assert cells["31"] == ["31", "Hải", "Phòng", "96.17", "1", "-", "1", "-"]  # its SIPAS 90.59% is a known issue
    assert cells["56"][-1] == "5/8" and cells["02"][-5:] == ["-"] * 5
    tables = clean.load(processed)
    known = {code for name in ("par_scores", "sipas_scores") for code in
             tables[name].query("year == 2024").province_code}
    assert count == f"{len(known)}/63 provinces have a figure for 2024" and 15 < len(known) < 63


def test_uses_the_processed_data_already_built(tmp_path, capsys, no_kernel):
    processed = tmp_path / "processed"
    arguments = ["--list-provinces", "--year", "2022", "--processed", str(processed), "--out", str(tmp_path)]
    assert pipeline.main(arguments) == pipeline.EXIT_OK
    built = (processed / "par_scores.parquet").stat().st_mtime_ns
    first = capsys.readouterr().out
    assert pipeline.main(arguments) == pipeline.EXIT_OK
    assert capsys.readouterr().out == first and (processed / "par_scores.parquet").stat().st_mtime_ns == built
    assert re.search(r"^56 +Khánh Hòa +86\.19 +25 ", first, re.MULTILINE)


def test_a_missing_raw_folder_is_bad_input(tmp_path, capsys, no_kernel):
    code = pipeline.main(["--list-provinces", "--raw", str(tmp_path / "missing"), "--processed", str(tmp_path / "p"),
                          "--out", str(tmp_path)])
    assert code == pipeline.EXIT_BAD_INPUT and "--raw" in capsys.readouterr().err
