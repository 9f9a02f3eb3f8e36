#!/usr/bin/env python
"""Benchmark: time and peak memory of producing reports, written to benchmarks/RESULTS.md. Not part of the tests.

  (a) naive baseline: the Papermill command line on each notebook, then `jupyter nbconvert --to html` and
      `jupyter nbconvert --to webpdf` (this machine has no LaTeX; webpdf is pointed at Debian's chromium);
  (b) pipeline.py for one province (Khánh Hòa), HTML and PDF, from raw data (cleaning included);
  (c) pipeline.py --province all --workers <cores> on the SYNTHETIC complete tables (a test fixture);
  (d) an unchanged rerun of (b): served from the cache;
  (e) pipeline.py --province all --year 2025 --base-year 2024 on the SYNTHETIC 2024/2025 tables: one report per
      unit of 2025 (data/reference/unit_sets.csv);
  (f) pipeline.py --unit-set khanh-hoa --unit all --year 2024 --base-year 2023 on the SYNTHETIC internal index (a
      test fixture): the overview for the province's leadership and the reports of its 44 units, HTML and PDF,
      cleaning included;
  (g) reading a 100,000-row results table of a unit set, as XLSX and as CSV (generated SYNTHETIC files): the reader
      (official_files.read_sheet) and the header's checks (official_header.header_block), no report.
Each case is also reported as a ratio to the naive route (a).

Run: make benchmark   (or .venv/bin/python benchmarks/run.py --repeats 3; --cases ace runs (a), (c) and (e) only)
Each figure is the median of --repeats runs ((c), (e) and (f) run --batch-repeats times, each round after one more
run of (a), and a batch's ratio is the median of its rounds' ratios to the (a) beside each: a shared machine's speed
drifts over minutes, and a ratio is only fair between runs made side by side);
memory is the largest resident set of any process of the run (the command, its kernels and workers), read from
getrusage in a wrapper process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from parsipas.ingest.provinces import unit_count  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SYNTHETIC = ROOT / "tests" / "fixtures" / "synthetic_complete"
SYNTHETIC_ERA_CHANGE = ROOT / "tests" / "fixtures" / "synthetic_2024_2025"
SYNTHETIC_INTERNAL = ROOT / "tests" / "fixtures" / "synthetic_internal"
UNIT_SET, UNIT_REPORTS = "khanh-hoa", 45  # the synthetic set's overview and its 44 units
# Issue 14: ratios to (a). Issue 24: a batch's reports share their work: (c) 3.0 for every province of 2022, (e) 1.5
# for every unit of 2025, (f) 1.5 for the overview and 44 units.
TARGETS = {"b_over_a": 0.4, "c_over_a": 3.0, "d_seconds": 1.0, "peak_mb": 600.0, "e_over_a": 1.5, "f_over_a": 1.5}
# Issue 22: reading is linear: 100,000 rows as XLSX and as CSV within half of one naive report (10,000 took 177 s).
LARGE_ROWS, TARGETS["g_over_a"] = 100_000, 0.5
READ = ("import sys; from pathlib import Path; from parsipas.core import paths; "
        "from parsipas.ingest.internal_vocabulary import InternalVocabulary; "
        "from parsipas.ingest.official_files import read_sheet; "
        "from parsipas.ingest.official_header import header_block; "
        "sheet = read_sheet(Path(sys.argv[1]), lambda title: False); "
        "start, _, _ = header_block(sheet, InternalVocabulary('results', paths.REFERENCE, fields=True), 'unit_code'); "
        "assert len(sheet.cells) - start == int(sys.argv[2]) + 1, len(sheet.cells)")
WRAPPER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode; "
           "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)")


def measure(commands: list[list[str]], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds of the command sequence and the peak resident memory (MB) of any process in it."""
    seconds, peak = 0.0, 0.0
    for command in commands:
        result = subprocess.run([PYTHON, "-c", WRAPPER, *command], capture_output=True, text=True, env=env, cwd=ROOT)
        wall, rss, code = result.stdout.split()
        if code != "0":
            raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{result.stderr[-2000:]}")
        seconds += float(wall)
        peak = max(peak, int(rss) / 1024)
    return seconds, peak


def chromium_for_webpdf(scratch: Path) -> dict:
    """nbconvert's webpdf launches Playwright's own Chromium; give it Debian's through a browsers folder."""
    browsers = json.loads((Path(__import__("playwright").__file__).parent / "driver/package/browsers.json").read_text())
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "chromium-headless-shell")
    folder = scratch / "ms-playwright" / f"chromium_headless_shell-{revision}" / "chrome-headless-shell-linux64"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "chrome-headless-shell"
    if not target.exists():
        target.symlink_to(shutil.which("chromium") or "/usr/bin/chromium")
    (folder.parent / "INSTALLATION_COMPLETE").touch()
    return {**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(scratch / "ms-playwright")}


def naive(scratch: Path) -> list[list[str]]:
    processed = scratch / "naive-processed"
    common = ["-k", "parsipas", "--cwd", str(ROOT), "--no-progress-bar"]
    executed = {name: str(scratch / f"naive-{name}.ipynb") for name in ("01_clean", "02_compare", "03_report")}
    return [
        [str(BIN / "papermill"), str(ROOT / "notebooks/01_clean.ipynb"), executed["01_clean"], *common,
         "-p", "processed_dir", str(processed)],
        [str(BIN / "papermill"), str(ROOT / "notebooks/02_compare.ipynb"), executed["02_compare"], *common,
         "-p", "processed_dir", str(processed)],
        [str(BIN / "papermill"), str(ROOT / "notebooks/03_report.ipynb"), executed["03_report"], *common,
         "-p", "processed_dir", str(processed)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", executed["03_report"]],
        [str(BIN / "jupyter"), "nbconvert", "--to", "webpdf", "--no-input", "--WebPDFExporter.disable_sandbox=True",
         executed["03_report"]],
    ]


def pipeline(scratch: Path, *extra: str) -> list[str]:
    return [PYTHON, str(ROOT / "pipeline.py"), "--quiet", "--out", str(scratch / "reports"),
            "--processed", str(scratch / "processed"), *extra]


CASES = {"a": "(a) naive: papermill CLI x3, nbconvert html, nbconvert webpdf",
         "b": "(b) `pipeline.py`, Khánh Hòa, HTML + PDF, cleaning included",
         "c": "(c) `pipeline.py --province all`, synthetic complete tables",
         "d": "(d) unchanged rerun of (b)",
         "e": "(e) `pipeline.py --province all --year 2025 --base-year 2024`, synthetic 2024/2025 tables",
         "f": "(f) `pipeline.py --unit-set khanh-hoa --unit all --year 2024 --base-year 2023`, synthetic internal "
              "index: overview + 44 unit reports",
         "g": "(g) reading a 100,000-row results table, XLSX + CSV (synthetic), no report"}


def _expect_one_report_per_unit(case: str, scratch: Path, year: int) -> None:
    """A batch makes one report per unit the year ranks, or the benchmark measured something else."""
    reports = list((scratch / "reports" / str(year)).glob("*/vi/report.pdf"))  # <province>/<lang>/
    if len(reports) != unit_count(year):
        raise SystemExit(f"{case} produced {len(reports)} reports, not {unit_count(year)}")


def _expect_the_overview_and_every_unit(scratch: Path) -> None:
    reports = list((scratch / "reports" / "2024" / "internal" / UNIT_SET).glob("*/vi/report.pdf"))
    if len(reports) != UNIT_REPORTS:
        raise SystemExit(f"(f) produced {len(reports)} reports, not {UNIT_REPORTS}")


def large_tables(scratch: Path, rows: int) -> list[Path]:
    """A unit set's results of `rows` SYNTHETIC units under a 'Điểm tối đa' row, as XLSX (written streaming) and CSV."""
    import csv

    import openpyxl

    table = [["Mã đơn vị", "Tên đơn vị", "Mã khối", "1. Chỉ đạo", "2. Thể chế", "3. Thủ tục", "Tổng điểm"],
             ["Điểm tối đa", None, None, 30, 30, 40, 100],
             *([f"U{i:06d}", f"Đơn vị {i} (SYNTHETIC)", "SO", 20 + i % 10, 24.5, 30.25, 74.75 + i % 10]
               for i in range(rows))]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Kết quả")
    for row in table:
        sheet.append(row)
    xlsx, csv_file = scratch / "results_2024_large.xlsx", scratch / "results_2024_large.csv"
    book.save(xlsx)
    with csv_file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)
    return [xlsx, csv_file]


def reading(tables: list[Path], rows: int) -> list[list[str]]:
    return [[PYTHON, "-c", READ, str(table), str(rows)] for table in tables]


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({model}), {memory} GiB, "
            f"Python {platform.python_version()}")


def _run_cases(cases: str, arguments: argparse.Namespace, scratch: Path) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {key: [] for key in CASES if key in cases}
    env = chromium_for_webpdf(scratch)
    for repeat in range(arguments.repeats):
        print(f"run {repeat + 1}/{arguments.repeats}: (a) naive", flush=True)
        results["a"].append(measure(naive(scratch), env))
        one = scratch / f"one-{repeat}"
        if "b" in results:
            print(f"run {repeat + 1}/{arguments.repeats}: (b) pipeline.py, one province", flush=True)
            results["b"].append(measure([pipeline(one)]))
        if "d" in results:
            print(f"run {repeat + 1}/{arguments.repeats}: (d) unchanged rerun", flush=True)
            results["d"].append(measure([pipeline(one)]))
    workers = ["--workers", str(arguments.workers)]
    for repeat in range(arguments.batch_repeats):
        if set("cef") & set(results):  # (a) again beside each round of batches: both see the same machine
            print(f"round {repeat + 1}/{arguments.batch_repeats} of the batches: (a) naive", flush=True)
            results.setdefault("a_round", []).append(measure(naive(scratch), env))
            results["a"].append(results["a_round"][-1])
        if "c" in results:
            print(f"(c) --province all, {arguments.workers} workers, synthetic complete tables", flush=True)
            batch = scratch / f"all-{repeat}"
            results["c"].append(measure([pipeline(batch, "--province", "all", *workers, "--raw", str(SYNTHETIC))]))
            _expect_one_report_per_unit("(c)", batch, 2022)
        if "e" in results:
            print(f"(e) --province all --year 2025, {arguments.workers} workers, synthetic 2024/2025 tables",
                  flush=True)
            merged = scratch / f"all-2025-{repeat}"
            results["e"].append(measure([pipeline(merged, "--province", "all", "--year", "2025", "--base-year", "2024",
                                                  *workers, "--raw", str(SYNTHETIC_ERA_CHANGE))]))
            _expect_one_report_per_unit("(e)", merged, 2025)
        if "f" in results:
            print(f"(f) --unit-set {UNIT_SET} --unit all, {arguments.workers} workers, synthetic internal index",
                  flush=True)
            internal = scratch / f"internal-{repeat}"
            results["f"].append(measure([pipeline(internal, "--unit-set", UNIT_SET, "--unit", "all", "--year", "2024",
                                                  "--base-year", "2023", *workers, "--raw", str(SYNTHETIC_INTERNAL))]))
            _expect_the_overview_and_every_unit(internal)
    if "g" in results:
        large = large_tables(scratch, LARGE_ROWS)
        for repeat in range(arguments.repeats):
            print(f"run {repeat + 1}/{arguments.repeats}: (g) reading {LARGE_ROWS:,} rows, XLSX and CSV", flush=True)
            results["g"].append(measure(reading(large, LARGE_ROWS)))
    return results


def _ratios(results: dict[str, list[tuple[float, float]]], median: dict[str, float]) -> dict[str, float]:
    """Each case's ratio to (a): for a batch, the median of its rounds' ratios, each to the (a) timed just before it;
    for the others, of the medians."""
    ratio = {key: value / median["a"] for key, value in median.items()}
    for key in set("cef") & set(results):
        ratio[key] = statistics.median(s / a for (s, _), (a, _) in zip(results[key], results["a_round"]))
    return ratio


def _checks(ratio: dict[str, float], median: dict[str, float],
            peak: dict[str, float]) -> dict[str, tuple[float, float, str]]:
    """Each target of the cases that ran: (measured, limit, as shown)."""
    checks = {"(b) / (a)": ("b", TARGETS["b_over_a"]),
              f"(c) / (a), {unit_count(2022)} reports": ("c", TARGETS["c_over_a"]),
              f"(e) / (a), {unit_count(2025)} reports": ("e", TARGETS["e_over_a"]),
              f"(f) / (a), {UNIT_REPORTS} reports": ("f", TARGETS["f_over_a"]),
              f"(g) / (a), {LARGE_ROWS:,} rows read": ("g", TARGETS["g_over_a"])}
    shown = {name: (ratio[key], limit, f"{ratio[key]:.2f}") for name, (key, limit) in checks.items() if key in ratio}
    if "d" in median:
        shown["(d) unchanged rerun"] = (median["d"], TARGETS["d_seconds"], f"{median['d']:.2f} s")
    shown["peak memory, any process"] = (max(peak.values()), TARGETS["peak_mb"], f"{max(peak.values()):.0f} MB")
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-repeats", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--cases", default="".join(CASES),
                        help="the cases to run, e.g. 'ace' (default: all). (a) always runs: every ratio is to it; "
                             "(d) reruns (b) and brings it. Only a run of every case rewrites RESULTS.md; a part of "
                             "them is printed.")
    arguments = parser.parse_args()
    unknown = set(arguments.cases) - set(CASES)
    if unknown:
        parser.error(f"--cases: unknown case(s) {', '.join(sorted(unknown))}; the cases are {', '.join(CASES)}")
    cases = "a" + arguments.cases + ("b" if "d" in arguments.cases else "")
    with tempfile.TemporaryDirectory(prefix="parsipas-bench-") as name:
        results = _run_cases(cases, arguments, Path(name))
    median = {key: statistics.median(s for s, _ in runs) for key, runs in results.items()}
    peak = {key: max(m for _, m in runs) for key, runs in results.items()}
    ratio = _ratios(results, median)
    rounds = ("; (a) once more before each round of batches, each batch's ratio the median of its rounds' ratios to "
              "the (a) beside it" if "a_round" in results else "")
    lines = [
        "# Benchmark results", "",
        f"Produced by `make benchmark` (`benchmarks/run.py`) on {dt.date.today().isoformat()}.", "",
        f"Machine: {machine()}.", "",
        f"Runs per case: {arguments.repeats} ((c), (e), (f): {arguments.batch_repeats}{rounds}), the median shown; "
        "peak = largest resident set of any process of the run.", "",
        "| Case | Wall (median) | Ratio to (a) | Peak memory |", "|---|---|---|---|",
        *(f"| {label} | {median[key]:.2f} s | {ratio[key]:.2f} | {peak[key]:.0f} MB |"
          for key, label in CASES.items() if key in median), "",
        "| Target | Measured | Limit | Met |", "|---|---|---|---|",
        *(f"| {name} | {shown} | {limit:g} | {'yes' if value <= limit else '**no**'} |"
          for name, (value, limit, shown) in _checks(ratio, median, peak).items()), "",
        "Limits: issue 24 ((c), (e), (f) per report of a batch), issue 14 ((b), (d), memory), issue 22 ((g)).", "",
        "Raw seconds per run: " + json.dumps({k: [round(s, 2) for s, _ in v] for k, v in results.items()}), "",
    ]
    print("\n".join(lines))
    if set(CASES) <= set(cases):
        results_file = ROOT / "benchmarks" / "RESULTS.md"
        kept = _sections_written_by_hand(results_file)
        results_file.write_text("\n".join(lines) + kept, encoding="utf-8")


def _sections_written_by_hand(results_file: Path) -> str:
    """The sections after the tables ("## ...", such as where a report's time goes): kept when the tables are
    rewritten."""
    text = results_file.read_text(encoding="utf-8") if results_file.is_file() else ""
    start = text.find("\n## ")
    return "" if start < 0 else text[start:]


if __name__ == "__main__":
    main()
