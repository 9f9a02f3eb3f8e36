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
    return out / "2022" / "khanh-hoa"
