"""Every input means what it says: blank or impossible input is refused with one line and exit
2, leaving every store file byte-identical; the edits a fan needs; one answer in every view."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Run, snapshot
from hstracker.errors import ExitCode

NOTHING_YET = "Nothing announced yet: no season, film or special is listed."


def refused(result: Any, *needles: str) -> None:
    """Exit 2 with one `hstracker:` line on stderr, naming what was wrong."""
    err: str = result.stderr
    assert result.exit_code == ExitCode.USAGE, f"exit {result.exit_code}: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hstracker: "), err
    assert "unexpected error" not in err
    for needle in needles:
        assert needle in err, err
    assert result.stdout == ""


@pytest.fixture
def seeded(run: Run, home: Path) -> Path:
    """A fan's store: marks, a news item of their own, and a second show with no installments."""
    run("watched", "s1")
    run("read", "2")
    run("add-news", "A story", "--date", "2026-11-20", "--source", "Me")
    run("shows", "add", "Young Royals", "--slug", "young-royals")
    return home


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("set", "", "episodes", "9", "--source", "X"), "the installment given ('') is blank"),
        (("set", " ", "episodes", "9", "--source", "X"), "is blank"),
        (("watched", ""), "the installment given ('') is blank"),
        (("watched", "   "), "the installment given ('   ') is blank"),
        (("watched", "", "--undo"), "is blank"),
        (("cast", "add", "X", "Y", "--season", ""), "is blank"),
        (("cast", "add", "X", "Y", "--season", "s1", "--season", " "), "is blank"),
        (("cast", "remove", "Nick", "--season", ""), "is blank"),
        (("cast", "--season", ""), "is blank"),
        (("news", "--season", " "), "is blank"),
        (("countdown", ""), "is blank"),
        (("add-news", "H", "--date", "2026-11-20", "--source", "X", "--season", ""), "is blank"),
        (("remove-installment", ""), "is blank"),
        (("read", "--", "-1"), "'-1' is not a volume number"),
        (("read", ""), "'' is not a volume number"),
        (("read", "  "), "is not a volume number"),
        (("read", "0"), "'0' is not a volume number"),
        (("read", "7"), "Heartstopper has no volume 7. Known: 1-6."),
        (("read", "v7", "--undo"), "has no volume 7"),
        (("add-news", "H", "--date", "2030-12-06", "--source", "X"), "after today (2026-11-24)"),
        (("add-news", "H", "--date", "2026-11-26", "--source", "X"), "after today"),
        (("set", "s1", "episodes", "٣", "--source", "X"), "must be a whole number"),
        (("set", "film", "adapts", "6-9", "--source", "X"), "Heartstopper has 6 volumes"),
        (("set", "film", "adapts", "9-6", "--source", "X"), "runs backwards"),
        (("set", "film", "adapts", "6-", "--source", "X"), "must be numbers"),
        (
            (
                "add-news",
                "H",
                "--date",
                "2026-11-20",
                "--source",
                "X",
                "--season",
                "film",
                "--set",
                "adapts=7",
            ),
            "volume 7 cannot be adapted",
        ),
        (("set", "s2", "title", "s1", "--source", "X"), "would name another installment"),
        (("set", "s2", "title", "Heartstopper Forever", "--source", "X"), "another"),
        (("set", "s2", "title", " ", "--source", "X"), "title is empty"),
        (("add-installment", "season", "5", "--title", "s1"), "would name another installment"),
        (("news", "--since", ""), "--since '' must be a whole day"),
        (("shows", "edit"), "nothing to change"),
        (("shows", "edit", "--volumes", "5"), "volume 6 of Heartstopper is recorded"),
        (("shows", "edit", "--volumes", "0"), "must be from 1"),
        (("shows", "edit", "--platform", " "), "platform is empty"),
        (("shows", "restore", "heartstopper"), "heartstopper is tracked now"),
        (("--data-dir", "", "status"), "--data-dir is empty"),
        (("--data-dir", "  ", "watched", "s2"), "--data-dir is blank"),
    ],
)
def test_what_is_not_meant_is_refused_and_nothing_changes(
    run: Run,
    seeded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    needle: str,
) -> None:
    here = tmp_path / "cwd"  # a blank data dir must not become the current folder
    here.mkdir()
    monkeypatch.chdir(here)
    before = snapshot(seeded)
    refused(run(*args, code=None), needle)
    assert snapshot(seeded) == before
    assert list(here.iterdir()) == []


def test_a_blank_home_in_the_environment_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for blank in (" ", ""):
        refused(run("status", code=None, HSTRACKER_HOME=blank), "HSTRACKER_HOME is")
        refused(run("watched", "s1", code=None, HSTRACKER_HOME=blank), "nothing was read")
    assert list(tmp_path.iterdir()) == []  # no folder named " ", no .lock here


def test_news_a_day_ahead_is_slack_for_time_zones(run: Run) -> None:
    run("add-news", "Tomorrow already", "--date", "2026-11-25", "--source", "Me")
    assert run.json("news", "-n", "1")["news"][0]["headline"] == "Tomorrow already"


def test_edit_news_with_nothing_to_change_is_refused(run: Run, seeded: Path) -> None:
    item = run.json("news", "-n", "1")["news"][0]["id"]
    before = snapshot(seeded)
    refused(run("edit-news", item, code=None), "nothing to change", "--headline")
    assert snapshot(seeded) == before


def test_import_as_another_show_is_refused_unless_forced(
    run: Run, seeded: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "yr.json"
    run("export", "--show", "young-royals", "--output", str(shared))
    before = snapshot(seeded)
    result = run("import", str(shared), "--as", "heartstopper", code=None)
    refused(result, "is 'Young Royals', not 'Heartstopper'", "--force")
    assert snapshot(seeded) == before
    # the same show under a new slug, or into itself, is no mismatch
    run("import", str(shared), "--as", "yr-copy")
    run("import", str(shared), "--as", "young-royals")
    out = run("import", str(shared), "--as", "heartstopper", "--force").stdout
    assert "heartstopper" in out


# the edits a fan needs


def test_remove_installment_takes_it_out_with_its_cast_links_and_marks(
    run: Run, seeded: Path
) -> None:
    run("watched", "s3")
    film_only = [m for m in run.json("cast", "--all")["cast"] if m["installments"] == ["film"]]
    out = run("remove-installment", "film").stdout
    assert "Removed Heartstopper Forever (film) from Heartstopper." in out
    assert [i["key"] for i in run.json("seasons")["installments"]] == ["s1", "s2", "s3"]
    characters = {m["character"] for m in run.json("cast", "--all")["cast"]}
    assert not {m["character"] for m in film_only} & characters
    run("remove-installment", "s3")
    assert run.json("progress")["watched"] == ["s1"]
    assert "has no installment 's3'" in run("remove-installment", "s3", code=3).stderr


def test_set_title_renames_and_the_new_title_is_a_reference(run: Run) -> None:
    assert (
        "Set s2 title to Boy Meets Boy."
        in run("set", "s2", "title", "Boy Meets Boy", "--source", "Me").stdout
    )
    assert "Marked Boy Meets Boy as watched." in run("watched", "boy meets boy").stdout
    out = run("set", "s2", "title", "Second", "--source", "Me").stdout
    assert "(was Boy Meets Boy)" in out and "history" not in out


def test_cancelled_leaves_upcoming_the_countdown_and_the_calendar(run: Run) -> None:
    assert run.json("upcoming")["upcoming"][0]["installment"]["key"] == "film"
    run("set", "film", "release", "2026-12-18", "--source", "Netflix")
    assert "heartstopper-film-release@" in run("calendar").stdout
    run("set", "film", "state", "cancelled", "--source", "Netflix")
    upcoming = run.json("upcoming")
    assert upcoming["upcoming"] == []
    [quiet] = upcoming["nothing_announced"]
    assert quiet["last"]["key"] == "s3"  # the last that came, not the one that never will
    countdown = run.json("countdown")
    assert countdown["installment"] is None and countdown["released"] is True
    assert run.json("status")["next"] is None
    assert "heartstopper-film-release@" not in run("calendar").stdout
    named = run.json("countdown", "film")  # named, it says why there is nothing to count
    assert (named["precision"], named["target"], named["released"]) == ("cancelled", None, False)
    assert "is cancelled: there is nothing to count down to" in run("countdown", "film").stdout
    seasons = {i["key"]: i["state"] for i in run.json("seasons")["installments"]}
    assert seasons["film"] == "cancelled"
    assert "cancelled" in run("seasons").stdout


def test_ended_is_out_and_stays_so(run: Run) -> None:
    run("set", "s3", "state", "ended", "--source", "Netflix")
    seasons = {i["key"]: i["state"] for i in run.json("seasons")["installments"]}
    assert seasons["s3"] == "ended"
    assert run.json("status")["next"]["key"] == "film"


def test_shows_edit_changes_title_platform_author_and_volumes(run: Run, seeded: Path) -> None:
    out = run(
        "shows", "edit", "young-royals", "--title", "Young Royals (2021)", "--platform",
        "Netflix", "--author", "Lisa Ambjörn", "--volumes", "3", "--source", "A fan",
    ).stdout  # fmt: skip
    assert "Changed young-royals: 3 volumes, title Young Royals (2021)" in out
    show = run.json("status", "--show", "young-royals")["show"]
    assert show["title"] == "Young Royals (2021)"
    assert show["platform"] == "Netflix"
    assert show["source_work"] == {"author": "Lisa Ambjörn", "title": "Young Royals", "total": 3}
    assert "from Lisa Ambjörn's Young Royals" in run("status", "--show", "young-royals").stdout
    run("read", "3", "--show", "young-royals")
    refused(run("read", "4", "--show", "young-royals", code=None), "Known: 1-3")
    run("shows", "edit", "young-royals", "--volumes", "4")
    progress = run.json("progress", "--show", "young-royals")
    assert progress["source_total"]["value"] == 4
    assert [c["value"] for c in progress["source_total"]["history"]] == [3]


def test_shows_restore_brings_back_the_show_its_news_and_marks(run: Run, seeded: Path) -> None:
    before = run.json("progress")
    run("shows", "remove", "heartstopper", "--yes")
    assert "heartstopper" not in run("shows", "list").stdout
    assert (
        "Restored heartstopper, with your marks." in run("shows", "restore", "heartstopper").stdout
    )
    after = run.json("progress")
    assert (
        (after["watched"], after["read"])
        == (before["watched"], before["read"])
        == (
            ["s1"],
            [2],
        )
    )
    assert run.json("news", "-n", "1")["news"][0]["headline"] == "A story"
    assert (
        "no removed show 'nothing-here'" in run("shows", "restore", "nothing-here", code=3).stderr
    )


def test_a_new_show_under_a_removed_slug_starts_clean(run: Run, seeded: Path) -> None:
    run("read", "1", "--show", "young-royals")  # no total: any volume from 1 up
    run("shows", "remove", "young-royals", "--yes")
    run("shows", "add", "Another", "--slug", "young-royals")
    progress = run.json("progress", "--show", "young-royals")
    assert (progress["watched"], progress["read"], progress["read_next"]) == ([], [], None)
    stored = json.loads((seeded / "personal.json").read_text())
    assert "young-royals" not in stored.get("removed_progress", {})


def test_an_import_under_a_removed_slug_starts_clean(
    run: Run, seeded: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "yr.json"
    run("export", "--show", "young-royals", "--output", str(shared))
    run("read", "1", "--show", "young-royals")
    run("shows", "remove", "young-royals", "--yes")
    run("import", str(shared))
    assert run.json("progress", "--show", "young-royals")["read"] == []


# one answer everywhere


def test_a_show_with_nothing_announced_says_so_everywhere(run: Run, seeded: Path) -> None:
    show = ("--show", "young-royals")
    for command in (("status",), ("countdown",), ("progress",), ("cast",), ("cast", "--all")):
        out = run(*command, *show).stdout
        assert NOTHING_YET in out, command
        assert "Nothing announced after the last release" not in out
        assert "Read next: volume 1" not in out
    countdown = run.json("countdown", *show)
    assert (countdown["installment"], countdown["released"]) == (None, False)
    assert run.json("status", *show)["next"] is None
    assert run.json("progress", *show)["read_next"] is None
    for command in (("cast",), ("cast", "--all")):
        document = run.json(*command, *show)
        assert (document["installment"], document["cast"]) == (None, [])


def test_an_empty_cast_is_an_answer_not_an_error(run: Run, seeded: Path) -> None:
    run("add-installment", "season", "1", "--show", "young-royals")
    assert "No cast is listed for Young Royals yet." in run("cast", "--show", "young-royals").stdout
    assert run.json("cast", "--all", "--show", "young-royals")["cast"] == []
    assert run.json("cast", "--show", "young-royals")["cast"] == []


def test_the_unknown_placeholder_never_shows(run: Run, seeded: Path) -> None:
    run("add-installment", "season", "1", "--release", "2026-12-20", "--show", "young-royals")
    status = run("status", "--show", "young-royals").stdout
    assert "unknown" not in status and "from Young Royals" in status
    document = run.json("status", "--show", "young-royals")["show"]
    assert (document["platform"], document["source_work"]["author"]) == (None, None)
    calendar = run("calendar", "--show", "young-royals").stdout
    assert "unknown" not in calendar
    assert "SUMMARY:Season 1 released\n" in calendar
    assert "unknown" not in run("shows", "list").stdout


# the property: whatever a command refuses, it leaves the store as it was

REFS = st.sampled_from(["", " ", "s1", "s2", "s9", "film", "0", "-1", "Season 2", "x"])
VOLUMES = st.sampled_from(["", " ", "-1", "0", "1", "v2", "6", "7", "99999", "x"])
DAYS = st.sampled_from(["", "2026-11-20", "2026-11-26", "2030-12-06", "2026-13-01", "2026"])
FIELDS = st.sampled_from(["episodes", "adapts", "title", "state", "release", "nope", ""])
VALUES = st.sampled_from(["", " ", "9", "6-9", "9-6", "3", "cancelled", "2026-12-18", "s1"])
SLUGS = st.sampled_from(["", " ", "heartstopper", "young-royals", "nope", "Bad!"])
DIRS = st.sampled_from(["", " "])

COMMANDS = st.one_of(
    st.tuples(st.just("watched"), REFS),
    st.tuples(st.just("watched"), REFS, st.just("--undo")),
    st.tuples(st.just("read"), st.just("--"), VOLUMES),
    st.tuples(st.just("read"), st.just("--show"), SLUGS, st.just("--"), VOLUMES),
    st.tuples(st.just("set"), REFS, FIELDS, VALUES, st.just("--source"), st.just("X")),
    st.tuples(st.just("remove-installment"), REFS),
    st.tuples(
        st.just("cast"), st.just("add"), st.just("C"), st.just("A"), st.just("--season"), REFS
    ),
    st.tuples(
        st.just("add-news"),
        st.just("H"),
        st.just("--date"),
        DAYS,
        st.just("--source"),
        st.just("X"),
        st.just("--season"),
        REFS,
    ),
    st.tuples(st.just("shows"), st.just("edit"), SLUGS, st.just("--volumes"), VOLUMES),
    st.tuples(st.just("shows"), st.just("restore"), SLUGS),
    st.tuples(st.just("--data-dir"), DIRS, st.just("watched"), REFS),
)


@pytest.fixture(scope="module")
def template() -> Any:
    folder = Path(tempfile.mkdtemp(prefix="hs-meant-"))
    yield folder
    shutil.rmtree(folder)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(args=COMMANDS)
def test_a_command_that_fails_leaves_the_store_unchanged(
    run: Run, home: Path, template: Path, args: tuple[str, ...]
) -> None:
    store = template / "store"
    if not store.exists():
        for seed in (
            ("watched", "s1"),
            ("read", "2"),
            ("shows", "add", "Young Royals", "--slug", "young-royals"),
        ):
            run(*seed, HSTRACKER_HOME=str(store))
    mine = template / "mine"
    shutil.rmtree(mine, ignore_errors=True)
    shutil.copytree(store, mine)
    before = snapshot(mine)
    result = run(*args, code=None, HSTRACKER_HOME=str(mine))
    assert "unexpected error" not in result.stderr
    if result.exit_code != 0:
        assert result.exit_code in set(ExitCode)
        assert snapshot(mine) == before, (args, result.stderr)
