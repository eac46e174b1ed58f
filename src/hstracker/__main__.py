"""Start hstracker (``python -m hstracker`` and the console script), tuned for a short run."""

import gc


def main() -> None:
    """Run the CLI with the cycle collector kept off start-up's objects.

    Importing Typer, Rich and msgspec allocates tens of thousands of objects that live for the
    whole run; the collector rescans them during the imports and once more at exit, which
    costs about a fifth of a dashboard run (see bench/run.py). So: no collection while
    importing, those objects frozen out of every later scan, and the collector back on for
    the command itself, since `countdown --watch` can run for hours.
    """
    gc.disable()
    from hstracker.cli.app import main as run

    gc.freeze()
    gc.enable()
    try:
        run()
    finally:
        gc.freeze()  # the process is ending: skip the final scan of what the command built


if __name__ == "__main__":
    main()
