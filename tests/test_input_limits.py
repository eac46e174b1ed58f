"""Every text field has a limit; each violation is one clear line and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot
from hstracker.core import validate
from hstracker.core.facts import FIELDS
from hstracker.errors import ExitCode

OK = ("--date", "2026-01-02", "--source", "Netflix")
LONG = "x" * (validate.MAX_LINE + 1)
CASES = {
    "headline too long": (("add-news", LONG, *OK), "headline is 301 characters long"),
    "headline only controls": (("add-news", "\x1b\x07\x9b", *OK), "headline is empty"),
    "source too long": (("add-news", "h", "--date", "2026-01-02", "--source", LONG), "source"),
    "body too long": (
        ("add-news", "h", *OK, "--body", "b" * (validate.MAX_BODY + 1)),
        "body is 10001 characters long; the limit is 10000",
    ),
    "url too long": (
        ("add-news", "h", *OK, "--url", "https://x.org/" + "a" * validate.MAX_URL),
        "URL is 2014 characters long",
    ),
    "url not http": (("add-news", "h", *OK, "--url", "file:///etc/passwd"), "not an http(s)"),
    "url with space": (("add-news", "h", *OK, "--url", "https://x.org/a b"), "not an http(s)"),
    "tag too long": (("add-news", "h", *OK, "--tag", "t" * 33), "not a short slug"),
    "tag with markup": (("add-news", "h", *OK, "--tag", "[bold]"), "not a short slug"),
    "too many tags": (
        ("add-news", "h", *OK, *(a for i in range(13) for a in ("--tag", f"t{i}"))),
        "13 tags given; the limit is 12",
    ),
    "date too early": (("add-news", "h", "--date", "1899-12-31", "--source", "s"), "out of range"),
    "date too late": (("add-news", "h", "--date", "2101-01-01", "--source", "s"), "out of range"),
    "fact value too long": (
        ("add-news", "h", *OK, "--season", "3", "--set", f"filming-place={LONG}"),
        "filming-place value is 301 characters long",
    ),
    "fact value only controls": (
        ("add-news", "h", *OK, "--season", "3", "--set", "filming-place=\x1b\x1b"),
        "filming-place value is empty",
    ),
    "too many fact changes": (
        ("add-news", "h", *OK, "--season", "3", *(["--set", "episodes=8"] * (len(FIELDS) + 1))),
        f"{len(FIELDS) + 1} fact changes given; the limit is {len(FIELDS)}",
    ),
    "edit headline too long": (("edit-news", "ITEM", "--headline", LONG), "headline is 301"),
    "edit url not http": (("edit-news", "ITEM", "--url", "ftp://x.org"), "not an http(s)"),
    "edit bad tag": (("edit-news", "ITEM", "--tag", "Not A Slug"), "not a short slug"),
    "edit unknown id": (("edit-news", "nope", "--headline", "x"), "no news item 'nope'"),
    "remove unknown id": (("remove-news", "nope"), "no news item 'nope'"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_violation_is_one_line_and_changes_nothing(run: Run, home: Path, case: str) -> None:
    out = run("add-news", "Seed", "--date", "2026-01-01", "--source", "Me").stdout
    item_id = out.split()[2].rstrip(".")
    before = snapshot(home)
    args, needle = CASES[case]
    result = run(*(item_id if a == "ITEM" else a for a in args), code=None)
    assert result.exit_code in (ExitCode.USAGE, ExitCode.NOT_FOUND), result.stdout
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert needle in err
    assert snapshot(home) == before
