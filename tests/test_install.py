"""The installed entry points: the console script, python -m, and the packaged data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import NOW


def _script() -> str:
    found = shutil.which("hstracker", path=str(Path(sys.executable).parent))
    assert found, "the hstracker console script is not installed next to this python"
    return found


def test_console_script_runs_status_from_any_directory(tmp_path: Path) -> None:
    env = {**os.environ, "HSTRACKER_NOW": NOW}
    result = subprocess.run(
        [_script(), "status"], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Heartstopper Forever" in result.stdout


def test_python_dash_m_and_exit_codes(cli_subprocess) -> None:  # type: ignore[no-untyped-def]
    ok = cli_subprocess("--version")
    assert ok.returncode == 0 and ok.stdout.startswith("hstracker ")
    bad = cli_subprocess("status", "--show", "nope")
    assert bad.returncode == 3
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_shipped_data_is_read_through_importlib_resources() -> None:
    from hstracker.paths import shipped_dir

    assert (shipped_dir() / "heartstopper.json").is_file()
