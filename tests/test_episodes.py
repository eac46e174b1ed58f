"""Progress down to the episode: marks with dates, season tallies, where to continue, the guard."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run
from httpserver import Server


def synced(run: Run) -> None:
    run("sync", "--source", "tvmaze")


def test_sync_keeps_each_seasons_episodes(run: Run, tvmaze: Server) -> None:
    synced(run)
    out = run("progress").stdout
    assert "Continue" not in out  # nothing marked yet
    run("watched", "s3e4")
    data = run.json("progress")
    assert {"key": "s3", "watched": 1, "known": 8, "complete": False} in data["episodes"]


def test_watched_episode_run_and_season_with_undo(run: Run, tvmaze: Server, home: Path) -> None:
    synced(run)
    out = run("watched", "s3e1-4", HSTRACKER_NOW="2026-12-01T20:00:00+00:00").stdout
    assert "Marked Season 3 episodes 1-4 as watched." in out
    assert "s3: 4 of 8" in out
    assert "Continue: s3e5 Episode 5, out since 3 Oct 2024" in out
    mine = json.loads((home / "personal.json").read_bytes())["progress"]["heartstopper"]
    assert mine["episodes"]["s3"][0] == [1, "2026-12-01T20:00:00Z", 1]
    assert "s3" not in mine.get("watched", [])

    assert "s3: 4 of 8" in run("progress").stdout
    status = run("status").stdout
    assert "Continue: s3e5 Episode 5, out since 3 Oct 2024" in status
    assert run.json("status")["continue"]["episode"] == 5

    run("watched", "s3", HSTRACKER_NOW="2026-12-05T20:00:00+00:00")
    data = run.json("progress")
    assert "s3" in data["watched"]
    assert {"key": "s3", "watched": 8, "known": 8, "complete": True} in data["episodes"]
    # marking the whole season again keeps the first date of the four already watched
    mine = json.loads((home / "personal.json").read_bytes())["progress"]["heartstopper"]
    assert mine["episodes"]["s3"][0][1] == "2026-12-01T20:00:00Z"

    run("watched", "s3e8", "--undo")
    data = run.json("progress")
    assert "s3" not in data["watched"]
    assert {"key": "s3", "watched": 7, "known": 8, "complete": False} in data["episodes"]
    run("watched", "s3", "--undo")
    assert {"key": "s3", "watched": 0, "known": 8, "complete": False} in run.json("progress")[
        "episodes"
    ]


def test_an_episode_the_season_lacks_is_refused(run: Run, tvmaze: Server, home: Path) -> None:
    synced(run)
    before = (home / "personal.json").read_bytes() if (home / "personal.json").exists() else None
    result = run("watched", "s3e9", code=None)
    assert result.exit_code != 0
    assert "Season 3 has no episode 9" in result.stderr
    assert "Known: 1-8" in result.stderr
    after = (home / "personal.json").read_bytes() if (home / "personal.json").exists() else None
    assert before == after
    bad = run("watched", "s3e4-2", code=None)
    assert bad.exit_code != 0 and "not a run of episodes" in bad.stderr


def test_partly_watched_season_is_not_watched_for_the_guard(run: Run, tvmaze: Server) -> None:
    synced(run)
    run(
        "add-news", "A twist in the last episode", "--date", "2024-10-04",
        "--source", "Fan", "--season", "s3", "--tag", "plot",
    )  # fmt: skip
    run("watched", "s3e1-7")
    headlines = [n["headline"] for n in run.json("news")["news"]]
    assert "A twist in the last episode" not in headlines
    run("watched", "s3e8")
    headlines = [n["headline"] for n in run.json("news")["news"]]
    assert "A twist in the last episode" in headlines


def test_old_whole_season_marks_still_load_and_count(run: Run, tvmaze: Server, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "personal.json").write_text(
        json.dumps({"schema_version": 4, "progress": {"heartstopper": {"watched": ["s1", "s2"]}}})
    )
    assert run.json("progress")["watched"] == ["s1", "s2"]
    synced(run)
    data = run.json("progress")
    assert data["watched"] == ["s1", "s2"]
    assert {"key": "s2", "watched": 8, "known": 8, "complete": True} in data["episodes"]
    # taking one episode out of a season marked whole leaves the other seven
    run("watched", "s2e3", "--undo")
    data = run.json("progress")
    assert data["watched"] == ["s1"]
    assert {"key": "s2", "watched": 7, "known": 8, "complete": False} in data["episodes"]
    assert "Continue: s2e3 Episode 3" in run("status").stdout


def test_watched_episode_before_any_sync_is_kept(run: Run) -> None:
    out = run("watched", "s3e2").stdout
    assert "Marked Season 3 episode 2 as watched." in out
    assert run.json("progress")["watched"] == []
