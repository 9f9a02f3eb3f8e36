"""Shared fixtures: one real pipeline run on the shipped public record, reused by the output tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_pipeline(*arguments: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "pipeline.py"), *arguments], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def default_report(tmp_path_factory) -> Path:
    """The default report (Khánh Hòa, 2022 vs 2021), produced by the real command line into a scratch folder."""
    out = tmp_path_factory.mktemp("reports")
    result = run_pipeline("--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "2022" / "khanh-hoa" / "vi"


@pytest.fixture()
def no_kernel(monkeypatch):
    """Checks and listings must never start a Jupyter kernel or a report worker."""
    from jupyter_client.manager import KernelManager

    from parsipas.run import worker

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel or worker was started")

    monkeypatch.setattr(KernelManager, "start_kernel", refuse)
    monkeypatch.setattr(worker.Worker, "__init__", refuse)


SYNTHETIC = ROOT / "tests" / "fixtures" / "synthetic_complete"


@pytest.fixture(scope="session")
def english_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports-en")
    result = run_pipeline("--lang", "en", "--out", str(out), "--processed", str(out / "processed"))
    assert result.returncode == 0, result.stderr
    return out / "2022" / "khanh-hoa" / "en"


@pytest.fixture(scope="session")
def synthetic_report(tmp_path_factory) -> Path:
    """The default report rendered from the SYNTHETIC complete official tables (a test fixture, not real data)."""
    out = tmp_path_factory.mktemp("reports-synthetic")
    result = run_pipeline("--raw", str(SYNTHETIC), "--processed", str(out / "processed"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "2022" / "khanh-hoa" / "vi"


def synthetic_khanh_hoa() -> dict[str, float]:
    """Khánh Hòa's 2021 and 2022 totals and ranks read straight from the synthetic workbooks."""
    import openpyxl

    facts = {}
    for year in (2021, 2022):
        sheet = openpyxl.load_workbook(SYNTHETIC / "official" / f"par_{year}_synthetic.xlsx").active
        row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Khánh Hòa")
        facts[f"total_{year}"], facts[f"rank_{year}"] = row[10], row[11]
    card = openpyxl.load_workbook(SYNTHETIC / "official" / "scorecard_2022_khanh-hoa_synthetic.xlsx").active
    rows = list(card.iter_rows(min_row=2, values_only=True))
    facts["most_recoverable"] = max(rows, key=lambda r: r[2] - r[4])[1]
    return facts


@pytest.fixture(scope="session")
def internal_reports(tmp_path_factory) -> Path:
    """The overview and Sở Nội vụ's report of the SYNTHETIC internal index (2024 vs 2023), by the command line."""
    out = tmp_path_factory.mktemp("reports-internal")
    result = run_pipeline("--raw", str(ROOT / "tests" / "fixtures" / "synthetic_internal"), "--processed",
                          str(out / "processed"), "--out", str(out), "--unit-set", "khanh-hoa", "--unit",
                          "overview,SO01", "--formats", "html")
    assert result.returncode == 0, result.stderr
    return out / "2024" / "internal" / "khanh-hoa"


@pytest.fixture(scope="session")
def internal_overview(internal_reports) -> Path:
    return internal_reports / "overview" / "vi"


@pytest.fixture(scope="session")
def internal_unit(internal_reports) -> Path:
    return internal_reports / "SO01-so-noi-vu" / "vi"
