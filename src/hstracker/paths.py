"""Where the fan's data lives and where the shipped data is found."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

HOME_ENV = "HSTRACKER_HOME"
CACHE_ENV = "HSTRACKER_CACHE"


def data_home(override: Path | None = None) -> Path:
    """The store folder: --data-dir wins over HSTRACKER_HOME, which wins over platformdirs."""
    if override is not None:
        return override.expanduser()
    if (env := os.environ.get(HOME_ENV)) is not None:
        return given_home(env, HOME_ENV)
    # imported here: platformdirs costs ~13 ms and is not needed when a home is given
    from platformdirs import user_data_path

    return user_data_path("hstracker", appauthor=False)


def cache_home() -> Path:
    """Where hstracker keeps what it may lose (never the fan's data): HSTRACKER_CACHE, or the
    platformdirs user cache folder."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("hstracker", appauthor=False)


def given_home(raw: str, where: str) -> Path:
    """A store folder the fan named; a blank one is refused, never taken as the current folder
    or as a folder named " "."""
    if not raw.strip():
        from hstracker.errors import InvalidInput

        raise InvalidInput(
            f"{where} is {'blank' if raw else 'empty'} ({raw!r}); nothing was read or written.",
            hint=f"Name the folder your data lives in, or leave {where} out for the default.",
        )
    return Path(raw).expanduser()


@cache  # a read asks twice (the list of shows, then the show); the answer never changes
def shipped_dir() -> Traversable:
    """The shipped show files: inside the wheel, or the checkout's data/ in an editable install."""
    here = Path(__file__).parent
    if (packaged := here / "data").is_dir():
        return packaged
    if (checkout := here.resolve().parents[1] / "data").is_dir():
        return checkout
    # only a zipped install gets here: importlib.resources costs ~2 ms (zipfile, tempfile,
    # random), which every read used to pay
    from importlib.resources import files

    return files("hstracker") / "data"
