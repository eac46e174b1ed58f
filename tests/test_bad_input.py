"""Bad input: one line on stderr, a named non-zero exit, no traceback, nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot
from hstracker.core.model import SCHEMA_VERSION
from hstracker.errors import ExitCode

ADD = ("add-news", "A headline", "--source", "Netflix")


@pytest.fixture
def seeded(run: Run, home: Path) -> dict[str, bytes]:
    run("add-news", "Seed", "--date", "2026-01-01", "--source", "Me")
    return snapshot(home)


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        ((*ADD, "--date", "2026-13-45"), ExitCode.USAGE, "not a real date"),
        ((*ADD, "--date", "2023-02-30"), ExitCode.USAGE, "not a real date"),
        ((*ADD, "--date", "yesterday"), ExitCode.USAGE, "must be a whole day: YYYY-MM-DD"),
        ((*ADD, "--date", "2023"), ExitCode.USAGE, "whole day"),
        ((*ADD, "--date", "1066-10-14"), ExitCode.USAGE, "out of range"),
        (("add-news", "", "--date", "2023-01-01", "--source", "x"), ExitCode.USAGE, "empty"),
        (("add-news", " \t ", "--date", "2023-01-01", "--source", "x"), ExitCode.USAGE, "empty"),
        (("add-news", "x" * 400, "--date", "2023-01-01", "--source", "x"), ExitCode.USAGE, "limit"),
        (("add-news", "Hi", "--date", "2023-01-01", "--source", " "), ExitCode.USAGE, "empty"),
        ((*ADD, "--date", "2023-01-01", "--url", "ftp://x.org/a"), ExitCode.USAGE, "http(s)"),
        ((*ADD, "--date", "2023-01-01", "--url", "javascript:alert(1)"), ExitCode.USAGE, "http"),
        ((*ADD, "--date", "2023-01-01", "--url", "https://"), ExitCode.USAGE, "http(s)"),
        ((*ADD, "--date", "2023-01-01", "--tag", "Not A Slug!"), ExitCode.USAGE, "slug"),
        ((*ADD, "--date", "2023-01-01", "--season", "9"), ExitCode.NOT_FOUND, "no installment"),
        ((*ADD, "--date", "2023-01-01", "--show", "nope"), ExitCode.NOT_FOUND, "unknown show"),
        ((*ADD, "--date", "2023-01-01", "--set", "release=2024"), ExitCode.USAGE, "--season"),
        ((*ADD, "--date", "2023-01-01", "--season", "2", "--set", "colour=red"), 2, "field"),
        ((*ADD, "--date", "2023-01-01", "--season", "2", "--set", "release=2024-02-31"), 2, "date"),
        ((*ADD, "--date", "2023-01-01", "--confidence", "sure"), ExitCode.USAGE, "confidence"),
        (("status", "--show", "nope"), ExitCode.NOT_FOUND, "Known shows: heartstopper"),
        (("cast", "--season", "7"), ExitCode.NOT_FOUND, "Known: s1, s2, s3, film"),
        (("news", "--season", "film9"), ExitCode.NOT_FOUND, "no installment"),
        (("news", "--since", "2023-02-30"), ExitCode.USAGE, "not a real date"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    run: Run,
    home: Path,
    seeded: dict[str, bytes],
    args: tuple[str, ...],
    code: int,
    needle: str,
) -> None:
    result = run(*args, code=code)
    err = result.stderr.strip()
    assert err.startswith("hstracker: ")
    assert len(err.splitlines()) == 1, err
    assert needle in err
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(home) == seeded


def test_bad_clock_is_reported(run: Run) -> None:
    result = run("status", code=ExitCode.USAGE, HSTRACKER_NOW="next tuesday")
    assert "HSTRACKER_NOW" in result.stderr


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b'{"slug": "heartstopper", ', "truncated"),
        (b"", "empty"),
        (b'{"schema_version": 1, "slug": "heartstopper", "title": 5}', "$.title"),
    ],
)
def test_unreadable_store_names_the_file_and_place(
    run: Run, home: Path, seeded: dict[str, bytes], content: bytes, where: str
) -> None:
    path = home / "shows" / "heartstopper.json"
    path.write_bytes(content)
    for args in (
        ("status",),
        ("cast",),
        ("news",),
        ("add-news", "x", "--date", "2023-01-01", "--source", "y"),
    ):
        result = run(*args, code=ExitCode.CORRUPT_STORE)
        assert str(path) in result.stderr
        assert where in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_newer_store_is_refused_untouched(run: Run, home: Path, seeded: dict[str, bytes]) -> None:
    path = home / "shows" / "heartstopper.json"
    current = f'"schema_version":{SCHEMA_VERSION}'.encode()
    data = path.read_bytes().replace(current, b'"schema_version":99', 1)
    path.write_bytes(data)
    result = run("add-news", "x", "--date", "2023-01-01", "--source", "y",
                 code=ExitCode.NEWER_STORE)  # fmt: skip
    assert "newer hstracker" in result.stderr
    assert path.read_bytes() == data


def test_a_home_inside_a_regular_file_is_named_by_reads_and_writes(
    run: Run, tmp_path: Path
) -> None:
    # issue 17: reads used to show the shipped data, and writes blamed the lock file
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    home = str(blocker / "home")
    for args in [("status",), ("add-news", "x", "--date", "2026-01-01", "--source", "y")]:
        result = run(*args, code=ExitCode.DISK, HSTRACKER_HOME=home)
        assert result.stderr.startswith(f"hstracker: {blocker} should be a folder but is not")
        assert len(result.stderr.splitlines()) == 1
        assert ".lock" not in result.stderr
    assert blocker.read_text() == "x"
