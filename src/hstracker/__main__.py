"""Run hstracker as ``python -m hstracker``."""

from hstracker.cli import main

main()
