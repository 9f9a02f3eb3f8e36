"""Which inputs the processed data was built from: a key over the raw and reference data and the package's code, and
the .built-from stamp that records it beside the tables. No pandas here: the runner answers an unchanged rerun from
this key before pandas is imported."""

from __future__ import annotations

import hashlib
from pathlib import Path

from parsipas.core import paths

STAMP = ".built-from"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files(*folders: Path, pattern: str = "*") -> list[Path]:
    """Every file under the folders, sorted, without Python's byte-code caches."""
    return sorted(p for folder in folders if Path(folder).is_dir() for p in Path(folder).rglob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)


def data_files(raw: Path, reference: Path | None = None) -> list[Path]:
    """The data a run reads: the raw folder and the reference tables (data/reference unless said otherwise)."""
    return [*files(raw), *files(reference or paths.REFERENCE)]


def digest_files(digest, inputs: list[Path]) -> None:
    """Names and contents: a renamed, added or changed file changes the key."""
    for path in inputs:
        digest.update(f"{path.name}\0{sha256(path)}\n".encode())


def data_key(raw: Path, reference: Path | None = None) -> str:
    """Changes when any raw or reference file, the package's code or its message catalogue (messages.toml) changes."""
    digest = hashlib.sha256()
    package = paths.TEMPLATES.parent
    digest_files(digest, [*data_files(raw, reference), *files(package, pattern="*.py"),
                          *files(package, pattern="*.toml")])
    return digest.hexdigest()


def is_current(processed: Path, key: str) -> bool:
    """The processed folder was built from the inputs this key names."""
    stamp = Path(processed) / STAMP
    return stamp.is_file() and stamp.read_text().strip() == key
