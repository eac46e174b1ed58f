"""The adaptation map, the fan's watched/read marks, and where to start reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, snapshot


def test_map_lists_what_each_installment_adapts(run: Run) -> None:
    data = run.json("progress")
    rows = {row["installment"]: row["volumes"] for row in data["installments"]}
    assert rows == {"s1": [1, 2], "s2": [3], "s3": [4, 5], "film": [6]}
    assert data["adaptation"]["percent"] == 83.3
    assert data["adaptation"]["unadapted"] == [6]
    assert data["adaptation"]["planned"] == {"6": "Heartstopper Forever"}
    assert data["source_total"]["value"] == 6
    assert [old["value"] for old in data["source_total"]["history"]] == [7]


def test_map_shows_the_superseded_volume_count_only_as_history(run: Run) -> None:
    out = run("progress").stdout
    assert "5 of 6 published volumes adapted (83%)" in out
    assert "━" in out  # the bar
    assert "Not yet adapted: volume 6, expected in Heartstopper Forever" in out
    assert "The source has 6 volumes" in out
    assert "earlier report, superseded: 7 volumes (the article (late 2022), Dec 2022)" in out
    assert "7 volumes" not in out.replace("superseded: 7 volumes", "")


def test_map_before_season_3_plans_it_for_volumes_4_and_5(run: Run) -> None:
    data = run.json("progress", HSTRACKER_NOW="2024-06-01T00:00:00+00:00")
    assert data["adaptation"]["adapted"] == [1, 2, 3]
    assert data["adaptation"]["planned"] == {
        "4": "Season 3",
        "5": "Season 3",
        "6": "Heartstopper Forever",
    }
    released = {row["installment"]: row["released"] for row in data["installments"]}
    assert released == {"s1": True, "s2": True, "s3": False, "film": False}


@pytest.mark.parametrize(
    ("watched", "read", "start"),
    [
        ([], [], 1),
        (["s1"], [], 3),
        (["s2"], [], 4),
        (["s1", "s2"], [], 4),
        (["s3"], [], 6),
        (["s2"], [4], 5),  # already read the next one: skip it
        (["film"], [], None),
        (["s3"], [6], None),
    ],
)
def test_read_next(run: Run, watched: list[str], read: list[int], start: int | None) -> None:
    for ref in watched:
        run("watched", ref)
    for volume in read:
        run("read", str(volume))
    assert run.json("progress")["read_next"] == start


def test_watched_season_2_says_start_at_volume_4(run: Run) -> None:
    out = run("watched", "2").stdout
    assert "Marked Season 2 as watched." in out
    assert "Read next: volume 4" in out
    assert "Read next: volume 4" in run("progress").stdout


@pytest.mark.parametrize("ref", ["s2", "2", "season 2", "S2"])
def test_watched_accepts_every_ref_form(run: Run, ref: str) -> None:
    run("watched", ref)
    assert run.json("progress")["watched"] == ["s2"]


def test_marks_live_in_personal_json_and_undo_removes_them(run: Run, home: Path) -> None:
    run("watched", "film")
    run("watched", "s1")
    run("read", "v3")
    run("read", "volume 2")
    stored = json.loads((home / "personal.json").read_text())
    assert stored["progress"]["heartstopper"] == {"watched": ["s1", "film"], "read": [2, 3]}
    assert not (home / "shows").exists()  # the facts are untouched
    run("watched", "film", "--undo")
    run("read", "3", "--undo")
    run("read", "5", "--undo")  # undoing what was never marked is harmless
    stored = json.loads((home / "personal.json").read_text())
    assert stored["progress"]["heartstopper"] == {"watched": ["s1"], "read": [2]}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("watched", "s9"), 3, "Heartstopper has no installment 's9'. Known: s1, s2, s3, film."),
        (("watched", "season two"), 3, "has no installment"),
        (("read", "7"), 2, "Heartstopper has no volume 7. Known: 1-6."),
        (("read", "0"), 2, "'0' is not a volume number."),
        (("read", "--", "-1"), 2, "'-1' is not a volume number."),  # never volume 1
        (("read", "   "), 2, "is not a volume number"),
        (("watched", ""), 2, "is blank"),  # never Season 1
        (("watched", "   "), 2, "is blank"),
        (("read", "four"), 2, "'four' is not a volume number."),
        (("read", "4.5"), 2, "is not a volume number"),
        (("watched", "s2", "--show", "nope"), 3, "unknown show 'nope'"),
    ],
)
def test_unknown_refs_and_volumes_get_one_line(
    run: Run, home: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = snapshot(home)
    result = run(*args, code=code)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert snapshot(home) == before


def test_plot_notes_follow_the_guard(run: Run) -> None:
    fresh = run.json("progress")  # nothing recorded: nothing seen, every plot note hidden
    assert (fresh["plot"], fresh["hidden"]) == ([], 4)
    assert "4 plot notes hidden" in run("progress").stdout
    assert len(run.json("progress", "--spoilers")["plot"]) == 4
    run("watched", "s1")
    data = run.json("progress")
    assert [note["installment"] for note in data["plot"]] == ["s1", "s1"]
    assert data["hidden"] == 2
    out = run("progress").stdout
    assert "Nick comes out to his mum" in out
    assert "Isaac would get more room" not in out
    assert "2 plot notes hidden" in out
    assert "Isaac would get more room" in run("progress", "--spoilers").stdout


def test_a_new_fan_is_told_to_mark_the_show_s_own_first_installment(run: Run) -> None:
    assert "(record what you have watched: hstracker watched s1)" in run("progress").stdout
    run("shows", "add", "Moonlight Pages", "--platform", "Netflix", "--volumes", "3")
    mp = ("--show", "moonlight-pages")
    bare = run("progress", *mp).stdout
    assert "Read next: volume 1" in bare and "hstracker watched" not in bare  # nothing to mark
    run("add-installment", "film", "1", "--title", "The Film", "--source", "Netflix", *mp)
    assert "hstracker watched film)" in run("progress", *mp).stdout
