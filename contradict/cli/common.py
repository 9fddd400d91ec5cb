"""Helpers shared by the CLI's sub-apps: messages to stderr and the exit code for bad input."""

from __future__ import annotations

import shlex
import sys
from enum import Enum
from typing import Annotated

import typer


#: Settings of every Typer app of the CLI. ``rich_markup_mode=None``: click's plain help, which wraps the help
#: texts and never cuts an option's name, where rich's option tables cut them (``--include-unatt…``) at 80 columns.
APP_SETTINGS = {"no_args_is_help": True, "add_completion": False, "pretty_exceptions_enable": False,
                "rich_markup_mode": None}


class Backend(str, Enum):
    """Inference engine for NLI scoring."""

    torch = "torch"
    onnx = "onnx"


ChecksOpt = Annotated[str, typer.Option(
    "--checks", help="The detector's checks added to the model, comma-separated, or none: negation (the other "
                     "claim entails a negated claim's positive form), numbers (counts that cannot both hold) and "
                     "agents (one act given to different agents).")]


def err(message: str) -> None:
    """A message for the user, on stderr (stdout is for results)."""
    typer.echo(message, err=True)


#: Set by ``--quiet``: summary and progress lines are left out, errors and skipped records are not.
QUIET = {"on": False}


def note(message: str) -> None:
    """A summary or progress line on stderr, which ``--quiet`` leaves out."""
    if not QUIET["on"]:
        err(message)


def fail(exc: Exception, code: int = 2) -> typer.Exit:
    """Report ``exc`` as one line on stderr and return the Exit to raise (2: bad input or usage)."""
    err(f"error: {exc}")
    return typer.Exit(code)


def command_line(shareable: bool = False) -> str:
    """This process's command line as a shell would take it, for run records (``contradict ...``); with
    ``shareable``, absolute paths in it made shareable (:func:`contradict.runinfo.shareable_path`), as reports
    need them (an evaluation record keeps them, to be repeated as it was run)."""
    from ..runinfo import shareable_arg

    return shlex.join(["contradict", *(shareable_arg(a) if shareable else a for a in sys.argv[1:])])
