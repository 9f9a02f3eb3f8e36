"""One error type for bad input, so every caller can report file, row and column the same way."""

from __future__ import annotations


class InputError(Exception):
    """Bad input that a person must fix; the pipeline exits with code 2 on it."""

    def __init__(self, file: str, problem: str, *, row: int | None = None, column: str | None = None,
                 found: object = None, expected: str | None = None, option: str | None = None):
        self.file, self.row, self.column, self.found, self.expected = file, row, column, found, expected
        self.option = option
        where = str(file)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        if option is not None:
            where += f", option {option}"
        message = f"{where}: {problem}"
        if found is not None:
            message += f"; found {found!r}"
        if expected:
            message += f"; expected {expected}"
        super().__init__(message)
