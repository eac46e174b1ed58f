"""Where the fan's data lives and where the shipped data is found."""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

HOME_ENV = "HSTRACKER_HOME"


def data_home(override: Path | None = None) -> Path:
    """The store folder: --data-dir wins over HSTRACKER_HOME, which wins over platformdirs."""
    if override is not None:
        return override.expanduser()
    if env := os.environ.get(HOME_ENV):
        return Path(env).expanduser()
    # imported here: platformdirs costs ~13 ms and is not needed when a home is given
    from platformdirs import user_data_path

    return user_data_path("hstracker", appauthor=False)


def shipped_dir() -> Traversable:
    """The shipped show files: inside the wheel, or the checkout's data/ in an editable install."""
    packaged = files("hstracker") / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"
