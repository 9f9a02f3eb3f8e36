"""Writing outputs so that a reader (or a killed run) never sees them half-written: files by rename, folders by swap."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def readable(path: Path, directory: bool = False) -> None:
    """mkstemp/mkdtemp create private files; a published output gets the usual permissions (umask applies)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a reader never sees a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        readable(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


STAGING_OWNER = re.compile(r"\.staging-(\d+)-")  # the pid of the process writing a staging folder


def staging_folder(target: Path) -> Path:
    """A fresh hidden folder beside the target, to be filled and then swapped in; its name carries the writer's pid,
    so that a later run removes it only once that process is gone."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))
    readable(staging, directory=True)
    return staging


def previous_of(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


def swap_in(staging: Path, target: Path) -> None:
    """Replace the target folder by the finished staging folder; the old one stays until the new one is in place."""
    previous = previous_of(target)
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def recover(parent: Path) -> list[Path]:
    """Tidy what a killed writer left in a folder: staging folders of processes that are gone go, and a target caught
    between the two renames of swap_in gets its previous version back. Call only while holding the lock on that
    folder. Returns the targets restored."""
    restored = []
    for previous in Path(parent).glob(".*.previous"):
        target = previous.with_name(previous.name[1:].removesuffix(".previous"))
        if previous.is_dir() and not target.exists():
            previous.rename(target)
            restored.append(target)
        shutil.rmtree(previous, ignore_errors=True)
    for staging in Path(parent).glob(".*.staging-*"):
        if not _owner_alive(staging):
            shutil.rmtree(staging, ignore_errors=True)
    return restored


def _owner_alive(staging: Path) -> bool:
    """Whether the process that made a staging folder still runs (a folder of an older layout, without a pid, has
    none). A folder beside a shared parent (--processed /tmp/x) may belong to another run holding another lock."""
    owner = STAGING_OWNER.search(staging.name)
    if owner is None:
        return False
    try:
        os.kill(int(owner[1]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
