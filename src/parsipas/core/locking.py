"""One run at a time per output folder, and tidying what a killed run left behind (under that lock)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from parsipas.core import atomic

log = logging.getLogger("parsipas")


class Busy(RuntimeError):
    """Another run holds the lock on the same outputs."""


class RunLock:
    """One run at a time per output folder. The OS releases the lock when its holder dies, so a killed run
    never blocks the next one; the holder's pid is written beside it for the message."""

    def __init__(self, folder: Path, wait: float, name: str = ".parsipas.lock", guarded: Path | None = None):
        """The lock file is folder/name; guarded is the folder it protects, named in the message (the folder itself
        unless said: the processed folder's lock lives beside it, in its parent)."""
        from filelock import FileLock

        Path(folder).mkdir(parents=True, exist_ok=True)
        self.path = Path(folder) / name
        self.guarded = Path(guarded) if guarded is not None else Path(folder)
        self.lock = FileLock(self.path, timeout=wait)
        self.wait = wait

    def __enter__(self) -> RunLock:
        from filelock import Timeout

        try:
            self.lock.acquire()
        except Timeout:
            holder = self.path.with_suffix(".pid")
            who = holder.read_text().strip() if holder.exists() else "unknown"
            raise Busy(f"another run (pid {who}) is writing to {self.guarded}; waited {self.wait:g} s. "
                       "Try again when it has finished, or pass --wait SECONDS") from None
        self.path.with_suffix(".pid").write_text(f"{os.getpid()}\n")
        return self

    def __exit__(self, *exc) -> None:
        self.path.with_suffix(".pid").unlink(missing_ok=True)
        self.lock.release()


def processed_lock(processed: Path, wait: float) -> RunLock:
    """The lock on a processed folder: a file beside it (the folder itself is swapped whole when rebuilt)."""
    processed = Path(processed)
    return RunLock(processed.parent, wait, f".{processed.name}.lock", guarded=processed)


def recover(out: Path, processed: Path) -> None:
    """Tidy what a killed run left in the report folders and beside the processed data (called under the lock)."""
    subjects = [*Path(out).glob("*/*/"), *Path(out).glob("*/internal/*/*/")]  # <year>/<province>, units of a set
    for folder in [*subjects, Path(processed).parent]:
        for target in atomic.recover(folder):
            log.warning("restored %s, left half-published by an interrupted run", target)
