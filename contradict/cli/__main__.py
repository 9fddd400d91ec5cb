"""`python -m contradict.cli`: the `contradict` command."""

from . import main

main()
