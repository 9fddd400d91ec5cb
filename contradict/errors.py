"""Errors that reach users: each names the file, line and field at fault."""

from __future__ import annotations


class ContradictError(Exception):
    """Base class for errors the CLI reports as a message and exit code 2."""

    exit_code = 2


class InputError(ContradictError):
    """A bad input record: names the file, the 1-based line (or row) and the field."""

    def __init__(self, path: str, message: str, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = message
        where = self.path if line is None else f"{self.path}:{line}"
        if field:
            where += f": field '{field}'"
        super().__init__(f"{where}: {message}")


class ModelError(ContradictError):
    """A model that cannot be found, loaded or understood."""


class ConfigError(ContradictError):
    """A bad configuration file or option value."""
