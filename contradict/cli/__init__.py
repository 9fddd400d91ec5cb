"""The command line: a thin Typer layer over the library."""

def main() -> None:
    from .main import app

    app()
