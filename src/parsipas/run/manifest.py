"""manifest.json beside each report: parameters, input and output checksums, versions, timings, warnings, and one
entry per format saying which inputs it was built from (a format this run was not asked for is kept as it was)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from parsipas.core import atomic, paths
from parsipas.core.built_from import data_files, sha256
from parsipas.run.cache import read_manifest
from parsipas.run.parameters import FILES, RunParameters

PACKAGES = ["pandas", "matplotlib", "seaborn", "papermill", "nbconvert", "weasyprint", "pandera", "openpyxl",
            "python-calamine"]
log = logging.getLogger("parsipas")


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@functools.cache  # once per process: a batch's reports share it
def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


@functools.cache
def _versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in PACKAGES}


def carry_over(params: RunParameters, target: Path, staging: Path, key: str, name: str) -> dict:
    """Formats this run was not asked for stay as they were, with their manifest entries: a run never deletes them.
    One built from other inputs is kept, said in the log, and marked in the manifest as not current."""
    kept = {}
    for output, entry in read_manifest(target).get("formats", {}).items():
        if output in params.formats or output not in FILES or not (target / FILES[output]).is_file():
            continue
        shutil.copy2(target / FILES[output], staging / FILES[output])
        kept[output] = {**entry, "current": entry.get("cache_key") == key}
        if not kept[output]["current"]:
            log.warning("%s: %s was kept from an earlier run and is older than this run's outputs; rerun with "
                        "--formats %s to bring it up to date", name, FILES[output], output)
    return kept


def format_entries(params: RunParameters, key: str, kept: dict) -> dict:
    """One entry per format: those made now, built from this key, and those kept from earlier runs."""
    finished = _now()
    made = {output: {"file": FILES[output], "cache_key": key, "finished": finished, "current": True}
            for output in params.formats}
    return dict(sorted({**kept, **made}.items()))


def write(params: RunParameters, subject, key: str, steps: dict[str, float], folder: Path,
          formats: dict, warnings: tuple[str, ...]) -> None:
    """Write the folder's manifest.json, last: its output checksums cover every other file of the folder. subject:
    what the report is about (a Subject: its identity, a province_code or a unit_set and unit, is recorded)."""
    shown = {name: str(value) for name, value in vars(params).items() if name not in subject.unused}
    record = {
        "parameters": {**shown, "formats": list(params.formats), **subject.identity()},
        "cache_key": key,
        "finished": _now(),
        "formats": formats,
        "warnings": list(warnings),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "packages": _versions(),
        "inputs": {paths.shown(p): sha256(p) for p in data_files(params.raw)},
        "step_seconds": steps,
        "outputs": {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()},
    }
    atomic.write_atomically(folder / "manifest.json", json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
