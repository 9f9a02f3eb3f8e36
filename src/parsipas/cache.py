"""Cache keys and the up-to-date check: a report is rebuilt only when something it was made from changed.

The keys hash the raw data, the reference tables (always data/reference: the reference folder is not a parameter),
the package's code, the notebooks, the report template and the run parameters. Nothing here imports pandas, so an
unchanged rerun is answered in well under a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import atomic, paths
from .parameters import REPORT_NOTEBOOKS, RunParameters


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files(*folders: Path, pattern: str = "*") -> list[Path]:
    """Every file under the folders, sorted, without Python's byte-code caches."""
    return sorted(p for folder in folders if Path(folder).is_dir() for p in Path(folder).rglob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)


def data_files(raw: Path) -> list[Path]:
    """The data a run reads: the raw folder and the reference tables."""
    return [*files(raw), *files(paths.REFERENCE)]


def _digest_files(digest, inputs: list[Path]) -> None:
    """Names and contents: a renamed, added or changed file changes the key."""
    for path in inputs:
        digest.update(f"{path.name}\0{sha256(path)}\n".encode())


def data_key(raw: Path) -> str:
    """Changes when any raw or reference file, the package's code or its message catalogue (messages.toml) changes."""
    digest = hashlib.sha256()
    package = paths.TEMPLATES.parent
    _digest_files(digest, [*data_files(raw), *files(package, pattern="*.py"), *files(package, pattern="*.toml")])
    return digest.hexdigest()


def report_key(params: RunParameters, province_code: str, key_of_data: str,
               notebooks: tuple[str, ...] = REPORT_NOTEBOOKS) -> str:
    """Changes with the data, the notebooks run, any notebook or template file and the parameters the report shows
    (not the formats: each has its own entry in the manifest)."""
    digest = hashlib.sha256(key_of_data.encode())
    digest.update(",".join(notebooks).encode())
    _digest_files(digest, [*files(params.notebooks, pattern="*.ipynb"), *files(paths.TEMPLATES)])
    for name in ("year", "base_year", "target_rank", "lang", "produced"):
        digest.update(f"{name}={getattr(params, name)}\n".encode())
    digest.update(province_code.encode())
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
