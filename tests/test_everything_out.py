"""The dashboard and countdown once everything is out: what came last, the story fully
adapted, and stale facts that suggest a sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run, snapshot

AFTER = "2026-11-25T12:00:00+00:00"


def _film_out(run: Run, day: str = "2026-07-17") -> None:
    """The film given an exact release day, as a fan (or a sync) would set it."""
    run("set", "film", "release", day, "--source", "a fan's own note")


def test_status_says_what_came_last_and_how_long_ago(run: Run) -> None:
    _film_out(run)
    out = run("status", HSTRACKER_NOW=AFTER).stdout
    assert "Nothing announced after the last release." in out
    assert "Heartstopper Forever, released 17 Jul 2026, 4 months 8 days ago" in out
    assert "Countdown" not in out and "Trailer" not in out


@pytest.mark.parametrize(
    ("now", "ago"),
    [
        ("2026-07-17T12:00:00+00:00", "today"),
        ("2026-07-18T12:00:00+00:00", "1 day ago"),
        ("2026-08-16T12:00:00+00:00", "30 days ago"),
        ("2026-08-17T12:00:00+00:00", "31 days ago"),  # days up to 60, as every span
        ("2026-09-14T12:00:00+00:00", "59 days ago"),
        ("2026-09-15T12:00:00+00:00", "1 month 29 days ago"),
        ("2026-09-17T12:00:00+00:00", "2 months ago"),
        ("2026-11-16T12:00:00+00:00", "3 months 30 days ago"),  # calendar months, not 30 days
        ("2027-07-17T12:00:00+00:00", "1 year ago"),
        ("2028-09-20T12:00:00+00:00", "2 years 2 months ago"),
    ],
)
def test_how_long_ago_reads_as_a_fan_says_it(run: Run, now: str, ago: str) -> None:
    _film_out(run)
    assert f"released 17 Jul 2026, {ago}" in run("status", HSTRACKER_NOW=now).stdout


def test_status_json_names_the_last_release(run: Run) -> None:
    _film_out(run)
    data = run.json("status", HSTRACKER_NOW=AFTER)
    assert data["next"] is None and data["countdown"] is None
    assert data["last_released"]["key"] == "film"
    assert data["last_released"]["release"] == "2026-07-17"
    assert data["adaptation"]["complete"] is True


def test_before_the_release_nothing_is_said_about_the_last(run: Run) -> None:
    data = run.json("status")  # the shipped data: the film is still to come
    assert data["next"]["key"] == "film"
    assert data["last_released"] is None
    assert data["adaptation"]["complete"] is False
    assert "fully adapted" not in run("status").stdout


def test_all_published_volumes_adapted_says_the_story_is_fully_adapted(run: Run) -> None:
    _film_out(run)
    out = run("status", HSTRACKER_NOW=AFTER).stdout
    assert "6 of 6 published volumes adapted (100%)" in out
    assert "The story is fully adapted: all 6 volumes are on screen." in out


def test_a_volume_still_to_be_published_is_not_fully_adapted(run: Run) -> None:
    # the film out, but the fan's clock before volume 6 is published: 5 of 5 out are adapted,
    # yet the story has six volumes, so it is not fully adapted
    run("set", "film", "release", "2026-06-01", "--source", "a what-if")
    data = run.json("status", HSTRACKER_NOW="2026-06-20T12:00:00+00:00")
    assert data["adaptation"]["unadapted"] == [] and data["adaptation"]["total"] == 6
    assert data["adaptation"]["complete"] is False
    out = run("status", HSTRACKER_NOW="2026-06-20T12:00:00+00:00").stdout
    assert "fully adapted" not in out


def test_a_hand_made_show_with_everything_out(run: Run) -> None:
    run("shows", "add", "Young Royals", "--platform", "Netflix")
    run("add-installment", "season", "1", "--state", "released", "--release", "2021-07-01",
        "--source", "Netflix", "--show", "young-royals")  # fmt: skip
    out = run("status", "--show", "young-royals", HSTRACKER_NOW=AFTER).stdout
    assert "Season 1, released 1 Jul 2021, 5 years 4 months ago" in out
    assert "fully adapted" not in out  # no volumes known: nothing to say about them
    shown = run("countdown", "--show", "young-royals", HSTRACKER_NOW=AFTER).stdout
    assert "Last: Season 1, released 1 Jul 2021, 5 years 4 months ago" in shown


def test_countdown_with_nothing_upcoming_exits_0_with_the_same_message(
    run: Run, home: Path
) -> None:
    _film_out(run)
    before = snapshot(home)
    result = run("countdown", HSTRACKER_NOW=AFTER)
    assert result.stdout.splitlines() == [
        "Heartstopper",
        "Nothing announced after the last release.",
        "Last: Heartstopper Forever, released 17 Jul 2026, 4 months 8 days ago",
        "Name one to count from it, e.g. hstracker countdown film.",
    ]
    assert result.stderr == ""
    data = run.json("countdown", HSTRACKER_NOW=AFTER)
    assert data["installment"] is None and data["target"] is None
    assert data["last_released"]["title"] == "Heartstopper Forever"
    assert snapshot(home) == before
    named = run("countdown", "film", HSTRACKER_NOW=AFTER).stdout  # a named one still counts
    assert "Heartstopper Forever is out!" in named


def test_countdown_with_a_window_still_counts(run: Run) -> None:
    out = run("countdown").stdout  # the shipped 2026 window is not "nothing upcoming"
    assert "Nothing announced" not in out and "to go" in out


@pytest.mark.parametrize(
    ("now", "suggests"),
    [
        ("2026-07-02T12:00:00+00:00", False),  # today
        ("2026-08-01T12:00:00+00:00", False),  # 30 days old: still fresh
        ("2026-08-02T12:00:00+00:00", True),  # 31 days old
        ("2026-11-25T12:00:00+00:00", True),
    ],
)
def test_facts_older_than_30_days_suggest_a_sync(run: Run, now: str, suggests: bool) -> None:
    out = run("status", HSTRACKER_NOW=now).stdout
    line = next(line for line in out.splitlines() if line.startswith("Facts as of 2 Jul 2026"))
    assert ("Run `hstracker sync` to refresh them." in line) is suggests


def test_fresh_facts_do_not_suggest_a_sync(run: Run) -> None:
    run("add-news", "A new interview", "--date", "2026-11-20", "--source", "Attitude")
    out = run("status", HSTRACKER_NOW=AFTER).stdout
    assert "Facts as of 20 Nov 2026 (5 days ago)." in out  # the news item is the newest fact
    assert "hstracker sync" not in out
