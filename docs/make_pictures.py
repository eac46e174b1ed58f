"""Regenerate the README's pictures: real commands, a pinned clock, saved as SVG by Rich.

Usage: python docs/make_pictures.py [OUTDIR]   (default: the folder this script is in)
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from hstracker import clock
from hstracker.cli.app import app

WIDTH = 92
NARROW = 40  # a phone over SSH, or a split pane
DASHBOARD_NOW = "2026-11-24T12:00:00+00:00"
COUNTDOWN_NOW = "2024-10-01T09:30:00+00:00"  # two days before Season 3, to show both zones
# (file name, command line, pinned clock, terminal width)
PICTURES = [
    ("status.svg", ["status"], DASHBOARD_NOW, WIDTH),
    ("cast.svg", ["cast", "--season", "3"], DASHBOARD_NOW, WIDTH),
    ("progress.svg", ["progress"], DASHBOARD_NOW, WIDTH),
    ("countdown.svg", ["countdown", "s3"], COUNTDOWN_NOW, WIDTH),
    ("status-40.svg", ["status"], DASHBOARD_NOW, NARROW),
    ("seasons-40.svg", ["seasons"], DASHBOARD_NOW, NARROW),
    ("upcoming.svg", ["upcoming"], DASHBOARD_NOW, WIDTH),
]
# Three made-up shows beside the shipped Heartstopper, so `upcoming` has something to order:
# an exact day, a month window and a show with nothing announced. Their facts are invented
# for the picture and never leave it.
DEMO_SHOWS = [
    ["shows", "add", "Moonlight Pages", "--platform", "Netflix"],
    ["add-installment", "film", "1", "--title", "The Film", "--state", "dated",
     "--release", "2027-02-14", "--show", "moonlight-pages"],
    ["shows", "add", "Starfall", "--platform", "Prime Video"],
    ["add-installment", "season", "2", "--state", "filming", "--release", "2027-05",
     "--show", "starfall"],
    ["shows", "add", "Quiet Hours", "--platform", "BBC"],
    ["add-installment", "season", "1", "--state", "released", "--release", "2026-07-10",
     "--show", "quiet-hours"],
]  # fmt: skip


def run(home: Path, args: list[str], now: str, width: int = WIDTH) -> str:
    """One real command, with colour forced on so the picture keeps its styles."""
    # the pinned clock runs forward from when hstracker was imported; restart it so every
    # picture shows exactly the pinned moment
    clock._STARTED = time.monotonic()
    env = {
        "HSTRACKER_HOME": str(home),
        "HSTRACKER_NOW": now,
        "FORCE_COLOR": "1",
        "COLUMNS": str(width),
        "NO_COLOR": None,
    }
    result = CliRunner().invoke(app, args, env=env)
    if result.exit_code != 0:
        raise SystemExit(f"hstracker {' '.join(args)} failed: {result.output}")
    return result.stdout


def make(out_dir: Path) -> list[Path]:
    """Write every picture into out_dir and return their paths."""
    os.environ["TZ"] = "Europe/London"  # the fan's zone in the countdown picture
    time.tzset()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        run(home, ["watched", "s2"], DASHBOARD_NOW)  # a fan who has seen Season 2
        for args in DEMO_SHOWS:
            source = ["--source", "demo"] if args[0] == "add-installment" else []
            run(home, [*args, *source], DASHBOARD_NOW)
        for name, args, now, width in PICTURES:
            console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True)
            console.print(Text.from_ansi(run(home, args, now, width)))
            path = out_dir / name
            console.save_svg(str(path), title=f"hstracker {' '.join(args)}")
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for path in make(target):
        print(path)
