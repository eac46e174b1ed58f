"""Start hstracker (``python -m hstracker`` and the console script), tuned for a short run."""

import gc

YOUNG_THRESHOLD = 10_000  # allocations between young collections (Python's default: 700)


def main() -> None:
    """Run the CLI with the cycle collector kept off start-up's objects.

    Importing Typer, Rich and msgspec allocates tens of thousands of objects that live for the
    whole run; the collector rescans them during the imports and once more at exit, which
    costs about a fifth of a dashboard run (see bench/run.py). So: no collection while
    importing, those objects frozen out of every later scan, and the collector back on for
    the command itself, since `countdown --watch` can run for hours.

    The command's own start-up (its module, msgspec, Rich) makes most of the objects it will
    ever make, and they too live for the whole run: at Python's default threshold (700) the
    collector scanned them ~19 times in a `status` run to find ~135 garbage objects, about 5%
    of the run. A larger first threshold scans a few times; long runs still collect.
    """
    gc.disable()
    from hstracker.cli.app import main as run

    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()
    try:
        run()
    finally:
        gc.freeze()  # the process is ending: skip the final scan of what the command built


if __name__ == "__main__":
    main()
