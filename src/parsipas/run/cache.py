"""Cache keys and the up-to-date check: a report is rebuilt only when something it was made from changed.

The keys hash the raw data, the reference tables (always data/reference: the reference folder is not a parameter),
the package's code, the notebooks, the report template and the run parameters. Nothing here imports pandas, so an
unchanged rerun is answered in well under a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from parsipas.core import atomic, paths
from parsipas.core.built_from import data_key, digest_files, files, sha256
from parsipas.run.parameters import REPORT_NOTEBOOKS, RunParameters


def report_key(params: RunParameters, subject_code: str, key_of_data: str,
               notebooks: tuple[str, ...] = REPORT_NOTEBOOKS) -> str:
    """Changes with the data, the notebooks run, any notebook or template file, the parameters the report shows
    (not the formats: each has its own entry in the manifest) and its subject's code (Subject.code: a province code,
    or <set>/<unit code>)."""
    digest = hashlib.sha256(key_of_data.encode())
    digest.update(",".join(notebooks).encode())
    digest_files(digest, [*files(params.notebooks, pattern="*.ipynb"), *files(paths.TEMPLATES)])
    for name in ("year", "base_year", "target_rank", "lang", "produced"):
        digest.update(f"{name}={getattr(params, name)}\n".encode())
    digest.update(subject_code.encode())
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict:
    """A report folder's manifest, or {} when it has none (or an unreadable one)."""
    try:
        return json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(folder: Path, key: str, formats: tuple[str, ...]) -> bool:
    """Every asked format was built from these inputs, and no file of the folder was changed since."""
    manifest = read_manifest(folder)
    try:
        return all(manifest["formats"][f]["cache_key"] == key for f in formats) and all(
            sha256(Path(folder) / name) == digest for name, digest in manifest["outputs"].items())
    except (OSError, KeyError, TypeError):
        return False


def request_key(params: RunParameters) -> str:
    """The whole command as asked (province as typed) plus every input: equal keys mean nothing to redo."""
    shown = {k: str(v) for k, v in vars(params).items() if k not in ("wait", "force", "workers")}
    return report_key(params, json.dumps(shown, sort_keys=True), data_key(Path(params.raw)))


def _request_file(params: RunParameters) -> Path:
    return Path(params.out) / ".cache" / f"{request_key(params)}.json"


def remembered(params: RunParameters) -> list[Path] | None:
    """The report folders of an identical earlier run, if all are intact; checked before pandas is imported."""
    if params.force:
        return None
    try:
        folders = json.loads(_request_file(params).read_text())
    except (OSError, ValueError):
        return None
    intact = all(up_to_date(Path(folder), key, params.formats) for folder, key in folders.items())
    return [Path(folder) for folder in folders] if intact else None


def remember(params: RunParameters, folders: list[Path]) -> None:
    """Record which report folders (and their keys) answered this request, for remembered() next time."""
    keys = {str(folder): read_manifest(folder)["cache_key"] for folder in folders}
    atomic.write_atomically(_request_file(params), json.dumps(keys).encode())
