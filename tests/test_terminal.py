"""A fan's terminal: every read at 40, 60 and 80 columns, any output encoding, one way to
write time, the whole cast, news to act on, and a countdown on a dumb terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import Run, snapshot
from hstracker.render.time import duration
from httpserver import Server

Sub = Callable[..., subprocess.CompletedProcess[str]]

# every read command a fan types, and the facts each must keep whole at any width
READS: list[tuple[tuple[str, ...], list[str]]] = [
    (("status",), ["Heartstopper Forever", "2026", "5 of 6", "9 Jun 2025"]),
    (
        ("seasons",),
        ["Season 1", "22 Apr 2022", "3 Aug 2023", "3 Oct 2024 00:00 PDT", "Heartstopper Forever"],
    ),
    (("cast",), ["Charlie Spring", "Joe Locke", "Nick Nelson", "Kit Connor", "new/returning"]),
    (("cast", "--season", "3"), ["Michael Holden", "Darragh Hand", "Jack Maddox"]),
    (("cast", "--all"), []),  # every name, from --json below
    (("news",), []),  # every id and URL, from --json below
    (("progress",), ["Season 1", "Heartstopper Forever", "1-2", "4-5"]),
    (("countdown",), ["Heartstopper Forever", "37 days"]),
    (("countdown", "s3"), ["Season 3 is out!"]),
    (("shows", "list"), ["heartstopper", "Heartstopper Forever", "2026"]),
    (("feeds", "list"), ["No feeds yet."]),
    (("doctor",), ["The store is healthy."]),
]
WIDTHS = [40, 60, 80]
URL = re.compile(r"^https?://\S+$")


def _facts(run: Run, args: tuple[str, ...], fixed: list[str]) -> list[str]:
    if args == ("cast", "--all"):
        cast = run.json(*args)["cast"]
        return [m["character"] for m in cast] + [m["actor"] for m in cast]
    if args == ("news",):
        news = run.json(*args)["news"]
        return [n["id"] for n in news] + [n["url"] for n in news if n["url"]]
    return fixed


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("args", "fixed"), READS, ids=[" ".join(a) for a, _ in READS])
def test_every_read_keeps_its_key_facts_whole_at_any_width(
    run: Run, home: Path, args: tuple[str, ...], fixed: list[str], width: int
) -> None:
    out = run(*args, COLUMNS=str(width)).stdout
    lines = out.splitlines()
    assert "…" not in out  # nothing squeezed to an ellipsis
    for line in lines:
        # only a URL may run past the width, whole, for the terminal to wrap and link
        whole = URL.match(line.strip()) or str(home) in line  # a URL or a path, whole
        assert cell_len(line.rstrip()) <= width or whole, line
    for fact in _facts(run, args, fixed):
        assert any(fact in line for line in lines), f"{fact!r} cut or missing at {width}:\n{out}"


def test_a_table_that_fits_stays_a_table_and_stacks_when_narrow(run: Run) -> None:
    wide = run("seasons", COLUMNS="100").stdout
    assert re.search(r"Season 1\s+│\s+released\s+│\s+22 Apr 2022", wide)
    narrow = run("seasons", COLUMNS="40").stdout
    assert "│" not in narrow
    block = narrow.split("s3  Season 3", 1)[1].split("\n\n", 1)[0]
    assert "Release  3 Oct 2024 00:00 PDT" in block
    assert "Volumes  4, 5" in block


# ---- any output encoding ---------------------------------------------------------------------

ENCODED_READS = [
    ("status",),
    ("seasons",),
    ("cast",),
    ("cast", "--all"),
    ("news",),
    ("progress",),
    ("countdown",),
    ("countdown", "s3"),
    ("shows", "list"),
    ("feeds", "list"),
    ("doctor",),
    ("status", "--json"),
]


def _encoded(encoding: str, *args: str) -> str:
    """A command's stdout in a child whose output encoding is `encoding`, decoded with it
    (so a byte outside the encoding fails the test); it must succeed with nothing on stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "hstracker", *args],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    assert proc.stderr == b""
    return proc.stdout.decode(encoding)


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
@pytest.mark.parametrize("args", ENCODED_READS, ids=" ".join)
def test_every_read_works_in_a_legacy_encoding(
    home: Path, encoding: str, args: tuple[str, ...]
) -> None:
    out = _encoded(encoding, *args)
    assert "Heartstopper" in out or args in (("feeds", "list"), ("doctor",))
    assert out.strip()


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_the_bar_and_names_fall_back_to_the_nearest_ascii(run: Run, encoding: str) -> None:
    run("cast", "add", "Tōru", "Zoë Ōtani", "--season", "film")
    progress = _encoded(encoding, "progress")
    assert re.search(r"\n#+-+  5 of 6 published volumes adapted \(83%\)", progress)
    cast = _encoded(encoding, "cast", "--all")
    assert "Toru" in cast  # ō is in none of the three
    assert ("Zoë Otani" if encoding != "ascii" else "Zoe Otani") in cast
    status = _encoded(encoding, "status")
    # cp1252 and latin-1 have the middle dot; ascii gets the nearest
    assert ("Heartstopper  ·  Netflix" if encoding != "ascii" else "Heartstopper  -  Netflix") in (
        status
    )


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_json_in_a_legacy_encoding_is_the_same_document(
    cli_subprocess: Sub, run: Run, encoding: str
) -> None:
    run("cast", "add", "Tōru", "Zoë Ōtani", "--season", "film")
    want = run.json("cast", "--all")
    proc = cli_subprocess("cast", "--all", "--json", env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.isascii()
    assert json.loads(proc.stdout) == want
    exported = cli_subprocess("export", env={"PYTHONIOENCODING": encoding})
    assert exported.returncode == 0 and json.loads(exported.stdout)["show"]["slug"]


def test_an_error_in_a_legacy_encoding_is_one_line(cli_subprocess: Sub, home: Path) -> None:
    before = snapshot(home)
    proc = cli_subprocess("cast", "--season", "ſ9—", env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert snapshot(home) == before


# ---- one way to write time -----------------------------------------------------------------


def test_dates_have_one_form_in_every_view(run: Run) -> None:
    iso = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")
    for args in (("status",), ("seasons",), ("news",), ("progress",), ("cast", "--all")):
        out = run(*args).stdout
        text = "\n".join(line for line in out.splitlines() if not URL.match(line.strip()))
        assert not iso.search(text), (args, iso.search(text))
    assert "Filming    started 9 Jun 2025, wrapped 27 Jul 2025" in run("status").stdout


@pytest.mark.parametrize(
    ("now", "phrase"),
    [
        ("2026-11-24T12:00:00+00:00", "Facts as of 2 Jul 2026 (4 months 22 days ago)."),
        ("2029-02-10T12:00:00+00:00", "Facts as of 2 Jul 2026 (2 years 7 months ago)."),
        ("2026-07-03T12:00:00+00:00", "Facts as of 2 Jul 2026 (1 day ago)."),
        ("2026-07-02T12:00:00+00:00", "Facts as of 2 Jul 2026 (today)."),
    ],
)
def test_ages_are_told_in_years_and_months_or_days_and_singular(
    run: Run, now: str, phrase: str
) -> None:
    assert phrase in " ".join(run("status", HSTRACKER_NOW=now).stdout.split())


def test_long_and_short_spans(run: Run) -> None:
    out = run("countdown", "s1", HSTRACKER_NOW="2026-11-24T12:00:00+00:00").stdout
    assert "Released 4 years 7 months ago." in out
    # Season 3 is out at 07:00 UTC on 3 Oct 2024; the pinned clock runs on from when the test
    # process imported hstracker, so only the days are certain
    out = run("countdown", "s3", HSTRACKER_NOW="2024-08-28T10:00:30+00:00").stdout
    assert re.search(r"\n35 days \d+ h \d+ min \d+ s to go\n", out)
    status = run("status", HSTRACKER_NOW="2024-08-28T10:00:30+00:00").stdout
    assert re.search(r"In 35 days \d+ h\b", status)


def test_one_hidden_item_is_singular(run: Run) -> None:
    run("watched", "s3")
    run("add-news", "Who kisses whom in the film", "--date", "2026-11-01", "--source", "Blog",
        "--season", "film", "--tag", "plot")  # fmt: skip
    out = " ".join(run("news").stdout.split())
    assert "1 news item hidden by the spoiler guard" in out
    assert "--spoilers shows it." in out


def test_a_year_window_has_the_same_colour_in_status_and_countdown(run: Run) -> None:
    status = run("status", FORCE_COLOR="1").stdout
    count = run("countdown", FORCE_COLOR="1").stdout
    assert "\x1b[33mNo exact date yet." in status
    assert "\x1b[33mNo exact date: this counts" in count
    assert re.search(r"\x1b\[1;33m37 days", count)  # the big line too: yellow, not green
    assert "32m37 days" not in count


def test_the_sync_report_shows_dates_in_the_human_form(run: Run, tvmaze: Server) -> None:
    out = run("sync", "--dry-run", COLUMNS="200").stdout
    assert "22 Apr 2022" in out
    assert "[America/" not in out and "T00:00:00" not in out


# ---- cast --------------------------------------------------------------------------------


def test_plain_cast_is_the_next_installment_with_a_pointer_to_a_fuller_list(run: Run) -> None:
    out = run("cast", COLUMNS="100").stdout
    assert "cast of Heartstopper Forever" in out
    assert "new/returning" in out
    assert "Season 3 lists 15 — `hstracker cast --season 3` or `--all`" in out
    data = run.json("cast")
    assert data["installment"] == "film" and len(data["cast"]) == 2
    assert len(run.json("cast", "--season", "3")["cast"]) == 15


def test_cast_all_is_the_whole_ensemble_once_each(run: Run) -> None:
    data = run.json("cast", "--all")
    assert data["installment"] is None
    names = [m["character"] for m in data["cast"]]
    assert len(names) == len(set(names)) == 27
    assert names[:2] == ["Charlie Spring", "Nick Nelson"]
    charlie = data["cast"][0]
    assert charlie["installments"] == ["s1", "s2", "s3", "film"] and charlie["status"] is None
    out = run("cast", "--all", COLUMNS="100").stdout
    assert "cast of every installment" in out and "new/returning" not in out
    assert re.search(r"Jack Maddox\s+│\s+Jonathan Bailey\s+│\s+s3\s+│\s+guest", out)


@pytest.mark.parametrize("extra", [("--season", "3"), ("--new",), ("--returning",)], ids=" ".join)
def test_cast_all_refuses_a_narrower_filter(run: Run, home: Path, extra: tuple[str, ...]) -> None:
    before = snapshot(home)
    result = run("cast", "--all", *extra, code=2)
    assert result.stderr.count("\n") == 1 and "--all" in result.stderr
    assert "unexpected" not in result.stderr
    assert snapshot(home) == before


def test_plain_cast_falls_back_to_the_latest_installment_with_a_list(run: Run) -> None:
    run("shows", "add", "Young Royals", "--platform", "Netflix")
    run("add-installment", "season", "1", "--state", "released", "--release", "2021-07-01",
        "--show", "young-royals")  # fmt: skip
    run("add-installment", "season", "2", "--state", "renewed", "--show", "young-royals")
    run("cast", "add", "Wilhelm", "Edvin Ryding", "--season", "1", "--show", "young-royals")
    data = run.json("cast", "--show", "young-royals")
    assert data["installment"] == "s1"
    out = run("cast", "--show", "young-royals").stdout
    assert "Wilhelm" in out and "lists" not in out


# ---- news you can act on -----------------------------------------------------------------


def test_news_shows_ids_you_can_edit_with(run: Run) -> None:
    out = run("news", "--limit", "3").stdout
    first = run.json("news", "--limit", "3")["news"][0]
    assert f"id {first['id']}" in out
    run("edit-news", first["id"], "--headline", "Edited by id")
    assert "Edited by id" in run("news", "--limit", "3").stdout
    assert "3 of 19 items" in out  # s2's casting news is behind the spoiler guard


def test_news_urls_are_whole_and_on_their_own_line_when_narrow(run: Run) -> None:
    items = run.json("news")["news"]
    out = run("news", COLUMNS="40").stdout
    lines = [line.strip() for line in out.splitlines()]
    for item in items:
        if item["url"]:
            assert item["url"] in lines  # a line of its own, whole
    assert "\x1b]8;" not in run("news", FORCE_COLOR="1").stdout  # no OSC 8 hyperlinks


def test_a_short_url_stays_beside_its_item(run: Run) -> None:
    run("add-news", "Short link", "--date", "2026-11-20", "--source", "Me",
        "--url", "https://e.example/a")  # fmt: skip
    out = run("news", "--limit", "1", COLUMNS="80").stdout
    assert re.search(r"^ {13}https://e\.example/a$", out, re.MULTILINE)


@pytest.mark.parametrize("width", WIDTHS)
def test_feeds_list_keeps_each_url_whole(run: Run, width: int) -> None:
    url = "https://www.example.org/a/long/path/to/the/heartstopper/news/feed.xml"
    run("feeds", "add", url, "--match", "Heartstopper, Alice Oseman")
    lines = [line.strip() for line in run("feeds", "list", COLUMNS=str(width)).stdout.splitlines()]
    assert any(url in line for line in lines)
    assert any("heartstopper" in line for line in lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sync_report_fits_any_width(run: Run, tvmaze: Server, width: int) -> None:
    out = run("sync", "--dry-run", COLUMNS=str(width)).stdout
    assert "…" not in out
    assert any("22 Apr 2022" in line for line in out.splitlines())
    assert "Dry run: nothing was written." in out


@pytest.mark.parametrize("args", [("cast", "--all"), ("news",), ("seasons",), ("progress",)])
def test_json_ignores_the_width(run: Run, args: tuple[str, ...]) -> None:
    narrow = run(*args, "--json", COLUMNS="40").stdout
    assert json.loads(narrow) == json.loads(run(*args, "--json", COLUMNS="200").stdout)


@given(st.integers(min_value=0, max_value=200 * 365 * 86_400))
def test_every_span_reads_in_one_style_with_right_plurals(seconds: int) -> None:
    short = duration(seconds)
    assert not re.search(r"(?<!\d)1 (days|months|years)\b", short)
    assert not re.search(r"(?<!\d)(0|[2-9]|\d\d+) (day|month|year)\b", short)
    units = re.findall(r"\d+ (years?|months?|days?|h|min|s)\b", short)
    assert 1 <= len(units) <= 2
    # long spans in years and months, short ones in days and hours (or less)
    long_unit = units[0].rstrip("s") in ("year", "month")
    assert long_unit == (seconds >= 60 * 86_400)
    # the exact form, for a countdown that ticks, always goes down to the second
    assert duration(seconds, exact=True).endswith(" s")
