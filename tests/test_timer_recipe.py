"""The README's recipe for staying current: the shipped systemd and launchd files parse."""

from __future__ import annotations

import configparser
import plistlib
import shutil
import subprocess
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"
COMMAND = "hstracker sync --all --notify"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string((DOCS / name).read_text())
    return parser


def test_the_service_runs_the_sync_once_and_the_timer_starts_it_daily() -> None:
    service, timer = _unit("hstracker-sync.service"), _unit("hstracker-sync.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith(f"/{COMMAND}")
    assert service["Unit"]["After"] == "network-online.target"
    assert timer["Timer"]["OnCalendar"] == "daily"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    # the timer starts the service of its own name
    assert "Unit" not in timer["Timer"]


ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(ANALYZE is None, reason="no systemd-analyze here; the key test above runs")
def test_systemd_analyze_verifies_both_units(tmp_path: Path) -> None:
    assert ANALYZE is not None
    # verify insists that ExecStart exists: point the copy at a stand-in hstracker
    stand_in = tmp_path / "hstracker"
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    service = (DOCS / "hstracker-sync.service").read_text()
    assert "%h/.local/bin/hstracker" in service
    (tmp_path / "hstracker-sync.service").write_text(
        service.replace("%h/.local/bin/hstracker", str(stand_in))
    )
    shutil.copy(DOCS / "hstracker-sync.timer", tmp_path)
    result = subprocess.run(
        [ANALYZE, "verify", "--man=no", "hstracker-sync.timer", "hstracker-sync.service"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "nvalid" not in result.stderr, result.stderr


def test_the_launchd_agent_runs_the_same_command_daily() -> None:
    agent = plistlib.loads((DOCS / "hstracker-sync.plist").read_bytes())
    assert " ".join(agent["ProgramArguments"]).endswith(COMMAND)
    assert agent["StartCalendarInterval"] == {"Hour": 9, "Minute": 0}
    assert agent["Label"]
