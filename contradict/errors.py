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


class InputErrors(InputError):
    """Several bad inputs at once, so that one run names every bad file (its path, line and field are
    the first problem's); the message lists up to :attr:`PER_FILE` problems of each file."""

    PER_FILE = 5

    def __init__(self, errors: list[InputError]):
        first = errors[0]
        super().__init__(first.path, first.reason, line=first.line, field=first.field)
        self.errors = list(errors)
        by_file: dict[str, list[InputError]] = {}
        for error in self.errors:
            by_file.setdefault(error.path, []).append(error)
        lines = [f"{len(self.errors)} problems in {len(by_file)} inputs:"]
        for path, found in by_file.items():
            lines += [f"  {error}" for error in found[:self.PER_FILE]]
            if len(found) > self.PER_FILE:
                lines.append(f"  {path}: and {len(found) - self.PER_FILE} more problems")
        self.args = ("\n".join(lines),)


class ModelError(ContradictError):
    """A model that cannot be found, loaded or understood."""


class ConfigError(ContradictError):
    """A bad configuration file or option value."""
