"""Desktop notifications: notify-send on Linux, osascript on macOS, found on PATH, or none."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

TIMEOUT = 10  # seconds: a notifier that hangs must not hold up a scheduled sync
# osascript reads the title and body from argv, so no text is ever quoted into the script
_APPLESCRIPT = ("on run argv", "display notification (item 2 of argv) with title (item 1 of argv)",
                "end run")  # fmt: skip


def find_notifier() -> str | None:
    """The path of the platform's notifier on PATH (the other one as a fallback), or None."""
    names = ["notify-send", "osascript"]
    if sys.platform == "darwin":
        names.reverse()
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def send(notifier: str, title: str, body: str) -> str | None:
    """Show one notification; None when it was shown, else why not, in one line."""
    if Path(notifier).name == "osascript":
        script = [arg for line in _APPLESCRIPT for arg in ("-e", line)]
        args = [notifier, *script, title, body]
    else:
        # `--` ends the options: a show titled "-u critical" stays a title
        args = [notifier, "--app-name=hstracker", "--", title, body]
    try:
        result = subprocess.run(
            args, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{Path(notifier).name} failed: {exc}"
    if result.returncode != 0:
        said = result.stderr.decode(errors="replace").strip().splitlines()
        return f"{Path(notifier).name} exited {result.returncode}" + (
            f": {said[0]}" if said else ""
        )
    return None
