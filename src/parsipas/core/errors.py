"""Errors for bad input, so every caller reports file, row and column the same way, and every fault of a run's
inputs can be listed at once (Faults) rather than one per run."""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager

SHOWN_PER_FILE = 20  # faults listed per file before "and N more"


class InputError(Exception):
    """Bad input that a person must fix; the pipeline exits with code 2 on it. The message names the cause
    first, then where it is (file, row, column or option), what was found and what was expected."""

    def __init__(self, file: str, problem: str, *, row: int | None = None, column: str | None = None,
                 found: object = None, expected: str | None = None, option: str | None = None):
        self.file, self.row, self.column, self.found, self.expected = file, row, column, found, expected
        self.option, self.problem = option, problem
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        if option is not None:
            where += f", option {option}"
        message = f"{problem} — {where}"
        if found is not None:
            message += f"; found {found!r}"
        if expected:
            message += f"; expected {expected}"
        super().__init__(message)

    def sort_key(self) -> tuple:
        return (str(self.file), self.row if self.row is not None else -1, str(self.column or ""))


class InputErrors(InputError):
    """Several faults found together: one line each, sorted by file and row, at most SHOWN_PER_FILE per file."""

    def __init__(self, errors: list[InputError]):
        flat = [e for error in errors for e in (error.errors if isinstance(error, InputErrors) else [error])]
        self.errors = sorted(flat, key=InputError.sort_key)
        first = self.errors[0]
        self.file, self.row, self.column, self.found, self.expected = (first.file, first.row, first.column,
                                                                        first.found, first.expected)
        self.option, self.problem = first.option, first.problem
        by_file: dict[str, list[InputError]] = defaultdict(list)
        for error in self.errors:
            by_file[str(error.file)].append(error)
        lines = [f"{len(self.errors)} faults in {len(by_file)} file(s):" if len(self.errors) > 1 else ""]
        for file, found in by_file.items():
            lines += [f"  - {error}" for error in found[:SHOWN_PER_FILE]]
            if len(found) > SHOWN_PER_FILE:
                lines.append(f"  - {file}: and {len(found) - SHOWN_PER_FILE} more")
        Exception.__init__(self, "\n".join(lines).strip() if len(self.errors) > 1 else str(first))


class Faults:
    """Collects the faults of every file before stopping, so that one run names them all.

        faults = Faults()
        for path in files:
            with faults.collect():
                read(path)        # raises InputError (or InputErrors) on a bad file
        faults.raise_if_any()     # InputErrors listing all, or nothing
    """

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, error: InputError) -> None:
        self.errors.append(error)

    @contextmanager
    def collect(self):
        try:
            yield
        except InputError as error:
            self.add(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else InputErrors(self.errors)
