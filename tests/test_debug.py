"""`--debug` before or after the command: listed in every --help, a traceback only when asked."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from hstracker.errors import ExitCode

# A fault planted in Rich, not in hstracker: printing to stdout fails with an error no
# hstracker code expects, which is what a bug looks like from the outside.
FAULT = """\
import rich.console

_print = rich.console.Console.print


def _broken(self, *args, **kwargs):
    if not self.stderr:
        raise RuntimeError("planted fault")
    return _print(self, *args, **kwargs)


rich.console.Console.print = _broken
"""

Call = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def faulty(tmp_path: Path, cli_subprocess: Call) -> Call:
    """hstracker in a child process whose Rich fails to print to stdout."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(FAULT)

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return cli_subprocess(*args, env={"PYTHONPATH": str(site)})

    return call


def test_an_unexpected_error_is_one_line_that_points_at_debug(faulty: Call) -> None:
    done = faulty("status")
    assert done.returncode == ExitCode.ERROR
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("hstracker: unexpected error: RuntimeError: planted fault.")
    assert "Run it again with --debug to see the traceback" in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [("--debug", "status"), ("status", "--debug"), ("status", "--show", "heartstopper", "--debug")],
)
def test_debug_before_or_after_the_command_shows_the_traceback(
    faulty: Call, args: tuple[str, ...]
) -> None:
    done = faulty(*args)
    assert done.returncode == ExitCode.ERROR
    assert done.stderr.startswith("Traceback (most recent call last):"), done.stderr
    assert done.stderr.rstrip().endswith("RuntimeError: planted fault")
    assert "hstracker/cli/status.py" in done.stderr  # it reaches into the command


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_adds_the_traceback_to_a_known_error_and_keeps_its_code(run: Run, where: str) -> None:
    args = ["news", "--show", "nope"]
    plain = run(*args, code=ExitCode.NOT_FOUND).stderr
    assert "Traceback" not in plain
    debug = ["--debug", *args] if where == "before" else [*args, "--debug"]
    shown = run(*debug, code=ExitCode.NOT_FOUND).stderr
    assert "Traceback (most recent call last):" in shown and "NotFound" in shown
    assert shown.rstrip().endswith(plain.strip())  # the same one line, last


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("status",),
        ("cast",),
        ("cast", "add"),
        ("shows", "add"),
        ("feeds", "pull"),
        ("news",),
        ("watched",),
    ],
)
def test_every_help_lists_debug(run: Run, args: tuple[str, ...]) -> None:
    out = run(*args, "--help").stdout
    assert "--debug" in out and "traceback" in out


@pytest.mark.parametrize(
    "args", [("seasons",), ("shows", "list"), ("cast", "--season", "3"), ("feeds", "list")]
)
def test_debug_after_the_command_changes_nothing_when_all_is_well(
    run: Run, args: tuple[str, ...]
) -> None:
    assert run(*args, "--debug").stdout == run(*args).stdout
