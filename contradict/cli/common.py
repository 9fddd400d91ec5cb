"""Helpers shared by the CLI's sub-apps: messages to stderr and the exit code for bad input."""

from __future__ import annotations

import shlex
import sys
from enum import Enum

import typer


class Backend(str, Enum):
    """Inference engine for NLI scoring."""

    torch = "torch"
    onnx = "onnx"


def err(message: str) -> None:
    """A message for the user, on stderr (stdout is for results)."""
    typer.echo(message, err=True)


def fail(exc: Exception, code: int = 2) -> typer.Exit:
    """Report ``exc`` as one line on stderr and return the Exit to raise (2: bad input or usage)."""
    err(f"error: {exc}")
    return typer.Exit(code)


def command_line() -> str:
    """This process's command line as a shell would take it, for run records (``contradict ...``)."""
    return shlex.join(["contradict", *sys.argv[1:]])
