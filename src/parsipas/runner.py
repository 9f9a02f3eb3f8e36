"""Running the notebooks with Papermill, rendering, and publishing one report folder atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import platform
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from . import paths, reference, render
from .errors import InputError
from .messages import LANGUAGES, text
from .provinces import Gazetteer, UnknownName

KERNEL = "parsipas"
FORMATS = ("html", "pdf")
log = logging.getLogger("parsipas")


class StepFailed(RuntimeError):
    """A notebook raised: names the step, the cell and the error in plain words."""


@dataclass
class RunParameters:
    province: str = "Khánh Hòa"
    year: int = 2022
    base_year: int = 2021
    target_rank: int = 30
    lang: str = "vi"
    formats: tuple[str, ...] = FORMATS
    out: Path = paths.REPORTS
    notebooks: Path = paths.NOTEBOOKS
    produced: str = field(default_factory=lambda: dt.date.today().isoformat())


def check(params: RunParameters, places: Gazetteer) -> str:
    """Validate the parameters before anything runs; returns the province code."""
    years = reference.decisions().index
    if params.year not in years or params.base_year not in years:
        raise InputError("command line", "no methodology is recorded for that year", column="--year/--base-year",
                         found=(params.year, params.base_year), expected=f"years {years.min()}-{years.max()}")
    if params.base_year >= params.year:
        raise InputError("command line", "the base year must come before the report year", column="--base-year",
                         found=params.base_year, expected=f"a year before {params.year}")
    if not 1 <= params.target_rank <= 63:
        raise InputError("command line", "the target rank is a place among 63 provinces", column="--target-rank",
                         found=params.target_rank, expected="1-63")
    if params.lang not in LANGUAGES:
        raise InputError("command line", "unknown language", column="--lang", found=params.lang, expected=" or ".join(LANGUAGES))
    unknown = [f for f in params.formats if f not in FORMATS]
    if unknown or not params.formats:
        raise InputError("command line", "unknown output format", column="--formats", found=",".join(params.formats),
                         expected="html, pdf or html,pdf")
    try:
        return places.province_code(params.province)
    except UnknownName as error:
        raise InputError("command line", str(error), column="--province", found=params.province,
                         expected="a province name or 2-digit code") from None


def _kernel_available() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        raise StepFailed(f"the Jupyter kernel '{KERNEL}' is not installed in this environment; run 'make setup'")


def _execute(notebook: Path, output: Path, parameters: dict, failed_dir: Path) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(str(notebook), str(output), parameters=parameters,
                                   kernel_name=KERNEL, cwd=str(paths.ROOT), progress_bar=False, log_output=False)
    except PapermillExecutionError as error:
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / f"{dt.datetime.now():%Y%m%dT%H%M%S}-{notebook.name}"
        shutil.copyfile(output, kept)
        raise StepFailed(f"notebook {notebook.stem} failed in cell {error.exec_count}: {error.ename}: {error.evalue} "
                         f"(executed notebook kept at {kept})") from None


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _manifest(params: RunParameters, province_code: str, steps: dict[str, float], folder: Path) -> dict:
    inputs = sorted(p for p in paths.RAW.rglob("*") if p.is_file()) + sorted(paths.REFERENCE.glob("*.csv"))
    packages = ["pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "pandera"]
    return {
        "parameters": {**asdict(params), "out": str(params.out), "notebooks": str(params.notebooks),
                       "province_code": province_code},
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in packages},
        "inputs": {str(p.relative_to(paths.ROOT)): _sha256(p) for p in inputs},
        "step_seconds": steps,
        "outputs": {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()},
    }


def publish(staging: Path, target: Path) -> None:
    """Swap the finished folder into place; the previous report stays until the new one is complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = target.with_name(f".{target.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def run(params: RunParameters) -> Path:
    """Clean, compare, report, render and publish; returns the report folder."""
    places = Gazetteer()
    province_code = check(params, places)
    _kernel_available()
    slug = places.slug(province_code)
    target = Path(params.out) / str(params.year) / slug
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}.staging-", dir=target.parent))
    steps: dict[str, float] = {}
    try:
        (staging / "notebooks").mkdir()
        common = {"province": province_code, "year": params.year, "base_year": params.base_year,
                  "target_rank": params.target_rank}
        plan = [("01_clean", {}), ("02_compare", common),
                ("03_report", {**common, "lang": params.lang, "produced": params.produced})]
        for number, (notebook, parameters) in enumerate(plan, start=1):
            log.info("step %d/%d: %s", number, len(plan) + 1, notebook)
            started = time.perf_counter()
            _execute(Path(params.notebooks) / f"{notebook}.ipynb", staging / "notebooks" / f"{notebook}.ipynb", parameters,
                     Path(params.out) / "_failed")
            steps[notebook] = round(time.perf_counter() - started, 3)
        log.info("step %d/%d: render %s", len(plan) + 1, len(plan) + 1, ", ".join(params.formats))
        started = time.perf_counter()
        title = text("title", params.lang) + " · " + places.name(province_code)
        html = render.notebook_to_html(staging / "notebooks" / "03_report.ipynb", params.lang, title)
        if "html" in params.formats:
            render.write_atomically(staging / "report.html", html.encode("utf-8"))
        if "pdf" in params.formats:
            render.write_atomically(staging / "report.pdf", render.html_to_pdf(html, title))
        steps["render"] = round(time.perf_counter() - started, 3)
        manifest = _manifest(params, province_code, steps, staging)
        render.write_atomically(staging / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
        publish(staging, target)
        log.info("report published in %s", target)
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)
