"""The script that draws the README's pictures runs, and draws what the README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "docs" / "make_pictures.py"


def test_make_pictures_writes_every_svg(tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "cast.svg",
        "countdown.svg",
        "progress.svg",
        "seasons-40.svg",
        "status-40.svg",
        "status.svg",
        "upcoming.svg",
    ]
    for path in out.iterdir():
        svg = path.read_text()
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    # Rich writes each styled run as its own <text>, with &#160; for spaces
    assert "Read&#160;next:&#160;volume&#160;4" in (out / "progress.svg").read_text()
    assert "BST" in (out / "countdown.svg").read_text()
    assert "PDT" in (out / "countdown.svg").read_text()
    assert "Heartstopper&#160;Forever" in (out / "status.svg").read_text()
    upcoming = (out / "upcoming.svg").read_text()
    assert "window:&#160;2026" in upcoming and "nothing&#160;announced:" in upcoming
    # soonest first: the 2026 window, then the day in February, then the May window
    spots = [upcoming.index(t) for t in ("Heartstopper", "Moonlight", "Starfall", "Quiet")]
    assert spots == sorted(spots)
    # at 40 columns the installments stack, each date whole
    narrow = (out / "seasons-40.svg").read_text()
    assert "3&#160;Oct&#160;2024&#160;00:00&#160;PDT" in narrow
    assert "Heartstopper&#160;Forever" in narrow
    # the dashboard at 40 columns: as narrow as the seasons picture, the filming dates whole
    status = (out / "status-40.svg").read_text()
    assert _width(status) == _width(narrow) < _width((out / "status.svg").read_text())
    assert "27&#160;Jul&#160;2025" in status and "5&#160;of&#160;6" in status


def _width(svg: str) -> float:
    """The picture's width, from the viewBox Rich writes for the console's columns."""
    view_box = svg.split('viewBox="', 1)[1].split('"', 1)[0]
    return float(view_box.split()[2])
