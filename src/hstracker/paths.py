"""Where the fan's data lives and where the shipped data is found."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

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
    """The shipped show files: the package's data folder, as importlib.resources finds it.

    For a package installed on disk, importlib.resources' file reader returns the folder
    beside this module, so that folder is used as it is: loading the reader machinery costs
    about 2.5 ms, a twentieth of the dashboard's start-up budget, on every run. Any other
    loader (a zip, say) goes through importlib.resources; an editable install falls back to
    the checkout's data/.
    """
    beside = Path(__file__).parent / "data"
    if beside.is_dir():
        return beside
    from importlib.resources import files

    packaged = files("hstracker") / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"
