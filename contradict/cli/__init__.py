"""The command line: a thin Typer layer over the library."""


def main() -> None:
    from ..timing import Stopwatch

    watch = Stopwatch.since_process_start()  # the interpreter's start and imports so far, as stage "start"
    with watch.stage("start"):
        from .main import STOPWATCH, app

    STOPWATCH["watch"] = watch
    app(prog_name="contradict")
